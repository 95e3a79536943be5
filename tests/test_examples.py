"""Every runnable example is executed, so the docs that include them cannot rot."""

from __future__ import annotations

import pytest

from examples import embed, quickstart, register, roaming
from ocpi import VersionNumber


async def test_quickstart() -> None:
    result = await quickstart.main()
    assert [v["version"] for v in result["versions"]["data"]] == ["2.2.1", "2.3.0"]
    assert result["details"]["data"]["endpoints"][0]["identifier"] == "credentials"


async def test_embed() -> None:
    mounted, included = await embed.main()
    assert mounted == "https://service.example.com/roaming/ocpi/2.2.1/details/"
    assert included == "https://service.example.com/partners/ocpi/2.2.1/details/"


async def test_register() -> None:
    result = await register.main()
    assert result == {"version": "2.2.1", "cpo_partners_after": 0}


@pytest.mark.parametrize("version", [VersionNumber.v_2_2_1, VersionNumber.v_2_3_0])
async def test_roaming_round_trip(version: VersionNumber) -> None:
    result = await roaming.main(version)
    assert result["evse_status_at_emsp"] == "CHARGING"
    assert result["session_kwh_at_emsp"] == 7.5
    assert result["cdr_url"].endswith(f"/ocpi/emsp/{version.value}/cdrs/CDR1")
    assert result["pulled"] == ["LOC2", "LOC3", "LOC4", "LOC5"]
    assert result["one_evse"] == "E1"
    assert result["token_at_cpo"] == "TOKEN1"
    assert result["authorization"] == "ALLOWED"
    assert result["pulled_tariffs"] == ["AC-STANDARD"]
    assert result["tariff_left_at_emsp"] is False
