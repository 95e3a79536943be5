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
from ocpp_gw.events import (
    CertificateSigningRequested,
    ChargerBooted,
    ChargerConnected,
    ChargerDisconnected,
    ChargingLimitChanged,
    DeviceEventReceived,
    DiagnosticsStatusChanged,
    Event,
    EventBus,
    FirmwareStatusChanged,
    MeterSample,
    MeterValuesReceived,
    NotificationReceived,
    PublishFirmwareStatusChanged,
    ReportReceived,
    ReservationStatusChanged,
    SecurityEventReceived,
    StatusChanged,
    TransactionEnded,
    TransactionStarted,
    TransactionUpdated,
)
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
from ocpp_gw.handlers.base import (
    AuthorizationDecision,
    Authorizer,
    CallContext,
    HandlerTable,
    IdTokenInfo,
    OCPPVersion,
)
from ocpp_gw.handlers.hooks import DataTransferResult, HandlerConfig, default_tables
from ocpp_gw.registry import (
    ChargerLocation,
    ChargerRegistry,
    MemoryChargerRegistry,
    RedisChargerRegistry,
)
from ocpp_gw.simulator import SimulatedStation
from ocpp_gw.state import ChargerStateStore, MemoryStateStore

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = [
    "AuthorizationDecision",
    "Authorizer",
    "CallContext",
    "CallTimeoutError",
    "CertificateSigningRequested",
    "ChargerBooted",
    "ChargerConnected",
    "ChargerConnection",
    "ChargerDisconnected",
    "ChargerLocation",
    "ChargerNotConnected",
    "ChargerRegistry",
    "ChargerStateStore",
    "ChargingLimitChanged",
    "Command",
    "CommandBus",
    "ConnectionClosedError",
    "DataTransferResult",
    "DeviceEventReceived",
    "DiagnosticsStatusChanged",
    "Event",
    "EventBus",
    "FirmwareStatusChanged",
    "GatewaySettings",
    "HandlerConfig",
    "HandlerTable",
    "IdTokenInfo",
    "InvalidCallError",
    "MemoryChargerRegistry",
    "MemoryCommandBus",
    "MemoryStateStore",
    "MeterSample",
    "MeterValuesReceived",
    "NotificationReceived",
    "OCPPCallError",
    "OCPPError",
    "OCPPGateway",
    "OCPPGatewayError",
    "OCPPVersion",
    "PublishFirmwareStatusChanged",
    "RedisChargerRegistry",
    "RedisCommandBus",
    "ReportReceived",
    "ReservationStatusChanged",
    "SecurityEventReceived",
    "SimulatedStation",
    "StatusChanged",
    "TransactionEnded",
    "TransactionStarted",
    "TransactionUpdated",
    "create_app",
    "default_tables",
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
