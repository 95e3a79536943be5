"""Inbound messages over a real WebSocket: validation and the CALLERROR rules of each version."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import orjson
import pytest
from gw_support import RunningServer, simple_tables
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from ocpp_gw import OCPPGateway
from ocpp_gw.exceptions import SecurityError
from ocpp_gw.handlers.base import CallContext, HandlerTable, OCPPVersion

V16, V201, V21 = OCPPVersion.v16, OCPPVersion.v201, OCPPVersion.v21

BOOT = {
    V16: {"chargePointVendor": "ACME", "chargePointModel": "Fast"},
    V201: {"reason": "PowerUp", "chargingStation": {"model": "Fast", "vendorName": "ACME"}},
    V21: {"reason": "PowerUp", "chargingStation": {"model": "Fast", "vendorName": "ACME"}},
}


async def exchange(ws: ClientConnection, frame: Any) -> list[Any]:
    await ws.send(frame if isinstance(frame, str) else orjson.dumps(frame).decode())
    reply: list[Any] = orjson.loads(await asyncio.wait_for(ws.recv(), 5))
    return reply


async def open_station(server: RunningServer, version: OCPPVersion, cp: str = "CP1") -> Any:
    return connect(server.ws_url(cp), subprotocols=[version.subprotocol])  # type: ignore[list-item]


@pytest.fixture
async def server(
    make_gateway: Callable[..., OCPPGateway], serve: Callable[..., Any]
) -> RunningServer:
    def extra(table: HandlerTable) -> None:
        @table.on("Authorize")
        async def authorize(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
            raise SecurityError("token blocked", {"why": "test"})

        @table.on("DataTransfer")
        async def data_transfer(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
            if payload.get("data") == "crash":
                raise RuntimeError("boom")
            if payload.get("data") == "invalid":
                return {"status": "NotAStatus"}
            if payload.get("data") == "slow":
                await asyncio.sleep(0.3)
            return {"status": "Accepted", "data": payload.get("data")}

    gateway = make_gateway(handlers=simple_tables(extra), bad_message_budget=5)
    result: RunningServer = await serve(gateway)
    return result


@pytest.mark.parametrize("version", list(OCPPVersion))
async def test_valid_call_is_answered(server: RunningServer, version: OCPPVersion) -> None:
    async with await open_station(server, version) as ws:
        reply = await exchange(ws, [2, "b1", "BootNotification", BOOT[version]])
        assert reply == [
            3,
            "b1",
            {"status": "Accepted", "currentTime": "2024-01-01T00:00:00Z", "interval": 300},
        ]


ERRORS = {
    # situation: (frame, {version: (id, code)})
    "bad json": (
        "[2, 'x'",
        {V16: ("-1", "FormationViolation"), V201: ("-1", "RpcFrameworkError")},
    ),
    "not an array": (
        '{"hello": 1}',
        {V16: ("-1", "FormationViolation"), V21: ("-1", "RpcFrameworkError")},
    ),
    "unreadable id": (
        '[2, 17, "Heartbeat", {}]',
        {V16: ("-1", "FormationViolation"), V201: ("-1", "RpcFrameworkError")},
    ),
    "missing payload": (
        '[2, "m1", "Heartbeat"]',
        {V16: ("m1", "ProtocolError"), V201: ("m1", "RpcFrameworkError")},
    ),
    "unknown message type": (
        '[9, "t1", "Heartbeat", {}]',
        {V201: ("t1", "MessageTypeNotSupported"), V21: ("t1", "MessageTypeNotSupported")},
    ),
    "unknown action": (
        '[2, "u1", "BrewCoffee", {}]',
        {V16: ("u1", "NotImplemented"), V201: ("u1", "NotImplemented")},
    ),
    "known action without handler": (
        '[2, "n1", "StatusNotification", {}]',
        {V16: ("n1", "NotSupported"), V21: ("n1", "NotSupported")},
    ),
    "unknown field": (
        '[2, "f1", "Heartbeat", {"extra": true}]',
        {V16: ("f1", "FormationViolation"), V201: ("f1", "FormatViolation")},
    ),
    "missing required field": (
        '[2, "r1", "DataTransfer", {}]',
        {
            V16: ("r1", "OccurenceConstraintViolation"),
            V201: ("r1", "OccurrenceConstraintViolation"),
        },
    ),
    "wrong type": (
        '[2, "y1", "DataTransfer", {"vendorId": 5}]',
        {V16: ("y1", "TypeConstraintViolation"), V21: ("y1", "TypeConstraintViolation")},
    ),
    "value out of range": (
        '[2, "p1", "DataTransfer", {"vendorId": "' + "v" * 300 + '"}]',
        {V16: ("p1", "PropertyConstraintViolation"), V201: ("p1", "PropertyConstraintViolation")},
    ),
    "handler raises a typed error": (
        '[2, "s1", "Authorize", {"idTag": "X"}]',
        {V16: ("s1", "SecurityError")},
    ),
    "handler crashes": (
        '[2, "c1", "DataTransfer", {"vendorId": "v", "data": "crash"}]',
        {V16: ("c1", "InternalError"), V201: ("c1", "InternalError")},
    ),
    "handler returns an invalid result": (
        '[2, "i1", "DataTransfer", {"vendorId": "v", "data": "invalid"}]',
        {V16: ("i1", "InternalError"), V21: ("i1", "InternalError")},
    ),
}
CASES = [
    pytest.param(frame, version, expected, id=f"{name}-{version.value}")
    for name, (frame, per_version) in ERRORS.items()
    for version, expected in per_version.items()
]


@pytest.mark.parametrize(("frame", "version", "expected"), CASES)
async def test_error_rules(
    server: RunningServer, frame: str, version: OCPPVersion, expected: tuple[str, str]
) -> None:
    async with await open_station(server, version) as ws:
        reply = await exchange(ws, frame)
        assert reply[0] == 4
        assert (reply[1], reply[2]) == expected
        assert isinstance(reply[3], str) and isinstance(reply[4], dict)
        # the connection survives a bad frame
        assert (await exchange(ws, [2, "ok", "Heartbeat", {}]))[0] == 3


async def test_handler_error_details_reach_the_station(server: RunningServer) -> None:
    async with await open_station(server, V16) as ws:
        reply = await exchange(ws, [2, "s2", "Authorize", {"idTag": "X"}])
        assert reply == [4, "s2", "SecurityError", "token blocked", {"why": "test"}]
        crash = await exchange(ws, [2, "c2", "DataTransfer", {"vendorId": "v", "data": "crash"}])
        assert "boom" not in crash[3]  # internals stay internal


async def test_16_ignores_unknown_message_types(server: RunningServer) -> None:
    async with await open_station(server, V16) as ws:
        await ws.send('[9, "t1", "Heartbeat", {}]')
        # nothing comes back for the unknown type; the next CALL is answered normally
        assert await exchange(ws, [2, "h", "Heartbeat", {}]) == [
            3,
            "h",
            {"currentTime": "2024-01-01T00:00:00Z"},
        ]


@pytest.mark.parametrize("version", [V16, V201])
async def test_duplicate_message_id_in_progress(
    server: RunningServer, version: OCPPVersion
) -> None:
    async with await open_station(server, version) as ws:
        slow = orjson.dumps([2, "dup", "DataTransfer", {"vendorId": "v", "data": "slow"}])
        await ws.send(slow.decode())
        await ws.send(slow.decode())
        first = orjson.loads(await asyncio.wait_for(ws.recv(), 5))
        second = orjson.loads(await asyncio.wait_for(ws.recv(), 5))
        expected = "ProtocolError" if version is V16 else "RpcFrameworkError"
        assert first[:3] == [4, "dup", expected]  # the duplicate is refused at once
        assert second == [3, "dup", {"status": "Accepted", "data": "slow"}]  # processed once


async def test_21_send_is_processed_without_answer(
    make_gateway: Callable[..., OCPPGateway], serve: Callable[..., Any]
) -> None:
    received: list[dict[str, Any]] = []

    def extra(table: HandlerTable) -> None:
        @table.on("NotifyPeriodicEventStream")
        async def stream(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
            received.append(payload)
            return {}

    server = await serve(make_gateway(handlers=simple_tables(extra)))
    payload = {"id": 1, "pending": 0, "basetime": "2024-01-01T00:00:00Z", "data": []}
    payload["data"] = [{"t": 0, "v": "230.1"}]
    async with await open_station(server, V21) as ws:
        await ws.send(orjson.dumps([6, "s1", "NotifyPeriodicEventStream", payload]).decode())
        # the next answer on the wire is the heartbeat's: nothing answered the SEND
        assert (await exchange(ws, [2, "h", "Heartbeat", {}]))[:2] == [3, "h"]
    assert received == [payload]


async def test_bad_message_budget_closes_the_connection(server: RunningServer) -> None:
    async with await open_station(server, V201) as ws:
        for _ in range(5):  # the budget is 5: all answered, connection kept
            assert (await exchange(ws, "garbage"))[:2] == [4, "-1"]
        await ws.send("garbage")
        await ws.recv()  # the sixth error answer
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 5)
        assert ws.close_code == 1008


async def test_oversized_frame_is_refused_without_closing(
    make_gateway: Callable[..., OCPPGateway], serve: Callable[..., Any]
) -> None:
    # uvicorn's own limit (ws_max_size) closes with 1009; the gateway's check answers instead
    # when the server allows bigger frames than the gateway does.
    server = await serve(make_gateway(max_frame_size=2000), ws_max_size=1_000_000)
    async with await open_station(server, V201) as ws:
        big = [2, "big", "DataTransfer", {"vendorId": "v", "data": "x" * 5000}]
        assert (await exchange(ws, big))[:3] == [4, "-1", "RpcFrameworkError"]
        assert (await exchange(ws, [2, "h", "Heartbeat", {}]))[:2] == [3, "h"]


async def test_handlers_run_concurrently(server: RunningServer) -> None:
    """A slow handler does not hold up the receive loop (the station may pipeline)."""
    async with await open_station(server, V16) as ws:
        await ws.send(orjson.dumps([2, "s", "DataTransfer", {"vendorId": "v", "data": "slow"}]))
        await ws.send(orjson.dumps([2, "h", "Heartbeat", {}]).decode())
        first = orjson.loads(await asyncio.wait_for(ws.recv(), 5))
        assert first[1] == "h"
