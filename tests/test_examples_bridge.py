"""``examples/cpo_in_a_box.py`` runs: a station charges 20 kWh, the eMSP gets the CDR.

Tariff AC-STANDARD: 0.30/kWh plus 21 % VAT → 20 × 0.30 = 6.00 excl., 6.00 × 1.21 = 7.26 incl.
"""

from __future__ import annotations

import pytest

from examples import cpo_in_a_box


async def test_cpo_in_a_box_example(capsys: pytest.CaptureFixture[str]) -> None:
    result = await cpo_in_a_box.main()
    evses = result["location"]["evses"]
    assert [evse["uid"] for evse in evses] == ["CP-1-1"]
    assert result["location"]["name"] == "Station Square"
    assert evses[0]["connectors"][0]["tariff_ids"] == ["AC-STANDARD"]
    assert result["start_answer"]["result"] == "ACCEPTED"
    assert result["start_result"]["result"] == "ACCEPTED"
    session = result["session"]
    assert session["status"] == "COMPLETED" and session["kwh"] == 20.0
    assert session["cdr_token"]["contract_id"] == "DE-MSP-C00001-X"
    cdr = result["cdr"]
    assert cdr["total_energy"] == 20.0
    assert cdr["total_cost"] == {"excl_vat": 6.0, "incl_vat": 7.26}
    assert cdr["cdr_location"]["id"] == "UTRECHT-CENTRAAL"
    assert "20.0 kWh" in capsys.readouterr().out
