"""What the gateway knows about its charging stations, and where it keeps it.

:class:`ChargerStateStore` is the small async interface the default handlers record into; it is
version-neutral (1.6 connectors are stored with ``evse_id=None``, 1.6 integer transaction ids as
strings). :class:`MemoryStateStore` is the single-process default; a SQL store implements the same
methods. Records are plain dataclasses and the store hands out snapshots: changing a returned
record does not change the store, call a ``record_*``/``update_*`` method instead::

    store = MemoryStateStore()
    await store.record_boot("CP1", BootInfo(vendor="ACME", model="Fast 50"), version="1.6")
    station = await store.get_station("CP1")
    assert station is not None and station.vendor == "ACME"
"""

from __future__ import annotations

import copy
import itertools
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from ocpp_gw.events import MeterSample

__all__ = [
    "STATUS_HISTORY_LIMIT",
    "BootInfo",
    "ChargerStateStore",
    "ChargingLimitRecord",
    "ConnectorRecord",
    "MemoryStateStore",
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

#: How many status changes a connector keeps in :attr:`ConnectorRecord.history`.
STATUS_HISTORY_LIMIT = 100


def _now() -> datetime:
    return datetime.now(UTC)


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


@dataclass(kw_only=True)
class StatusEntry:
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


@dataclass(kw_only=True)
class MeterValueRecord:
    """One ``meterValue`` element: samples taken at one moment, normalised (energy in Wh)."""

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


class ChargerStateStore(ABC):
    """Async storage of charging-station state; every method is safe to call before a boot."""

    # Stations

    @abstractmethod
    async def get_station(self, charge_point_id: str) -> StationRecord | None: ...

    @abstractmethod
    async def list_stations(self) -> list[StationRecord]: ...

    @abstractmethod
    async def record_boot(
        self, charge_point_id: str, info: BootInfo, *, version: str, at: datetime | None = None
    ) -> StationRecord:
        """Store a BootNotification and return the station (with the registration to answer)."""

    @abstractmethod
    async def set_registration(
        self, charge_point_id: str, status: str, *, heartbeat_interval: int | None = None
    ) -> None:
        """Decide the answer to the station's next BootNotification (Accepted/Pending/Rejected)."""

    @abstractmethod
    async def touch(
        self, charge_point_id: str, *, heartbeat: bool = False, at: datetime | None = None
    ) -> None:
        """Mark the station as seen (and, with ``heartbeat``, as having sent a Heartbeat)."""

    @abstractmethod
    async def record_operation_status(
        self,
        charge_point_id: str,
        operation: OperationKind,
        status: str,
        *,
        request_id: int | None = None,
        at: datetime | None = None,
    ) -> None: ...

    @abstractmethod
    async def set_configuration(
        self, charge_point_id: str, values: Mapping[str, str | None]
    ) -> None:
        """Merge known configuration keys (1.6 GetConfiguration / ChangeConfiguration)."""

    # Connectors

    @abstractmethod
    async def record_status(
        self,
        charge_point_id: str,
        evse_id: int | None,
        connector_id: int | None,
        status: str,
        *,
        error_code: str | None = None,
        info: str | None = None,
        at: datetime | None = None,
    ) -> ConnectorRecord: ...

    @abstractmethod
    async def list_connectors(self, charge_point_id: str) -> list[ConnectorRecord]: ...

    # Transactions

    @abstractmethod
    async def next_transaction_id(self) -> int:
        """A new CSMS-assigned transaction id (1.6 StartTransaction), unique in this store."""

    @abstractmethod
    async def start_transaction(self, record: TransactionRecord) -> TransactionRecord: ...

    @abstractmethod
    async def update_transaction(
        self, charge_point_id: str, transaction_id: str, update: TransactionUpdate
    ) -> TransactionRecord | None: ...

    @abstractmethod
    async def end_transaction(
        self,
        charge_point_id: str,
        transaction_id: str,
        *,
        stopped_at: datetime,
        meter_stop_wh: float | None = None,
        reason: str | None = None,
        id_token: str | None = None,
    ) -> TransactionRecord | None:
        """Close a transaction; ``None`` if it is unknown. Ending twice keeps the first end."""

    @abstractmethod
    async def add_meter_values(
        self, charge_point_id: str, values: Sequence[MeterValueRecord]
    ) -> None:
        """Store meter values; those with a known ``transaction_id`` join that transaction."""

    @abstractmethod
    async def list_meter_values(
        self, charge_point_id: str, *, transaction_id: str | None = None
    ) -> list[MeterValueRecord]: ...

    @abstractmethod
    async def get_transaction(
        self, charge_point_id: str, transaction_id: str
    ) -> TransactionRecord | None: ...

    @abstractmethod
    async def active_transaction(
        self,
        charge_point_id: str,
        *,
        evse_id: int | None = None,
        connector_id: int | None = None,
    ) -> TransactionRecord | None:
        """The active transaction on an EVSE/connector (any of the station's if both ``None``)."""

    @abstractmethod
    async def list_transactions(
        self, charge_point_id: str | None = None, *, active_only: bool = False
    ) -> list[TransactionRecord]: ...

    # Reports, events and everything else

    @abstractmethod
    async def add_security_event(self, record: SecurityEventRecord) -> None: ...

    @abstractmethod
    async def list_security_events(self, charge_point_id: str) -> list[SecurityEventRecord]: ...

    @abstractmethod
    async def upsert_variables(
        self, charge_point_id: str, variables: Sequence[VariableRecord]
    ) -> None:
        """Merge device-model variables; monitors and attributes replace earlier reports."""

    @abstractmethod
    async def list_variables(self, charge_point_id: str) -> list[VariableRecord]: ...

    @abstractmethod
    async def record_reservation(
        self, charge_point_id: str, reservation_id: int, status: str, *, at: datetime | None = None
    ) -> None: ...

    @abstractmethod
    async def get_reservation(
        self, charge_point_id: str, reservation_id: int
    ) -> ReservationRecord | None: ...

    @abstractmethod
    async def record_charging_limit(self, record: ChargingLimitRecord) -> None:
        """Store a limit; a record with ``cleared=True`` replaces the limit of the same source."""

    @abstractmethod
    async def list_charging_limits(self, charge_point_id: str) -> list[ChargingLimitRecord]: ...

    @abstractmethod
    async def add_notification(self, record: NotificationRecord) -> None: ...

    @abstractmethod
    async def list_notifications(
        self, charge_point_id: str, kind: str | None = None
    ) -> list[NotificationRecord]: ...


class MemoryStateStore(ChargerStateStore):
    """Keeps everything in process memory; the default for a single gateway process.

    Per-station logs are bounded so a long-running process does not grow without limit: the
    oldest station-level meter values, notifications, security events and ended transactions
    beyond the ``keep_*`` counts are dropped (values inside a transaction stay with it).
    """

    def __init__(
        self,
        *,
        keep_meter_values: int = 10_000,
        keep_notifications: int = 1_000,
        keep_security_events: int = 1_000,
        keep_ended_transactions: int = 1_000,
    ) -> None:
        self.keep_meter_values = keep_meter_values
        self.keep_notifications = keep_notifications
        self.keep_security_events = keep_security_events
        self.keep_ended_transactions = keep_ended_transactions
        self._stations: dict[str, StationRecord] = {}
        self._connectors: dict[tuple[str, int | None, int | None], ConnectorRecord] = {}
        self._transactions: dict[tuple[str, str], TransactionRecord] = {}
        self._meter_values: dict[str, list[MeterValueRecord]] = {}
        self._security_events: dict[str, list[SecurityEventRecord]] = {}
        self._variables: dict[str, dict[tuple[Any, ...], VariableRecord]] = {}
        self._reservations: dict[tuple[str, int], ReservationRecord] = {}
        self._limits: dict[tuple[str, str, int | None], ChargingLimitRecord] = {}
        self._notifications: dict[str, list[NotificationRecord]] = {}
        self._transaction_ids = itertools.count(1)

    def _station(self, charge_point_id: str) -> StationRecord:
        station = self._stations.get(charge_point_id)
        if station is None:
            station = self._stations[charge_point_id] = StationRecord(
                charge_point_id=charge_point_id
            )
        return station

    async def get_station(self, charge_point_id: str) -> StationRecord | None:
        station = self._stations.get(charge_point_id)
        return copy.deepcopy(station) if station else None

    async def list_stations(self) -> list[StationRecord]:
        return [copy.deepcopy(s) for s in self._stations.values()]

    async def record_boot(
        self, charge_point_id: str, info: BootInfo, *, version: str, at: datetime | None = None
    ) -> StationRecord:
        station = self._station(charge_point_id)
        station.boot = copy.deepcopy(info)
        station.version = version
        station.last_boot = station.last_seen = at or _now()
        return copy.deepcopy(station)

    async def set_registration(
        self, charge_point_id: str, status: str, *, heartbeat_interval: int | None = None
    ) -> None:
        station = self._station(charge_point_id)
        station.registration_status = status
        station.heartbeat_interval = heartbeat_interval

    async def touch(
        self, charge_point_id: str, *, heartbeat: bool = False, at: datetime | None = None
    ) -> None:
        station = self._station(charge_point_id)
        station.last_seen = at or _now()
        if heartbeat:
            station.last_heartbeat = station.last_seen

    async def record_operation_status(
        self,
        charge_point_id: str,
        operation: OperationKind,
        status: str,
        *,
        request_id: int | None = None,
        at: datetime | None = None,
    ) -> None:
        self._station(charge_point_id).operations[operation] = OperationStatus(
            status=status, request_id=request_id, updated_at=at or _now()
        )

    async def set_configuration(
        self, charge_point_id: str, values: Mapping[str, str | None]
    ) -> None:
        self._station(charge_point_id).configuration.update(values)

    async def record_status(
        self,
        charge_point_id: str,
        evse_id: int | None,
        connector_id: int | None,
        status: str,
        *,
        error_code: str | None = None,
        info: str | None = None,
        at: datetime | None = None,
    ) -> ConnectorRecord:
        when = at or _now()
        key = (charge_point_id, evse_id, connector_id)
        record = self._connectors.get(key)
        if record is None:
            record = self._connectors[key] = ConnectorRecord(
                charge_point_id=charge_point_id,
                evse_id=evse_id,
                connector_id=connector_id,
                status=status,
                updated_at=when,
            )
        record.status, record.updated_at = status, when
        record.error_code, record.info = error_code, info
        record.history.append(
            StatusEntry(status=status, timestamp=when, error_code=error_code, info=info)
        )
        del record.history[:-STATUS_HISTORY_LIMIT]
        return copy.deepcopy(record)

    async def list_connectors(self, charge_point_id: str) -> list[ConnectorRecord]:
        found = [r for k, r in self._connectors.items() if k[0] == charge_point_id]
        found.sort(key=lambda r: (r.evse_id or 0, r.connector_id or 0))
        return copy.deepcopy(found)

    async def next_transaction_id(self) -> int:
        return next(self._transaction_ids)

    async def start_transaction(self, record: TransactionRecord) -> TransactionRecord:
        stored = copy.deepcopy(record)
        self._transactions[(record.charge_point_id, record.transaction_id)] = stored
        return copy.deepcopy(stored)

    async def update_transaction(
        self, charge_point_id: str, transaction_id: str, update: TransactionUpdate
    ) -> TransactionRecord | None:
        record = self._transactions.get((charge_point_id, transaction_id))
        if record is None:
            return None
        for name, value in vars(update).items():
            if value is not None:
                setattr(record, name, value)
        return copy.deepcopy(record)

    async def end_transaction(
        self,
        charge_point_id: str,
        transaction_id: str,
        *,
        stopped_at: datetime,
        meter_stop_wh: float | None = None,
        reason: str | None = None,
        id_token: str | None = None,
    ) -> TransactionRecord | None:
        record = self._transactions.get((charge_point_id, transaction_id))
        if record is None:
            return None
        if record.state is TransactionState.active:
            record.state = TransactionState.ended
            record.stopped_at = stopped_at
            record.meter_stop_wh = meter_stop_wh if meter_stop_wh is not None else record.meter_wh
            record.stop_reason = reason
            record.stop_id_token = id_token
            self._prune_ended(charge_point_id)
        return copy.deepcopy(record)

    def _prune_ended(self, charge_point_id: str) -> None:
        ended = [
            key
            for key, r in self._transactions.items()
            if key[0] == charge_point_id and r.state is TransactionState.ended
        ]
        for key in ended[: max(0, len(ended) - self.keep_ended_transactions)]:
            del self._transactions[key]

    async def add_meter_values(
        self, charge_point_id: str, values: Sequence[MeterValueRecord]
    ) -> None:
        for value in values:
            stored = copy.deepcopy(value)
            _append_bounded(self._meter_values, charge_point_id, stored, self.keep_meter_values)
            if value.transaction_id is None:
                continue
            record = self._transactions.get((charge_point_id, value.transaction_id))
            if record is not None:
                record.meter_values.append(stored)

    async def list_meter_values(
        self, charge_point_id: str, *, transaction_id: str | None = None
    ) -> list[MeterValueRecord]:
        values = self._meter_values.get(charge_point_id, [])
        if transaction_id is not None:
            values = [v for v in values if v.transaction_id == transaction_id]
        return copy.deepcopy(values)

    async def get_transaction(
        self, charge_point_id: str, transaction_id: str
    ) -> TransactionRecord | None:
        record = self._transactions.get((charge_point_id, transaction_id))
        return copy.deepcopy(record) if record else None

    async def active_transaction(
        self,
        charge_point_id: str,
        *,
        evse_id: int | None = None,
        connector_id: int | None = None,
    ) -> TransactionRecord | None:
        for record in self._transactions.values():
            if (
                record.charge_point_id == charge_point_id
                and record.state is TransactionState.active
                and (evse_id is None or record.evse_id == evse_id)
                and (connector_id is None or record.connector_id == connector_id)
            ):
                return copy.deepcopy(record)
        return None

    async def list_transactions(
        self, charge_point_id: str | None = None, *, active_only: bool = False
    ) -> list[TransactionRecord]:
        return [
            copy.deepcopy(r)
            for r in self._transactions.values()
            if (charge_point_id is None or r.charge_point_id == charge_point_id)
            and (not active_only or r.state is TransactionState.active)
        ]

    async def add_security_event(self, record: SecurityEventRecord) -> None:
        _append_bounded(
            self._security_events,
            record.charge_point_id,
            copy.deepcopy(record),
            self.keep_security_events,
        )

    async def list_security_events(self, charge_point_id: str) -> list[SecurityEventRecord]:
        return copy.deepcopy(self._security_events.get(charge_point_id, []))

    async def upsert_variables(
        self, charge_point_id: str, variables: Sequence[VariableRecord]
    ) -> None:
        known = self._variables.setdefault(charge_point_id, {})
        for variable in variables:
            current = known.get(variable.key)
            if current is None:
                known[variable.key] = copy.deepcopy(variable)
                continue
            # A monitoring report and a variable report describe the same variable from two
            # sides; keep what the other one said.
            if variable.attributes:
                current.attributes = copy.deepcopy(variable.attributes)
            if variable.characteristics is not None:
                current.characteristics = copy.deepcopy(variable.characteristics)
            if variable.monitors:
                current.monitors = copy.deepcopy(variable.monitors)

    async def list_variables(self, charge_point_id: str) -> list[VariableRecord]:
        return copy.deepcopy(list(self._variables.get(charge_point_id, {}).values()))

    async def record_reservation(
        self, charge_point_id: str, reservation_id: int, status: str, *, at: datetime | None = None
    ) -> None:
        self._reservations[(charge_point_id, reservation_id)] = ReservationRecord(
            charge_point_id=charge_point_id,
            reservation_id=reservation_id,
            status=status,
            updated_at=at or _now(),
        )

    async def get_reservation(
        self, charge_point_id: str, reservation_id: int
    ) -> ReservationRecord | None:
        record = self._reservations.get((charge_point_id, reservation_id))
        return copy.deepcopy(record) if record else None

    async def record_charging_limit(self, record: ChargingLimitRecord) -> None:
        key = (record.charge_point_id, record.source, record.evse_id)
        self._limits[key] = copy.deepcopy(record)

    async def list_charging_limits(self, charge_point_id: str) -> list[ChargingLimitRecord]:
        return [copy.deepcopy(r) for k, r in self._limits.items() if k[0] == charge_point_id]

    async def add_notification(self, record: NotificationRecord) -> None:
        _append_bounded(
            self._notifications,
            record.charge_point_id,
            copy.deepcopy(record),
            self.keep_notifications,
        )

    async def list_notifications(
        self, charge_point_id: str, kind: str | None = None
    ) -> list[NotificationRecord]:
        found = self._notifications.get(charge_point_id, [])
        return copy.deepcopy([n for n in found if kind is None or n.kind == kind])


def _append_bounded(log: dict[str, list[Any]], key: str, item: Any, limit: int) -> None:
    entries = log.setdefault(key, [])
    entries.append(item)
    del entries[: max(0, len(entries) - limit)]
