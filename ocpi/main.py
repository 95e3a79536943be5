"""The application factory.

:func:`get_application` keeps the established signature; everything new is keyword-only::

    app = get_application(
        version_numbers=[VersionNumber.v_2_2_1],
        roles=[RoleEnum.cpo],
        crud=MyCrud,
        modules=[ModuleID.locations],
        authenticator=MyAuthenticator,
        settings=Settings(COUNTRY_CODE="NL", PARTY_ID="ABC"),
    )

Three ways to run it: standalone (``uvicorn module:app``), mounted into an existing FastAPI app with
:func:`mount` (which also runs our lifespan — Starlette does not run a mounted app's lifespan), or
as routes included in the host app with :func:`get_router` (the host then enters
:func:`ocpi_lifespan` in its own lifespan).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any, Protocol

import httpx
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp

from ocpi.core.adapter import BaseAdapter
from ocpi.core.config import Settings
from ocpi.core.config import settings as default_settings
from ocpi.core.context import OCPIContext
from ocpi.core.enums import ModuleID, RoleEnum
from ocpi.core.push import make_push_routers
from ocpi.core.registry import ModuleRegistry, default_registry
from ocpi.core.routing import error_response
from ocpi.core.spec import transport_spec
from ocpi.modules.versions.enums import VersionNumber
from ocpi.modules.versions.router import make_versions_router

__all__ = ["OCPPGatewayLike", "get_application", "get_router", "mount", "ocpi_lifespan"]

logger = logging.getLogger(__name__)


class OCPPGatewayLike(Protocol):
    """What :func:`get_application` needs from an ``ocpp_gw.OCPPGateway``."""

    @property
    def router(self) -> APIRouter: ...

    @property
    def api_router(self) -> APIRouter: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


def _context(
    version_numbers: Sequence[VersionNumber],
    roles: Sequence[RoleEnum],
    crud: Any,
    modules: Sequence[ModuleID],
    authenticator: Any,
    adapter: Any,
    settings: Settings | None,
    client_options: dict[str, Any] | None,
) -> OCPIContext:
    versions = [VersionNumber(v) for v in version_numbers]
    for version in versions:
        transport_spec(version)  # ValueError for a version we do not serve
    return OCPIContext(
        settings=settings or default_settings,
        crud=crud,
        adapter=adapter,
        authenticator=authenticator,
        version_numbers=versions,
        roles=[RoleEnum(r) for r in roles],
        # The established library's identifier for hub client info was "clientinfo".
        modules=[
            ModuleID.hub_client_info if ModuleID(m) is ModuleID.client_info else ModuleID(m)
            for m in modules
        ],
        client_options=dict(client_options or {}),
    )


def _build_router(
    ctx: OCPIContext, registry: ModuleRegistry, http_push: bool, websocket_push: bool
) -> APIRouter:
    router = APIRouter()
    router.include_router(make_versions_router(ctx, registry))
    for version in ctx.version_numbers:
        for endpoint in registry.active(ctx, version):
            router.include_router(
                endpoint.entry.factory(ctx, version, endpoint.role, endpoint.path)
            )
    for push_router in make_push_routers(ctx, http_push, websocket_push):
        router.include_router(push_router)
    return router


def get_router(
    version_numbers: Sequence[VersionNumber],
    roles: Sequence[RoleEnum],
    crud: Any,
    modules: Sequence[ModuleID],
    authenticator: Any,
    adapter: Any = BaseAdapter,
    http_push: bool = False,
    websocket_push: bool = False,
    *,
    settings: Settings | None = None,
    registry: ModuleRegistry | None = None,
    client_options: dict[str, Any] | None = None,
) -> APIRouter:
    """The OCPI routes as an ``APIRouter`` to include in the integrator's own app.

    Every route applies the OCPI transport rules itself, so the host app needs no exception
    handlers. ``router.ocpi_context`` (an :class:`~ocpi.core.context.OCPIContext`) is what
    :func:`ocpi_lifespan` expects.
    """
    ctx = _context(
        version_numbers, roles, crud, modules, authenticator, adapter, settings, client_options
    )
    router = _build_router(ctx, registry or default_registry(), http_push, websocket_push)
    router.ocpi_context = ctx  # type: ignore[attr-defined]
    return router


@contextlib.asynccontextmanager
async def ocpi_lifespan(
    ctx: OCPIContext, gateway: OCPPGatewayLike | None = None
) -> AsyncIterator[None]:
    """Start what the application needs (pooled outbound HTTP client, OCPP gateway) and stop it."""
    own_client = "http_client" not in ctx.client_options
    if own_client:
        ctx.client_options["http_client"] = httpx.AsyncClient(
            timeout=ctx.settings.CLIENT_TIMEOUT,
            follow_redirects=True,
            transport=ctx.client_options.get("transport"),
        )
    ctx.started = True
    if gateway is not None:
        await gateway.start()
    try:
        yield
    finally:
        if gateway is not None:
            await gateway.stop()
        ctx.started = False
        if own_client:
            client = ctx.client_options.pop("http_client")
            await client.aclose()


def get_application(
    version_numbers: Sequence[VersionNumber],
    roles: Sequence[RoleEnum],
    crud: Any,
    modules: Sequence[ModuleID],
    authenticator: Any,
    adapter: Any = BaseAdapter,
    http_push: bool = False,
    websocket_push: bool = False,
    *,
    settings: Settings | None = None,
    registry: ModuleRegistry | None = None,
    ocpp_gateway: OCPPGatewayLike | None = None,
    client_options: dict[str, Any] | None = None,
) -> FastAPI:
    """Build the FastAPI application serving OCPI (and, with ``ocpp_gateway``, OCPP).

    :param version_numbers: OCPI versions to serve (2.1.1, 2.2.1, 2.3.0).
    :param roles: our roles (``RoleEnum.cpo``, ``RoleEnum.emsp`` ...).
    :param crud: the integrator's :class:`~ocpi.core.crud.Crud` (class or instance).
    :param modules: OCPI modules to serve; credentials and versions are always served.
    :param authenticator: the integrator's :class:`~ocpi.core.authentication.authenticator.Authenticator`.
    :param adapter: turns Crud data into OCPI objects (default :class:`~ocpi.core.adapter.BaseAdapter`).
    :param http_push: add ``POST /{PUSH_PREFIX}/{version}`` to push objects to partners.
    :param websocket_push: add the WebSocket variant at ``/{PUSH_PREFIX}/ws/{version}``.
    :param settings: this app's :class:`~ocpi.core.config.Settings` (default: the env-based one).
    :param registry: a custom module registry (default: every module of this library).
    :param ocpp_gateway: an ``ocpp_gw.OCPPGateway`` whose WebSocket endpoint and command API are
        served by this app and started/stopped with it.
    :param client_options: keyword arguments for every outbound :class:`~ocpi.core.client.OCPIClient`.
    """
    ctx = _context(
        version_numbers, roles, crud, modules, authenticator, adapter, settings, client_options
    )
    cfg = ctx.settings
    prefix = ctx.prefix_path()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with ocpi_lifespan(ctx, ocpp_gateway):
            yield

    app = FastAPI(
        title=cfg.PROJECT_NAME,
        docs_url=f"{prefix}/docs",
        redoc_url=f"{prefix}/redoc",
        openapi_url=f"{prefix}/openapi.json",
        lifespan=lifespan,
        redirect_slashes=False,
    )
    if cfg.BACKEND_CORS_ORIGINS:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=[str(origin) for origin in cfg.BACKEND_CORS_ORIGINS],
            allow_credentials=True,
            allow_methods=["*"],
            allow_headers=["*"],
        )

    async def envelope_handler(request: Request, exc: Exception) -> Response:
        # Only OCPI paths answer with OCPI envelopes; other routes (the OCPP command API, the
        # integrator's own) keep FastAPI's defaults.
        path = request.scope.get("path", "")
        root = request.scope.get("root_path", "")
        if path.startswith(root):
            path = path[len(root) :]
        if not prefix or path == prefix or path.startswith(prefix + "/"):
            return error_response(exc)
        if isinstance(exc, RequestValidationError):
            return await request_validation_exception_handler(request, exc)
        assert isinstance(exc, StarletteHTTPException)
        return await http_exception_handler(request, exc)

    app.add_exception_handler(StarletteHTTPException, envelope_handler)
    app.add_exception_handler(RequestValidationError, envelope_handler)

    app.include_router(
        _build_router(ctx, registry or default_registry(), http_push, websocket_push)
    )
    if ocpp_gateway is not None:
        app.include_router(ocpp_gateway.router)
        app.include_router(ocpp_gateway.api_router)
    app.state.ocpi = ctx
    app.state.ocpp_gateway = ocpp_gateway
    return app


def mount(host: FastAPI, path: str, app: ASGIApp, *, name: str | None = None) -> None:
    """Mount ``app`` (one of ours) under ``path`` of ``host`` and run its lifespan with the host's.

    Starlette does not run a mounted application's lifespan; this chains it into the host's::

        host = FastAPI()
        mount(host, "/roaming", get_application(...))
    """
    host.mount(path, app, name=name)
    inner: Callable[[Any], contextlib.AbstractAsyncContextManager[Any]] | None = getattr(
        getattr(app, "router", None), "lifespan_context", None
    )
    if inner is None:
        return
    outer = host.router.lifespan_context

    @contextlib.asynccontextmanager
    async def chained(host_app: Any) -> AsyncIterator[Any]:
        async with outer(host_app) as outer_state, inner(app):
            yield outer_state

    host.router.lifespan_context = chained
