"""A station reconnecting to another node: the old node closes its stale socket (in-memory bus;
the Redis variant is in ``test_redis``)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from gw_support import simple_tables, station_moves_to_another_node
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

from ocpp_gw import (
    GatewaySettings,
    InvalidCallError,
    MemoryChargerRegistry,
    MemoryCommandBus,
    OCPPGateway,
)
from ocpp_gw.bus import Command
from ocpp_gw.gateway import TAKEOVER_ACTION


def node(node_id: str, registry: Any, bus: Any) -> OCPPGateway:
    settings = GatewaySettings(
        node_id=node_id, accept_unknown_chargers=True, precompile_schemas=False, call_timeout=5
    )
    return OCPPGateway(settings=settings, handlers=simple_tables(), registry=registry, bus=bus)


async def test_station_moving_to_another_node_closes_the_old_socket(
    serve: Callable[..., Any],
) -> None:
    registry, bus = MemoryChargerRegistry(), MemoryCommandBus()
    await station_moves_to_another_node(node("a", registry, bus), node("b", registry, bus), serve)


async def test_only_a_newer_claim_closes_the_connection(serve: Callable[..., Any]) -> None:
    registry, bus = MemoryChargerRegistry(), MemoryCommandBus()
    gateway = node("a", registry, bus)
    server = await serve(gateway)
    assert await gateway.execute(Command("CP1", TAKEOVER_ACTION, {"generation": 9}, 1)) == {
        "closed": False  # nothing held here
    }
    async with connect(server.ws_url("CP1"), subprotocols=[Subprotocol("ocpp1.6")]):
        for _ in range(200):
            location = await registry.lookup("CP1")
            if location is not None:
                break
            await asyncio.sleep(0.01)
        assert location is not None
        stale = Command("CP1", TAKEOVER_ACTION, {"generation": location.generation - 1}, 1)
        assert await gateway.execute(stale) == {"closed": False}
        connection = gateway.connection("CP1")
        assert connection is not None and not connection.closed
        newer = Command("CP1", TAKEOVER_ACTION, {"generation": location.generation + 1}, 1)
        assert await gateway.execute(newer) == {"closed": True}
        assert connection.closed


async def test_the_takeover_command_is_not_an_ocpp_action(serve: Callable[..., Any]) -> None:
    registry, bus = MemoryChargerRegistry(), MemoryCommandBus()
    gateway = node("a", registry, bus)
    server = await serve(gateway)
    async with connect(server.ws_url("CP1"), subprotocols=[Subprotocol("ocpp1.6")]):
        for _ in range(200):
            if gateway.connection("CP1") is not None:
                break
            await asyncio.sleep(0.01)
        with pytest.raises(InvalidCallError):
            await gateway.call("CP1", TAKEOVER_ACTION, {"generation": 99})
        assert gateway.connection("CP1") is not None
