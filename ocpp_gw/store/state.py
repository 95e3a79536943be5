""":class:`SQLStateStore`: the gateway's state in the built-in store's database.

Every method runs in its own database transaction and commits before it returns. The default
handlers call the store before they answer a station, so an acknowledged message is a committed
row: a crash or ``kill -9`` after the answer loses nothing the station was told we have.

Writers use the store's write sessions (``BEGIN IMMEDIATE`` on SQLite, ``SELECT ... FOR UPDATE``
on PostgreSQL), so read-modify-write steps (merging configuration, bounding the status history,
counting transaction ids) are safe across processes sharing one database::

    store = create_store("sqlite+aiosqlite:///cpo.sqlite3", version_locations=[VERSIONS_DIR])
    state = SQLStateStore(store.db)
    gateway = OCPPGateway(state=state, authenticator=...)
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import asdict, fields
from datetime import datetime

from sqlalchemy import Select, delete, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from ocpi.store.database import Database
from ocpp_gw.state.memory import STATUS_HISTORY_LIMIT
from ocpp_gw.state.records import (
    BootInfo,
    ChargingLimitRecord,
    ConnectorRecord,
    MeterValueRecord,
    NotificationRecord,
    OperationKind,
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
from ocpp_gw.store.models import (
    ChargingLimitRow,
    ConnectorRow,
    CounterRow,
    MeterValueRow,
    NotificationRow,
    ReservationRow,
    SecurityEventRow,
    StationRow,
    StatusHistoryRow,
    TransactionRow,
    VariableRow,
)
from ocpp_gw.store.rows import (
    TRANSACTION_FIELDS,
    from_id_key,
    id_key,
    locked_row,
    meter_value_record,
    station_for_update,
    station_record,
    transaction_record,
    utcnow,
    variable_record,
)

__all__ = ["TRANSACTION_COUNTER", "SQLStateStore"]

#: Name of the ``ocpp_counters`` row behind :meth:`SQLStateStore.next_transaction_id`.
TRANSACTION_COUNTER = "transaction_id"


class SQLStateStore(ChargerStateStore):
    """A :class:`~ocpp_gw.state.ChargerStateStore` on SQLAlchemy (SQLite or PostgreSQL).

    ``db`` is the built-in OCPI store's :class:`~ocpi.store.database.Database` (``store.db``),
    so OCPI objects, partners and the gateway's state share one database and one connection
    pool. Its migrations must include the gateway's directory
    (:data:`ocpp_gw.store.VERSIONS_DIR`); :func:`ocpp_gw.store.create_gateway_store` does that.

    Unlike :class:`~ocpp_gw.state.MemoryStateStore` nothing is dropped: meter values, events
    and ended transactions stay until an operator prunes them (:func:`ocpp_gw.store.prune`,
    ``ocpi-ocpp db prune``); the status history of a connector keeps its last
    :data:`~ocpp_gw.state.STATUS_HISTORY_LIMIT` entries.
    """

    def __init__(self, db: Database) -> None:
        self.db = db

    @asynccontextmanager
    async def _write(self) -> AsyncIterator[AsyncSession]:
        await self.db.ready()
        async with self.db.write() as session, session.begin():
            yield session

    @asynccontextmanager
    async def _read(self) -> AsyncIterator[AsyncSession]:
        await self.db.ready()
        async with self.db.read() as session:
            yield session

    async def close(self) -> None:
        """Close the database's connection pool (shared with the OCPI store)."""
        await self.db.dispose()

    # -- stations --------------------------------------------------------------------------------

    async def get_station(self, charge_point_id: str) -> StationRecord | None:
        async with self._read() as session:
            row = await session.get(StationRow, charge_point_id)
            return station_record(row) if row is not None else None

    async def list_stations(self) -> list[StationRecord]:
        query = select(StationRow).order_by(StationRow.created_at, StationRow.charge_point_id)
        async with self._read() as session:
            return [station_record(row) for row in await session.scalars(query)]

    async def record_boot(
        self, charge_point_id: str, info: BootInfo, *, version: str, at: datetime | None = None
    ) -> StationRecord:
        async with self._write() as session:
            row = await station_for_update(session, charge_point_id)
            row.boot = asdict(info)
            row.version = version
            row.last_boot = row.last_seen = at or utcnow()
            return station_record(row)

    async def set_registration(
        self, charge_point_id: str, status: str, *, heartbeat_interval: int | None = None
    ) -> None:
        async with self._write() as session:
            row = await station_for_update(session, charge_point_id)
            row.registration_status = status
            row.heartbeat_interval = heartbeat_interval

    async def touch(
        self, charge_point_id: str, *, heartbeat: bool = False, at: datetime | None = None
    ) -> None:
        async with self._write() as session:
            row = await station_for_update(session, charge_point_id)
            row.last_seen = at or utcnow()
            if heartbeat:
                row.last_heartbeat = row.last_seen

    async def record_operation_status(
        self,
        charge_point_id: str,
        operation: OperationKind,
        status: str,
        *,
        request_id: int | None = None,
        at: datetime | None = None,
    ) -> None:
        entry = {
            "status": status,
            "request_id": request_id,
            "updated_at": (at or utcnow()).isoformat(),
        }
        async with self._write() as session:
            row = await station_for_update(session, charge_point_id)
            # A new dict: SQLAlchemy only notices a replaced JSON value, not an edited one.
            row.operations = {**(row.operations or {}), OperationKind(operation).value: entry}

    async def set_configuration(
        self, charge_point_id: str, values: Mapping[str, str | None]
    ) -> None:
        async with self._write() as session:
            row = await station_for_update(session, charge_point_id)
            row.configuration = {**(row.configuration or {}), **values}

    # -- connectors ------------------------------------------------------------------------------

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
        when = at or utcnow()
        key = {
            "charge_point_id": charge_point_id,
            "evse_id": id_key(evse_id),
            "connector_id": id_key(connector_id),
        }
        async with self._write() as session:
            row, _ = await locked_row(
                session, ConnectorRow, key, {"status": status, "updated_at": when}
            )
            row.status, row.updated_at, row.error_code, row.info = status, when, error_code, info
            session.add(
                StatusHistoryRow(
                    connector_pk=row.id,
                    status=status,
                    error_code=error_code,
                    info=info,
                    timestamp=when,
                )
            )
            await session.flush()
            kept = (
                select(StatusHistoryRow.id)
                .where(StatusHistoryRow.connector_pk == row.id)
                .order_by(StatusHistoryRow.id.desc())
                .limit(STATUS_HISTORY_LIMIT)
            )
            await session.execute(
                delete(StatusHistoryRow).where(
                    StatusHistoryRow.connector_pk == row.id,
                    StatusHistoryRow.id.not_in(kept.scalar_subquery()),
                )
            )
            history = await self._history(session, [row.id])
            return self._connector(row, history.get(row.id, []))

    @staticmethod
    async def _history(session: AsyncSession, pks: list[int]) -> dict[int, list[StatusEntry]]:
        found: dict[int, list[StatusEntry]] = {pk: [] for pk in pks}
        query = (
            select(StatusHistoryRow)
            .where(StatusHistoryRow.connector_pk.in_(pks))
            .order_by(StatusHistoryRow.id)
        )
        for entry in await session.scalars(query):
            found[entry.connector_pk].append(
                StatusEntry(
                    status=entry.status,
                    timestamp=entry.timestamp,
                    error_code=entry.error_code,
                    info=entry.info,
                )
            )
        return found

    @staticmethod
    def _connector(row: ConnectorRow, history: list[StatusEntry]) -> ConnectorRecord:
        return ConnectorRecord(
            charge_point_id=row.charge_point_id,
            evse_id=from_id_key(row.evse_id),
            connector_id=from_id_key(row.connector_id),
            status=row.status,
            updated_at=row.updated_at,
            error_code=row.error_code,
            info=row.info,
            history=history,
        )

    async def list_connectors(self, charge_point_id: str) -> list[ConnectorRecord]:
        query = select(ConnectorRow).where(ConnectorRow.charge_point_id == charge_point_id)
        async with self._read() as session:
            rows = list(await session.scalars(query))
            history = await self._history(session, [row.id for row in rows])
        found = [self._connector(row, history[row.id]) for row in rows]
        found.sort(key=lambda r: (r.evse_id or 0, r.connector_id or 0))
        return found

    # -- transactions ----------------------------------------------------------------------------

    async def next_transaction_id(self) -> int:
        """The next value of a counter row, incremented inside the database's transaction.

        Processes sharing the database never get the same id: the ``UPDATE`` locks the row
        (PostgreSQL) or the database (SQLite) until the commit.
        """
        statement = (
            update(CounterRow)
            .where(CounterRow.name == TRANSACTION_COUNTER)
            .values(value=CounterRow.value + 1)
            .returning(CounterRow.value)
        )
        async with self._write() as session:
            value = await session.scalar(statement)
            if value is None:  # the row was removed by hand: start again after the known ids
                await locked_row(session, CounterRow, {"name": TRANSACTION_COUNTER}, {"value": 0})
                value = await session.scalar(statement)
            assert value is not None
            return int(value)

    @staticmethod
    def _transaction_query(charge_point_id: str, transaction_id: str) -> Select[TransactionRow]:
        return select(TransactionRow).where(
            TransactionRow.charge_point_id == charge_point_id,
            TransactionRow.transaction_id == transaction_id,
        )

    @staticmethod
    async def _values_of(
        session: AsyncSession, keys: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], list[MeterValueRecord]]:
        found: dict[tuple[str, str], list[MeterValueRecord]] = {key: [] for key in keys}
        if not keys:
            return found
        query = (
            select(MeterValueRow)
            .where(
                MeterValueRow.joined.is_(True),
                tuple_(MeterValueRow.charge_point_id, MeterValueRow.transaction_id).in_(keys),
            )
            .order_by(MeterValueRow.id)
        )
        for row in await session.scalars(query):
            assert row.transaction_id is not None
            found[(row.charge_point_id, row.transaction_id)].append(meter_value_record(row))
        return found

    async def _snapshots(
        self, session: AsyncSession, rows: Sequence[TransactionRow]
    ) -> list[TransactionRecord]:
        values = await self._values_of(
            session, [(row.charge_point_id, row.transaction_id) for row in rows]
        )
        return [
            transaction_record(row, values[(row.charge_point_id, row.transaction_id)])
            for row in rows
        ]

    async def start_transaction(self, record: TransactionRecord) -> TransactionRecord:
        data = {name: getattr(record, name) for name in TRANSACTION_FIELDS}
        data["state"] = TransactionState(record.state).value
        key = {"charge_point_id": record.charge_point_id, "transaction_id": record.transaction_id}
        async with self._write() as session:
            row, inserted = await locked_row(session, TransactionRow, key, data)
            if not inserted:  # the same id again: the newer start replaces what was known
                for name, value in data.items():
                    setattr(row, name, value)
            await session.flush()
            (stored,) = await self._snapshots(session, [row])
            return stored

    async def update_transaction(
        self, charge_point_id: str, transaction_id: str, update: TransactionUpdate
    ) -> TransactionRecord | None:
        async with self._write() as session:
            row = await session.scalar(
                self._transaction_query(charge_point_id, transaction_id).with_for_update()
            )
            if row is None:
                return None
            for name in (f.name for f in fields(update)):
                value = getattr(update, name)
                if value is not None:
                    setattr(row, name, value)
            await session.flush()
            (stored,) = await self._snapshots(session, [row])
            return stored

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
        async with self._write() as session:
            row = await session.scalar(
                self._transaction_query(charge_point_id, transaction_id).with_for_update()
            )
            if row is None:
                return None
            if row.state == TransactionState.active.value:
                row.state = TransactionState.ended.value
                row.stopped_at = stopped_at
                row.meter_stop_wh = meter_stop_wh if meter_stop_wh is not None else row.meter_wh
                row.stop_reason = reason
                row.stop_id_token = id_token
                await session.flush()
            (stored,) = await self._snapshots(session, [row])
            return stored

    async def add_meter_values(
        self, charge_point_id: str, values: Sequence[MeterValueRecord]
    ) -> None:
        if not values:
            return
        async with self._write() as session:
            wanted = {v.transaction_id for v in values if v.transaction_id is not None}
            known: set[str] = set()
            if wanted:
                known = set(
                    await session.scalars(
                        select(TransactionRow.transaction_id).where(
                            TransactionRow.charge_point_id == charge_point_id,
                            TransactionRow.transaction_id.in_(wanted),
                        )
                    )
                )
            session.add_all(
                MeterValueRow(
                    charge_point_id=charge_point_id,
                    transaction_id=value.transaction_id,
                    joined=value.transaction_id in known,
                    evse_id=value.evse_id,
                    connector_id=value.connector_id,
                    timestamp=value.timestamp,
                    samples=[asdict(sample) for sample in value.samples],
                )
                for value in values
            )

    async def list_meter_values(
        self, charge_point_id: str, *, transaction_id: str | None = None
    ) -> list[MeterValueRecord]:
        query = select(MeterValueRow).where(MeterValueRow.charge_point_id == charge_point_id)
        if transaction_id is not None:
            query = query.where(MeterValueRow.transaction_id == transaction_id)
        async with self._read() as session:
            return [
                meter_value_record(row)
                for row in await session.scalars(query.order_by(MeterValueRow.id))
            ]

    async def get_transaction(
        self, charge_point_id: str, transaction_id: str
    ) -> TransactionRecord | None:
        async with self._read() as session:
            row = await session.scalar(self._transaction_query(charge_point_id, transaction_id))
            if row is None:
                return None
            (stored,) = await self._snapshots(session, [row])
            return stored

    async def active_transaction(
        self,
        charge_point_id: str,
        *,
        evse_id: int | None = None,
        connector_id: int | None = None,
    ) -> TransactionRecord | None:
        query = select(TransactionRow).where(
            TransactionRow.state == TransactionState.active.value,
            TransactionRow.charge_point_id == charge_point_id,
        )
        if evse_id is not None:
            query = query.where(TransactionRow.evse_id == evse_id)
        if connector_id is not None:
            query = query.where(TransactionRow.connector_id == connector_id)
        async with self._read() as session:
            row = await session.scalar(query.order_by(TransactionRow.id).limit(1))
            if row is None:
                return None
            (stored,) = await self._snapshots(session, [row])
            return stored

    async def list_transactions(
        self, charge_point_id: str | None = None, *, active_only: bool = False
    ) -> list[TransactionRecord]:
        query = select(TransactionRow)
        if charge_point_id is not None:
            query = query.where(TransactionRow.charge_point_id == charge_point_id)
        if active_only:
            query = query.where(TransactionRow.state == TransactionState.active.value)
        query = query.order_by(TransactionRow.started_at, TransactionRow.id)
        async with self._read() as session:
            return await self._snapshots(session, list(await session.scalars(query)))

    # -- reports, events and everything else -----------------------------------------------------

    async def add_security_event(self, record: SecurityEventRecord) -> None:
        async with self._write() as session:
            session.add(SecurityEventRow(**asdict(record)))

    async def list_security_events(self, charge_point_id: str) -> list[SecurityEventRecord]:
        query = (
            select(SecurityEventRow)
            .where(SecurityEventRow.charge_point_id == charge_point_id)
            .order_by(SecurityEventRow.id)
        )
        async with self._read() as session:
            return [
                SecurityEventRecord(
                    charge_point_id=row.charge_point_id,
                    event_type=row.event_type,
                    timestamp=row.timestamp,
                    tech_info=row.tech_info,
                )
                for row in await session.scalars(query)
            ]

    async def upsert_variables(
        self, charge_point_id: str, variables: Sequence[VariableRecord]
    ) -> None:
        async with self._write() as session:
            for variable in variables:
                row, inserted = await locked_row(
                    session,
                    VariableRow,
                    {"charge_point_id": charge_point_id, "key": json.dumps(variable.key)},
                    asdict(variable),
                )
                if inserted:
                    continue
                # A monitoring report and a variable report describe the same variable from
                # two sides; keep what the other one said.
                if variable.attributes:
                    row.attributes = list(variable.attributes)
                if variable.characteristics is not None:
                    row.characteristics = dict(variable.characteristics)
                if variable.monitors:
                    row.monitors = list(variable.monitors)

    async def list_variables(self, charge_point_id: str) -> list[VariableRecord]:
        query = (
            select(VariableRow)
            .where(VariableRow.charge_point_id == charge_point_id)
            .order_by(VariableRow.id)
        )
        async with self._read() as session:
            return [variable_record(row) for row in await session.scalars(query)]

    async def record_reservation(
        self, charge_point_id: str, reservation_id: int, status: str, *, at: datetime | None = None
    ) -> None:
        async with self._write() as session:
            key = {"charge_point_id": charge_point_id, "reservation_id": reservation_id}
            values = {"status": status, "updated_at": at or utcnow()}
            row, _ = await locked_row(session, ReservationRow, key, values)
            row.status, row.updated_at = status, at or utcnow()

    async def get_reservation(
        self, charge_point_id: str, reservation_id: int
    ) -> ReservationRecord | None:
        async with self._read() as session:
            row = await session.get(ReservationRow, (charge_point_id, reservation_id))
            if row is None:
                return None
            return ReservationRecord(
                charge_point_id=row.charge_point_id,
                reservation_id=row.reservation_id,
                status=row.status,
                updated_at=row.updated_at,
            )

    async def record_charging_limit(self, record: ChargingLimitRecord) -> None:
        async with self._write() as session:
            key = {
                "charge_point_id": record.charge_point_id,
                "source": record.source,
                "evse_id": id_key(record.evse_id),
            }
            values = {"updated_at": record.updated_at, "schedules": [], "cleared": False}
            row, _ = await locked_row(session, ChargingLimitRow, key, values)
            row.updated_at = record.updated_at
            row.grid_critical = record.grid_critical
            row.schedules = list(record.schedules)
            row.cleared = record.cleared

    async def list_charging_limits(self, charge_point_id: str) -> list[ChargingLimitRecord]:
        query = (
            select(ChargingLimitRow)
            .where(ChargingLimitRow.charge_point_id == charge_point_id)
            .order_by(ChargingLimitRow.id)
        )
        async with self._read() as session:
            return [
                ChargingLimitRecord(
                    charge_point_id=row.charge_point_id,
                    source=row.source,
                    evse_id=from_id_key(row.evse_id),
                    updated_at=row.updated_at,
                    grid_critical=row.grid_critical,
                    schedules=list(row.schedules or []),
                    cleared=row.cleared,
                )
                for row in await session.scalars(query)
            ]

    async def add_notification(self, record: NotificationRecord) -> None:
        async with self._write() as session:
            session.add(NotificationRow(**asdict(record)))

    async def list_notifications(
        self, charge_point_id: str, kind: str | None = None
    ) -> list[NotificationRecord]:
        query = select(NotificationRow).where(NotificationRow.charge_point_id == charge_point_id)
        if kind is not None:
            query = query.where(NotificationRow.kind == kind)
        async with self._read() as session:
            return [
                NotificationRecord(
                    charge_point_id=row.charge_point_id,
                    kind=row.kind,
                    timestamp=row.timestamp,
                    data=dict(row.data),
                )
                for row in await session.scalars(query.order_by(NotificationRow.id))
            ]
