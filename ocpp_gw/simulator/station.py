"""A simulated charging station: the WebSocket connection, RPC bookkeeping and connector state.

What the messages look like is a version's business (:mod:`.dialect16`, :mod:`.dialect2`); this
module only sends CALLs one at a time, answers the CSMS's CALLs without blocking the receive
loop, and keeps the energy registers running::

    async with SimulatedStation("ws://127.0.0.1:9000/ocpp", "CP1", "1.6") as station:
        await station.boot()
        transaction_id = await station.start_transaction("TAG1", connector=1)
        await station.send_meter_values(1)
        await station.stop_transaction(1)
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import functools
import itertools
import logging
import ssl
import time
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any
from urllib.parse import quote

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from ocpp_gw.handlers.base import OCPPVersion
from ocpp_gw.protocol.errors import ERROR_RULES, ErrorCode, OCPPCallError, error_from_wire
from ocpp_gw.protocol.framing import (
    Call,
    CallError,
    CallResult,
    FrameError,
    Send,
    encode_call,
    encode_call_error,
    encode_call_result,
    encode_send,
    parse_frame,
)

logger = logging.getLogger(__name__)

__all__ = ["Answer", "Connector", "Dialect", "SimulatedStation"]

FollowUp = Callable[[], Awaitable[None]]


@dataclass
class Answer:
    """A command's CALLRESULT payload and what the station does after sending it."""

    payload: dict[str, Any]
    follow_up: FollowUp | None = None


@dataclass
class Connector:
    """A 1.6 connector or a 2.x EVSE (with one connector), and its energy meter."""

    id: int
    meter_wh: float = 0.0
    status: str = "Available"
    operative: bool = True
    transaction_id: str | None = None
    id_token: str | None = None
    reservation_id: int | None = None
    remote_start_id: int | None = None
    seq_no: int = 0
    charging_profiles: dict[int, dict[str, Any]] = field(default_factory=dict)
    _last_reading: float = field(default_factory=time.monotonic)

    @property
    def charging(self) -> bool:
        return self.transaction_id is not None

    def read_meter(self, power_w: float, time_scale: float) -> float:
        """The energy register now; it grows with ``power_w`` while a transaction runs."""
        now = time.monotonic()
        if self.charging:
            self.meter_wh += power_w * (now - self._last_reading) / 3600 * time_scale
        self._last_reading = now
        return round(self.meter_wh, 1)


class Dialect(ABC):
    """The messages of one OCPP version, sent and answered for a :class:`SimulatedStation`."""

    version: OCPPVersion

    def __init__(self, station: SimulatedStation) -> None:
        self.station = station

    def reserve(self, connector: Connector | None, reservation_id: int) -> Answer:
        """ReserveNow in either version: the connector turns Reserved once the answer is sent."""
        if connector is None:
            return Answer({"status": "Unavailable"})
        if connector.charging or connector.reservation_id is not None:
            return Answer({"status": "Occupied"})
        connector.reservation_id = reservation_id

        async def reserved() -> None:
            await self.station.set_status(connector.id, "Reserved")

        return Answer({"status": "Accepted"}, reserved)

    def change_availability(self, targets: list[Connector], operative: bool) -> Answer:
        """ChangeAvailability in either version; a connector that is charging changes afterwards."""
        if not targets:
            return Answer({"status": "Rejected"})
        for connector in targets:
            connector.operative = operative
        if any(c.charging for c in targets) and not operative:
            # Applies once the running transaction ends (see stop()).
            return Answer({"status": "Scheduled"})

        async def report() -> None:
            for connector in targets:
                await self.station.set_status(
                    connector.id, "Available" if operative else "Unavailable"
                )

        return Answer({"status": "Accepted"}, report)

    def cancel_reservation(self, reservation_id: int) -> Answer:
        """CancelReservation in either version: the reserved connector turns Available again."""
        for connector in self.station.connectors.values():
            if connector.reservation_id == reservation_id:
                connector.reservation_id = None

                async def released(c: Connector = connector) -> None:
                    await self.station.set_status(c.id, "Available")

                return Answer({"status": "Accepted"}, released)
        return Answer({"status": "Rejected"})

    @abstractmethod
    async def boot(self) -> dict[str, Any]: ...

    @abstractmethod
    async def send_status(self, connector: Connector) -> None: ...

    @abstractmethod
    async def authorize(self, id_token: str) -> str:
        """Send Authorize; return the status word the CSMS answered."""

    @abstractmethod
    async def start(self, connector: Connector, id_token: str) -> tuple[str, bool]:
        """Begin a transaction on ``connector``; return its id and whether the token was
        accepted."""

    @abstractmethod
    async def meter_values(self, connector: Connector) -> None: ...

    @abstractmethod
    async def stop(self, connector: Connector, reason: str) -> None: ...

    @abstractmethod
    async def handle(self, action: str, payload: dict[str, Any]) -> Answer:
        """Answer a CSMS CALL; raise :class:`OCPPCallError` for a CALLERROR."""


