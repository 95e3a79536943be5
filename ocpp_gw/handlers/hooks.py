"""Integrator hooks of the default handlers, and the builder that binds them into tables.

Most messages need no decision beyond recording; the few that do (vendor DataTransfer, signing a
CSR, ISO 15118 certificates, OCSP look-ups, the heartbeat interval) take it from a
:class:`HandlerConfig`. Each version module exposes ``build_handlers(config)``; its ``HANDLERS``
is ``build_handlers()`` with the defaults::

    async def acme(ctx: CallContext, message_id: str | None, data: Any) -> DataTransferResult:
        return DataTransferResult(status="Accepted", data="pong")

    table = v16.build_handlers(HandlerConfig(data_transfer={"com.acme": acme}))

Signing hook: SignCertificate is answered ``Accepted`` only when ``certificate_signer`` is set and
returns true. The signer receives the CSR and delivers the signed chain later in a CALL of its own,
typically from a task it starts (keep a reference to it)::

    async def signer(ctx: CallContext, request: CertificateSigningRequest) -> bool:
        chain = await my_ca.sign(request.csr)
        payload = {"certificateChain": chain}
        pending.add(asyncio.create_task(
            ctx.gateway.call(ctx.charge_point_id, "CertificateSigned", payload)))
        return True

Without hooks, Get15118EVCertificate / GetCertificateStatus answer ``Failed`` and DataTransfer
answers ``UnknownVendorId``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ocpp_gw.events import CertificateSigningRequested
from ocpp_gw.handlers.base import CallContext, Handler, HandlerTable, OCPPVersion
from ocpp_gw.handlers.common import (
    DEFAULT_HEARTBEAT_INTERVAL,
    check_registration,
    event_fields,
    record_notification,
)

logger = logging.getLogger(__name__)

__all__ = [
    "CertificateSigner",
    "CertificateSigningRequest",
    "ConfiguredHandler",
    "DataTransferHook",
    "DataTransferResult",
    "DefaultHandlers",
    "EVCertificateProvider",
    "EVCertificateResult",
    "HandlerConfig",
    "OCSPResponder",
    "data_transfer",
    "default_tables",
    "sign_certificate",
]


@dataclass(frozen=True, slots=True)
class DataTransferResult:
    """A vendor hook's answer: ``status`` is ``Accepted``, ``Rejected`` or ``UnknownMessageId``."""

    status: str
    data: Any = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CertificateSigningRequest:
    charge_point_id: str
    csr: str
    certificate_type: str | None = None
    request_id: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class EVCertificateResult:
    """Answer to Get15118EVCertificate: ``status`` ``Accepted`` or ``Failed``."""

    status: str
    exi_response: str
    remaining_contracts: int | None = None


#: ``(ctx, message_id, data) -> DataTransferResult`` for one vendor id.
DataTransferHook = Callable[[CallContext, str | None, Any], Awaitable[DataTransferResult]]
#: ``(ctx, request) -> accepted``; see the module docstring for the CertificateSigned follow-up.
CertificateSigner = Callable[[CallContext, CertificateSigningRequest], Awaitable[bool]]
#: ``(ctx, Get15118EVCertificate payload) -> EVCertificateResult`` (talks to the V2G PKI).
EVCertificateProvider = Callable[[CallContext, Mapping[str, Any]], Awaitable[EVCertificateResult]]
#: ``(ctx, ocspRequestData) -> base64 OCSP response``, or ``None`` when it cannot be obtained.
OCSPResponder = Callable[[CallContext, Mapping[str, Any]], Awaitable[str | None]]


@dataclass(frozen=True, kw_only=True)
class HandlerConfig:
    """Decisions the default handlers cannot take on their own."""

    heartbeat_interval: int = DEFAULT_HEARTBEAT_INTERVAL
    data_transfer: Mapping[str, DataTransferHook] = field(default_factory=dict)
    certificate_signer: CertificateSigner | None = None
    ev_certificates: EVCertificateProvider | None = None
    ocsp_responder: OCSPResponder | None = None
    #: Answer every message but BootNotification with a ``SecurityError`` CALLERROR while the
    #: station's last boot was answered Pending (reports excepted) or Rejected.
    enforce_registration: bool = True
    #: A token may run one transaction at a time (across all stations): starting a second one
    #: is answered ``ConcurrentTx`` without asking the authorizer.
    single_transaction_per_token: bool = False
    #: Answer NotifyEVChargingNeeds ``Accepted`` (the integrator then sends a charging profile
    #: on :class:`~ocpp_gw.events.NotificationReceived`); otherwise the answer says none comes.
    accept_ev_charging_needs: bool = False


ConfiguredHandler = Callable[
    [HandlerConfig, CallContext, dict[str, Any]], Awaitable[dict[str, Any]]
]


