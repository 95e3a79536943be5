"""One charging station's WebSocket link: receive loop, concurrent handlers, outbound calls.

The receive loop never waits for a handler: each valid CALL runs in its own task, so a handler
may itself call the station (``await ctx.gateway.call(...)``) while the loop keeps reading the
answer. Outbound CALLs are serialised: one in flight per connection, the rest wait in FIFO order
on a lock, each bounded by its timeout (time spent queued included). The RPC rules themselves
live in :class:`ocpp_gw.protocol.rpc.RpcSession`; this class only moves frames.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from starlette.websockets import WebSocket, WebSocketState

from ocpp_gw.exceptions import CallTimeoutError, ConnectionClosedError, InvalidCallError
from ocpp_gw.handlers.base import CallContext, GatewayServices, OCPPVersion
from ocpp_gw.protocol.errors import ERROR_RULES, NotImplementedCallError, OCPPCallError
from ocpp_gw.protocol.framing import UNREADABLE_ID, Call, Send, encode_call_error
from ocpp_gw.protocol.rpc import Answer, Dispatch, Reply, RpcSession

__all__ = ["ChargerConnection", "CloseCode"]

logger = logging.getLogger(__name__)


class CloseCode:
    """WebSocket close codes the gateway uses."""

    NORMAL = 1000
    GOING_AWAY = 1001
    PROTOCOL_ERROR = 1002
    POLICY_VIOLATION = 1008
    TRY_AGAIN_LATER = 1013


class ChargerConnection:
    """A connected station. Created by the endpoint after the handshake; ``run()`` until closed."""

    def __init__(
        self,
        websocket: WebSocket,
        charge_point_id: str,
        version: OCPPVersion,
        session: RpcSession,
        services: GatewayServices,
        *,
        max_frame_size: int,
        bad_message_budget: int | None,
        bad_message_window: float,
        remote_address: str | None = None,
        security_profile: int = 0,
        last_seen_interval: float | None = None,
    ) -> None:
        self.websocket = websocket
        self.charge_point_id = charge_point_id
        self.version = version
        self.session = session
        self.services = services
        self.remote_address = remote_address
        self.security_profile = security_profile
        self.connected_at = datetime.now(UTC)
        self.max_frame_size = max_frame_size
        self.bad_message_budget = bad_message_budget
        self.bad_message_window = bad_message_window
        self.close_code: int | None = None
        self.close_reason = ""
        self._loop = asyncio.get_running_loop()
        self.last_activity = self._loop.time()
        self._bad_count = 0
        self._bad_window_start = 0.0
        self._call_lock = asyncio.Lock()
        self._pending: asyncio.Future[dict[str, Any]] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False
        self._receive: Callable[[], Awaitable[Any]] = websocket.receive
        self.last_seen_interval = last_seen_interval
        # loop.time() after which the next message writes ``last_seen`` (inf: never).
        self._next_touch = float("inf") if last_seen_interval is None else 0.0

    @property
    def closed(self) -> bool:
        return self._closed

    # -- receive loop --------------------------------------------------------------------------

    async def run(self) -> None:
        """Read frames until the station (or the gateway) closes the connection."""
        receive = self._receive
        session = self.session
        loop = self._loop
        try:
            while True:
                message = await receive()
                if message["type"] != "websocket.receive":
                    if message["type"] == "websocket.disconnect":
                        self.close_code = self.close_code or message.get("code")
                        self.close_reason = self.close_reason or message.get("reason") or ""
                    break
                now = self.last_activity = loop.time()
                if now >= self._next_touch:
                    self._touch(now)
                data = message.get("text")
                if data is None:
                    data = message.get("bytes")
                    if data is None:
                        continue
                if len(data) > self.max_frame_size:
                    await self._reject_large_frame(len(data))
                    continue
                decision = session.receive(data)
                if isinstance(decision, Dispatch):
                    self._start_handler(decision)
                elif isinstance(decision, Answer):
                    await self._resolve(decision)
                elif isinstance(decision, Reply):
                    await self._send(decision.text)
                    if decision.bad:
                        await self._bad_message(decision.reason)
                else:
                    logger.info("%s: ignored frame: %s", self.charge_point_id, decision.reason)
                    if decision.bad:
                        await self._bad_message(decision.reason)
                if self._closed:
                    break
        except (RuntimeError, OSError) as exc:
            # Starlette raises RuntimeError when receiving on a socket that is already closed.
            logger.debug("%s: receive loop ended: %s", self.charge_point_id, exc)
        finally:
            self._closed = True
            self._fail_pending(
                ConnectionClosedError(
                    "connection closed while waiting for the answer",
                    charge_point_id=self.charge_point_id,
                )
            )

    def _touch(self, now: float) -> None:
        # Throttled: a store write per message would cost more than the message itself.
        assert self.last_seen_interval is not None
        self._next_touch = now + self.last_seen_interval
        task = self._loop.create_task(self._write_last_seen())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _write_last_seen(self) -> None:
        try:
            await self.services.state.touch(self.charge_point_id)
        except Exception:
            logger.exception("%s: could not record last seen", self.charge_point_id)

    def _start_handler(self, decision: Dispatch) -> None:
        task = self._loop.create_task(self._run_handler(decision))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run_handler(self, decision: Dispatch) -> None:
        call: Call | Send = decision.call
        ctx = CallContext(
            self.charge_point_id, self.version, call.unique_id, call.action, self.services
        )
        try:
            result = await decision.handler(ctx, call.payload)
        except OCPPCallError as exc:
            text = self.session.fail(call, exc)
        except asyncio.CancelledError:
            self.session.fail(call, asyncio.CancelledError())
            raise
        except Exception as exc:
            logger.exception(
                "%s: handler for %s %s failed",
                self.charge_point_id,
                self.version.value,
                call.action,
            )
            text = self.session.fail(call, exc)
        else:
            text = self.session.complete(call, result)
        if text is not None:
            await self._send(text)

    async def _resolve(self, answer: Answer) -> None:
        if answer.reply is not None:
            await self._send(answer.reply)
        future = self._pending
        if future is None or future.done():
            return
        if answer.error is not None:
            future.set_exception(answer.error)
        else:
            assert answer.payload is not None
            future.set_result(answer.payload)

    async def _reject_large_frame(self, size: int) -> None:
        rules = ERROR_RULES[self.version]
        reason = f"Frame of {size} bytes exceeds the limit of {self.max_frame_size}"
        await self._send(
            encode_call_error(UNREADABLE_ID, rules.wire(rules.unreadable_frame), reason)
        )
        await self._bad_message(reason)

    async def _bad_message(self, reason: str) -> None:
        budget = self.bad_message_budget
        if budget is None:
            return
        now = self._loop.time()
        if now - self._bad_window_start > self.bad_message_window:
            self._bad_window_start = now
            self._bad_count = 0
        self._bad_count += 1
        if self._bad_count > budget:
            logger.warning(
                "%s: closing after %d bad frames (last: %s)",
                self.charge_point_id,
                self._bad_count,
                reason,
            )
            await self.close(CloseCode.POLICY_VIOLATION, "Too many invalid messages")

    # -- sending -------------------------------------------------------------------------------

    async def _send(self, text: str) -> None:
        if self._closed:
            return
        try:
            await self.websocket.send({"type": "websocket.send", "text": text})
        except (RuntimeError, OSError) as exc:
            logger.debug("%s: send failed: %s", self.charge_point_id, exc)

    async def call(self, action: str, payload: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send a CALL and wait for its CALLRESULT payload.

        Raises the typed CALLERROR exception the station answered with,
        :class:`InvalidCallError` if ``payload`` is invalid (nothing is sent),
        :class:`CallTimeoutError` or :class:`ConnectionClosedError`.
        """
        try:
            unique_id, text = self.session.prepare_call(action, payload)
        except OCPPCallError as exc:
            violation = None if isinstance(exc, NotImplementedCallError) else exc
            raise InvalidCallError(
                exc.description, violation=violation, charge_point_id=self.charge_point_id
            ) from None
        try:
            async with asyncio.timeout(timeout):
                async with self._call_lock:
                    return await self._call_locked(unique_id, action, text)
        except TimeoutError as exc:
            if isinstance(exc, CallTimeoutError):
                raise
            raise CallTimeoutError(
                f"{self.charge_point_id} did not answer {action} within {timeout} s",
                charge_point_id=self.charge_point_id,
            ) from None

    async def _call_locked(self, unique_id: str, action: str, text: str) -> dict[str, Any]:
        if self._closed:
            raise ConnectionClosedError(
                "connection is closed", charge_point_id=self.charge_point_id
            )
        future: asyncio.Future[dict[str, Any]] = self._loop.create_future()
        self._pending = future
        self.session.begin(unique_id, action)
        try:
            await self.websocket.send({"type": "websocket.send", "text": text})
            return await future
        except (RuntimeError, OSError) as exc:
            raise ConnectionClosedError(
                f"could not send: {exc}", charge_point_id=self.charge_point_id
            ) from exc
        finally:
            self.session.end(unique_id)
            self._pending = None

    async def send_unconfirmed(self, action: str, payload: dict[str, Any]) -> None:
        """2.1 SEND: an unconfirmed message; allowed while a CALL is in flight."""
        try:
            text = self.session.prepare_send(action, payload)
        except OCPPCallError as exc:
            raise InvalidCallError(
                exc.description, violation=exc, charge_point_id=self.charge_point_id
            ) from None
        if self._closed:
            raise ConnectionClosedError(
                "connection is closed", charge_point_id=self.charge_point_id
            )
        await self._send(text)

    def _fail_pending(self, exc: Exception) -> None:
        future = self._pending
        if future is not None and not future.done():
            future.set_exception(exc)

    # -- closing -------------------------------------------------------------------------------

    async def close(self, code: int = CloseCode.NORMAL, reason: str = "") -> None:
        """Close the WebSocket; calls waiting for an answer fail with ``ConnectionClosedError``."""
        if self._closed:
            return
        self._closed = True
        self.close_code = code
        self.close_reason = reason
        self._fail_pending(
            ConnectionClosedError(
                f"connection closed: {reason or code}", charge_point_id=self.charge_point_id
            )
        )
        if self.websocket.application_state is WebSocketState.CONNECTED:
            try:
                await self.websocket.close(code, reason)
            except (RuntimeError, OSError) as exc:
                logger.debug("%s: close failed: %s", self.charge_point_id, exc)

    async def drain(self, timeout: float) -> None:
        """Wait for running handlers, cancel those still running after ``timeout``."""
        tasks = set(self._tasks)
        if not tasks:
            return
        _, pending = await asyncio.wait(tasks, timeout=timeout)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending)
