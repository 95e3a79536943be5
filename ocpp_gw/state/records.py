"""What a :class:`~ocpp_gw.state.ChargerStateStore` keeps: plain, version-neutral dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any

from ocpp_gw.events import MeterSample

__all__ = [
    "BootInfo",
    "ChargingLimitRecord",
    "ConnectorRecord",
    "MeterValueRecord",
    "NotificationRecord",
    "OperationKind",
    "OperationStatus",
    "ReservationRecord",
    "SecurityEventRecord",
    "StationRecord",
    "StatusEntry",
    "TransactionRecord",
    "TransactionState",
    "TransactionUpdate",
    "VariableRecord",
]


class OperationKind(str, Enum):
    """Long-running station operations that report their progress with a status notification."""

    firmware = "firmware"
    diagnostics = "diagnostics"
    log = "log"
    publish_firmware = "publish_firmware"


class TransactionState(str, Enum):
    active = "active"
    ended = "ended"


@dataclass(kw_only=True)
class BootInfo:
    """What a station says about itself in BootNotification, version-neutral."""

    vendor: str
    model: str
    serial_number: str | None = None
    firmware_version: str | None = None
    reason: str | None = None
    iccid: str | None = None
    imsi: str | None = None
    meter_type: str | None = None
    meter_serial_number: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(kw_only=True)
class OperationStatus:
    status: str
    updated_at: datetime
    request_id: int | None = None


@dataclass(kw_only=True)
class StationRecord:
    """One charging station.

    ``registration_status`` and ``heartbeat_interval`` are the CSMS's answer to the next boot:
    an integrator sets them with :meth:`ChargerStateStore.set_registration` (``None`` interval →
    the handlers' default).
    """

    charge_point_id: str
    version: str | None = None
    boot: BootInfo | None = None
    registration_status: str = "Accepted"
    heartbeat_interval: int | None = None
    last_boot: datetime | None = None
    last_heartbeat: datetime | None = None
    last_seen: datetime | None = None
    operations: dict[OperationKind, OperationStatus] = field(default_factory=dict)
    configuration: dict[str, str | None] = field(default_factory=dict)

    @property
    def vendor(self) -> str | None:
        return self.boot.vendor if self.boot else None

    @property
    def model(self) -> str | None:
        return self.boot.model if self.boot else None

    @property
    def serial_number(self) -> str | None:
        return self.boot.serial_number if self.boot else None

    @property
    def firmware_version(self) -> str | None:
        return self.boot.firmware_version if self.boot else None


@dataclass(frozen=True, kw_only=True, slots=True)
class StatusEntry:
    """One status change of a connector (immutable: stores share entries between snapshots)."""

    status: str
    timestamp: datetime
    error_code: str | None = None
    info: str | None = None


@dataclass(kw_only=True)
class ConnectorRecord:
    """Status of a connector (1.6: ``evse_id=None``) or EVSE (2.x); ``history`` is oldest first."""

    charge_point_id: str
    evse_id: int | None
    connector_id: int | None
    status: str
    updated_at: datetime
    error_code: str | None = None
    info: str | None = None
    history: list[StatusEntry] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True, slots=True)
class MeterValueRecord:
    """One ``meterValue`` element: samples taken at one moment, normalised (energy in Wh).

    Immutable (its samples are frozen too), so stores keep and hand out the same instance.
    """

    timestamp: datetime
    samples: tuple[MeterSample, ...]
    evse_id: int | None = None
    connector_id: int | None = None
    transaction_id: str | None = None


@dataclass(kw_only=True)
class TransactionRecord:
    charge_point_id: str
    transaction_id: str
    evse_id: int | None
    connector_id: int | None
    started_at: datetime
    id_token: str | None = None
    id_token_type: str | None = None
    authorization_status: str | None = None
    meter_start_wh: float | None = None
    meter_wh: float | None = None
    reservation_id: int | None = None
    remote_start_id: int | None = None
    charging_state: str | None = None
    state: TransactionState = TransactionState.active
    stopped_at: datetime | None = None
    meter_stop_wh: float | None = None
    stop_reason: str | None = None
    stop_id_token: str | None = None
    seq_no: int | None = None
    meter_values: list[MeterValueRecord] = field(default_factory=list)

    @property
    def energy_wh(self) -> float | None:
        """Energy delivered so far (or in total once ended), if both registers are known."""
        end = self.meter_stop_wh if self.meter_stop_wh is not None else self.meter_wh
        if end is None or self.meter_start_wh is None:
            return None
        return end - self.meter_start_wh


@dataclass(kw_only=True)
class TransactionUpdate:
    """Fields to change on an active transaction; ``None`` leaves a field unchanged."""

    evse_id: int | None = None
    connector_id: int | None = None
    id_token: str | None = None
    id_token_type: str | None = None
    authorization_status: str | None = None
    charging_state: str | None = None
    meter_wh: float | None = None
    meter_start_wh: float | None = None
    seq_no: int | None = None
    remote_start_id: int | None = None
    reservation_id: int | None = None


@dataclass(kw_only=True)
class SecurityEventRecord:
    charge_point_id: str
    event_type: str
    timestamp: datetime
    tech_info: str | None = None


@dataclass(kw_only=True)
class VariableRecord:
    """One device-model variable from NotifyReport / NotifyMonitoringReport / GetConfiguration.

    ``attributes`` are the reported ``variableAttribute`` (or ``variableMonitoring``) entries as
    sent; ``characteristics`` the ``variableCharacteristics`` object, if any.
    """

    component: str
    variable: str
    component_instance: str | None = None
    variable_instance: str | None = None
    evse_id: int | None = None
    connector_id: int | None = None
    attributes: list[dict[str, Any]] = field(default_factory=list)
    characteristics: dict[str, Any] | None = None
    monitors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str | None, int | None, int | None, str, str | None]:
        return (
            self.component,
            self.component_instance,
            self.evse_id,
            self.connector_id,
            self.variable,
            self.variable_instance,
        )


@dataclass(kw_only=True)
class ReservationRecord:
    charge_point_id: str
    reservation_id: int
    status: str
    updated_at: datetime


@dataclass(kw_only=True)
class ChargingLimitRecord:
    """An external charging limit (NotifyChargingLimit) or its clearing (ClearedChargingLimit)."""

    charge_point_id: str
    source: str
    evse_id: int | None
    updated_at: datetime
    grid_critical: bool | None = None
    schedules: list[dict[str, Any]] = field(default_factory=list)
    cleared: bool = False


@dataclass(kw_only=True)
class NotificationRecord:
    """Anything else a station reported that an integrator may want to read back later.

    ``kind`` is the OCPP action (``NotifyEVChargingNeeds``, ``SignCertificate`` ...).
    """

    charge_point_id: str
    kind: str
    timestamp: datetime
    data: dict[str, Any]
