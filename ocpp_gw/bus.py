"""Deliver a CSMS-initiated call to the node that holds the station.

A node :meth:`~CommandBus.serve`\\ s its own commands; :meth:`~CommandBus.request` sends one to a
node and waits for the answer. :class:`MemoryCommandBus` connects gateways living in one process
(and is what tests use to prove a call crosses nodes); a Redis implementation plugs in the same
way for several processes::

    bus = MemoryCommandBus()
    await bus.serve("node-a", gateway_a.execute)
    payload = await bus.request("node-a", Command("CP1", "Reset", {"type": "Soft"}, timeout=10))

Exceptions raised by the serving node travel back to the caller unchanged (a networked bus
serialises the :mod:`ocpp_gw.exceptions` types by name).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from ocpp_gw.exceptions import ChargerNotConnected

__all__ = ["Command", "CommandBus", "CommandHandler", "MemoryCommandBus"]


@dataclass(frozen=True, slots=True)
class Command:
    """One CALL to make on the node holding ``charge_point_id``."""

    charge_point_id: str
    action: str
    payload: dict[str, Any]
    timeout: float | None = None


CommandHandler = Callable[[Command], Awaitable[dict[str, Any]]]


class CommandBus(ABC):
    """Request/reply between gateway nodes."""

    @abstractmethod
    async def serve(self, node_id: str, handler: CommandHandler) -> None:
        """Start answering commands addressed to ``node_id`` with ``handler``."""

    @abstractmethod
    async def stop_serving(self, node_id: str) -> None:
        """Stop answering for ``node_id``."""

    @abstractmethod
    async def request(self, node_id: str, command: Command) -> dict[str, Any]:
        """Run ``command`` on ``node_id`` and return the CALLRESULT payload."""


class MemoryCommandBus(CommandBus):
    """In-process bus: a dict of node id → handler."""

    def __init__(self) -> None:
        self._nodes: dict[str, CommandHandler] = {}

    async def serve(self, node_id: str, handler: CommandHandler) -> None:
        self._nodes[node_id] = handler

    async def stop_serving(self, node_id: str) -> None:
        self._nodes.pop(node_id, None)

    async def request(self, node_id: str, command: Command) -> dict[str, Any]:
        handler = self._nodes.get(node_id)
        if handler is None:
            raise ChargerNotConnected(
                f"node {node_id!r} holding {command.charge_point_id!r} is not reachable",
                charge_point_id=command.charge_point_id,
            )
        return await handler(command)
