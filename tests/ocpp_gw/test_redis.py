"""Registry and command bus in Redis: a call made on one node reaches a station held by another.

Runs against the Redis on 127.0.0.1:6379 (``OCPP_TEST_REDIS_URL`` to change); skipped with the
reason printed when it is not reachable or the ``redis`` package is missing.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest
from gw_support import simple_tables, station_moves_to_another_node
from websockets.asyncio.client import connect

from ocpp_gw import ChargerLocation, ChargerNotConnected, GatewaySettings, OCPPGateway
from ocpp_gw.bus import Command, RedisCommandBus
from ocpp_gw.exceptions import InvalidCallError, NotSupportedError
from ocpp_gw.registry import RedisChargerRegistry

REDIS_URL = os.environ.get("OCPP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
Serve = Callable[..., Any]


@pytest.fixture
async def redis_factory() -> AsyncIterator[Callable[[], Any]]:
    """New ``redis.asyncio.Redis`` clients (one per simulated process), all closed afterwards."""
    redis_asyncio = pytest.importorskip("redis.asyncio")
    probe = redis_asyncio.Redis.from_url(REDIS_URL)
    try:
        await asyncio.wait_for(probe.ping(), 2)
    except Exception as exc:
        await probe.aclose()
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc!r}")
    clients = [probe]

    def make() -> Any:
        client = redis_asyncio.Redis.from_url(REDIS_URL)
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()


@pytest.fixture
async def prefix(redis_factory: Callable[[], Any]) -> AsyncIterator[str]:
    """A key prefix of this test only; its keys are deleted afterwards."""
    name = f"ocpp_gw_test:{uuid.uuid4().hex}"
    yield name
    client = redis_factory()
    keys = [key async for key in client.scan_iter(match=f"{name}:*")]
    if keys:
        await client.delete(*keys)


async def test_registry_claims_are_fenced(redis_factory: Callable[[], Any], prefix: str) -> None:
    registry = RedisChargerRegistry(redis_factory(), prefix=prefix)
    now = datetime.now(UTC)
    first = await registry.claim(ChargerLocation("CP1", "node-a", "1.6", now, "10.0.0.1"))
    second = await registry.claim(ChargerLocation("CP1", "node-b", "2.0.1", now))
    await registry.claim(ChargerLocation("CP0", "node-a", "2.1", now))
    assert second.generation > first.generation
    await registry.release(first)  # stale: the newer claim survives
    found = await registry.lookup("CP1")
    assert found == second
    assert [location.charge_point_id for location in await registry.list()] == ["CP0", "CP1"]
    await registry.release(second)
    assert await registry.lookup("CP1") is None
    assert [location.charge_point_id for location in await registry.list()] == ["CP0"]
    # another process sees the same data
    other = RedisChargerRegistry(redis_factory(), prefix=prefix)
    [location] = await other.list()
    assert (location.node_id, location.version, location.connected_at) == ("node-a", "2.1", now)


async def test_request_to_a_silent_node(redis_factory: Callable[[], Any], prefix: str) -> None:
    bus = RedisCommandBus(redis_factory(), prefix=prefix)
    try:
        with pytest.raises(ChargerNotConnected):
            await bus.request("nobody", Command("CP1", "Reset", {"type": "Soft"}, 1))
    finally:
        await bus.close()


async def test_call_crosses_nodes_over_redis(
    redis_factory: Callable[[], Any], prefix: str, serve: Serve
) -> None:
    def node(node_id: str, **settings: Any) -> tuple[OCPPGateway, RedisCommandBus]:
        bus = RedisCommandBus(redis_factory(), prefix=prefix)
        gateway = OCPPGateway(
            settings=GatewaySettings(node_id=node_id, precompile_schemas=False, **settings),
            handlers=simple_tables(),
            registry=RedisChargerRegistry(redis_factory(), prefix=prefix),
            bus=bus,
        )
        return gateway, bus

    node_a, bus_a = node("a", accept_unknown_chargers=True)
    node_b, bus_b = node("b")
    server = await serve(node_a)
    await node_b.start()
    try:
        async with connect(server.ws_url("CP1"), subprotocols=["ocpp1.6"]) as ws:  # type: ignore[list-item]
            for _ in range(200):
                if await node_b.registry.lookup("CP1"):
                    break
                await asyncio.sleep(0.01)
            pending = asyncio.create_task(node_b.call("CP1", "Reset", {"type": "Soft"}))
            frame = orjson.loads(await asyncio.wait_for(ws.recv(), 5))
            await ws.send(orjson.dumps([3, frame[1], {"status": "Accepted"}]).decode())
            assert await pending == {"status": "Accepted"}

            pending = asyncio.create_task(node_b.call("CP1", "Reset", {"type": "Hard"}))
            frame = orjson.loads(await asyncio.wait_for(ws.recv(), 5))
            await ws.send(orjson.dumps([4, frame[1], "NotSupported", "no", {"x": 1}]).decode())
            with pytest.raises(NotSupportedError) as info:
                await pending
            assert info.value.details == {"x": 1}

            with pytest.raises(InvalidCallError):
                await node_b.call("CP1", "Reset", {"type": "Sideways"})
            with pytest.raises(ChargerNotConnected):
                await node_b.call("CP9", "Reset", {"type": "Soft"})
    finally:
        await node_b.stop()
        await bus_b.close()
        await bus_a.close()


async def test_station_moving_to_another_node_over_redis(
    redis_factory: Callable[[], Any], prefix: str, serve: Serve
) -> None:
    buses = [RedisCommandBus(redis_factory(), prefix=prefix) for _ in range(2)]
    nodes = [
        OCPPGateway(
            settings=GatewaySettings(
                node_id=name, accept_unknown_chargers=True, precompile_schemas=False
            ),
            handlers=simple_tables(),
            registry=RedisChargerRegistry(redis_factory(), prefix=prefix),
            bus=bus,
        )
        for name, bus in zip(("a", "b"), buses, strict=True)
    ]
    try:
        await station_moves_to_another_node(nodes[0], nodes[1], serve)
    finally:
        for bus in buses:
            await bus.close()


async def test_entries_of_a_crashed_node_expire(
    redis_factory: Callable[[], Any], prefix: str
) -> None:
    registry = RedisChargerRegistry(redis_factory(), prefix=prefix, ttl=0.3)
    now = datetime.now(UTC)
    alive = await registry.claim(ChargerLocation("CP1", "node-a", "1.6", now))
    crashed = await registry.claim(ChargerLocation("CP2", "node-b", "1.6", now))
    for _ in range(4):  # node A keeps refreshing its claim, node B is gone
        await asyncio.sleep(0.15)
        await registry.refresh([alive])
    assert await registry.lookup("CP1") == alive
    assert await registry.lookup("CP2") is None
    assert [location.charge_point_id for location in await registry.list()] == ["CP1"]
    assert not await registry.client.sismember(f"{prefix}:chargers", "CP2")
    await registry.refresh([crashed])  # a stale refresh does not bring it back
    assert await registry.lookup("CP2") is None


async def test_gateway_refreshes_its_claims(
    redis_factory: Callable[[], Any], prefix: str, serve: Serve
) -> None:
    bus = RedisCommandBus(redis_factory(), prefix=prefix)
    gateway = OCPPGateway(
        settings=GatewaySettings(
            accept_unknown_chargers=True,
            precompile_schemas=False,
            registry_refresh_interval=0.1,
        ),
        handlers=simple_tables(),
        registry=RedisChargerRegistry(redis_factory(), prefix=prefix, ttl=0.3),
        bus=bus,
    )
    server = await serve(gateway)
    try:
        async with connect(server.ws_url("CP1"), subprotocols=["ocpp1.6"]):  # type: ignore[list-item]
            await asyncio.sleep(0.8)  # more than twice the TTL
            location = await gateway.registry.lookup("CP1")
            assert location is not None and location.node_id == gateway.node_id
    finally:
        await bus.close()
