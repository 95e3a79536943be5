"""The OCPP gateway: connections, handler tables, calls to stations, lifecycle.

::

    gateway = OCPPGateway(authenticator=MyAuthenticator, settings=GatewaySettings())

    @gateway.on("1.6", "DataTransfer")
    async def data_transfer(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
        return {"status": "Accepted"}

    app = FastAPI(lifespan=gateway.lifespan)
    app.include_router(gateway.router)       # WebSocket /ocpp/{charge_point_id}
    app.include_router(gateway.api_router)   # REST /api/ocpp/...

    payload = await gateway.call("CP1", "Reset", {"type": "Soft"})
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import logging
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter
from starlette.websockets import WebSocket

from ocpp_gw.bus import Command, CommandBus, MemoryCommandBus
from ocpp_gw.config import GatewaySettings
from ocpp_gw.connection import ChargerConnection, CloseCode
from ocpp_gw.events import ChargerConnected, ChargerDisconnected, EventBus
from ocpp_gw.exceptions import ChargerNotConnected, InvalidCallError
from ocpp_gw.handlers.base import (
    AuthorizationDecision,
    Authorizer,
    Handler,
    HandlerTable,
    IdTokenInfo,
    OCPPVersion,
)
from ocpp_gw.protocol.errors import OCPPCallError
from ocpp_gw.protocol.rpc import RpcSession
from ocpp_gw.protocol.security import Network, parse_trusted_proxies
from ocpp_gw.protocol.validation import schema_set
from ocpp_gw.registry import ChargerLocation, ChargerRegistry, MemoryChargerRegistry

if TYPE_CHECKING:
    from ocpi.core.authentication.authenticator import Authenticator
    from ocpp_gw.state import ChargerStateStore

__all__ = ["TAKEOVER_ACTION", "OCPPGateway"]

logger = logging.getLogger(__name__)

#: Bus command telling a node that the station it holds connected to another node. Not an OCPP
#: action (those never start with an underscore), so no station can be sent one by mistake.
TAKEOVER_ACTION = "_takeover"

_DEFAULT_HANDLER_MODULES = {
    OCPPVersion.v16: "ocpp_gw.handlers.v16",
    OCPPVersion.v201: "ocpp_gw.handlers.v201",
    OCPPVersion.v21: "ocpp_gw.handlers.v21",
}


def _as_version(version: OCPPVersion | str) -> OCPPVersion:
    if isinstance(version, OCPPVersion):
        return version
    return OCPPVersion(version.removeprefix("ocpp"))


def _compile_schemas(versions: list[OCPPVersion]) -> None:
    for version in versions:
        schema_set(version).compile_all()


def _log_compile_failure(future: asyncio.Future[None]) -> None:
    if not future.cancelled() and future.exception() is not None:
        logger.error("precompiling schemas failed", exc_info=future.exception())


def _tune_gc(thresholds: tuple[int, int, int]) -> Callable[[asyncio.Future[None]], None]:
    def tune(future: asyncio.Future[None]) -> None:
        # Runs once, on the event loop, right after start-up work: a single full collection
        # now, then the survivors are never scanned again.
        gc.collect()
        gc.freeze()
        gc.set_threshold(*thresholds)
        logger.debug("%d objects moved out of the collector's reach", gc.get_freeze_count())

    return tune


class OCPPGateway:
    """A CSMS endpoint for OCPP 1.6J, 2.0.1 and 2.1 stations.

    ``authenticator`` decides which stations may connect (class or instance with
    ``authenticate_charger``); ``authorizer`` which tokens may charge (default: every token is
    accepted); ``handlers`` replaces the default handler table of the versions it names;
    ``registry``/``bus`` connect several gateway processes (in-memory by default).
    """

    def __init__(
        self,
        authenticator: type[Authenticator] | Authenticator | None = None,
        settings: GatewaySettings | None = None,
        state: ChargerStateStore | None = None,
        authorizer: Authorizer | None = None,
        handlers: dict[OCPPVersion, HandlerTable] | None = None,
        *,
        registry: ChargerRegistry | None = None,
        bus: CommandBus | None = None,
    ) -> None:
        self.authenticator = authenticator
        self.settings = settings if settings is not None else GatewaySettings()
        self.authorizer = authorizer
        self.events = EventBus()
        self.registry = registry if registry is not None else MemoryChargerRegistry()
        self.bus = bus if bus is not None else MemoryCommandBus()
        self.node_id = self.settings.node_id or f"node-{uuid.uuid4().hex[:12]}"
        self.trusted_proxies: tuple[Network, ...] = parse_trusted_proxies(
            self.settings.trusted_proxies
        )
        self._state = state
        self._tables: dict[OCPPVersion, HandlerTable] = {}
        for version, table in (handlers or {}).items():
            self._tables[_as_version(version)] = table
        self._connections: dict[str, ChargerConnection] = {}
        self._locations: dict[ChargerConnection, ChargerLocation] = {}
        self._sweeper: asyncio.Task[None] | None = None
        self._refresher: asyncio.Task[None] | None = None
        self._background: set[asyncio.Task[None]] = set()
        self._started = False
        self._stopping = False
        self._compiling: asyncio.Future[None] | None = None

    # -- services for handlers -----------------------------------------------------------------

    @property
    def state(self) -> ChargerStateStore:
        """The charger state store (an in-memory one unless given)."""
        if self._state is None:
            from ocpp_gw.state import MemoryStateStore

            self._state = MemoryStateStore()
        return self._state

    async def authorize(self, charge_point_id: str, token: IdTokenInfo) -> AuthorizationDecision:
        """Ask the configured :class:`Authorizer`; without one every token is accepted."""
        if self.authorizer is None:
            return AuthorizationDecision("Accepted")
        return await self.authorizer(charge_point_id, token)

    # -- handlers ------------------------------------------------------------------------------

    def default_handlers(self, version: OCPPVersion) -> HandlerTable:
        """A fresh copy of the built-in handler table of ``version`` (override in a subclass)."""
        module_name = _DEFAULT_HANDLER_MODULES[version]
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            logger.warning("no default handlers for OCPP %s", version.value)
            return HandlerTable(version)
        table: HandlerTable = module.HANDLERS
        return table.copy()

    def handler_table(self, version: OCPPVersion | str) -> HandlerTable:
        """The table dispatching CALLs of ``version`` (loaded on first use)."""
        version = _as_version(version)
        table = self._tables.get(version)
        if table is None:
            table = self._tables[version] = self.default_handlers(version)
        return table

    def on(self, version: OCPPVersion | str, action: str) -> Callable[[Handler], Handler]:
        """Decorator overriding (or adding) the handler of ``action`` for ``version``."""
        return self.handler_table(version).on(action)

    # -- routers -------------------------------------------------------------------------------

    @cached_property
    def router(self) -> APIRouter:
        """The WebSocket route stations connect to."""
        from ocpp_gw.endpoint import build_websocket_router

        return build_websocket_router(self)

    @cached_property
    def api_router(self) -> APIRouter:
        """The REST command API."""
        from ocpp_gw.api import build_api_router

        return build_api_router(self)

    def uvicorn_options(self) -> dict[str, Any]:
        """WebSocket options for ``uvicorn.run``/``uvicorn.Config`` matching these settings.

        Includes ``ws``: uvicorn's WebSocket protocol extended to expose TLS client certificates
        (security profile 3 over direct TLS).
        """
        from ocpp_gw.endpoint import tls_websocket_protocol

        options: dict[str, Any] = {
            # Slack for the WebSocket framing around the largest accepted OCPP frame.
            "ws_max_size": self.settings.max_frame_size + 1024,
            "ws_ping_interval": self.settings.ws_ping_interval,
            "ws_ping_timeout": self.settings.ws_ping_timeout,
            "ws_per_message_deflate": self.settings.ws_per_message_deflate,
        }
        protocol = tls_websocket_protocol()
        if protocol is not None:
            options["ws"] = protocol
        return options

    # -- connections ---------------------------------------------------------------------------

    @property
    def accepting(self) -> bool:
        """``False`` between :meth:`stop` and the next :meth:`start`: new stations are refused."""
        return not self._stopping

    @property
    def connections(self) -> dict[str, ChargerConnection]:
        """Stations connected to this process, by identity (a read-only view by convention)."""
        return self._connections

    def connection(self, charge_point_id: str) -> ChargerConnection | None:
        return self._connections.get(charge_point_id)

    async def serve_connection(
        self,
        websocket: WebSocket,
        charge_point_id: str,
        version: OCPPVersion,
        security_profile: int = 0,
    ) -> None:
        """Run an accepted station WebSocket until it closes (called by the endpoint)."""
        settings = self.settings
        session = RpcSession(
            version,
            schema_set(version),
            self.handler_table(version),
            validate_responses=settings.validate_responses,
            max_in_progress=settings.max_concurrent_calls,
        )
        client = websocket.scope.get("client")
        connection = ChargerConnection(
            websocket,
            charge_point_id,
            version,
            session,
            self,
            max_frame_size=settings.max_frame_size,
            bad_message_budget=settings.bad_message_budget,
            bad_message_window=settings.bad_message_window,
            remote_address=client[0] if client else None,
            security_profile=security_profile,
            last_seen_interval=settings.last_seen_interval,
        )
        try:
            await self._attach(connection)
            await connection.run()
        finally:
            await self._detach(connection)

    async def _attach(self, connection: ChargerConnection) -> None:
        self._ensure_sweeper()
        cp_id = connection.charge_point_id
        previous = self._connections.get(cp_id)
        self._connections[cp_id] = connection
        elsewhere = await self.registry.lookup(cp_id)
        location = self._locations[connection] = await self.registry.claim(
            ChargerLocation(
                cp_id,
                self.node_id,
                connection.version.value,
                connection.connected_at,
                connection.remote_address,
            )
        )
        if previous is not None:
            logger.info("%s reconnected; closing the previous connection", cp_id)
            await previous.close(CloseCode.NORMAL, "Replaced by a new connection")
        if elsewhere is not None and elsewhere.node_id != self.node_id:
            # The station was on another node (a load balancer moved it): that node may not
            # have noticed the old socket is dead yet. Tell it to close; do not wait for it.
            self._spawn(self._announce_takeover(elsewhere, location))
        logger.info("%s connected with OCPP %s", cp_id, connection.version.value)
        await self.events.emit(
            ChargerConnected(
                charge_point_id=cp_id,
                version=connection.version.value,
                timestamp=connection.connected_at,
                remote_address=connection.remote_address,
            )
        )

    async def _detach(self, connection: ChargerConnection) -> None:
        cp_id = connection.charge_point_id
        if self._connections.get(cp_id) is connection:
            del self._connections[cp_id]
        location = self._locations.pop(connection, None)
        if location is not None:
            await self.registry.release(location)
        logger.info("%s disconnected (%s)", cp_id, connection.close_code)
        await self.events.emit(
            ChargerDisconnected(
                charge_point_id=cp_id,
                version=connection.version.value,
                timestamp=datetime.now(UTC),
                code=connection.close_code,
                reason=connection.close_reason,
            )
        )

    # -- calls ---------------------------------------------------------------------------------

    async def call(
        self,
        charge_point_id: str,
        action: str,
        payload: dict[str, Any],
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """Send a CSMS-initiated CALL and return the station's CALLRESULT payload.

        The payload is validated before sending (:class:`~ocpp_gw.exceptions.InvalidCallError`)
        and the answer after receiving. A CALLERROR answer raises its typed
        :class:`~ocpp_gw.exceptions.OCPPCallError` subclass; no answer in time raises
        :class:`~ocpp_gw.exceptions.CallTimeoutError`; a station connected to no node raises
        :class:`~ocpp_gw.exceptions.ChargerNotConnected`. Stations held by another node are
        reached over the command bus.
        """
        if timeout is None:
            timeout = self.settings.call_timeout
        connection = self._connections.get(charge_point_id)
        if connection is not None and not connection.closed:
            return await connection.call(action, payload, timeout)
        location = await self.registry.lookup(charge_point_id)
        if location is None or location.node_id == self.node_id:
            raise ChargerNotConnected(
                f"{charge_point_id} is not connected", charge_point_id=charge_point_id
            )
        self._check_call(OCPPVersion(location.version), action, payload)
        return await self.bus.request(
            location.node_id, Command(charge_point_id, action, payload, timeout)
        )

    async def send(self, charge_point_id: str, action: str, payload: dict[str, Any]) -> None:
        """Send a 2.1 SEND (unconfirmed message) to a station connected to this node."""
        connection = self._connections.get(charge_point_id)
        if connection is None or connection.closed:
            raise ChargerNotConnected(
                f"{charge_point_id} is not connected", charge_point_id=charge_point_id
            )
        await connection.send_unconfirmed(action, payload)

    async def _announce_takeover(self, old: ChargerLocation, new: ChargerLocation) -> None:
        command = Command(
            new.charge_point_id,
            TAKEOVER_ACTION,
            {"node_id": self.node_id, "generation": new.generation},
            self.settings.call_timeout,
        )
        try:
            await self.bus.request(old.node_id, command)
        except Exception as exc:  # the old node may be gone: then its socket is gone too
            logger.info(
                "%s: could not tell %s about the takeover: %s",
                new.charge_point_id,
                old.node_id,
                exc,
            )

    async def _take_over(self, command: Command) -> dict[str, Any]:
        """Another node now holds the station: close the stale connection held here."""
        connection = self._connections.get(command.charge_point_id)
        if connection is None:
            return {"closed": False}
        location = self._locations.get(connection)
        newer = command.payload.get("generation")
        if location is not None and isinstance(newer, int) and location.generation >= newer:
            return {"closed": False}  # ours is the newer connection
        logger.info(
            "%s reconnected to %s; closing the connection here",
            command.charge_point_id,
            command.payload.get("node_id"),
        )
        await connection.close(CloseCode.NORMAL, "Replaced by a connection to another node")
        return {"closed": True}

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def execute(self, command: Command) -> dict[str, Any]:
        """Run a command received over the bus on a station held by this node."""
        if command.action == TAKEOVER_ACTION:
            return await self._take_over(command)
        connection = self._connections.get(command.charge_point_id)
        if connection is None or connection.closed:
            raise ChargerNotConnected(
                f"{command.charge_point_id} is not connected to {self.node_id}",
                charge_point_id=command.charge_point_id,
            )
        timeout = command.timeout if command.timeout is not None else self.settings.call_timeout
        return await connection.call(command.action, command.payload, timeout)

    @staticmethod
    def _check_call(version: OCPPVersion, action: str, payload: dict[str, Any]) -> None:
        schemas = schema_set(version)
        if action not in schemas or action in schemas.send_actions:
            raise InvalidCallError(f"OCPP {version.value} has no CALL {action!r}")
        try:
            schemas.validate_request(action, payload)
        except OCPPCallError as exc:
            raise InvalidCallError(exc.description, violation=exc) from None

    async def version_of(self, charge_point_id: str) -> OCPPVersion:
        """The OCPP version the station is connected with (on any node)."""
        connection = self._connections.get(charge_point_id)
        if connection is not None and not connection.closed:
            return connection.version
        location = await self.registry.lookup(charge_point_id)
        if location is None:
            raise ChargerNotConnected(
                f"{charge_point_id} is not connected", charge_point_id=charge_point_id
            )
        return OCPPVersion(location.version)

    # -- typed helpers: the right action for the station's version -----------------------------

    async def reset(
        self, charge_point_id: str, *, hard: bool = False, timeout: float | None = None
    ) -> str:
        """Reset the station; returns its status (``Accepted``, ``Rejected``, ``Scheduled``).

        1.6 ``Reset`` type ``Hard``/``Soft``; 2.x ``Reset`` type ``Immediate``/``OnIdle``.
        """
        version = await self.version_of(charge_point_id)
        if version is OCPPVersion.v16:
            payload = {"type": "Hard" if hard else "Soft"}
        else:
            payload = {"type": "Immediate" if hard else "OnIdle"}
        result = await self.call(charge_point_id, "Reset", payload, timeout)
        return str(result["status"])

    async def remote_start(
        self,
        charge_point_id: str,
        id_token: str,
        *,
        evse_id: int | None = None,
        connector_id: int | None = None,
        id_token_type: str = "Central",  # noqa: S107 - an OCPP token type, not a secret
        remote_start_id: int | None = None,
        timeout: float | None = None,
    ) -> str:
        """Ask the station to start a transaction for ``id_token``; returns its status.

        1.6 ``RemoteStartTransaction`` (``connector_id`` or ``evse_id`` as connector);
        2.x ``RequestStartTransaction`` (``remote_start_id`` generated when not given).
        """
        version = await self.version_of(charge_point_id)
        payload: dict[str, Any]
        if version is OCPPVersion.v16:
            payload = {"idTag": id_token}
            connector = connector_id if connector_id is not None else evse_id
            if connector is not None:
                payload["connectorId"] = connector
            result = await self.call(charge_point_id, "RemoteStartTransaction", payload, timeout)
        else:
            if remote_start_id is None:
                remote_start_id = uuid.uuid4().int % 2_000_000_000
            payload = {
                "idToken": {"idToken": id_token, "type": id_token_type},
                "remoteStartId": remote_start_id,
            }
            if evse_id is not None:
                payload["evseId"] = evse_id
            result = await self.call(charge_point_id, "RequestStartTransaction", payload, timeout)
        return str(result["status"])

    async def remote_stop(
        self, charge_point_id: str, transaction_id: str | int, *, timeout: float | None = None
    ) -> str:
        """Ask the station to stop a transaction; returns its status.

        1.6 ``RemoteStopTransaction`` (integer id); 2.x ``RequestStopTransaction`` (string id).
        """
        version = await self.version_of(charge_point_id)
        if version is OCPPVersion.v16:
            try:
                numeric = int(transaction_id)
            except ValueError:
                raise InvalidCallError(
                    f"OCPP 1.6 transaction ids are integers, got {transaction_id!r}",
                    charge_point_id=charge_point_id,
                ) from None
            payload: dict[str, Any] = {"transactionId": numeric}
            result = await self.call(charge_point_id, "RemoteStopTransaction", payload, timeout)
        else:
            payload = {"transactionId": str(transaction_id)}
            result = await self.call(charge_point_id, "RequestStopTransaction", payload, timeout)
        return str(result["status"])

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        """Start serving bus commands, the idle sweeper and (optionally) precompile schemas."""
        self._stopping = False
        if self._started:
            return
        self._started = True
        if self.settings.precompile_schemas and self._compiling is None:
            # Not awaited: start-up does not wait, and until it is done schemas compile lazily.
            self._compiling = asyncio.get_running_loop().run_in_executor(
                None, _compile_schemas, list(self.settings.versions)
            )
            self._compiling.add_done_callback(_log_compile_failure)
            if self.settings.tune_gc_after_start:
                self._compiling.add_done_callback(_tune_gc(self.settings.gc_thresholds))
        await self.bus.serve(self.node_id, self.execute)
        self._ensure_sweeper()
        if self._refresher is None:
            self._refresher = asyncio.get_running_loop().create_task(self._refresh_registry())

    async def stop(self) -> None:
        """Close every station connection (1001 going away) and stop background work."""
        self._started = False
        self._stopping = True
        await self.bus.stop_serving(self.node_id)
        for task in (self._sweeper, self._refresher):
            if task is not None:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        self._sweeper = self._refresher = None
        connections = list(self._connections.values())
        await asyncio.gather(
            *(c.close(CloseCode.GOING_AWAY, "Server shutting down") for c in connections)
        )
        for task in self._background:  # best-effort announcements: not worth waiting for
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
        await asyncio.gather(*(c.drain(self.settings.shutdown_timeout) for c in connections))

    @asynccontextmanager
    async def lifespan(self, app: object = None) -> AsyncIterator[None]:
        """``FastAPI(lifespan=gateway.lifespan)``: start on startup, stop on shutdown."""
        await self.start()
        try:
            yield
        finally:
            await self.stop()

    async def _refresh_registry(self) -> None:
        while True:
            await asyncio.sleep(self.settings.registry_refresh_interval)
            try:
                await self.registry.refresh(list(self._locations.values()))
            except Exception:
                logger.exception("refreshing the charger registry failed")

    def _ensure_sweeper(self) -> None:
        if self._sweeper is None and self.settings.idle_timeout is not None:
            self._sweeper = asyncio.get_running_loop().create_task(self._sweep_idle())

    async def _sweep_idle(self) -> None:
        idle_timeout = self.settings.idle_timeout
        assert idle_timeout is not None
        interval = max(0.05, min(idle_timeout / 4, 30.0))
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(interval)
            deadline = loop.time() - idle_timeout
            for connection in list(self._connections.values()):
                if connection.last_activity < deadline and not connection.closed:
                    logger.info(
                        "%s idle for %.0f s; closing", connection.charge_point_id, idle_timeout
                    )
                    await connection.close(CloseCode.NORMAL, "Idle timeout")