class DefaultHandlers:
    """The default handlers of one version, before a :class:`HandlerConfig` is bound to them.

    ``derive`` starts a later version from an earlier one, so 2.1 reuses 2.0.1's handlers and
    only registers what differs.
    """

    def __init__(self, version: OCPPVersion) -> None:
        self.version = version
        self._plain: dict[str, Handler] = {}
        self._configured: dict[str, ConfiguredHandler] = {}

    def on(self, action: str) -> Callable[[Handler], Handler]:
        """Decorator registering a handler that needs no configuration."""

        def register(handler: Handler) -> Handler:
            self._configured.pop(action, None)
            self._plain[action] = handler
            return handler

        return register

    def on_configured(self, action: str) -> Callable[[ConfiguredHandler], ConfiguredHandler]:
        """Decorator registering a handler that takes the :class:`HandlerConfig` first."""

        def register(handler: ConfiguredHandler) -> ConfiguredHandler:
            self._plain.pop(action, None)
            self._configured[action] = handler
            return handler

        return register

    def derive(self, version: OCPPVersion) -> DefaultHandlers:
        derived = DefaultHandlers(version)
        derived._plain = dict(self._plain)
        derived._configured = dict(self._configured)
        return derived

    def include(self, other: DefaultHandlers) -> None:
        """Add ``other``'s handlers (a module holding one block of a version's messages)."""
        for action, handler in other._plain.items():
            self.on(action)(handler)
        for action, configured in other._configured.items():
            self.on_configured(action)(configured)

    def source(self, action: str) -> Handler | ConfiguredHandler | None:
        """The function registered for ``action`` (before a config is bound to it)."""
        return self._plain.get(action) or self._configured.get(action)

    @property
    def actions(self) -> frozenset[str]:
        return frozenset(self._plain) | frozenset(self._configured)

    def build(self, config: HandlerConfig | None = None) -> HandlerTable:
        """A :class:`HandlerTable` with ``config`` (default: :class:`HandlerConfig()`) bound."""
        bound_config = config or HandlerConfig()
        handlers = dict(self._plain)
        for action, handler in self._configured.items():
            handlers[action] = _bind(handler, bound_config)
        if bound_config.enforce_registration:
            handlers = {action: _gated(handler) for action, handler in handlers.items()}
        return HandlerTable(self.version, dict(sorted(handlers.items())))


def _gated(handler: Handler) -> Handler:
    async def gated(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
        await check_registration(ctx)
        return await handler(ctx, payload)

    gated.__name__ = gated.__qualname__ = getattr(handler, "__name__", "handler")
    gated.__doc__ = handler.__doc__
    return gated


def _bind(handler: ConfiguredHandler, config: HandlerConfig) -> Handler:
    async def bound(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
        return await handler(config, ctx, payload)

    bound.__name__ = bound.__qualname__ = getattr(handler, "__name__", "handler")
    bound.__doc__ = handler.__doc__
    return bound


def default_tables(config: HandlerConfig | None = None) -> dict[OCPPVersion, HandlerTable]:
    """The default handler tables of every version with ``config`` bound, for the gateway::

    OCPPGateway(handlers=default_tables(HandlerConfig(heartbeat_interval=60)))
    """
    # Imported here: the version modules import this one.
    from ocpp_gw.handlers import v16, v21, v201

    return {
        OCPPVersion.v16: v16.build_handlers(config),
        OCPPVersion.v201: v201.build_handlers(config),
        OCPPVersion.v21: v21.build_handlers(config),
    }


async def data_transfer(
    config: HandlerConfig, ctx: CallContext, payload: dict[str, Any]
) -> DataTransferResult:
    """Route a DataTransfer to its vendor hook; ``UnknownVendorId`` when none is registered."""
    vendor_id = payload["vendorId"]
    await record_notification(ctx, payload)
    hook = config.data_transfer.get(vendor_id)
    if hook is None:
        logger.info("%s DataTransfer from unknown vendor %r", ctx.charge_point_id, vendor_id)
        return DataTransferResult(status="UnknownVendorId")
    return await hook(ctx, payload.get("messageId"), payload.get("data"))


async def sign_certificate(
    config: HandlerConfig,
    ctx: CallContext,
    csr: str,
    *,
    certificate_type: str | None = None,
    request_id: int | None = None,
) -> bool:
    """Record a CSR, hand it to the signer hook and announce it; true when the signer took it."""
    request = CertificateSigningRequest(
        charge_point_id=ctx.charge_point_id,
        csr=csr,
        certificate_type=certificate_type,
        request_id=request_id,
    )
    accepted = False
    if config.certificate_signer is not None:
        accepted = await config.certificate_signer(ctx, request)
    else:
        logger.warning("%s sent a CSR but no certificate signer is configured", ctx.charge_point_id)
    await record_notification(
        ctx,
        {
            "csr": csr,
            "certificateType": certificate_type,
            "requestId": request_id,
            "accepted": accepted,
        },
        emit=False,
    )
    await ctx.gateway.events.emit(
        CertificateSigningRequested(
            **event_fields(ctx),
            csr=csr,
            certificate_type=certificate_type,
            request_id=request_id,
            accepted=accepted,
        )
    )
    return accepted
