"""Station mapping over the REST API, status aggregation and Session PATCH throttling."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from examples.memory_backend import create_app
from ocpi import ModuleID, RoleEnum, VersionNumber
from ocpp_gw.bridge.tables import EVSE_STATUS, evse_status
from ocpp_gw.handlers.base import utc_now_iso
from ocpp_gw.simulator import SimulatedStation
from tests.bridge.bridge_box import API_HEADERS, MODULES, eventually, started_box, token


def status_of(location: dict[str, Any], uid: str) -> str:
    """The EVSE's status ("" while the location does not list it yet)."""
    for evse in location.get("evses") or []:
        if evse["uid"] == uid:
            status: str = evse["status"]
            return status
    return ""


def test_every_station_status_has_an_ocpi_status() -> None:
    ocpi = {"AVAILABLE", "CHARGING", "RESERVED", "INOPERATIVE", "OUTOFORDER", "BLOCKED"}
    for version, table in EVSE_STATUS.items():
        assert set(table.values()) <= ocpi, version
    assert set(EVSE_STATUS["1.6"]) == {
        "Available",
        "Preparing",
        "Charging",
        "SuspendedEV",
        "SuspendedEVSE",
        "Finishing",
        "Reserved",
        "Unavailable",
        "Faulted",
    }
    # One busy connector makes the whole EVSE busy; unknown words are UNKNOWN.
    assert evse_status("2.0.1", ["Available", "Occupied"]) == "CHARGING"
    assert evse_status("2.0.1", ["Faulted", "Available"]) == "AVAILABLE"
    assert evse_status("1.6", ["Weird"]) == "UNKNOWN"


