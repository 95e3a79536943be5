"""Sessions from transactions the simulator's happy path does not cover, and OCPP 2.1.

Tariff T1: 1.00 start fee + 0.25/kWh, plus 10 % VAT.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from examples.memory_backend import MemoryStore, make_crud
from ocpi import Action, ModuleID
from ocpi.core.data_types import format_datetime
from ocpi.modules.commands import command_response_url, send_command
from ocpp_gw.bridge import StationConfig
from ocpp_gw.handlers.base import utc_now_iso
from ocpp_gw.simulator import SimulatedStation
from tests.bridge.bridge_box import eventually, started_box, token


def register(value: float, context: str) -> list[dict[str, Any]]:
    return [
        {
            "timestamp": utc_now_iso(),
            "sampledValue": [
                {
                    "value": value,
                    "context": context,
                    "measurand": "Energy.Active.Import.Register",
                    "unitOfMeasure": {"unit": "Wh"},
                }
            ],
        }
    ]


async def test_token_presented_after_the_cable(loopback: Any) -> None:
    """2.0.1: plugged in first (no token), authorized later: the Session starts with the token."""
    async with (
        started_box(loopback, "2.2.1") as box,
        SimulatedStation(box.ws_url, "CP-L", "2.0.1") as station,
    ):
        box.bridge.stations.set_config("CP-L", StationConfig(tariff_ids=["T1"]))
        await station.boot()
        await box.to_cpo.put(ModuleID.tokens, token("LATE1", "2.2.1"), "DE", "MSP", "LATE1")
        base = {"transactionInfo": {"transactionId": "TX-LATE"}}
        await station.call(
            "TransactionEvent",
            {
                "eventType": "Started",
                "timestamp": utc_now_iso(),
                "triggerReason": "CablePluggedIn",
                "seqNo": 0,
                "transactionInfo": {"transactionId": "TX-LATE", "chargingState": "EVConnected"},
                "evse": {"id": 1, "connectorId": 1},
                "meterValue": register(100, "Transaction.Begin"),
            },
        )
        assert not any(m == ModuleID.sessions for m, _ in box.cpo_store.objects)
        answer = await station.call(
            "TransactionEvent",
            {
                **base,
                "eventType": "Updated",
                "timestamp": utc_now_iso(),
                "triggerReason": "Authorized",
                "seqNo": 1,
                "idToken": {"idToken": "LATE1", "type": "ISO14443"},
            },
        )
        assert answer["idTokenInfo"]["status"] == "Accepted"
        await station.call(
            "TransactionEvent",
            {
                "eventType": "Ended",
                "timestamp": utc_now_iso(),
                "triggerReason": "EVDeparted",
                "seqNo": 2,
                "transactionInfo": {"transactionId": "TX-LATE", "stoppedReason": "EVDisconnected"},
                "meterValue": register(2100, "Transaction.End"),
            },
        )
        objects = box.emsp_store.objects
        await eventually(lambda: any(m == ModuleID.cdrs for m, _ in objects))
        (cdr,) = [o for (m, _), o in objects.items() if m == ModuleID.cdrs]
        assert cdr["cdr_token"]["uid"] == "LATE1" and cdr["auth_method"] == "WHITELIST"
        # 2 kWh: 1.00 + 2 × 0.25 = 1.50, incl. VAT 1.65
        assert cdr["total_energy"] == 2.0
        assert cdr["total_cost"] == {"excl_vat": 1.5, "incl_vat": 1.65}


async def test_ocpp_21_station_remote_start_and_stop(loopback: Any) -> None:
    async with (
        started_box(loopback, "2.3.0") as box,
        SimulatedStation(box.ws_url, "CP-21", "2.1", power_w=0.0) as station,
    ):
        await station.boot()
        await box.received(ModuleID.locations, "CP-21", lambda loc: bool(loc.get("evses")))
        url = command_response_url(box.emsp_app, "2.3.0", "START_SESSION", "s21")
        answer = await send_command(
            box.to_cpo,
            "START_SESSION",
            {
                "response_url": url,
                "token": token("T21", "2.3.0"),
                "location_id": "CP-21",
                "evse_uid": "CP-21-1",
                "authorization_reference": "REF-21",
            },
        )
        assert answer["result"] == "ACCEPTED"
        await box.received(ModuleID.commands, "s21", lambda r: r["result"] == "ACCEPTED")
        objects = box.emsp_store.objects
        await eventually(lambda: any(m == ModuleID.sessions for m, _ in objects))
        (session,) = [o for (m, _), o in objects.items() if m == ModuleID.sessions]
        assert session["authorization_reference"] == "REF-21"
        assert session["auth_method"] == "COMMAND"
        url = command_response_url(box.emsp_app, "2.3.0", "STOP_SESSION", "x21")
        await send_command(
            box.to_cpo, "STOP_SESSION", {"response_url": url, "session_id": session["id"]}
        )
        await box.received(ModuleID.commands, "x21", lambda r: r["result"] == "ACCEPTED")
        cdr = await box.received(ModuleID.cdrs, session["id"])
        assert cdr["authorization_reference"] == "REF-21"
        assert cdr["total_cost"]["before_taxes"] == 0.0  # no tariff: free
        # Unknown session: answered at once.
        answer = await send_command(
            box.to_cpo, "STOP_SESSION", {"response_url": url, "session_id": "NOPE"}
        )
        assert answer["result"] == "UNKNOWN_SESSION"


def crud_without_client_tokens(store: MemoryStore) -> Any:
    """An integrator Crud that does not know ``Action.get_client_token``."""
    base = type(make_crud(store))

    class NoClientTokens(base):  # type: ignore[valid-type, misc]
        @classmethod
        async def do(cls, module: Any, role: Any, action: Any, *args: Any, **kwargs: Any) -> Any:
            if action == Action.get_client_token:
                raise NotImplementedError
            return await super().do(module, role, action, *args, **kwargs)

    return NoClientTokens()


async def test_client_token_from_the_directory(loopback: Any) -> None:
    """The bridge finds the token to post results with when the integrator's Crud cannot."""
    async with (
        started_box(loopback, "2.2.1", crud=crud_without_client_tokens) as box,
        SimulatedStation(box.ws_url, "CP-C", "1.6") as station,
    ):
        await station.boot()
        await box.received(ModuleID.locations, "CP-C", lambda loc: bool(loc.get("evses")))
        url = command_response_url(box.emsp_app, "2.2.1", "UNLOCK_CONNECTOR", "u1")
        answer = await send_command(
            box.to_cpo,
            "UNLOCK_CONNECTOR",
            {"response_url": url, "location_id": "CP-C", "evse_uid": "CP-C-1", "connector_id": "1"},
        )
        assert answer["result"] == "ACCEPTED"
        await box.received(ModuleID.commands, "u1", lambda r: r["result"] == "ACCEPTED")


