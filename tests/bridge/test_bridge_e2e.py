"""End to end: a CPO (gateway + bridge) and an eMSP over real HTTP, stations over WebSockets.

Hand-computed prices: the tariff T1 charges a 1.00 start fee and 0.25/kWh, both plus 10 % VAT;
the stations charge exactly 10 kWh (their meters are set by the test), so the CDR costs
1.00 + 10 × 0.25 = 3.50 excl. VAT and 3.85 incl. VAT.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from ocpi import ModuleID
from ocpi.core.data_types import format_datetime
from ocpi.modules.chargingprofiles import (
    charging_profile_response_url,
    delete_charging_profile,
    get_active_charging_profile,
    set_charging_profile,
)
from ocpi.modules.commands import command_response_url, send_command
from ocpp_gw.bridge.render import validated
from ocpp_gw.simulator import SimulatedStation
from tests.bridge.bridge_box import API_HEADERS, Box, eventually, started_box, token

OCPP_VERSIONS = ["1.6", "2.0.1"]


def evse_status(location: dict[str, Any], uid: str) -> str:
    """The EVSE's status ("" while the location does not list it yet)."""
    for evse in location.get("evses") or []:
        if evse["uid"] == uid:
            status: str = evse["status"]
            return status
    return ""


async def command(box: Box, name: str, uid: str, body: dict[str, Any]) -> dict[str, Any]:
    """Send a command from the eMSP; returns the synchronous answer."""
    url = command_response_url(box.emsp_app, box.version, name, uid)
    answer: dict[str, Any] = await send_command(box.to_cpo, name, {"response_url": url, **body})
    return answer


async def result(box: Box, uid: str, expected: str) -> dict[str, Any]:
    return await box.received(ModuleID.commands, uid, lambda r: r["result"] == expected)


def session_of(box: Box, uid: str) -> dict[str, Any] | None:
    for (module, _), obj in box.emsp_store.objects.items():
        if module != ModuleID.sessions:
            continue
        auth = obj.get("cdr_token", {}).get("uid") or obj.get("auth_id")
        if auth in (uid, f"DE-MSP-{uid}"):
            return obj
    return None


async def wait_session(box: Box, uid: str, status: str, timeout: float = 5.0) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        found = session_of(box, uid)
        if found is not None and found["status"] == status:
            return found
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"no {status} session for {uid}: {found}")
        await asyncio.sleep(0.02)


