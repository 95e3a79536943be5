"""Who holds which charging station: the charger → node registry.

One process needs only :class:`MemoryChargerRegistry`. With several gateway processes behind a
load balancer, :class:`RedisChargerRegistry` (``pip install ocpi-ocpp[redis]``) answers "which node holds CP1?" so a call made on
any node reaches the station over the :mod:`command bus <ocpp_gw.bus>`::

    registry = MemoryChargerRegistry()
    await registry.claim(ChargerLocation("CP1", node_id="node-a", version="1.6"))
    location = await registry.lookup("CP1")
    assert location is not None and location.node_id == "node-a"
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

__all__ = [
    "ChargerLocation",
    "ChargerRegistry",
    "MemoryChargerRegistry",
    "RedisChargerRegistry",
]


@dataclass(frozen=True, slots=True)
class ChargerLocation:
    """A live station connection: which node holds it, since when, with which OCPP version."""

    charge_point_id: str
    node_id: str
    version: str
    connected_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    remote_address: str | None = None
    #: Increases with every claim of the same station, so a node that lost its claim to a newer
    #: connection cannot release the newer one by mistake.
    generation: int = 0


class ChargerRegistry(ABC):
    """Small async interface; every method must be safe to call concurrently."""

    @abstractmethod
    async def claim(self, location: ChargerLocation) -> ChargerLocation:
        """Record that ``location.node_id`` now holds the station; returns the stored record
        (with its ``generation``). A newer claim replaces an older one."""

    @abstractmethod
    async def release(self, location: ChargerLocation) -> None:
        """Forget the station, unless a newer claim replaced ``location`` meanwhile."""

    @abstractmethod
    async def lookup(self, charge_point_id: str) -> ChargerLocation | None:
        """Where the station is connected, or ``None``."""

    @abstractmethod
    async def list(self) -> list[ChargerLocation]:
        """Every connected station, ordered by identity."""

    async def refresh(self, locations: Sequence[ChargerLocation]) -> None:
        """Keep this node's claims alive (registries whose entries expire; no-op by default).

        The gateway calls it every ``registry_refresh_interval`` seconds with the claims it
        holds, so the entries of a node that crashed disappear after the registry's TTL.
        """
        return None


class MemoryChargerRegistry(ChargerRegistry):
    """The single-process registry (a dict)."""

    def __init__(self) -> None:
        self._locations: dict[str, ChargerLocation] = {}
        self._generation = 0

    async def claim(self, location: ChargerLocation) -> ChargerLocation:
        self._generation += 1
        stored = ChargerLocation(
            location.charge_point_id,
            location.node_id,
            location.version,
            location.connected_at,
            location.remote_address,
            self._generation,
        )
        self._locations[location.charge_point_id] = stored
        return stored

    async def release(self, location: ChargerLocation) -> None:
        current = self._locations.get(location.charge_point_id)
        if current is not None and current.generation == location.generation:
            del self._locations[location.charge_point_id]

    async def lookup(self, charge_point_id: str) -> ChargerLocation | None:
        return self._locations.get(charge_point_id)

    async def list(self) -> list[ChargerLocation]:
        return [self._locations[key] for key in sorted(self._locations)]


_CLAIM = """
local generation = redis.call('INCR', KEYS[3])
redis.call('HSET', KEYS[1], 'node', ARGV[1], 'version', ARGV[2], 'connected_at', ARGV[3],
           'remote', ARGV[4], 'generation', generation)
redis.call('SADD', KEYS[2], ARGV[5])
if ARGV[6] ~= '0' then
  redis.call('PEXPIRE', KEYS[1], ARGV[6])
else
  redis.call('PERSIST', KEYS[1])
end
return generation
"""
_REFRESH = """
if redis.call('HGET', KEYS[1], 'generation') == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""

_RELEASE = """
if redis.call('HGET', KEYS[1], 'generation') == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('SREM', KEYS[2], ARGV[2])
  return 1
end
return 0
"""