async def test_a_reservation_used_by_its_driver(loopback: Any) -> None:
    """RESERVE_NOW, then the driver starts at the station: the session is the eMSP's."""
    async with (
        started_box(loopback, "2.2.1") as box,
        SimulatedStation(box.ws_url, "CP-V", "1.6") as station,
    ):
        await station.boot()
        await box.received(ModuleID.locations, "CP-V", lambda loc: bool(loc.get("evses")))
        url = command_response_url(box.emsp_app, "2.2.1", "RESERVE_NOW", "r1")
        expiry = format_datetime(datetime.now(UTC) + timedelta(minutes=30))
        answer = await send_command(
            box.to_cpo,
            "RESERVE_NOW",
            {
                "response_url": url,
                "token": token("RSV1", "2.2.1"),
                "expiry_date": expiry,
                "reservation_id": "RES-1",
                "location_id": "CP-V",
                "evse_uid": "CP-V-1",
            },
        )
        assert answer["result"] == "ACCEPTED"
        await box.received(ModuleID.commands, "r1", lambda r: r["result"] == "ACCEPTED")
        await station.settle()  # the station marks the connector Reserved
        # The token was never pushed: the reservation is what makes it the eMSP's.
        await station.start_transaction("RSV1", 1)
        objects = box.emsp_store.objects
        await eventually(lambda: any(m == ModuleID.sessions for m, _ in objects))
        (session,) = [o for (m, _), o in objects.items() if m == ModuleID.sessions]
        assert session["cdr_token"]["uid"] == "RSV1" and session["auth_method"] == "COMMAND"
        assert box.bridge.commands.reservations == {}
