"""Asynchronous results of commands and charging-profile requests.

A CPO answers a command (or a charging-profile request) at once with a synchronous response; what
the charge point did comes later and is ``POST``-ed to the ``response_url`` the requester gave. This
module keeps the requests that still wait for that result, one :class:`AsyncResults` dispatcher per
application:

* the routers register a request before handing it to the Crud, and arm its timer once the Crud
  answered ``ACCEPTED`` (with the ``timeout`` the answer advertised, else the configured default);
* integrator code (or the OCPP bridge) completes it with one call::

      await complete_result(app, response_url, {"result": "ACCEPTED"})

  which adapts the result for the request's version and posts it to ``response_url`` with the
  requester's token;
* when nothing completes it in time the timer posts the timeout result (``TIMEOUT`` for commands,
  ``REJECTED`` for charging profiles, whose result type has no timeout value) — one timer task per
  pending request, cancelled on completion and when the application shuts down.

The dispatcher of an application is found from the application, the router of
:func:`~ocpi.main.get_router` or the :class:`~ocpi.core.context.OCPIContext` itself
(:func:`async_results`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from fastapi import Request
from pydantic import BaseModel

from ocpi.core.client import OCPIClient, OCPIResult
from ocpi.core.context import Caller, OCPIContext
from ocpi.core.enums import Action, ModuleID, RoleEnum
from ocpi.core.exceptions import ServerOCPIError
from ocpi.core.interfaces import adapt, dump
from ocpi.core.routing import RoutingHeaders, request_routing
from ocpi.modules.versions.enums import VersionNumber

__all__ = [
    "AsyncResults",
    "PendingResult",
    "ResultKind",
    "async_results",
    "client_token",
    "complete_result",
    "context_of",
    "dispatch_request",
    "results_lifespan",
]

logger = logging.getLogger(__name__)


class ResultKind(str, Enum):
    """What kind of asynchronous result a pending request waits for."""

    command = "command"
    active_charging_profile = "active_charging_profile"
    charging_profile = "charging_profile"
    clear_profile = "clear_profile"


#: The adapter method that turns a result into the version's OCPI object.
ADAPTERS: dict[ResultKind, str] = {
    ResultKind.command: "command_result_adapter",
    ResultKind.active_charging_profile: "active_charging_profile_result_adapter",
    ResultKind.charging_profile: "charging_profile_result_adapter",
    ResultKind.clear_profile: "clear_profile_result_adapter",
}

#: What is posted when nothing completes a request in time.
TIMEOUT_RESULTS: dict[ResultKind, str] = {
    ResultKind.command: "TIMEOUT",
    ResultKind.active_charging_profile: "REJECTED",
    ResultKind.charging_profile: "REJECTED",
    ResultKind.clear_profile: "REJECTED",
}


@dataclass
class PendingResult:
    """A request whose asynchronous result has not been posted yet.

    ``info`` carries what the integrator may need to find it again (the command, its body, the
    session id ...). ``keep_until``: after completion the target stays known until then (a
    ``RESERVE_NOW`` until its expiry, so a later ``CANCELED_RESERVATION`` can still be posted).
    """

    response_url: str
    kind: ResultKind
    version: VersionNumber
    token: str
    routing: RoutingHeaders | None = None
    info: dict[str, Any] = field(default_factory=dict)
    keep_until: datetime | None = None
    #: Loop time at which the timeout result is posted (``None`` until the timer is armed).
    deadline: float | None = None
    timer: asyncio.Task[None] | None = field(default=None, repr=False)


class AsyncResults:
    """The pending asynchronous results of one application (see the module docstring)."""

    def __init__(self, ctx: OCPIContext) -> None:
        self._ctx = weakref.ref(ctx)
        self._pending: dict[str, PendingResult] = {}
        self._kept: dict[str, PendingResult] = {}
        #: Every timer task still running (sleeping, or posting a timeout result).
        self._tasks: set[asyncio.Task[None]] = set()

    # -- inspection -----------------------------------------------------------------------------

    @property
    def pending(self) -> tuple[PendingResult, ...]:
        """The requests still waiting for their result."""
        return tuple(self._pending.values())

    def get(self, response_url: str) -> PendingResult | None:
        return self._pending.get(response_url)

    def find(self, **info: Any) -> list[PendingResult]:
        """Pending requests whose ``info`` has all the given values (``find(session_id="S1")``)."""
        return [
            entry
            for entry in self._pending.values()
            if all(entry.info.get(key) == value for key, value in info.items())
        ]

    # -- used by the routers --------------------------------------------------------------------

    def register(self, entry: PendingResult) -> PendingResult:
        """Remember a request (before the Crud sees it, so a result may arrive at any time).

        A request registered again under the same ``response_url`` replaces the older one.
        """
        old = self._pending.pop(entry.response_url, None)
        if old is not None:
            self._cancel_timer(old)
        self._pending[entry.response_url] = entry
        return entry

    def arm(self, response_url: str, timeout: float) -> None:
        """Start the timer of a registered request: ``timeout`` seconds until the timeout result."""
        entry = self._pending.get(response_url)
        if entry is None:  # completed while the Crud was still answering
            return
        self._cancel_timer(entry)
        loop = asyncio.get_running_loop()
        entry.deadline = loop.time() + timeout
        entry.timer = loop.create_task(self._expire(entry, timeout))
        self._tasks.add(entry.timer)
        entry.timer.add_done_callback(self._tasks.discard)

    def discard(self, response_url: str) -> None:
        """Forget a request that will not get a result (the Crud did not accept it)."""
        entry = self._pending.pop(response_url, None)
        if entry is not None:
            self._cancel_timer(entry)

    # -- completing -----------------------------------------------------------------------------

    async def complete(self, response_url: str, result: Any) -> bool:
        """Post ``result`` for the request registered under ``response_url``.

        ``result`` is the result object (model or mapping) or just its ``result`` value
        (``"ACCEPTED"``). It goes through the adapter of the request's kind and version. Returns
        ``False`` when no request waits under that URL (already completed, timed out, unknown).
        A result the adapter rejects raises (``pydantic.ValidationError``) and leaves the request
        waiting; errors of the POST itself (:class:`~ocpi.core.client.OCPIClientError`) propagate.
        """
        self._prune()
        entry = self._pending.get(response_url) or self._kept.get(response_url)
        if entry is None:
            return False
        ctx = self._context()
        payload = _payload(ctx, entry, result)  # an invalid result leaves the request waiting
        if self._pending.get(response_url) is entry:
            del self._pending[response_url]
            self._cancel_timer(entry)
            if entry.keep_until is not None:
                self._kept[response_url] = entry
        await self._post(ctx, entry, payload)
        return True

    async def close(self) -> None:
        """Cancel every timer, also one posting a timeout result (application shutdown)."""
        self._pending.clear()
        self._kept.clear()
        timers = list(self._tasks)
        for timer in timers:
            timer.cancel()
        for timer in timers:
            with contextlib.suppress(asyncio.CancelledError):
                await timer

    # -- internals ------------------------------------------------------------------------------

    def _cancel_timer(self, entry: PendingResult) -> None:
        timer, entry.timer = entry.timer, None
        if timer is not None and timer is not asyncio.current_task():
            timer.cancel()

    def _prune(self) -> None:
        now = datetime.now(UTC)
        for url, entry in list(self._kept.items()):
            if entry.keep_until is None or entry.keep_until <= now:
                del self._kept[url]

    async def _expire(self, entry: PendingResult, timeout: float) -> None:
        await asyncio.sleep(timeout)
        if self._pending.get(entry.response_url) is not entry:
            return
        del self._pending[entry.response_url]
        entry.timer = None
        logger.info("no %s result in %.1f s; posting the timeout result", entry.kind.value, timeout)
        try:
            ctx = self._context()
            await self._post(ctx, entry, _payload(ctx, entry, TIMEOUT_RESULTS[entry.kind]))
        except Exception:  # the partner is down: nothing else to do with a timeout
            logger.warning("could not post the timeout result of a %s request", entry.kind.value)

    def _context(self) -> OCPIContext:
        ctx = self._ctx()
        if ctx is None:
            raise RuntimeError("the application of this result no longer exists")
        return ctx

    async def _post(
        self, ctx: OCPIContext, entry: PendingResult, payload: dict[str, Any]
    ) -> OCPIResult:
        async with OCPIClient(settings=ctx.settings, **ctx.client_options) as client:
            return await client.request(
                "POST",
                entry.response_url,
                token=entry.token,
                version=entry.version,
                json=payload,
                routing=entry.routing,
            )


def _payload(ctx: OCPIContext, entry: PendingResult, result: Any) -> dict[str, Any]:
    if isinstance(result, Enum):
        result = result.value
    if isinstance(result, str):
        result = {"result": result}
    elif isinstance(result, BaseModel):
        result = dump(result)
    # Always through the adapter (the default one validates): strict out.
    adapted = getattr(ctx.adapter, ADAPTERS[entry.kind])(dict(result), entry.version)
    return dump(adapted)


# -- finding the dispatcher of an application -----------------------------------------------------

_DISPATCHERS: dict[int, AsyncResults] = {}


def context_of(target: Any) -> OCPIContext:
    """The ``OCPIContext`` of an application, a ``get_router()`` router or the context itself."""
    if isinstance(target, OCPIContext):
        return target
    for candidate in (
        getattr(getattr(target, "state", None), "ocpi", None),  # get_application()
        getattr(target, "ocpi_context", None),  # get_router()
    ):
        if isinstance(candidate, OCPIContext):
            return candidate
    raise TypeError(f"{type(target).__name__} is not an OCPI application, router or context")


def async_results(target: Any) -> AsyncResults:
    """The dispatcher of an application (``get_application()``), router (``get_router()``) or
    :class:`~ocpi.core.context.OCPIContext`; created on first use, freed with the context."""
    ctx = context_of(target)
    key = id(ctx)
    dispatcher = _DISPATCHERS.get(key)
    if dispatcher is None or dispatcher._ctx() is not ctx:
        dispatcher = AsyncResults(ctx)
        _DISPATCHERS[key] = dispatcher
        weakref.finalize(ctx, _DISPATCHERS.pop, key, None)
    return dispatcher


async def complete_result(target: Any, response_url: str, result: Any) -> bool:
    """Post the asynchronous result of a command or charging-profile request (one call).

    ``target``: the application, the router of ``get_router()`` or the ``OCPIContext``. See
    :meth:`AsyncResults.complete`.
    """
    return await async_results(target).complete(response_url, result)


def results_lifespan(
    ctx: OCPIContext,
) -> Callable[[Any], contextlib.AbstractAsyncContextManager[None]]:
    """A router lifespan that cancels the pending timers when the application stops."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        try:
            yield
        finally:
            dispatcher = _DISPATCHERS.get(id(ctx))
            if dispatcher is not None and dispatcher._ctx() is ctx:
                await dispatcher.close()

    return lifespan