@pytest.mark.parametrize("ocpi_version", ["2.2.1", "2.1.1", "2.3.0"])
@pytest.mark.parametrize("ocpp_version", OCPP_VERSIONS)
async def test_cpo_in_a_box(loopback: Any, ocpp_version: str, ocpi_version: str) -> None:
    async with started_box(loopback, ocpi_version) as box:
        cp_id = f"CP-{ocpp_version.replace('.', '')}"
        # The station's tariff, set through the REST mapping API before it ever connects.
        async with httpx.AsyncClient(base_url=box.cpo.url, headers=API_HEADERS) as api:
            answer = await api.put(
                f"/api/bridge/stations/{cp_id}",
                json={"name": "Station Square", "city": "Utrecht", "tariff_ids": ["T1"]},
            )
            assert answer.status_code == 200, answer.text
        station = SimulatedStation(box.ws_url, cp_id, ocpp_version, power_w=0.0, call_timeout=5)
        async with station:
            await station.boot()
            evse_uid = f"{cp_id}-1"

            # The eMSP sees the location (pushed) with the live EVSE status ...
            pushed = await box.received(
                ModuleID.locations, cp_id, lambda loc: bool(loc.get("evses"))
            )
            assert pushed["name"] == "Station Square"
            assert evse_status(pushed, evse_uid) == "AVAILABLE"
            # ... and can pull it.
            pulled = await box.to_cpo.get(ModuleID.locations, cp_id)
            assert evse_status(pulled, evse_uid) == "AVAILABLE"
            validated("locations", "Location", ocpi_version, pulled)

            # A token pushed by the eMSP; START_SESSION with it.
            uid = f"TOK{ocpp_version.replace('.', '')}"
            await box.to_cpo.put(ModuleID.tokens, token(uid, ocpi_version), "DE", "MSP", uid)
            station.connectors[1].meter_wh = 1000.0
            answer = await command(
                box,
                "START_SESSION",
                "start-1",
                {"token": token(uid, ocpi_version), "location_id": cp_id, "evse_uid": evse_uid},
            )
            assert answer["result"] == "ACCEPTED"
            await result(box, "start-1", "ACCEPTED")
            session = await wait_session(box, uid, "ACTIVE")
            if ocpi_version != "2.1.1":
                assert session["cdr_token"]["uid"] == uid
                assert session["auth_method"] == "COMMAND"
            charging = await box.received(
                ModuleID.locations, cp_id, lambda loc: evse_status(loc, evse_uid) == "CHARGING"
            )
            assert charging["id"] == cp_id

            # Meter values: 5 kWh so far, PATCHed to the eMSP.
            station.connectors[1].meter_wh = 6000.0
            await station.send_meter_values(1)
            session = await box.received(
                ModuleID.sessions, session["id"], lambda s: s["kwh"] == 5.0
            )
            assert session["total_cost"]

            # Charging profiles (2.2.1+): set, read back, clear.
            if ocpi_version != "2.1.1":
                await profiles(box, session["id"])

            # STOP_SESSION: the session completes and a CDR arrives, priced by T1.
            station.connectors[1].meter_wh = 11000.0
            answer = await command(box, "STOP_SESSION", "stop-1", {"session_id": session["id"]})
            assert answer["result"] == "ACCEPTED"
            await result(box, "stop-1", "ACCEPTED")
            done = await box.received(
                ModuleID.sessions, session["id"], lambda s: s["status"] == "COMPLETED"
            )
            assert done["kwh"] == 10.0
            cdr = await box.received(ModuleID.cdrs, session["id"])
            assert cdr["total_energy"] == 10.0
            if ocpi_version == "2.1.1":
                assert cdr["total_cost"] == 3.5
                assert cdr["location"]["evses"][0]["uid"] == evse_uid
            elif ocpi_version == "2.2.1":
                assert cdr["total_cost"] == {"excl_vat": 3.5, "incl_vat": 3.85}
                assert cdr["cdr_location"]["evse_uid"] == evse_uid
            else:
                assert cdr["total_cost"]["before_taxes"] == 3.5
                assert sum(t["amount"] for t in cdr["total_cost"]["taxes"]) == pytest.approx(0.35)
            # The CPO's own Sender lists the session and the CDR too.
            # (in the eMSP's version, valid against its models)
            sessions = [s async for s in box.to_cpo.pull(ModuleID.sessions)]
            assert [s["id"] for s in sessions] == [session["id"]]
            validated("sessions", "Session", ocpi_version, sessions[0])
            cdrs = [c async for c in box.to_cpo.pull(ModuleID.cdrs)]
            assert [c["id"] for c in cdrs] == [session["id"]]
            assert validated("cdrs", "CDR", ocpi_version, cdrs[0])["total_energy"] == 10.0

            # UNLOCK_CONNECTOR.
            answer = await command(
                box,
                "UNLOCK_CONNECTOR",
                "unlock-1",
                {"location_id": cp_id, "evse_uid": evse_uid, "connector_id": "1"},
            )
            assert answer["result"] == "ACCEPTED"
            await result(box, "unlock-1", "ACCEPTED")

            # RESERVE_NOW: accepted, the EVSE turns RESERVED; CANCEL_RESERVATION (2.2.1+).
            expiry = format_datetime(datetime.now(UTC) + timedelta(hours=1))
            answer = await command(
                box,
                "RESERVE_NOW",
                "reserve-1",
                {
                    "token": token(uid, ocpi_version),
                    "expiry_date": expiry,
                    # (an integer in 2.1.1, a string since 2.2)
                    "reservation_id": 1 if ocpi_version == "2.1.1" else "R1",
                    "location_id": cp_id,
                    "evse_uid": evse_uid,
                },
            )
            assert answer["result"] == "ACCEPTED"
            await result(box, "reserve-1", "ACCEPTED")
            await box.received(
                ModuleID.locations, cp_id, lambda loc: evse_status(loc, evse_uid) == "RESERVED"
            )
            if ocpi_version != "2.1.1":
                answer = await command(
                    box, "CANCEL_RESERVATION", "cancel-1", {"reservation_id": "R1"}
                )
                assert answer["result"] == "ACCEPTED"
                await result(box, "cancel-1", "ACCEPTED")
                await result(box, "reserve-1", "CANCELED_RESERVATION")
                await box.received(
                    ModuleID.locations, cp_id, lambda loc: evse_status(loc, evse_uid) == "AVAILABLE"
                )

            # Real-time authorization of a token the CPO does not know, within the budget.
            box.emsp_store.objects[(ModuleID.tokens, "RTA1")] = token("RTA1", ocpi_version)
            started = time.monotonic()
            assert await station.authorize("RTA1") == "Accepted"
            assert time.monotonic() - started < box.bridge.settings.authorization_budget
            assert await station.authorize("NOBODY") in ("Invalid", "Unknown")


