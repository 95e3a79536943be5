"""Deliver a CSMS-initiated call to the node that holds the station.

A node :meth:`~CommandBus.serve`\\ s its own commands; :meth:`~CommandBus.request` sends one to a
node and waits for the answer. :class:`MemoryCommandBus` connects gateways living in one process
(and is what tests use to prove a call crosses nodes); :class:`RedisCommandBus` connects several
processes::

    bus = MemoryCommandBus()
    await bus.serve("node-a", gateway_a.execute)
    payload = await bus.request("node-a", Command("CP1", "Reset", {"type": "Soft"}, timeout=10))

Exceptions raised by the serving node travel back to the caller unchanged (a networked bus
serialises the :mod:`ocpp_gw.exceptions` types by name).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import orjson

from ocpp_gw.exceptions import (
    CallTimeoutError,
    ChargerNotConnected,
    ConnectionClosedError,
    InvalidCallError,
    OCPPCallError,
    OCPPError,
    OCPPGatewayError,
    UnsupportedVersionError,
)
from ocpp_gw.protocol.errors import error_from_wire

__all__ = ["Command", "CommandBus", "CommandHandler", "MemoryCommandBus", "RedisCommandBus"]

logger = logging.getLogger(__name__)


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


class RedisCommandBus(CommandBus):
    """Request/reply between gateway processes over Redis pub/sub.

    A serving node listens on ``{prefix}:node:{node_id}``; a requester publishes the command there
    with its own reply channel and waits for the answer (the command's timeout plus
    ``reply_margin`` seconds). Exceptions travel back by type name and are raised again on the
    requesting side: CALLERRORs as their :class:`~ocpp_gw.exceptions.OCPPCallError` subclass,
    gateway errors as themselves. ``client`` is a ``redis.asyncio.Redis``::

        bus = RedisCommandBus.from_url("redis://127.0.0.1:6379/0")
    """

    def __init__(self, client: Any, *, prefix: str = "ocpp_gw", reply_margin: float = 5.0) -> None:
        self.client = client
        self.prefix = prefix
        self.reply_margin = reply_margin
        self._reply_channel = f"{prefix}:reply:{uuid.uuid4().hex}"
        self._handlers: dict[str, CommandHandler] = {}
        self._waiting: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._pubsub: Any = None
        self._reader: asyncio.Task[None] | None = None

    @classmethod
    def from_url(cls, url: str, **options: Any) -> RedisCommandBus:
        from redis.asyncio import Redis

        return cls(Redis.from_url(url), **options)

    def _node_channel(self, node_id: str) -> str:
        return f"{self.prefix}:node:{node_id}"

    async def _ensure_listening(self) -> None:
        if self._pubsub is None:
            self._pubsub = self.client.pubsub()
            await self._pubsub.subscribe(self._reply_channel)
            self._reader = asyncio.get_running_loop().create_task(self._read())

    async def serve(self, node_id: str, handler: CommandHandler) -> None:
        await self._ensure_listening()
        channel = self._node_channel(node_id)
        self._handlers[channel] = handler
        await self._pubsub.subscribe(channel)

    async def stop_serving(self, node_id: str) -> None:
        channel = self._node_channel(node_id)
        if self._handlers.pop(channel, None) is not None and self._pubsub is not None:
            await self._pubsub.unsubscribe(channel)

    async def request(self, node_id: str, command: Command) -> dict[str, Any]:
        await self._ensure_listening()
        request_id = uuid.uuid4().hex
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiting[request_id] = future
        message = {
            "id": request_id,
            "reply_to": self._reply_channel,
            "charge_point_id": command.charge_point_id,
            "action": command.action,
            "payload": command.payload,
            "timeout": command.timeout,
        }
        try:
            receivers = await self.client.publish(
                self._node_channel(node_id), orjson.dumps(message)
            )
            if not receivers:
                raise ChargerNotConnected(
                    f"node {node_id!r} holding {command.charge_point_id!r} is not listening",
                    charge_point_id=command.charge_point_id,
                )
            wait = None if command.timeout is None else command.timeout + self.reply_margin
            try:
                # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation
                # that races with the answer, leaving the caller running after cancel().
                async with asyncio.timeout(wait):
                    return await future
            except TimeoutError:
                raise CallTimeoutError(
                    f"no answer from node {node_id!r} for {command.charge_point_id}",
                    charge_point_id=command.charge_point_id,
                ) from None
        finally:
            self._waiting.pop(request_id, None)

    async def close(self) -> None:
        """Stop listening and close the pub/sub connection (the client stays open)."""
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.gather(self._reader, return_exceptions=True)
            self._reader = None
        for task in list(self._tasks):
            task.cancel()
        if self._pubsub is not None:
            await self._pubsub.aclose()
            self._pubsub = None
        self._handlers.clear()

    async def _read(self) -> None:
        while True:
            try:
                message = await self._pubsub.get_message(ignore_subscribe_messages=True, timeout=1)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("command bus: reading from Redis failed")
                await asyncio.sleep(1)
                continue
            if message is None or message.get("type") != "message":
                continue
            channel = message["channel"]
            channel = channel.decode() if isinstance(channel, bytes) else channel
            data = orjson.loads(message["data"])
            if channel == self._reply_channel:
                self._resolve(data)
            elif channel in self._handlers:
                task = asyncio.get_running_loop().create_task(
                    self._execute(self._handlers[channel], data)
                )
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)

    def _resolve(self, data: dict[str, Any]) -> None:
        future = self._waiting.get(data.get("id", ""))
        if future is None or future.done():
            return
        if data.get("ok"):
            future.set_result(data["payload"])
        else:
            future.set_exception(_error_from_message(data["error"]))

    async def _execute(self, handler: CommandHandler, data: dict[str, Any]) -> None:
        command = Command(data["charge_point_id"], data["action"], data["payload"], data["timeout"])
        reply: dict[str, Any]
        try:
            reply = {"id": data["id"], "ok": True, "payload": await handler(command)}
        except OCPPError as exc:
            reply = {"id": data["id"], "ok": False, "error": _error_to_message(exc)}
        except Exception as exc:
            logger.exception(
                "command bus: %s on %s failed", command.action, command.charge_point_id
            )
            reply = {"id": data["id"], "ok": False, "error": _error_to_message(exc)}
        await self.client.publish(data["reply_to"], orjson.dumps(reply))


def _error_to_message(exc: BaseException) -> dict[str, Any]:
    message: dict[str, Any] = {"type": type(exc).__name__, "message": str(exc)}
    if isinstance(exc, OCPPCallError):
        message.update(code=exc.code, description=exc.description, details=exc.details)
    elif isinstance(exc, InvalidCallError) and exc.violation is not None:
        message["violation"] = _error_to_message(exc.violation)
    return message


def _error_from_message(message: dict[str, Any]) -> Exception:
    if "code" in message:
        return error_from_wire(message["code"], message["description"], message["details"])
    text = message.get("message", "")
    kind = message.get("type")
    if kind == "InvalidCallError":
        violation = message.get("violation")
        error = _error_from_message(violation) if violation else None
        return InvalidCallError(text, violation=error if isinstance(error, OCPPCallError) else None)
    cls = _GATEWAY_ERRORS.get(str(kind), OCPPGatewayError)
    return cls(text)


_GATEWAY_ERRORS: dict[str, type[OCPPGatewayError]] = {
    cls.__name__: cls
    for cls in (
        CallTimeoutError,
        ChargerNotConnected,
        ConnectionClosedError,
        UnsupportedVersionError,
    )
}
