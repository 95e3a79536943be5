"""Gateway lifecycle and configuration: shutdown, idle timeout, overrides, settings, exports."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import orjson
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

import ocpp_gw
from ocpp_gw import GatewaySettings, OCPPGateway, create_app
from ocpp_gw.handlers.base import CallContext, HandlerTable, OCPPVersion

Serve = Callable[..., Any]
MakeGateway = Callable[..., OCPPGateway]


def test_public_names() -> None:
    assert ocpp_gw.__all__ == sorted(ocpp_gw.__all__)
    assert {"OCPPGateway", "GatewaySettings", "create_app", "ChargerNotConnected"} <= set(
        ocpp_gw.__all__
    )
    for name in ocpp_gw.__all__:
        assert hasattr(ocpp_gw, name), name


def test_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCPP_VERSIONS", '["ocpp2.0.1", "1.6"]')
    monkeypatch.setenv("OCPP_SECURITY_PROFILES", "[2, 3]")
    monkeypatch.setenv("OCPP_API_TOKEN", "t0ken")
    monkeypatch.setenv("OCPP_PATH_PREFIX", "ws/")
    monkeypatch.setenv("OCPP_TRUSTED_PROXIES", '["10.0.0.0/8"]')
    settings = GatewaySettings()
    assert settings.versions == [OCPPVersion.v201, OCPPVersion.v16]
    assert settings.subprotocols == {"ocpp2.0.1", "ocpp1.6"}
    assert settings.security_profiles == [2, 3]
    assert settings.api_token is not None and settings.api_token.get_secret_value() == "t0ken"
    assert "t0ken" not in repr(settings)
    assert settings.path_prefix == "/ws"
    assert settings.accept_unknown_chargers is False  # off unless asked for
    with pytest.raises(ValueError):
        GatewaySettings(security_profiles=[4])


def test_uvicorn_options_follow_settings() -> None:
    gateway = OCPPGateway(settings=GatewaySettings(max_frame_size=4096, ws_ping_interval=5))
    options = gateway.uvicorn_options()
    assert options["ws_max_size"] >= 4096
    assert options["ws_ping_interval"] == 5
    assert options["ws_per_message_deflate"] is True


async def test_stop_closes_every_connection(make_gateway: MakeGateway, serve: Serve) -> None:
    gateway = make_gateway()
    server = await serve(gateway)
    async with (
        connect(server.ws_url("CP1"), subprotocols=["ocpp1.6"]) as one,  # type: ignore[list-item]
        connect(server.ws_url("CP2"), subprotocols=["ocpp2.0.1"]) as two,  # type: ignore[list-item]
    ):
        for _ in range(200):
            if len(gateway.connections) == 2:
                break
            await asyncio.sleep(0.01)
        await gateway.stop()
        for ws in (one, two):
            with pytest.raises(ConnectionClosed):
                await asyncio.wait_for(ws.recv(), 5)
            assert ws.close_code == 1001
    for _ in range(200):
        if not gateway.connections:
            break
        await asyncio.sleep(0.01)
    assert gateway.connections == {}
    assert await gateway.registry.list() == []
    # a stopped gateway refuses newcomers until started again
    with pytest.raises(InvalidStatus) as info:
        async with connect(server.ws_url("CP3"), subprotocols=["ocpp1.6"]):  # type: ignore[list-item]
            pass
    assert info.value.response.status_code == 503
    await gateway.start()
    async with connect(server.ws_url("CP3"), subprotocols=["ocpp1.6"]) as ws:  # type: ignore[list-item]
        await ws.send('[2,"1","Heartbeat",{}]')
        assert orjson.loads(await ws.recv())[0] == 3


async def test_server_shutdown_runs_the_lifespan(make_gateway: MakeGateway, serve: Serve) -> None:
    gateway = make_gateway()
    server = await serve(create_app(gateway=gateway))
    async with connect(server.ws_url("CP1"), subprotocols=["ocpp1.6"]) as ws:  # type: ignore[list-item]
        await ws.send('[2,"1","Heartbeat",{}]')
        await ws.recv()
        server.server.should_exit = True
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 5)
    for _ in range(300):
        if not gateway.connections:
            break
        await asyncio.sleep(0.01)
    assert gateway.connections == {}


async def test_idle_connections_are_closed(make_gateway: MakeGateway, serve: Serve) -> None:
    gateway = make_gateway(idle_timeout=0.4)
    server = await serve(gateway)
    async with connect(server.ws_url("CP1"), subprotocols=["ocpp1.6"]) as ws:  # type: ignore[list-item]
        for _ in range(3):  # activity keeps it open
            await asyncio.sleep(0.2)
            await ws.send('[2,"1","Heartbeat",{}]')
            await ws.recv()
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 5)
        assert ws.close_reason == "Idle timeout"


async def test_decorator_overrides_a_handler_live(make_gateway: MakeGateway, serve: Serve) -> None:
    gateway = make_gateway()
    server = await serve(gateway)

    @gateway.on("1.6", "DataTransfer")
    async def data_transfer(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
        assert ctx.charge_point_id == "CP1" and ctx.version is OCPPVersion.v16
        return {"status": "Accepted", "data": payload["data"].upper()}

    async with connect(server.ws_url("CP1"), subprotocols=["ocpp1.6"]) as ws:  # type: ignore[list-item]
        await ws.send('[2,"1","DataTransfer",{"vendorId":"v","data":"hi"}]')
        assert orjson.loads(await ws.recv()) == [3, "1", {"status": "Accepted", "data": "HI"}]


def test_subclass_can_replace_default_handlers() -> None:
    class MyGateway(OCPPGateway):
        def default_handlers(self, version: OCPPVersion) -> HandlerTable:
            table = HandlerTable(version)

            @table.on("Heartbeat")
            async def heartbeat(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
                return {"currentTime": "2000-01-01T00:00:00Z"}

            return table

    gateway = MyGateway()
    assert list(gateway.handler_table("2.1")) == ["Heartbeat"]


def test_default_handlers_are_a_private_copy() -> None:
    gateway = OCPPGateway()
    for version in OCPPVersion:
        table = gateway.handler_table(version)
        try:
            module = __import__(
                f"ocpp_gw.handlers.v{version.value.replace('.', '')}", fromlist=["x"]
            )
        except ModuleNotFoundError:
            assert len(table) == 0  # not written yet: an empty table, NotSupported for all
            continue
        assert "BootNotification" in table
        gateway.on(version, "BootNotification")(table.get("Heartbeat"))  # type: ignore[arg-type]
        assert module.HANDLERS.get("BootNotification") is not table.get("BootNotification")


async def test_precompiled_schemas(make_gateway: MakeGateway) -> None:
    gateway = make_gateway(versions=["1.6"], precompile_schemas=True)
    await gateway.start()
    try:
        from ocpp_gw.protocol import schema_set

        schemas = schema_set(OCPPVersion.v16)
        assert schemas.request_validator("Heartbeat") is schemas.request_validator("Heartbeat")
    finally:
        await gateway.stop()


async def test_authorize_defaults_to_accepting(make_gateway: MakeGateway) -> None:
    from ocpp_gw.handlers.base import AuthorizationDecision, IdTokenInfo

    gateway = make_gateway()
    assert (await gateway.authorize("CP1", IdTokenInfo("T"))).accepted

    async def deny(charge_point_id: str, token: IdTokenInfo) -> AuthorizationDecision:
        return AuthorizationDecision("Blocked")

    gateway.authorizer = deny
    assert (await gateway.authorize("CP1", IdTokenInfo("T"))).status == "Blocked"


async def _heartbeat(ws: Any, unique_id: str) -> None:
    await ws.send(orjson.dumps([2, unique_id, "Heartbeat", {}]).decode())
    async with asyncio.timeout(5):
        assert orjson.loads(await ws.recv())[:2] == [3, unique_id]


async def _last_seen(gateway: OCPPGateway) -> Any:
    for _ in range(200):
        station = await gateway.state.get_station("CP1")
        if station is not None and station.last_seen is not None:
            return station.last_seen
        await asyncio.sleep(0.01)
    raise AssertionError("last_seen never written")


@pytest.mark.parametrize(("interval", "rewritten"), [(30.0, False), (0.0, True)])
async def test_last_seen_follows_messages_throttled(
    make_gateway: MakeGateway, serve: Serve, interval: float, rewritten: bool
) -> None:
    # simple_tables' Heartbeat handler does not touch the store: only the connection does.
    gateway = make_gateway(last_seen_interval=interval)
    server = await serve(gateway)
    async with connect(server.ws_url("CP1"), subprotocols=["ocpp1.6"]) as ws:  # type: ignore[list-item]
        await _heartbeat(ws, "h1")
        first = await _last_seen(gateway)
        await asyncio.sleep(0.01)
        await _heartbeat(ws, "h2")
        await asyncio.sleep(0.05)
        second = await _last_seen(gateway)
    assert (second > first) is rewritten


async def test_last_seen_not_written_when_disabled(make_gateway: MakeGateway, serve: Serve) -> None:
    gateway = make_gateway(last_seen_interval=None)
    server = await serve(gateway)
    async with connect(server.ws_url("CP1"), subprotocols=["ocpp1.6"]) as ws:  # type: ignore[list-item]
        await _heartbeat(ws, "h1")
    assert await gateway.state.get_station("CP1") is None


async def test_gc_is_left_alone_by_default() -> None:
    import gc

    thresholds = gc.get_threshold()
    gateway = OCPPGateway(settings=GatewaySettings(precompile_schemas=True, versions=["1.6"]))
    async with gateway.lifespan():
        compiling = gateway._compiling
        assert compiling is not None
        await compiling
        await asyncio.sleep(0)
        assert gc.get_threshold() == thresholds


async def test_gc_is_tuned_once_schemas_are_precompiled() -> None:
    import gc

    settings = GatewaySettings(
        precompile_schemas=True,
        versions=["1.6"],
        idle_timeout=None,
        tune_gc_after_start=True,
        gc_thresholds=(9000, 11, 12),
    )
    gateway = OCPPGateway(settings=settings)
    thresholds = gc.get_threshold()
    gc.unfreeze()
    try:
        async with gateway.lifespan():
            compiling = gateway._compiling
            assert compiling is not None
            await compiling
            await asyncio.sleep(0)  # the done callbacks run on the next loop iteration
            assert gc.get_freeze_count() > 0
            assert gc.get_threshold() == (9000, 11, 12)
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
