"""The in-process :class:`MemoryStateStore`, the default store of a single gateway process."""

from __future__ import annotations

import copy
import itertools
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from ocpp_gw.state.records import (
    BootInfo,
    ChargingLimitRecord,
    ConnectorRecord,
    MeterValueRecord,
    NotificationRecord,
    OperationKind,
    OperationStatus,
    ReservationRecord,
    SecurityEventRecord,
    StationRecord,
    StatusEntry,
    TransactionRecord,
    TransactionState,
    TransactionUpdate,
    VariableRecord,
)
from ocpp_gw.state.store import ChargerStateStore

__all__ = ["STATUS_HISTORY_LIMIT", "MemoryStateStore"]


def _now() -> datetime:
    return datetime.now(UTC)


#: How many status changes a connector keeps in :attr:`ConnectorRecord.history`.
STATUS_HISTORY_LIMIT = 100


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
        # Per station: every known transaction, the ids of the active ones and the ended ones
        # oldest first (for pruning), so look-ups never scan other stations.
        self._transactions: dict[str, dict[str, TransactionRecord]] = {}
        self._active: dict[str, set[str]] = {}
        self._ended: dict[str, deque[str]] = {}
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

    async def registration_status(self, charge_point_id: str) -> str | None:
        station = self._stations.get(charge_point_id)
        if station is None or station.last_boot is None:
            return None
        return station.registration_status

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
        if len(record.history) > STATUS_HISTORY_LIMIT:
            del record.history[:-STATUS_HISTORY_LIMIT]
        return _connector_snapshot(record)

    async def list_connectors(self, charge_point_id: str) -> list[ConnectorRecord]:
        found = [r for k, r in self._connectors.items() if k[0] == charge_point_id]
        found.sort(key=lambda r: (r.evse_id or 0, r.connector_id or 0))
        return [_connector_snapshot(r) for r in found]

    async def next_transaction_id(self) -> int:
        return next(self._transaction_ids)

    def _transaction(self, charge_point_id: str, transaction_id: str) -> TransactionRecord | None:
        return self._transactions.get(charge_point_id, {}).get(transaction_id)

    async def start_transaction(self, record: TransactionRecord) -> TransactionRecord:
        stored = replace(record, meter_values=list(record.meter_values))
        cp_id, tx_id = record.charge_point_id, record.transaction_id
        self._transactions.setdefault(cp_id, {})[tx_id] = stored
        if stored.state is TransactionState.active:
            self._active.setdefault(cp_id, set()).add(tx_id)
        else:
            self._ended_now(cp_id, tx_id)
        return _snapshot(stored)

    async def update_transaction(
        self, charge_point_id: str, transaction_id: str, update: TransactionUpdate
    ) -> TransactionRecord | None:
        record = self._transaction(charge_point_id, transaction_id)
        if record is None:
            return None
        for name, value in vars(update).items():
            if value is not None:
                setattr(record, name, value)
        return _snapshot(record)

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
        record = self._transaction(charge_point_id, transaction_id)
        if record is None:
            return None
        if record.state is TransactionState.active:
            record.state = TransactionState.ended
            record.stopped_at = stopped_at
            record.meter_stop_wh = meter_stop_wh if meter_stop_wh is not None else record.meter_wh
            record.stop_reason = reason
            record.stop_id_token = id_token
            self._active.get(charge_point_id, set()).discard(transaction_id)
            self._ended_now(charge_point_id, transaction_id)
        return _snapshot(record)

    def _ended_now(self, charge_point_id: str, transaction_id: str) -> None:
        ended = self._ended.setdefault(charge_point_id, deque())
        ended.append(transaction_id)
        while len(ended) > self.keep_ended_transactions:
            self._transactions[charge_point_id].pop(ended.popleft(), None)

    async def add_meter_values(
        self, charge_point_id: str, values: Sequence[MeterValueRecord]
    ) -> None:
        # Meter value records are immutable: stored and handed out as they are, never copied.
        log = self._meter_values.setdefault(charge_point_id, [])
        for value in values:
            log.append(value)
            if value.transaction_id is None:
                continue
            record = self._transaction(charge_point_id, value.transaction_id)
            if record is not None:
                record.meter_values.append(value)
        if len(log) > self.keep_meter_values:
            del log[: len(log) - self.keep_meter_values]

    async def list_meter_values(
        self, charge_point_id: str, *, transaction_id: str | None = None
    ) -> list[MeterValueRecord]:
        values = self._meter_values.get(charge_point_id, [])
        if transaction_id is not None:
            return [v for v in values if v.transaction_id == transaction_id]
        return list(values)

    async def get_transaction(
        self, charge_point_id: str, transaction_id: str
    ) -> TransactionRecord | None:
        record = self._transaction(charge_point_id, transaction_id)
        return _snapshot(record) if record else None

    async def active_transaction(
        self,
        charge_point_id: str,
        *,
        evse_id: int | None = None,
        connector_id: int | None = None,
    ) -> TransactionRecord | None:
        known = self._transactions.get(charge_point_id, {})
        for transaction_id in self._active.get(charge_point_id, ()):
            record = known[transaction_id]
            if (evse_id is None or record.evse_id == evse_id) and (
                connector_id is None or record.connector_id == connector_id
            ):
                return _snapshot(record)
        return None

    async def list_transactions(
        self, charge_point_id: str | None = None, *, active_only: bool = False
    ) -> list[TransactionRecord]:
        stations = [charge_point_id] if charge_point_id is not None else list(self._transactions)
        found: list[TransactionRecord] = []
        for cp_id in stations:
            known = self._transactions.get(cp_id, {})
            if active_only:
                found.extend(known[t] for t in self._active.get(cp_id, ()))
            else:
                found.extend(known.values())
        found.sort(key=lambda r: r.started_at)
        return [_snapshot(r) for r in found]

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


def _snapshot(record: TransactionRecord) -> TransactionRecord:
    # Meter value records are immutable: a new list of the same records is an independent
    # snapshot, and much cheaper than a deep copy of a long transaction.
    return replace(record, meter_values=list(record.meter_values))


def _connector_snapshot(record: ConnectorRecord) -> ConnectorRecord:
    # Status entries are immutable; only the list needs its own copy.
    return replace(record, history=list(record.history))