class SimulatedStation:
    """One charging station speaking ``version`` to the CSMS at ``url`` (``…/ocpp``).

    ``identity`` is appended to ``url``; ``password`` enables HTTP Basic auth (security profile
    1/2). ``power_w`` is the charging power and ``time_scale`` speeds up the energy meter (10 →
    ten simulated seconds per real second). CSMS calls received are kept in ``received``.
    """

    def __init__(
        self,
        url: str,
        identity: str,
        version: OCPPVersion | str = OCPPVersion.v16,
        password: str | None = None,
        *,
        connectors: int = 1,
        vendor: str = "OCPP-GW",
        model: str = "Simulator",
        power_w: float = 11000.0,
        time_scale: float = 1.0,
        meter_interval: float = 60.0,
        call_timeout: float = 30.0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.identity = identity
        self.version = OCPPVersion(version)
        self.password = password
        self.vendor = vendor
        self.model = model
        self.power_w = power_w
        self.time_scale = time_scale
        self.meter_interval = meter_interval
        self.call_timeout = call_timeout
        self.ssl_context = ssl_context
        self.connectors = {n: Connector(id=n) for n in range(1, connectors + 1)}
        self.heartbeat_interval: int | None = None
        self.registration_status: str | None = None
        self.received: list[tuple[str, dict[str, Any]]] = []
        #: Certificate chains installed by the CSMS (CertificateSigned / InstallCertificate).
        self.certificates: list[str] = []
        self._last_boot = 0.0
        self._ws: ClientConnection | None = None
        self._ids = itertools.count(1)
        self._pending: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._abandoned: set[str] = set()
        self._call_lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()
        self._receiver: asyncio.Task[None] | None = None
        self.dialect = _dialect_for(self)

    # Connection

    async def connect(self) -> None:
        """Open the WebSocket with this version's subprotocol and start answering the CSMS."""
        headers = {}
        if self.password is not None:
            secret = base64.b64encode(f"{self.identity}:{self.password}".encode()).decode()
            headers["Authorization"] = f"Basic {secret}"
        self._ws = await connect(
            f"{self.url}/{quote(self.identity, safe='')}",
            subprotocols=[Subprotocol(self.version.subprotocol)],
            additional_headers=headers,
            ssl=self.ssl_context,
            proxy=None,
            open_timeout=self.call_timeout,
        )
        if self._ws.subprotocol != self.version.subprotocol:
            await self._ws.close()
            raise ConnectionError(f"CSMS did not accept subprotocol {self.version.subprotocol}")
        self._receiver = asyncio.create_task(self._receive(self._ws))
        logger.info("%s connected (%s)", self.identity, self.version.subprotocol)

    async def close(self) -> None:
        """Stop background work and close the connection."""
        tasks = [*self._tasks, *([self._receiver] if self._receiver else [])]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._tasks.clear()
        self._receiver = None
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    async def __aenter__(self) -> SimulatedStation:
        await self.connect()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    @property
    def connected(self) -> bool:
        return self._ws is not None and self._receiver is not None and not self._receiver.done()

    # Outgoing CALLs

    async def call(self, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Send a CALL and wait for its CALLRESULT; a CALLERROR raises :class:`OCPPCallError`."""
        if self._ws is None:
            raise ConnectionError("not connected")
        async with self._call_lock:  # OCPP-J: one outstanding CALL per direction
            unique_id = f"{self.identity}-{next(self._ids)}"
            future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
            self._pending[unique_id] = future
            try:
                await self._ws.send(encode_call(unique_id, action, payload))
                # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation
                # that races with the answer, leaving the caller running after cancel().
                async with asyncio.timeout(self.call_timeout):
                    return await future
            finally:
                self._pending.pop(unique_id, None)
                if future.cancelled() or not future.done():  # its answer may still come
                    self._abandoned.add(unique_id)

    async def send(self, action: str, payload: dict[str, Any]) -> None:
        """Send a 2.1 SEND (unconfirmed message, e.g. NotifyPeriodicEventStream)."""
        if self.version is not OCPPVersion.v21:
            raise ValueError(f"SEND messages do not exist in OCPP {self.version.value}")
        if self._ws is None:
            raise ConnectionError("not connected")
        await self._ws.send(encode_send(f"{self.identity}-{next(self._ids)}", action, payload))

    # Station behaviour

    async def boot(self) -> dict[str, Any]:
        """BootNotification; when accepted, report every connector's status.

        Not accepted (``Pending``/``Rejected``): :meth:`run` boots again after ``interval``.
        """
        answer = await self.dialect.boot()
        self._last_boot = time.monotonic()
        self.registration_status = answer["status"]
        self.heartbeat_interval = answer["interval"]
        if answer["status"] == "Accepted":
            for connector in self.connectors.values():
                await self.dialect.send_status(connector)
        return answer

    async def heartbeat(self) -> dict[str, Any]:
        return await self.call("Heartbeat", {})

    async def set_status(self, connector_id: int, status: str) -> None:
        connector = self.connectors[connector_id]
        connector.status = status
        await self.dialect.send_status(connector)

    async def authorize(self, id_token: str) -> str:
        return await self.dialect.authorize(id_token)

    def certificate_request(self) -> str:
        """A CSR (PEM) for SignCertificate; a placeholder, the simulator holds no real key."""
        body = base64.b64encode(f"simulated CSR of {self.identity}".encode()).decode()
        return f"-----BEGIN CERTIFICATE REQUEST-----\n{body}\n-----END CERTIFICATE REQUEST-----"

    def free_connector(self) -> Connector | None:
        for connector in self.connectors.values():
            if not connector.charging and connector.operative:
                return connector
        return None

    async def start_transaction(
        self, id_token: str, connector: int = 1, *, remote_start_id: int | None = None
    ) -> str:
        """Plug in and start charging on ``connector``; returns the transaction id.

        A token the CSMS does not accept ends the transaction at once (reason ``DeAuthorized``),
        as stations do by default (1.6 ``StopTransactionOnInvalidId``, 2.x
        ``StopTxOnInvalidId``).
        """
        target = self.connectors[connector]
        if target.charging:
            raise RuntimeError(f"connector {connector} already has transaction")
        target.id_token = id_token
        target.remote_start_id = remote_start_id
        target.seq_no = 0
        target.read_meter(self.power_w, self.time_scale)
        transaction_id, accepted = await self.dialect.start(target, id_token)
        target.transaction_id = transaction_id
        if not accepted:
            await self.stop_transaction(connector, "DeAuthorized")
        return transaction_id

    async def send_meter_values(self, connector: int = 1) -> None:
        await self.dialect.meter_values(self.connectors[connector])

    async def stop_transaction(self, connector: int = 1, reason: str = "Local") -> None:
        target = self.connectors[connector]
        if not target.charging:
            raise RuntimeError(f"connector {connector} has no transaction")
        await self.dialect.stop(target, reason)
        target.transaction_id = target.id_token = None
        target.remote_start_id = None

    def connector_of(self, transaction_id: str) -> Connector | None:
        for connector in self.connectors.values():
            if connector.transaction_id == transaction_id:
                return connector
        return None

    async def run(self, stop: asyncio.Event | None = None) -> None:
        """Heartbeats and periodic meter values until ``stop`` is set, the task is cancelled or
        the connection closes. ``stop`` ends the loop between messages, never in the middle
        of a CALL."""
        stop = stop or asyncio.Event()
        last_heartbeat = last_meter = time.monotonic()
        while self.connected and not stop.is_set():
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(min(1.0, self.meter_interval)):
                    await stop.wait()
            if stop.is_set():
                return
            now = time.monotonic()
            if self.registration_status != "Accepted":
                # Until accepted a station sends nothing but BootNotification, once per interval.
                if now - self._last_boot >= (self.heartbeat_interval or 60):
                    await self.boot()
                continue
            if self.heartbeat_interval and now - last_heartbeat >= self.heartbeat_interval:
                await self.heartbeat()
                last_heartbeat = now
            if now - last_meter >= self.meter_interval:
                for connector in self.connectors.values():
                    if connector.charging:
                        await self.dialect.meter_values(connector)
                last_meter = now

    def spawn(self, work: FollowUp) -> None:
        """Run ``work`` in the background (a command's follow-up), logging its failure."""

        async def run() -> None:
            try:
                await work()
            except Exception:
                logger.exception("%s background action failed", self.identity)

        task = asyncio.create_task(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def settle(self) -> None:
        """Wait until every follow-up started so far has finished (useful in tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    # Incoming frames

    async def _receive(self, ws: ClientConnection) -> None:
        try:
            async for data in ws:
                try:
                    message = parse_frame(data, self.version)
                except FrameError as exc:
                    logger.warning("%s unreadable frame from CSMS: %s", self.identity, exc)
                    continue
                if isinstance(message, CallResult):
                    self._resolve(message.unique_id, message.payload, None)
                elif isinstance(message, CallError):
                    error = error_from_wire(message.code, message.description, message.details)
                    self._resolve(message.unique_id, None, error)
                elif isinstance(message, Call | Send):
                    self.spawn(functools.partial(self._answer, ws, message))
        except ConnectionClosed:
            logger.info("%s connection closed", self.identity)
        finally:
            for future in self._pending.values():
                if not future.done():
                    future.set_exception(ConnectionError("connection closed"))

    def _resolve(
        self, unique_id: str, payload: dict[str, Any] | None, error: OCPPCallError | None
    ) -> None:
        future = self._pending.get(unique_id)
        if unique_id in self._abandoned:
            self._abandoned.discard(unique_id)
            logger.debug("%s late answer to %s ignored", self.identity, unique_id)
        elif future is None or future.done():
            logger.warning("%s answer to unknown call %s", self.identity, unique_id)
        elif error is not None:
            future.set_exception(error)
        else:
            future.set_result(payload or {})

    async def _answer(self, ws: ClientConnection, call: Call | Send) -> None:
        self.received.append((call.action, call.payload))
        try:
            answer = await self.dialect.handle(call.action, call.payload)
        except OCPPCallError as exc:
            code = ERROR_RULES[self.version].wire(exc.error_code)
            if isinstance(call, Call):
                await ws.send(encode_call_error(call.unique_id, code, str(exc)))
            return
        except Exception:
            logger.exception("%s failed to handle %s", self.identity, call.action)
            code = ERROR_RULES[self.version].wire(ErrorCode.INTERNAL_ERROR)
            if isinstance(call, Call):
                await ws.send(encode_call_error(call.unique_id, code, "simulator error"))
            return
        if isinstance(call, Call):
            await ws.send(encode_call_result(call.unique_id, answer.payload))
        if answer.follow_up is not None:
            await answer.follow_up()


def _dialect_for(station: SimulatedStation) -> Dialect:
    # Imported here: the dialects import this module for Dialect/Answer/Connector.
    from ocpp_gw.simulator.dialect2 import Dialect2
    from ocpp_gw.simulator.dialect16 import Dialect16

    if station.version is OCPPVersion.v16:
        return Dialect16(station)
    return Dialect2(station)
