"""A CPO in a box: OCPP stations served to OCPI roaming partners, no glue code.

::

    gateway = OCPPGateway(settings=GatewaySettings(...))
    bridge = Bridge(gateway=gateway, crud=MyCrud, directory=MyDirectory(),
                    settings=BridgeSettings(country_code="NL", party_id="CPO"))
    app = get_application(
        version_numbers=[VersionNumber.v_2_2_1], roles=[RoleEnum.cpo],
        modules=[ModuleID.locations, ModuleID.sessions, ModuleID.cdrs, ModuleID.tariffs,
                 ModuleID.tokens, ModuleID.commands, ModuleID.charging_profile],
        crud=bridge.crud,                       # the integrator's Crud with the bridge in front
        authenticator=MyAuthenticator,
        ocpp_gateway=bridge.ocpp_gateway,       # gateway + bridge, started with the app
    )
    bridge.attach(app)                          # where command results are posted from

(:meth:`Bridge.application` does those two steps in one call.) The bridge subscribes to the
gateway's events and is the gateway's token :class:`~ocpp_gw.handlers.base.Authorizer`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter

from ocpi.core.client import OCPIClient, OCPIClientError
from ocpi.core.data_types import format_datetime
from ocpi.core.enums import ModuleID, RoleEnum
from ocpi.modules.chargingprofiles import complete_charging_profile
from ocpi.modules.commands import complete_command
from ocpi.modules.versions.enums import VersionNumber
from ocpp_gw.bridge.api import build_bridge_router
from ocpp_gw.bridge.authorizer import BridgeAuthorizer
from ocpp_gw.bridge.commands import CommandBridge
from ocpp_gw.bridge.crud import BridgeCrud
from ocpp_gw.bridge.directory import PartnerDirectory, PartnerInfo
from ocpp_gw.bridge.locations import LocationPublisher
from ocpp_gw.bridge.mapping import StationConfig, StationMap
from ocpp_gw.bridge.outbox import Outbox
from ocpp_gw.bridge.render import TokenRef
from ocpp_gw.bridge.sessions import SessionPublisher
from ocpp_gw.bridge.settings import BridgeSettings
from ocpp_gw.events import (
    ChargerBooted,
    ChargerConnected,
    DeviceEventReceived,
    Event,
    MeterValuesReceived,
    ReservationStatusChanged,
    StatusChanged,
    TransactionEnded,
    TransactionStarted,
    TransactionUpdated,
)

if TYPE_CHECKING:
    from fastapi import FastAPI

    from ocpp_gw.gateway import OCPPGateway
    from ocpp_gw.handlers.base import CallContext, Handler

__all__ = ["Bridge", "BridgedGateway"]

logger = logging.getLogger(__name__)

Complete = Callable[[Any, str, Any], Awaitable[bool]]


class BridgedGateway:
    """The gateway and the bridge as one ``ocpp_gateway`` for :func:`ocpi.get_application`:
    the gateway's routes plus the bridge's REST API, both started and stopped with the app."""

    def __init__(self, bridge: Bridge) -> None:
        self.bridge = bridge

    @property
    def router(self) -> APIRouter:
        return self.bridge.gateway.router

    @cached_property
    def api_router(self) -> APIRouter:
        router = APIRouter()
        router.include_router(self.bridge.gateway.api_router)
        router.include_router(self.bridge.router)
        return router

    async def start(self) -> None:
        await self.bridge.start()
        await self.bridge.gateway.start()

    async def stop(self) -> None:
        await self.bridge.gateway.stop()
        await self.bridge.stop()


class Bridge:
    """OCPP ⇄ OCPI for a CPO (see the module docstring).

    ``crud`` is the integrator's Crud (class or instance), ``directory`` its partner list.
    Components, each usable on its own: ``stations`` (mapping), ``locations``, ``sessions``,
    ``commands``, ``authorizer``, ``outbox``.
    """

    def __init__(
        self,
        *,
        gateway: OCPPGateway,
        crud: Any,
        directory: PartnerDirectory,
        settings: BridgeSettings | None = None,
    ) -> None:
        self.gateway = gateway
        self.inner_crud = crud
        self.directory = directory
        self.settings = settings or BridgeSettings()
        self.stations = StationMap(self.settings.country_code or "", self.settings.party_id or "")
        self.crud = BridgeCrud(crud, self)
        self.authorizer = BridgeAuthorizer(self)
        self.locations = LocationPublisher(self)
        self.sessions = SessionPublisher(self)
        self.commands = CommandBridge(self)
        #: Token uid → key of the partner that pushed it.
        self.token_owners: dict[str, str] = {}
        self.client = self._new_client()
        self.outbox = Outbox(directory, self.client, self.settings)
        self._target: Any = None
        self._stopped = False
        self._tasks: set[asyncio.Task[Any]] = set()
        if gateway.authorizer is None:
            gateway.authorizer = self.authorizer
        events = gateway.events
        events.add(Event, self.locations.on_event)
        events.add(ChargerConnected, self.locations.on_connected)
        events.add(ChargerBooted, self.locations.on_booted)
        events.add(StatusChanged, self.locations.on_status)
        events.add(DeviceEventReceived, self.locations.on_device_event)
        events.add(TransactionStarted, self.sessions.on_started)
        events.add(MeterValuesReceived, self.sessions.on_meter_values)
        events.add(TransactionUpdated, self.sessions.on_updated)
        events.add(TransactionEnded, self.sessions.on_ended)
        events.add(ReservationStatusChanged, self.commands.on_reservation_status)
        self._watch_heartbeats()

    def _watch_heartbeats(self) -> None:
        """Heartbeats announce no event; wrap each version's handler so that a silent station
        comes back with its next Heartbeat too."""
        for version in self.gateway.settings.versions:
            table = self.gateway.handler_table(version)
            original = table.get("Heartbeat")
            if original is None:
                continue

            async def heartbeat(
                ctx: CallContext, payload: dict[str, Any], original: Handler = original
            ) -> dict[str, Any]:
                answer = await original(ctx, payload)
                await self.locations.seen(ctx.charge_point_id)
                return answer

            table.on("Heartbeat")(heartbeat)

    def _new_client(self) -> OCPIClient:
        # The outbox retries; the client itself tries once.
        return OCPIClient(timeout=self.settings.push_timeout, retries=0)

    # -- wiring -------------------------------------------------------------------------------

    @property
    def party(self) -> tuple[str, str]:
        """Our (country_code, party_id)."""
        return self.stations.country_code, self.stations.party_id

    def attach(self, app: Any) -> None:
        """Tell the bridge its OCPI application (or ``get_router()`` router, or context): command
        results are posted through it, and a party not set in the settings is taken from it."""
        self._target = app
        ctx = getattr(getattr(app, "state", None), "ocpi", None) or getattr(
            app, "ocpi_context", None
        )
        ocpi_settings = getattr(ctx, "settings", None) or getattr(app, "settings", None)
        if ocpi_settings is not None:
            if not self.settings.country_code:
                self.stations.country_code = str(ocpi_settings.COUNTRY_CODE)
            if not self.settings.party_id:
                self.stations.party_id = str(ocpi_settings.PARTY_ID)

    def application(self, **options: Any) -> FastAPI:
        """:func:`ocpi.get_application` with ``crud`` and ``ocpp_gateway`` filled in, attached.

        ``crud`` and ``ocpp_gateway`` must not be given; everything else is passed on.
        """
        from ocpi.main import get_application

        options.setdefault("roles", [RoleEnum.cpo])
        app = get_application(crud=self.crud, ocpp_gateway=self.ocpp_gateway, **options)
        self.attach(app)
        return app

    @cached_property
    def ocpp_gateway(self) -> BridgedGateway:
        """What to pass as ``get_application(..., ocpp_gateway=...)``."""
        return BridgedGateway(self)

    @cached_property
    def router(self) -> APIRouter:
        """The REST API editing station mappings (``/api/bridge/...``)."""
        return build_bridge_router(self)

    # -- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> None:
        """Ready to push (the OCPI app's lifespan calls it through :attr:`ocpp_gateway`).

        Picks up where the last run stopped: the mapping of every station the gateway's state
        knows comes back from its stored Location, the sessions of the transactions still
        active are rebuilt (their CDRs follow as usual), and each restored station's Location
        is written and ``PUT`` whole to every locations Receiver (a partner that missed
        updates while we were down is in step again).
        """
        if self._stopped:
            self._stopped = False
            self.client = self._new_client()
            self.outbox = Outbox(self.directory, self.client, self.settings)
        try:
            restored = await self.locations.restore()
            await self.sessions.recover_active()
            for charge_point_id in restored:
                await self.locations.publish(charge_point_id)
        except Exception:
            logger.exception("bridge: restoring the state of the last run failed")

    async def stop(self) -> None:
        """Stop timers and pending result posts, give the outbox up to ``drain_timeout``
        seconds to deliver what is queued, then stop its workers (what is left is lost)."""
        self.locations.close()
        self.sessions.close()
        self.commands.close()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self.drain(self.settings.drain_timeout)
        await self.outbox.close()
        await self.client.aclose()
        self._stopped = True

    async def drain(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the outbox to deliver (or give up) everything
        queued; ``False`` if pushes were still waiting then."""
        if self.outbox.pending() == 0 and self.outbox.busy == 0:
            return True
        try:
            async with asyncio.timeout(max(timeout, 0.0)):
                await self.outbox.join()
        except TimeoutError:
            logger.warning(
                "bridge stopping with %d pushes undelivered",
                self.outbox.pending() + self.outbox.busy,
            )
            return False
        return True

    @asynccontextmanager
    async def lifespan(self, app: object = None) -> AsyncIterator[None]:
        await self.start()
        try:
            yield
        finally:
            await self.stop()

    # -- mapping edits ------------------------------------------------------------------------

    async def configure(self, charge_point_id: str, config: StationConfig) -> None:
        """Replace a station's mapping; its Location is rewritten and re-sent."""
        self.stations.set_config(charge_point_id, config)
        await self.locations.republish(charge_point_id)

    # -- store access (through the integrator's Crud, as CPO) ---------------------------------

    def _kwargs(self, module: ModuleID, **extra: Any) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "version": VersionNumber(self.settings.store_version),
            "auth_token": "",
        }
        if module != ModuleID.tokens:  # tokens belong to eMSPs, everything else to us
            kwargs["country_code"], kwargs["party_id"] = self.party
        kwargs.update(extra)
        return kwargs

    async def store_get(self, module: ModuleID, id: str, **extra: Any) -> Any:
        return await self.inner_crud.get(module, RoleEnum.cpo, id, **self._kwargs(module, **extra))

    async def store_create(self, module: ModuleID, data: dict[str, Any]) -> Any:
        return await self.inner_crud.create(module, RoleEnum.cpo, data, **self._kwargs(module))

    async def store_write(self, module: ModuleID, data: dict[str, Any], id: str) -> Any:
        return await self.inner_crud.update(module, RoleEnum.cpo, data, id, **self._kwargs(module))

    # -- tokens -------------------------------------------------------------------------------

    async def token_owner(self, token: Mapping[str, Any]) -> PartnerInfo | None:
        """The eMSP that issued ``token`` (its party, else who pushed it)."""
        cc, pid = token.get("country_code"), token.get("party_id")
        if cc and pid:
            found = await self.directory.partner_for_party(str(cc), str(pid))
            if found is not None:
                return found
        key = self.token_owners.get(str(token.get("uid")))
        return None if key is None else await self.directory.partner(key)

    def token_ref(self, token: Mapping[str, Any], owner: PartnerInfo | None) -> TokenRef:
        party = owner.parties[0] if owner is not None and owner.parties else ("XX", "XXX")
        uid = str(token.get("uid") or "")
        return TokenRef(
            uid=uid,
            type=str(token.get("type") or "RFID"),
            contract_id=str(token.get("contract_id") or token.get("auth_id") or uid),
            country_code=str(token.get("country_code") or party[0]),
            party_id=str(token.get("party_id") or party[1]),
        )

    # -- background work ----------------------------------------------------------------------

    def now_text(self) -> str:
        return format_datetime(datetime.now(UTC))

    def spawn(self, work: Coroutine[Any, Any, Any], name: str) -> asyncio.Task[Any]:
        """Run ``work`` in the background, logging a failure; cancelled by :meth:`stop`."""

        async def run() -> Any:
            try:
                return await work
            except Exception:
                logger.exception("bridge task %s failed", name)
                return None

        task = asyncio.get_running_loop().create_task(run(), name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def post_result(self, response_url: str, result: Any) -> None:
        """Post a command's asynchronous result (``complete_command``, in the background)."""
        self.spawn(self._post_result(complete_command, response_url, result), "command result")

    def post_profile_result(self, response_url: str, result: Any) -> None:
        """Post a charging-profile result (``complete_charging_profile``, in the background)."""
        self.spawn(
            self._post_result(complete_charging_profile, response_url, result), "profile result"
        )

    async def _post_result(self, complete: Complete, response_url: str, result: Any) -> None:
        if self._target is None:
            logger.error("bridge not attached to an OCPI app: cannot post %s", result)
            return
        delay = self.settings.retry_initial
        for attempt in range(4):
            try:
                await complete(self._target, response_url, result)
                return
            except OCPIClientError as exc:
                logger.info("posting a result failed (%s); attempt %d", exc, attempt + 1)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.settings.retry_max)