class RedisChargerRegistry(ChargerRegistry):
    """The registry shared by several gateway processes, in Redis.

    A hash per station (``{prefix}:charger:{id}``), a set of identities and a global counter that
    hands out the ``generation`` (fencing token): claims and conditional releases are Lua scripts,
    so a node whose connection was replaced cannot remove the newer claim. Entries expire after
    ``ttl`` seconds unless the holding node refreshes them (the gateway does, every
    ``GatewaySettings.registry_refresh_interval``), so a crashed node's stations do not stay
    "connected" forever; ``ttl=None`` keeps them until released. ``client`` is a
    ``redis.asyncio.Redis``::

        registry = RedisChargerRegistry.from_url("redis://127.0.0.1:6379/0")
    """

    def __init__(self, client: Any, *, prefix: str = "ocpp_gw", ttl: float | None = 90.0) -> None:
        self.client = client
        self.prefix = prefix
        self.ttl = ttl
        self._set_key = f"{prefix}:chargers"
        self._generation_key = f"{prefix}:generation"
        self._claim = client.register_script(_CLAIM)
        self._release = client.register_script(_RELEASE)
        self._refresh = client.register_script(_REFRESH)

    @classmethod
    def from_url(
        cls, url: str, *, prefix: str = "ocpp_gw", ttl: float | None = 90.0
    ) -> RedisChargerRegistry:
        from redis.asyncio import Redis

        return cls(Redis.from_url(url), prefix=prefix, ttl=ttl)

    def _ttl_ms(self) -> str:
        return "0" if self.ttl is None else str(max(1, int(self.ttl * 1000)))

    def _key(self, charge_point_id: str) -> str:
        return f"{self.prefix}:charger:{charge_point_id}"

    async def claim(self, location: ChargerLocation) -> ChargerLocation:
        generation = await self._claim(
            keys=[self._key(location.charge_point_id), self._set_key, self._generation_key],
            args=[
                location.node_id,
                location.version,
                location.connected_at.isoformat(),
                location.remote_address or "",
                location.charge_point_id,
                self._ttl_ms(),
            ],
        )
        return ChargerLocation(
            location.charge_point_id,
            location.node_id,
            location.version,
            location.connected_at,
            location.remote_address,
            int(generation),
        )

    async def release(self, location: ChargerLocation) -> None:
        await self._release(
            keys=[self._key(location.charge_point_id), self._set_key],
            args=[str(location.generation), location.charge_point_id],
        )

    async def refresh(self, locations: Sequence[ChargerLocation]) -> None:
        if self.ttl is None or not locations:
            return
        ttl_ms = self._ttl_ms()
        async with self.client.pipeline(transaction=False) as pipe:
            for location in locations:
                await self._refresh(
                    keys=[self._key(location.charge_point_id)],
                    args=[str(location.generation), ttl_ms],
                    client=pipe,
                )
            await pipe.execute()

    async def lookup(self, charge_point_id: str) -> ChargerLocation | None:
        return _location(charge_point_id, await self.client.hgetall(self._key(charge_point_id)))

    async def list(self) -> list[ChargerLocation]:
        members = sorted(_text(m) for m in await self.client.smembers(self._set_key))
        if not members:
            return []
        async with self.client.pipeline(transaction=False) as pipe:
            for charge_point_id in members:
                pipe.hgetall(self._key(charge_point_id))
            rows = await pipe.execute()
        locations = [_location(cp, row) for cp, row in zip(members, rows, strict=True)]
        expired = [cp for cp, location in zip(members, locations, strict=True) if location is None]
        if expired:  # their hashes expired (a crashed node): forget them in the set too
            await self.client.srem(self._set_key, *expired)
        return [location for location in locations if location is not None]


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _location(charge_point_id: str, row: dict[Any, Any]) -> ChargerLocation | None:
    if not row:
        return None
    fields = {_text(key): _text(value) for key, value in row.items()}
    return ChargerLocation(
        charge_point_id,
        fields["node"],
        fields["version"],
        datetime.fromisoformat(fields["connected_at"]),
        fields.get("remote") or None,
        int(fields["generation"]),
    )