async def test_rest_mapping_edits_republish_the_location(loopback: Any) -> None:
    async with (
        started_box(loopback, "2.2.1") as box,
        httpx.AsyncClient(base_url=box.cpo.url, headers=API_HEADERS) as api,
        SimulatedStation(box.ws_url, "CP-M", "2.0.1", connectors=2) as station,
    ):
        await station.boot()
        await box.received(ModuleID.locations, "CP-M", lambda loc: len(loc.get("evses") or []) == 2)
        view = (await api.get("/api/bridge/stations/CP-M")).json()
        assert view["ocpp_version"] == "2.0.1" and view["location_id"] == "CP-M"
        assert [e["status"] for e in view["evses"]] == ["AVAILABLE", "AVAILABLE"]
        assert (await api.get("/api/bridge/stations/NOPE")).status_code == 404
        async with httpx.AsyncClient(base_url=box.cpo.url) as anonymous:
            assert (await anonymous.get("/api/bridge/stations")).status_code == 401

        # A second connector on EVSE 1 (2.x) joins the EVSE; busy wins.
        await station.call(
            "StatusNotification",
            {
                "timestamp": utc_now_iso(),
                "connectorStatus": "Occupied",
                "evseId": 1,
                "connectorId": 2,
            },
        )
        location = await box.received(
            ModuleID.locations, "CP-M", lambda loc: status_of(loc, "CP-M-1") == "CHARGING"
        )
        evse = next(e for e in location["evses"] if e["uid"] == "CP-M-1")
        assert [c["id"] for c in evse["connectors"]] == ["1", "2"]

        # New ids and data: the old location is retired, the new one published.
        answer = await api.put(
            "/api/bridge/stations/CP-M",
            json={
                "location_id": "LOC-M",
                "address": "Main Street 1",
                "postal_code": "1000 AA",
                "evses": {
                    "2": {
                        "uid": "M-2",
                        "evse_id": "NL*CPO*EM2",
                        "connectors": {"1": {"standard": "IEC_62196_T2_COMBO", "power_type": "DC"}},
                    }
                },
            },
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["location_id"] == "LOC-M"
        new = await box.received(ModuleID.locations, "LOC-M")
        assert new["address"] == "Main Street 1"
        assert {e["uid"] for e in new["evses"]} == {"CP-M-1", "M-2"}
        dc = next(e for e in new["evses"] if e["uid"] == "M-2")
        assert dc["evse_id"] == "NL*CPO*EM2"
        assert dc["connectors"][0]["power_type"] == "DC"
        old = await box.received(
            ModuleID.locations, "CP-M", lambda loc: status_of(loc, "CP-M-1") == "REMOVED"
        )
        assert old["publish"] is False
        stored = box.cpo_store.objects[(ModuleID.locations, "LOC-M")]
        assert stored["evses"][0]["uid"] == "CP-M-1"
        outbox = (await api.get("/api/bridge/outbox")).json()
        assert outbox["delivered"] >= 4 and outbox["pending"] == 0


async def test_station_wide_status_of_a_16_charge_point(loopback: Any) -> None:
    async with (
        started_box(loopback, "2.2.1") as box,
        SimulatedStation(box.ws_url, "CP-Z", "1.6", connectors=2) as station,
    ):
        await station.boot()
        await box.received(ModuleID.locations, "CP-Z", lambda loc: len(loc.get("evses") or []) == 2)
        # Connector 0 is the whole charge point.
        await station.call(
            "StatusNotification",
            {
                "connectorId": 0,
                "errorCode": "NoError",
                "status": "Unavailable",
                "timestamp": utc_now_iso(),
            },
        )
        await box.received(
            ModuleID.locations,
            "CP-Z",
            lambda loc: {e["status"] for e in loc["evses"]} == {"INOPERATIVE"},
        )
        await station.call(
            "StatusNotification",
            {
                "connectorId": 0,
                "errorCode": "NoError",
                "status": "Available",
                "timestamp": utc_now_iso(),
            },
        )
        await box.received(
            ModuleID.locations,
            "CP-Z",
            lambda loc: {e["status"] for e in loc["evses"]} == {"AVAILABLE"},
        )


@pytest.mark.parametrize("ocpp_version", ["1.6", "2.0.1"])
async def test_session_patches_are_throttled(loopback: Any, ocpp_version: str) -> None:
    async with (
        started_box(loopback, "2.2.1", session_patch_interval=0.3) as box,
        SimulatedStation(box.ws_url, "CP-T", ocpp_version, power_w=0.0) as station,
    ):
        await station.boot()
        await box.to_cpo.put(ModuleID.tokens, token("THR", "2.2.1"), "DE", "MSP", "THR")
        await station.start_transaction("THR", 1)
        for kwh in range(1, 6):  # five meter values in quick succession
            station.connectors[1].meter_wh = kwh * 1000.0
            await station.send_meter_values(1)
        objects = box.emsp_store.objects
        await eventually(lambda: any(module == ModuleID.sessions for module, _ in objects))
        (session_id,) = [key for (module, key) in objects if module == ModuleID.sessions]
        # Five updates within the interval: one PATCH, carrying the last value.
        outbox = box.bridge.outbox

        def patches() -> int:
            return sum(1 for _, d in outbox.recent if d.startswith("PATCH session"))

        await eventually(lambda: patches() == 1)
        await box.received(ModuleID.sessions, session_id, lambda s: s["kwh"] == 5.0)
        await asyncio.sleep(0.4)
        assert patches() == 1


async def test_a_partner_registering_later_gets_whole_locations(loopback: Any) -> None:
    async with (
        started_box(loopback, "2.2.1") as box,
        SimulatedStation(box.ws_url, "CP-N", "1.6") as station,
        httpx.AsyncClient(base_url=box.cpo.url, headers=API_HEADERS) as api,
    ):
        await station.boot()
        await box.received(ModuleID.locations, "CP-N", lambda loc: bool(loc.get("evses")))
        late = loopback()
        late_app, late_store = create_app(
            late.settings(COUNTRY_CODE="BE", PARTY_ID="LAT"),
            [RoleEnum.emsp],
            [VersionNumber.v_2_1_1],
            modules=MODULES,
        )
        await late.start(late_app)
        await late_store.register_with(f"{box.cpo.url}/ocpi/versions", box.cpo_store.new_token_a())
        # The next status change reaches the newcomer as a whole Location (in 2.1.1).
        await station.set_status(1, "Unavailable")
        await eventually(lambda: (ModuleID.locations, "CP-N") in late_store.objects)
        location = late_store.objects[(ModuleID.locations, "CP-N")]
        assert status_of(location, "CP-N-1") == "INOPERATIVE"
        assert "country_code" not in location and location["type"] == "UNKNOWN"
        await box.received(
            ModuleID.locations, "CP-N", lambda loc: status_of(loc, "CP-N-1") == "INOPERATIVE"
        )
        # Everything again, on request.
        answer = await api.post("/api/bridge/resend")
        assert answer.json() == {"queued": 2}


async def test_availability_reported_by_notify_event(loopback: Any) -> None:
    async with (
        started_box(loopback, "2.2.1") as box,
        SimulatedStation(box.ws_url, "CP-E", "2.1") as station,
    ):
        await station.boot()
        await box.received(
            ModuleID.locations, "CP-E", lambda loc: status_of(loc, "CP-E-1") == "AVAILABLE"
        )
        await station.call(
            "NotifyEvent",
            {
                "generatedAt": utc_now_iso(),
                "seqNo": 0,
                "eventData": [
                    {
                        "eventId": 1,
                        "timestamp": utc_now_iso(),
                        "trigger": "Delta",
                        "actualValue": "Faulted",
                        "eventNotificationType": "HardWiredNotification",
                        "component": {"name": "Connector", "evse": {"id": 1, "connectorId": 1}},
                        "variable": {"name": "AvailabilityState"},
                    }
                ],
            },
        )
        await box.received(
            ModuleID.locations, "CP-E", lambda loc: status_of(loc, "CP-E-1") == "OUTOFORDER"
        )
