"""Version-neutral domain events emitted by the gateway.

Handlers of every OCPP version translate what a charging station reports into these events, so
integrators (and the OCPI bridge) subscribe once and never look at version-specific payloads::

    @gateway.events.subscribe(TransactionStarted)
    async def on_start(event: TransactionStarted) -> None:
        print(event.charge_point_id, event.transaction_id)
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

logger = logging.getLogger(__name__)

__all__ = [
    "CertificateSigningRequested",
    "ChargerBooted",
    "ChargerConnected",
    "ChargerDisconnected",
    "ChargingLimitChanged",
    "DeviceEventReceived",
    "DiagnosticsStatusChanged",
    "Event",
    "EventBus",
    "FirmwareStatusChanged",
    "MeterSample",
    "MeterValuesReceived",
    "NotificationReceived",
    "PublishFirmwareStatusChanged",
    "ReportReceived",
    "ReservationStatusChanged",
    "SecurityEventReceived",
    "StatusChanged",
    "TransactionEnded",
    "TransactionStarted",
    "TransactionUpdated",
]


@dataclass(frozen=True, kw_only=True)
class Event:
    """Base of all events. ``version`` is ``"1.6"``, ``"2.0.1"`` or ``"2.1"``."""

    charge_point_id: str
    version: str
    timestamp: datetime


@dataclass(frozen=True, kw_only=True)
class ChargerConnected(Event):
    remote_address: str | None = None


@dataclass(frozen=True, kw_only=True)
class ChargerDisconnected(Event):
    code: int | None = None
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class ChargerBooted(Event):
    vendor: str
    model: str
    serial_number: str | None = None
    firmware_version: str | None = None
    reason: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class StatusChanged(Event):
    """A connector (1.6: ``connector_id``; 2.x: ``evse_id`` + ``connector_id``) changed status.

    ``status`` is the station's own word (``Available``, ``Charging``, ``Faulted`` ...); 1.6
    ``connector_id`` 0 / a 2.x event without ``evse_id`` concerns the whole station.
    """

    evse_id: int | None
    connector_id: int | None
    status: str
    error_code: str | None = None
    info: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class MeterSample:
    """One sampled value, normalised: ``value`` in the unit given (Wh, W, A, V, Percent ...)."""

    measurand: str
    value: float
    unit: str | None = None
    phase: str | None = None
    context: str | None = None
    location: str | None = None


@dataclass(frozen=True, kw_only=True)
class MeterValuesReceived(Event):
    evse_id: int | None
    connector_id: int | None
    transaction_id: str | None
    samples: tuple[MeterSample, ...]
    sampled_at: datetime


@dataclass(frozen=True, kw_only=True)
class TransactionStarted(Event):
    transaction_id: str
    evse_id: int | None
    connector_id: int | None
    id_token: str | None
    id_token_type: str | None = None
    meter_start_wh: float | None = None
    reservation_id: int | None = None
    remote_start_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class TransactionUpdated(Event):
    transaction_id: str
    charging_state: str | None = None
    meter_wh: float | None = None
    samples: tuple[MeterSample, ...] = ()


@dataclass(frozen=True, kw_only=True)
class TransactionEnded(Event):
    transaction_id: str
    meter_stop_wh: float | None = None
    reason: str | None = None
    id_token: str | None = None


@dataclass(frozen=True, kw_only=True)
class SecurityEventReceived(Event):
    event_type: str
    tech_info: str | None = None


@dataclass(frozen=True, kw_only=True)
class FirmwareStatusChanged(Event):
    status: str
    request_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class DiagnosticsStatusChanged(Event):
    """1.6 DiagnosticsStatusNotification and 2.x LogStatusNotification."""

    status: str
    request_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class PublishFirmwareStatusChanged(Event):
    """2.x PublishFirmwareStatusNotification (a local controller publishing firmware)."""

    status: str
    request_id: int | None = None
    locations: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ReportReceived(Event):
    """One part of a multi-part report answering an earlier request (``request_id``).

    ``action`` is the reporting message (``NotifyReport``, ``NotifyMonitoringReport``,
    ``NotifyCustomerInformation``, ``NotifyDisplayMessages``, ``ReportChargingProfiles`` ...);
    ``final`` is false while the station says more parts follow (``tbc``).
    """

    action: str
    request_id: int | None
    seq_no: int | None = None
    final: bool = True
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class ReservationStatusChanged(Event):
    """2.x ReservationStatusUpdate: a reservation expired or was removed."""

    reservation_id: int
    status: str


@dataclass(frozen=True, kw_only=True)
class ChargingLimitChanged(Event):
    """An external limit (EMS, grid operator ...) was set (NotifyChargingLimit) or cleared."""

    evse_id: int | None
    source: str
    cleared: bool = False
    grid_critical: bool | None = None
    schedules: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True, kw_only=True)
class DeviceEventReceived(Event):
    """One ``eventData`` entry of a 2.x NotifyEvent (alerts, monitor triggers, state changes)."""

    event_id: int
    trigger: str
    component: str
    variable: str
    actual_value: str
    evse_id: int | None = None
    connector_id: int | None = None
    cleared: bool | None = None
    tech_info: str | None = None
    notification_type: str | None = None


@dataclass(frozen=True, kw_only=True)
class CertificateSigningRequested(Event):
    """A station sent a CSR (SignCertificate); ``certificate_type`` is ``None`` in 1.6."""

    csr: str
    certificate_type: str | None = None
    request_id: int | None = None
    accepted: bool = False


@dataclass(frozen=True, kw_only=True)
class NotificationReceived(Event):
    """A message without a dedicated event (EV charging needs, settlement, DER alarms ...).

    ``action`` is the OCPP action name, ``payload`` the message as the station sent it.
    """

    action: str
    payload: dict[str, Any] = field(default_factory=dict)


E = TypeVar("E", bound=Event)
Subscriber = Callable[[Any], Awaitable[None]]


class EventBus:
    """In-process publish/subscribe. Subscribers run in order; one failing does not stop others."""

    def __init__(self) -> None:
        self._subscribers: dict[type[Event], list[Subscriber]] = {}

    def subscribe(
        self, event_type: type[E]
    ) -> Callable[[Callable[[E], Awaitable[None]]], Callable[[E], Awaitable[None]]]:
        """Decorator registering an async callback for ``event_type`` and its subclasses."""

        def register(callback: Callable[[E], Awaitable[None]]) -> Callable[[E], Awaitable[None]]:
            self.add(event_type, callback)
            return callback

        return register

    def add(self, event_type: type[E], callback: Callable[[E], Awaitable[None]]) -> None:
        self._subscribers.setdefault(event_type, []).append(callback)

    async def emit(self, event: Event) -> None:
        for event_type in type(event).__mro__:
            for callback in self._subscribers.get(event_type, ()):
                try:
                    await callback(event)
                except Exception:
                    logger.exception("event subscriber failed for %s", type(event).__name__)
