"""Rows ↔ records: conversions between the gateway's tables and the state records, and the
insert-or-lock helper the writers share."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from ocpp_gw.events import MeterSample
from ocpp_gw.state.records import (
    BootInfo,
    MeterValueRecord,
    OperationKind,
    OperationStatus,
    StationRecord,
    TransactionRecord,
    TransactionState,
    VariableRecord,
)
from ocpp_gw.store.models import NONE_ID, MeterValueRow, StationRow, TransactionRow, VariableRow

__all__ = [
    "TRANSACTION_FIELDS",
    "from_id_key",
    "id_key",
    "locked_row",
    "meter_value_record",
    "station_for_update",
    "station_record",
    "transaction_record",
    "utcnow",
    "variable_record",
]

T = TypeVar("T")

TRANSACTION_FIELDS = [f.name for f in fields(TransactionRecord) if f.name != "meter_values"]


def utcnow() -> datetime:
    return datetime.now(UTC)


def id_key(value: int | None) -> int:
    return NONE_ID if value is None else value


def from_id_key(value: int) -> int | None:
    return None if value == NONE_ID else value


async def locked_row(
    session: AsyncSession, model: type[T], key: dict[str, Any], values: dict[str, Any]
) -> tuple[T, bool]:
    """The row of ``model`` with the unique ``key``, inserted from ``values`` when missing,
    locked until the transaction ends; and whether it was inserted just now.

    Inserting first (``ON CONFLICT DO NOTHING``) and locking second means two writers creating
    the same row at once both succeed, one after the other, instead of one failing on the
    unique constraint.
    """
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    result = await session.execute(
        insert(model).values(**{**values, **key}).on_conflict_do_nothing()
    )
    inserted = bool(getattr(result, "rowcount", 0))
    where = [getattr(model, column) == value for column, value in key.items()]
    row = await session.scalar(
        select(model).where(*where).with_for_update().execution_options(populate_existing=True)
    )
    assert row is not None
    return row, inserted


async def station_for_update(session: AsyncSession, charge_point_id: str) -> StationRow:
    """The station's row, created when missing, locked until the transaction ends."""
    defaults = {
        "registered": False,
        "registration_status": "Accepted",
        "operations": {},
        "configuration": {},
        "created_at": utcnow(),
    }
    row, _ = await locked_row(session, StationRow, {"charge_point_id": charge_point_id}, defaults)
    return row


def station_record(row: StationRow) -> StationRecord:
    operations = {
        OperationKind(kind): OperationStatus(
            status=value["status"],
            request_id=value.get("request_id"),
            updated_at=datetime.fromisoformat(value["updated_at"]),
        )
        for kind, value in (row.operations or {}).items()
    }
    return StationRecord(
        charge_point_id=row.charge_point_id,
        version=row.version,
        boot=BootInfo(**row.boot) if row.boot else None,
        registration_status=row.registration_status,
        heartbeat_interval=row.heartbeat_interval,
        last_boot=row.last_boot,
        last_heartbeat=row.last_heartbeat,
        last_seen=row.last_seen,
        operations=operations,
        configuration=dict(row.configuration or {}),
    )


def meter_value_record(row: MeterValueRow) -> MeterValueRecord:
    return MeterValueRecord(
        timestamp=row.timestamp,
        samples=tuple(MeterSample(**sample) for sample in row.samples),
        evse_id=row.evse_id,
        connector_id=row.connector_id,
        transaction_id=row.transaction_id,
    )


def transaction_record(row: TransactionRow, values: list[MeterValueRecord]) -> TransactionRecord:
    data = {name: getattr(row, name) for name in TRANSACTION_FIELDS}
    data["state"] = TransactionState(row.state)
    return TransactionRecord(**data, meter_values=values)


def variable_record(row: VariableRow) -> VariableRecord:
    return VariableRecord(
        component=row.component,
        variable=row.variable,
        component_instance=row.component_instance,
        variable_instance=row.variable_instance,
        evse_id=row.evse_id,
        connector_id=row.connector_id,
        attributes=list(row.attributes or []),
        characteristics=row.characteristics,
        monitors=list(row.monitors or []),
    )
