"""Charging profiles over real HTTP (2.2.1, 2.3.0): an eMSP/SCSP app asks a CPO app for the
ActiveChargingProfile, sets and clears profiles through the client helpers; the CPO completes each
request with one call (or lets it time out) and pushes ActiveChargingProfile updates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from ocpi import InterfaceRole, ModuleID, RoleEnum, VersionNumber
from ocpi.core.async_results import async_results
from ocpi.core.client import OCPIStatusError
from ocpi.core.utils import encode_string_base64
from ocpi.modules.chargingprofiles import (
    charging_profile_response_url,
    complete_charging_profile,
    delete_charging_profile,
    get_active_charging_profile,
    push_active_charging_profile,
    set_charging_profile,
)
from tests.conftest import LoopbackServer
from tests.ocpi.modules.async_pair import Pair, started_pair

VERSIONS = [VersionNumber.v_2_2_1, VersionNumber.v_2_3_0]
TS = "2024-05-02T14:15:01Z"
PROFILE: dict[str, Any] = {
    "charging_rate_unit": "W",
    "charging_profile_period": [{"start_period": 0, "limit": 11000.0}],
}
ACTIVE = {"start_date_time": TS, "charging_profile": PROFILE}
MODULE = ModuleID.charging_profile


def seed(pair: Pair) -> None:
    pair.cpo_store.objects[(ModuleID.sessions, "SESSION1")] = {"id": "SESSION1"}


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
@pytest.mark.parametrize("role", [RoleEnum.emsp, RoleEnum.scsp], ids=lambda r: r.value)
async def test_get_set_delete_completed_by_the_cpo(
    loopback: Callable[[], LoopbackServer], version: VersionNumber, role: RoleEnum
) -> None:
    async with started_pair(loopback, version, role) as pair:
        seed(pair)
        results = async_results(pair.cpo_app)

        # GET the ActiveChargingProfile.
        url = charging_profile_response_url(pair.emsp_app, version, "get-1", role=role)
        prefix = f"{pair.emsp.url}/ocpi/{role.value.lower()}/{version.value}/chargingprofiles"
        assert url == f"{prefix}/result/get-1"
        answer = await get_active_charging_profile(pair.to_cpo, "SESSION1", 900, url)
        assert answer == {"result": "ACCEPTED", "timeout": 5}
        seen = pair.cpo_request(MODULE, url)
        assert seen["action"] == "SendGetChargingProfile"
        assert (seen["session_id"], seen["duration"]) == ("SESSION1", 900)
        assert [entry.info["kind"] for entry in results.pending] == ["active_charging_profile"]
        result = {"result": "ACCEPTED", "profile": ACTIVE}
        assert await complete_charging_profile(pair.cpo_app, url, result)
        assert pair.emsp_store.objects[(MODULE, "get-1")] == result

        # PUT a profile.
        url = charging_profile_response_url(pair.emsp_app, version, "set-1", role=role)
        answer = await set_charging_profile(pair.to_cpo, "SESSION1", PROFILE, url)
        assert answer["result"] == "ACCEPTED"
        seen = pair.cpo_request(MODULE, url)
        assert seen["action"] == "SendUpdateChargingProfile"
        assert seen["data"] == {"charging_profile": PROFILE, "response_url": url}
        assert results.find(session_id="SESSION1", kind="charging_profile")
        assert await complete_charging_profile(pair.cpo_app, url, "ACCEPTED")
        assert pair.emsp_store.objects[(MODULE, "set-1")] == {"result": "ACCEPTED"}

        # DELETE it.
        url = charging_profile_response_url(pair.emsp_app, version, "clear-1", role=role)
        answer = await delete_charging_profile(pair.to_cpo, "SESSION1", url)
        assert answer["result"] == "ACCEPTED"
        assert pair.cpo_request(MODULE, url)["action"] == "SendDeleteChargingProfile"
        assert await complete_charging_profile(pair.cpo_app, url, {"result": "UNKNOWN"})
        assert pair.emsp_store.objects[(MODULE, "clear-1")] == {"result": "UNKNOWN"}

        assert results.pending == ()

        # The CPO pushes an updated ActiveChargingProfile to the requester's Sender interface.
        pushed = await push_active_charging_profile(pair.to_emsp, "SESSION1", ACTIVE)
        assert pushed.status_code == 1000
        assert pair.emsp_store.objects[(MODULE, "SESSION1")] == ACTIVE


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
async def test_nobody_completes_rejected_is_posted(
    loopback: Callable[[], LoopbackServer], version: VersionNumber
) -> None:
    async with started_pair(loopback, version) as pair:
        seed(pair)
        pair.cpo_store.objects[(MODULE, "response")] = {"result": "ACCEPTED", "timeout": 0.2}
        url = charging_profile_response_url(pair.emsp_app, version, "late")
        answer = await set_charging_profile(pair.to_cpo, "SESSION1", PROFILE, url)
        assert answer["result"] == "ACCEPTED"

        assert await pair.received(MODULE, "late") == {"result": "REJECTED"}
        assert async_results(pair.cpo_app).pending == ()
        assert await complete_charging_profile(pair.cpo_app, url, "ACCEPTED") is False


@pytest.mark.parametrize("version", VERSIONS, ids=lambda v: v.value)
async def test_unknown_session_invalid_requests_and_rejections(
    loopback: Callable[[], LoopbackServer], version: VersionNumber
) -> None:
    async with started_pair(loopback, version) as pair:
        seed(pair)
        url = charging_profile_response_url(pair.emsp_app, version, "x")

        unknown = await get_active_charging_profile(pair.to_cpo, "NO-SUCH-SESSION", 60, url)
        assert unknown["result"] == "UNKNOWN_SESSION"
        assert (MODULE, url) not in pair.cpo_store.objects

        with pytest.raises(OCPIStatusError) as invalid:
            await set_charging_profile(pair.to_cpo, "SESSION1", {"charging_rate_unit": "V"}, url)
        assert invalid.value.status_code == 2001
        assert "body.charging_profile.charging_rate_unit" in (invalid.value.status_message or "")

        base = pair.to_cpo.endpoint(MODULE, InterfaceRole.receiver)
        async with httpx.AsyncClient() as http:
            no_duration = await http.get(
                f"{base}/SESSION1",
                params={"response_url": url},
                headers={"Authorization": f"Token {encode_string_base64(pair.to_cpo.token)}"},
            )
        assert no_duration.json()["status_code"] == 2001
        assert "query.duration" in no_duration.json()["status_message"]
        assert async_results(pair.cpo_app).pending == ()

        # A rejection waits for nothing.
        pair.cpo_store.objects[(MODULE, "response")] = {"result": "TOO_OFTEN", "timeout": 0}
        answer = await delete_charging_profile(pair.to_cpo, "SESSION1", url)
        assert answer["result"] == "TOO_OFTEN"
        assert async_results(pair.cpo_app).pending == ()

        # The requester's result endpoint validates what it receives.
        result_url = charging_profile_response_url(pair.emsp_app, version, "bad")
        async with httpx.AsyncClient() as http:
            bad = await http.post(
                result_url,
                json={"result": "MAYBE"},
                headers={"Authorization": f"Token {encode_string_base64(pair.to_emsp.token)}"},
            )
            # The established form: the module URL with a request_id query parameter.
            legacy = await http.post(
                result_url.rsplit("/", 2)[0],
                params={"request_id": "legacy"},
                json={"result": "ACCEPTED"},
                headers={"Authorization": f"Token {encode_string_base64(pair.to_emsp.token)}"},
            )
        assert bad.json()["status_code"] == 2001
        assert (MODULE, "bad") not in pair.emsp_store.objects
        assert legacy.json()["status_code"] == 1000
        assert pair.emsp_store.objects[(MODULE, "legacy")] == {"result": "ACCEPTED"}


async def test_not_served_in_2_1_1(loopback: Callable[[], LoopbackServer]) -> None:
    async with started_pair(loopback, VersionNumber.v_2_1_1) as pair:
        identifiers = {endpoint["identifier"] for endpoint in pair.to_cpo.endpoints}
        assert "commands" in identifiers
        assert "chargingprofiles" not in identifiers
