"""OCPP 1.6J / 2.0.1 / 2.1 CSMS gateway for FastAPI.

::

    from ocpp_gw import GatewaySettings, OCPPGateway

    gateway = OCPPGateway(authenticator=MyAuthenticator, settings=GatewaySettings())
    app = FastAPI(lifespan=gateway.lifespan)
    app.include_router(gateway.router)
    app.include_router(gateway.api_router)

or, standalone: ``uvicorn.run(create_app(authenticator=MyAuthenticator))``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ocpp_gw.bus import Command, CommandBus, MemoryCommandBus, RedisCommandBus
from ocpp_gw.config import GatewaySettings
from ocpp_gw.connection import ChargerConnection
from ocpp_gw.exceptions import (
    CallTimeoutError,
    ChargerNotConnected,
    ConnectionClosedError,
    InvalidCallError,
    OCPPCallError,
    OCPPError,
    OCPPGatewayError,
)
from ocpp_gw.gateway import OCPPGateway
from ocpp_gw.handlers.base import CallContext, HandlerTable, OCPPVersion
from ocpp_gw.registry import (
    ChargerLocation,
    ChargerRegistry,
    MemoryChargerRegistry,
    RedisChargerRegistry,
)

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = [
    "CallContext",
    "CallTimeoutError",
    "ChargerConnection",
    "ChargerLocation",
    "ChargerNotConnected",
    "ChargerRegistry",
    "Command",
    "CommandBus",
    "ConnectionClosedError",
    "GatewaySettings",
    "HandlerTable",
    "InvalidCallError",
    "MemoryChargerRegistry",
    "MemoryCommandBus",
    "OCPPCallError",
    "OCPPError",
    "OCPPGateway",
    "OCPPGatewayError",
    "OCPPVersion",
    "RedisChargerRegistry",
    "RedisCommandBus",
    "create_app",
]


def create_app(
    authenticator: Any = None,
    settings: GatewaySettings | None = None,
    *,
    gateway: OCPPGateway | None = None,
    **gateway_options: Any,
) -> FastAPI:
    """A standalone FastAPI app serving the gateway (WebSocket route + command API).

    Pass a ready ``gateway`` or the :class:`OCPPGateway` arguments. The app's lifespan starts and
    stops the gateway; ``app.state.ocpp_gateway`` holds it.
    """
    from fastapi import FastAPI

    if gateway is None:
        gateway = OCPPGateway(authenticator, settings, **gateway_options)
    app = FastAPI(title="OCPP gateway", lifespan=gateway.lifespan)
    app.state.ocpp_gateway = gateway
    app.include_router(gateway.router)
    app.include_router(gateway.api_router)
    return app