async def client_token(
    ctx: OCPIContext,
    module: ModuleID,
    role: RoleEnum,
    auth_token: str,
    version: VersionNumber,
    **kwargs: Any,
) -> str:
    """The token to post a result to the requester with: ``Crud.do(module, role,
    Action.get_client_token, auth_token=<the requester's token>, version=...)``.

    The Crud must answer it; ``None`` is a server error (3000), raised before the request is
    handed to the Crud so that nothing is started which could never be reported back.
    """
    token = await ctx.crud.do(
        module, role, Action.get_client_token, auth_token=auth_token, version=version, **kwargs
    )
    if not token:
        raise ServerOCPIError(
            "No token to post the asynchronous result with (Crud answered no client token)"
        )
    return str(token)


def swap_routing(routing: RoutingHeaders | None) -> RoutingHeaders | None:
    """Routing headers for the reverse direction (our result goes back to the requester)."""
    if routing is None:
        return None
    return RoutingHeaders(
        from_country_code=routing.to_country_code,
        from_party_id=routing.to_party_id,
        to_country_code=routing.from_country_code,
        to_party_id=routing.from_party_id,
    )


def advertised_timeout(raw: Any, adapted: Any, default: float) -> float:
    """The ``timeout`` a synchronous answer advertised (raw Crud data first), else ``default``."""
    for source in (raw, adapted):
        value = source.get("timeout") if isinstance(source, Mapping) else None
        if value is None:
            value = getattr(source, "timeout", None)
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            return float(value)
    return float(default)