async def profiles(box: Box, session_id: str) -> None:
    profile = {
        "charging_rate_unit": "W",
        "charging_profile_period": [{"start_period": 0, "limit": 7400}],
    }
    url = charging_profile_response_url(box.emsp_app, box.version, "set-1")
    answer = await set_charging_profile(box.to_cpo, session_id, profile, url)
    assert answer["result"] == "ACCEPTED"
    stored = await box.received(ModuleID.charging_profile, "set-1")
    assert stored["result"] == "ACCEPTED"
    url = charging_profile_response_url(box.emsp_app, box.version, "get-1")
    answer = await get_active_charging_profile(box.to_cpo, session_id, 900, url)
    assert answer["result"] == "ACCEPTED"
    active = await box.received(ModuleID.charging_profile, "get-1")
    assert active["result"] == "ACCEPTED"
    periods = active["profile"]["charging_profile"]["charging_profile_period"]
    assert periods[0]["limit"] == 7400
    url = charging_profile_response_url(box.emsp_app, box.version, "clear-1")
    answer = await delete_charging_profile(box.to_cpo, session_id, url)
    assert answer["result"] == "ACCEPTED"
    cleared = await box.received(ModuleID.charging_profile, "clear-1")
    assert cleared["result"] == "ACCEPTED"


@pytest.mark.parametrize("ocpp_version", OCPP_VERSIONS)
async def test_offline_station_turns_unknown_and_comes_back(
    loopback: Any, ocpp_version: str
) -> None:
    async with started_box(loopback, "2.2.1", offline_after=0.4) as box:

        async def shown(status: str) -> None:
            await box.received(
                ModuleID.locations, "CP-OFF", lambda loc: evse_status(loc, "CP-OFF-1") == status
            )

        station = SimulatedStation(box.ws_url, "CP-OFF", ocpp_version, call_timeout=5)
        async with station:
            await station.boot()
            await shown("AVAILABLE")
            # Connected but silent for longer than offline_after ...
            await shown("UNKNOWN")
            # ... back with its next message, even a Heartbeat.
            await station.heartbeat()
            await shown("AVAILABLE")
        # Gone.
        await shown("UNKNOWN")
        pulled = await box.to_cpo.get(ModuleID.locations, "CP-OFF")
        assert evse_status(pulled, "CP-OFF-1") == "UNKNOWN"
        async with SimulatedStation(box.ws_url, "CP-OFF", ocpp_version, call_timeout=5) as again:
            await again.boot()
            await shown("AVAILABLE")


@pytest.mark.parametrize("ocpp_version", OCPP_VERSIONS)
async def test_failed_push_is_retried(loopback: Any, ocpp_version: str) -> None:
    async with (
        started_box(loopback, "2.2.1") as box,
        SimulatedStation(box.ws_url, "CP-R", ocpp_version, call_timeout=5) as station,
    ):
        await station.boot()
        await box.received(
            ModuleID.locations, "CP-R", lambda loc: evse_status(loc, "CP-R-1") == "AVAILABLE"
        )
        await box.emsp.stop()  # the eMSP is down ...
        await station.set_status(1, "Faulted")
        outbox = box.bridge.outbox
        await eventually(lambda: outbox.retries >= 2)  # failed, and failed again
        location = box.emsp_store.objects[(ModuleID.locations, "CP-R")]
        assert evse_status(location, "CP-R-1") == "AVAILABLE"
        await box.restart_emsp()  # ... and back: the PATCH arrives.
        await box.received(
            ModuleID.locations, "CP-R", lambda loc: evse_status(loc, "CP-R-1") == "OUTOFORDER"
        )
        await outbox.join()
        assert outbox.pending() == 0


async def test_emsp_down_answers_per_whitelist(loopback: Any) -> None:
    """(An eMSP that is up but too slow: ``test_bridge_authorization.py``.)"""
    whitelist, expected = "NEVER", "Invalid"
    async with started_box(loopback, "2.2.1") as box:
        await box.to_cpo.put(ModuleID.tokens, token("W1", "2.2.1", whitelist), "DE", "MSP", "W1")
        async with SimulatedStation(box.ws_url, "CP-W", "1.6", call_timeout=5) as station:
            await station.boot()
            # Reachable: the eMSP decides (it knows the token).
            box.emsp_store.objects[(ModuleID.tokens, "W1")] = token("W1", "2.2.1", whitelist)
            assert await station.authorize("W1") == "Accepted"
            await box.emsp.stop()
            started = time.monotonic()
            assert await station.authorize("W1") == expected
            assert time.monotonic() - started < box.bridge.settings.authorization_budget
