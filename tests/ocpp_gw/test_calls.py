"""CSMS-initiated calls over real WebSockets: queueing, timeouts, crossing calls, typed errors."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import orjson
import pytest
from gw_support import simple_tables
from ocpp.routing import on
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call_result as call_result16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call_result as call_result201
from websockets.asyncio.client import ClientConnection, connect

from ocpp_gw import (
    CallTimeoutError,
    ChargerNotConnected,
    ConnectionClosedError,
    GatewaySettings,
    InvalidCallError,
    MemoryChargerRegistry,
    MemoryCommandBus,
    OCPPGateway,
)
from ocpp_gw.exceptions import (
    InvalidResponseError,
    NotSupportedError,
    OccurrenceConstraintViolationError,
    TypeConstraintViolationError,
)
from ocpp_gw.handlers.base import CallContext, HandlerTable, OCPPVersion

Serve = Callable[..., Any]
MakeGateway = Callable[..., OCPPGateway]


async def recv(ws: ClientConnection, timeout: float = 5) -> list[Any]:
    frame: list[Any] = orjson.loads(await asyncio.wait_for(ws.recv(), timeout))
    return frame


async def send(ws: ClientConnection, frame: list[Any]) -> None:
    await ws.send(orjson.dumps(frame).decode())


async def wait_connected(gateway: OCPPGateway, cp: str) -> None:
    for _ in range(200):
        if gateway.connection(cp) is not None:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{cp} never connected")


@pytest.fixture
async def station(make_gateway: MakeGateway, serve: Serve) -> Any:
    """A raw 1.6 station on a running gateway: ``(gateway, websocket)``."""
    gateway = make_gateway(call_timeout=2.0)
    server = await serve(gateway)
    async with connect(server.ws_url("CP1"), subprotocols=["ocpp1.6"]) as ws:  # type: ignore[list-item]
        await wait_connected(gateway, "CP1")
        yield gateway, ws


# -- with the ocpp package's client -------------------------------------------------------------


class Station16(ChargePoint16):  # type: ignore[misc]
    @on("Reset")  # type: ignore[untyped-decorator]
    async def on_reset(self, type: str, **kwargs: Any) -> Any:
        return call_result16.Reset(status="Accepted" if type == "Soft" else "Rejected")


class Station201(ChargePoint201):  # type: ignore[misc]
    @on("RequestStartTransaction")  # type: ignore[untyped-decorator]
    async def on_start(self, id_token: dict[str, Any], remote_start_id: int, **kw: Any) -> Any:
        return call_result201.RequestStartTransaction(status="Accepted", transaction_id="T-1")

    @on("Reset")  # type: ignore[untyped-decorator]
    async def on_reset(self, type: str, **kwargs: Any) -> Any:
        return call_result201.Reset(status="Scheduled")


@pytest.mark.parametrize(
    ("subprotocol", "station_class"), [("ocpp1.6", Station16), ("ocpp2.0.1", Station201)]
)
async def test_calls_to_an_ocpp_package_station(
    make_gateway: MakeGateway, serve: Serve, subprotocol: str, station_class: type[Any]
) -> None:
    gateway = make_gateway()
    server = await serve(gateway)
    async with connect(server.ws_url("CP1"), subprotocols=[subprotocol]) as ws:  # type: ignore[list-item]
        station = station_class("CP1", ws)
        runner = asyncio.create_task(station.start())
        try:
            await wait_connected(gateway, "CP1")
            if subprotocol == "ocpp1.6":
                assert await gateway.call("CP1", "Reset", {"type": "Soft"}) == {
                    "status": "Accepted"
                }
                assert await gateway.reset("CP1", hard=True) == "Rejected"
            else:
                assert await gateway.reset("CP1") == "Scheduled"
                assert await gateway.remote_start("CP1", "TOKEN", evse_id=1) == "Accepted"
        finally:
            runner.cancel()


# -- raw station: the rules -------------------------------------------------------------------


async def test_one_call_in_flight_others_queued_in_order(station: Any) -> None:
    gateway, ws = station
    calls = [
        asyncio.create_task(gateway.call("CP1", "DataTransfer", {"vendorId": "v", "data": str(n)}))
        for n in range(3)
    ]
    seen = []
    for n in range(3):
        frame = await recv(ws)
        assert frame[2:] == ["DataTransfer", {"vendorId": "v", "data": str(n)}]
        # nothing else is sent while this CALL is unanswered
        with pytest.raises(TimeoutError):
            await recv(ws, timeout=0.15)
        seen.append(frame[1])
        await send(ws, [3, frame[1], {"status": "Accepted", "data": f"r{n}"}])
    results = await asyncio.gather(*calls)
    assert [r["data"] for r in results] == ["r0", "r1", "r2"]
    assert len(set(seen)) == 3


async def test_crossing_calls(station: Any) -> None:
    """The station sends its own CALL while ours is in flight; both complete."""
    gateway, ws = station
    pending = asyncio.create_task(gateway.call("CP1", "Reset", {"type": "Soft"}))
    ours = await recv(ws)
    await send(ws, [2, "st-1", "Heartbeat", {}])
    assert await recv(ws) == [3, "st-1", {"currentTime": "2024-01-01T00:00:00Z"}]
    await send(ws, [3, ours[1], {"status": "Accepted"}])
    assert await pending == {"status": "Accepted"}


async def test_handler_may_call_the_station(make_gateway: MakeGateway, serve: Serve) -> None:
    def extra(table: HandlerTable) -> None:
        @table.on("BootNotification")
        async def boot(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
            config = await ctx.gateway.call(ctx.charge_point_id, "GetConfiguration", {})
            interval = int(config["configurationKey"][0]["value"])
            return {
                "status": "Accepted",
                "currentTime": "2024-01-01T00:00:00Z",
                "interval": interval,
            }

    server = await serve(make_gateway(handlers=simple_tables(extra)))
    async with connect(server.ws_url("CP1"), subprotocols=["ocpp1.6"]) as ws:  # type: ignore[list-item]
        await send(
            ws, [2, "b", "BootNotification", {"chargePointVendor": "v", "chargePointModel": "m"}]
        )
        get_config = await recv(ws)
        assert get_config[2] == "GetConfiguration"
        key = {"key": "HeartbeatInterval", "readonly": False, "value": "77"}
        await send(ws, [3, get_config[1], {"configurationKey": [key]}])
        assert (await recv(ws))[:2] == [3, "b"]


async def test_timeout_then_next_call_proceeds(station: Any) -> None:
    gateway, ws = station
    with pytest.raises(CallTimeoutError) as info:
        await gateway.call("CP1", "Reset", {"type": "Soft"}, timeout=0.2)
    assert isinstance(info.value, TimeoutError)
    assert info.value.charge_point_id == "CP1"
    late = await recv(ws)
    follow_up = asyncio.create_task(gateway.call("CP1", "Reset", {"type": "Hard"}))
    # the answer to the timed-out call arrives late and is dropped
    await send(ws, [3, late[1], {"status": "Rejected"}])
    frame = await recv(ws)
    assert frame[3] == {"type": "Hard"}
    await send(ws, [3, frame[1], {"status": "Accepted"}])
    assert await follow_up == {"status": "Accepted"}


async def test_queued_call_times_out_without_being_sent(station: Any) -> None:
    gateway, ws = station
    first = asyncio.create_task(gateway.call("CP1", "Reset", {"type": "Soft"}, timeout=2))
    frame = await recv(ws)
    with pytest.raises(CallTimeoutError):
        await gateway.call("CP1", "Reset", {"type": "Hard"}, timeout=0.1)
    await send(ws, [3, frame[1], {"status": "Accepted"}])
    assert await first == {"status": "Accepted"}
    with pytest.raises(TimeoutError):
        await recv(ws, timeout=0.2)  # the timed-out queued call was never sent


async def test_callerror_raises_typed_exception(station: Any) -> None:
    gateway, ws = station
    pending = asyncio.create_task(gateway.call("CP1", "Reset", {"type": "Soft"}))
    frame = await recv(ws)
    await send(ws, [4, frame[1], "NotSupported", "no resets here", {"reason": "test"}])
    with pytest.raises(NotSupportedError) as info:
        await pending
    assert (info.value.code, info.value.description, info.value.details) == (
        "NotSupported",
        "no resets here",
        {"reason": "test"},
    )
    pending = asyncio.create_task(gateway.call("CP1", "Reset", {"type": "Soft"}))
    frame = await recv(ws)
    await send(ws, [4, frame[1], "OccurenceConstraintViolation", "", {}])  # 1.6 spelling
    with pytest.raises(OccurrenceConstraintViolationError):
        await pending


async def test_invalid_response_raises(station: Any) -> None:
    gateway, ws = station
    pending = asyncio.create_task(gateway.call("CP1", "Reset", {"type": "Soft"}))
    frame = await recv(ws)
    await send(ws, [3, frame[1], {"status": "Perhaps"}])
    with pytest.raises(InvalidResponseError):
        await pending


async def test_21_invalid_response_gets_a_callresulterror(
    make_gateway: MakeGateway, serve: Serve
) -> None:
    gateway = make_gateway()
    server = await serve(gateway)
    async with connect(server.ws_url("CP1"), subprotocols=["ocpp2.1"]) as ws:  # type: ignore[list-item]
        await wait_connected(gateway, "CP1")
        pending = asyncio.create_task(gateway.call("CP1", "Reset", {"type": "Immediate"}))
        frame = await recv(ws)
        await send(ws, [3, frame[1], {"status": 3}])
        with pytest.raises(InvalidResponseError) as info:
            await pending
        assert isinstance(info.value.violation, TypeConstraintViolationError)
        assert (await recv(ws))[:3] == [5, frame[1], "TypeConstraintViolation"]


async def test_invalid_payload_raises_before_sending(station: Any) -> None:
    gateway, ws = station
    with pytest.raises(InvalidCallError) as info:
        await gateway.call("CP1", "Reset", {"type": 1})
    assert isinstance(info.value.violation, TypeConstraintViolationError)
    with pytest.raises(InvalidCallError):  # a 2.x action on a 1.6 station
        await gateway.call("CP1", "RequestStartTransaction", {})
    with pytest.raises(TimeoutError):
        await recv(ws, timeout=0.2)  # nothing was sent


async def test_unknown_station(make_gateway: MakeGateway) -> None:
    gateway = make_gateway()
    with pytest.raises(ChargerNotConnected):
        await gateway.call("nobody", "Reset", {"type": "Soft"})
    with pytest.raises(ChargerNotConnected):
        await gateway.reset("nobody")


async def test_disconnect_fails_the_call_in_flight(station: Any) -> None:
    gateway, ws = station
    pending = asyncio.create_task(gateway.call("CP1", "Reset", {"type": "Soft"}))
    await recv(ws)
    await ws.close()
    with pytest.raises(ConnectionClosedError):
        await pending


async def test_call_reaches_a_station_held_by_another_node(
    make_gateway: MakeGateway, serve: Serve
) -> None:
    registry, bus = MemoryChargerRegistry(), MemoryCommandBus()
    node_a = OCPPGateway(
        settings=GatewaySettings(
            accept_unknown_chargers=True, node_id="a", precompile_schemas=False
        ),
        handlers=simple_tables(),
        registry=registry,
        bus=bus,
    )
    node_b = OCPPGateway(
        settings=GatewaySettings(node_id="b", precompile_schemas=False),
        handlers=simple_tables(),
        registry=registry,
        bus=bus,
    )
    server = await serve(node_a)
    await node_b.start()
    try:
        async with connect(server.ws_url("CP1"), subprotocols=["ocpp1.6"]) as ws:  # type: ignore[list-item]
            await wait_connected(node_a, "CP1")
            assert node_b.connection("CP1") is None
            pending = asyncio.create_task(node_b.call("CP1", "Reset", {"type": "Soft"}))
            frame = await recv(ws)
            await send(ws, [3, frame[1], {"status": "Accepted"}])
            assert await pending == {"status": "Accepted"}
            assert await node_b.version_of("CP1") is OCPPVersion.v16
            with pytest.raises(InvalidCallError):  # validated on the calling node too
                await node_b.call("CP1", "Reset", {"type": "Sideways"})
    finally:
        await node_b.stop()


async def test_21_send_goes_out_even_with_a_call_in_flight(
    make_gateway: MakeGateway, serve: Serve
) -> None:
    gateway = make_gateway()
    server = await serve(gateway)
    payload = {"id": 1, "pending": 0, "basetime": "2024-01-01T00:00:00Z", "data": []}
    payload["data"] = [{"t": 0, "v": "1"}]
    async with connect(server.ws_url("CP1"), subprotocols=["ocpp2.1"]) as ws:  # type: ignore[list-item]
        await wait_connected(gateway, "CP1")
        pending = asyncio.create_task(gateway.call("CP1", "Reset", {"type": "Immediate"}))
        call = await recv(ws)
        await gateway.send("CP1", "NotifyPeriodicEventStream", payload)
        sent = await recv(ws)
        assert sent[0] == 6 and sent[2:] == ["NotifyPeriodicEventStream", payload]
        assert sent[1] != call[1]
        await send(ws, [3, call[1], {"status": "Accepted"}])
        assert await pending == {"status": "Accepted"}
        with pytest.raises(InvalidCallError):  # a SEND-only message cannot be a CALL
            await gateway.call("CP1", "NotifyPeriodicEventStream", payload)


async def test_send_does_not_exist_before_21(station: Any) -> None:
    gateway, _ = station
    with pytest.raises(InvalidCallError):
        await gateway.send("CP1", "NotifyPeriodicEventStream", {})


@pytest.mark.parametrize("subprotocol", ["ocpp1.6", "ocpp2.0.1"])
async def test_ocpp_package_station_boots_against_default_handlers(
    serve: Serve, subprotocol: str
) -> None:
    """The ``ocpp`` package as the station, the built-in handlers as the CSMS."""
    from ocpp.v16 import call as call16
    from ocpp.v201 import call as call201

    gateway = OCPPGateway(
        settings=GatewaySettings(accept_unknown_chargers=True, precompile_schemas=False)
    )
    server = await serve(gateway)
    async with connect(server.ws_url("CP1"), subprotocols=[subprotocol]) as ws:  # type: ignore[list-item]
        station = (Station16 if subprotocol == "ocpp1.6" else Station201)("CP1", ws)
        runner = asyncio.create_task(station.start())
        try:
            if subprotocol == "ocpp1.6":
                boot = call16.BootNotification(charge_point_vendor="ACME", charge_point_model="X")
            else:
                boot = call201.BootNotification(
                    charging_station={"model": "X", "vendor_name": "ACME"}, reason="PowerUp"
                )
            result = await station.call(boot)
            assert result.status == "Accepted"
            assert result.interval > 0
            record = await gateway.state.get_station("CP1")
            assert record is not None and record.vendor == "ACME"
        finally:
            runner.cancel()
