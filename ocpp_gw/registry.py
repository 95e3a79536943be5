"""Who holds which charging station: the charger → node registry.

One process needs only :class:`MemoryChargerRegistry`. With several gateway processes behind a
load balancer, a shared implementation (Redis) answers "which node holds CP1?" so a call made on
any node reaches the station over the :mod:`command bus <ocpp_gw.bus>`::

    registry = MemoryChargerRegistry()
    await registry.claim(ChargerLocation("CP1", node_id="node-a", version="1.6"))
    location = await registry.lookup("CP1")
    assert location is not None and location.node_id == "node-a"
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import UTC, datetime

__all__ = ["ChargerLocation", "ChargerRegistry", "MemoryChargerRegistry"]


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