def _result_value(answer: Any) -> Any:
    value = answer.get("result") if isinstance(answer, Mapping) else getattr(answer, "result", None)
    return value.value if isinstance(value, Enum) else value


async def dispatch_request(
    ctx: OCPIContext,
    request: Request,
    caller: Caller,
    version: VersionNumber,
    role: RoleEnum,
    module: ModuleID,
    kind: ResultKind,
    response_url: str,
    send: Callable[[], Awaitable[Any]],
    *,
    response_adapter: str,
    default_timeout: float,
    info: dict[str, Any] | None = None,
    keep_until: datetime | None = None,
) -> Any:
    """The flow every asynchronous request shares; returns the adapted synchronous answer.

    Resolves the requester's token, registers the request, lets ``send()`` (the Crud) answer,
    then arms the timer when the answer is ``ACCEPTED`` or forgets the request otherwise.
    ``None`` when the Crud answered nothing.
    """
    token = await client_token(ctx, module, role, caller.token, version)
    dispatcher = async_results(ctx)
    routing = swap_routing(request_routing(request))
    dispatcher.register(
        PendingResult(response_url, kind, version, token, routing, dict(info or {}), keep_until)
    )
    try:
        raw = await send()
    except BaseException:
        dispatcher.discard(response_url)
        raise
    if raw is None:
        dispatcher.discard(response_url)
        return None
    adapted = adapt(ctx, response_adapter, raw, version)
    if _result_value(adapted) == "ACCEPTED":
        dispatcher.arm(response_url, advertised_timeout(raw, adapted, default_timeout))
    else:
        dispatcher.discard(response_url)
    return adapted
