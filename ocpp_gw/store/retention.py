"""Retention for the gateway's tables: drop history older than a cut-off.

:class:`~ocpp_gw.store.SQLStateStore` keeps everything (an acknowledged message is never thrown
away on its own). Operators choose how long history stays and prune it, e.g. daily from cron
(``ocpi-ocpp db prune --older-than 90``) or from code::

    removed = await prune(gw_store.ocpi.db, before=datetime.now(UTC) - timedelta(days=90))
    print(removed.transactions, removed.meter_values)

What goes: transactions that *ended* before the cut-off with their meter values, meter values
outside any transaction, security events and notifications older than the cut-off. Active
transactions and everything in them stay, however old; so do stations, connectors (whose
history is bounded anyway), variables, reservations and charging limits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import CursorResult, and_, delete, exists, select

from ocpi.store.database import Database
from ocpp_gw.state.records import TransactionState
from ocpp_gw.store.models import (
    MeterValueRow,
    NotificationRow,
    SecurityEventRow,
    TransactionRow,
)

__all__ = ["PruneResult", "prune"]


@dataclass(frozen=True, slots=True)
class PruneResult:
    """How many rows :func:`prune` deleted, per kind."""

    transactions: int
    meter_values: int
    security_events: int
    notifications: int


def _count(result: object) -> int:
    return int(result.rowcount) if isinstance(result, CursorResult) else 0


async def prune(db: Database, *, before: datetime) -> PruneResult:
    """Delete history older than ``before`` (see the module docstring) in one transaction."""
    await db.ready()
    ended_before = and_(
        TransactionRow.state == TransactionState.ended.value,
        TransactionRow.stopped_at < before,
    )
    in_old_transaction = exists(
        select(TransactionRow.id).where(
            TransactionRow.charge_point_id == MeterValueRow.charge_point_id,
            TransactionRow.transaction_id == MeterValueRow.transaction_id,
            ended_before,
        )
    )
    in_any_transaction = exists(
        select(TransactionRow.id).where(
            TransactionRow.charge_point_id == MeterValueRow.charge_point_id,
            TransactionRow.transaction_id == MeterValueRow.transaction_id,
        )
    )
    async with db.write() as session, session.begin():
        values = await session.execute(
            delete(MeterValueRow).where(
                in_old_transaction | ((MeterValueRow.timestamp < before) & ~in_any_transaction)
            )
        )
        transactions = await session.execute(delete(TransactionRow).where(ended_before))
        events = await session.execute(
            delete(SecurityEventRow).where(SecurityEventRow.timestamp < before)
        )
        notes = await session.execute(
            delete(NotificationRow).where(NotificationRow.timestamp < before)
        )
    return PruneResult(_count(transactions), _count(values), _count(events), _count(notes))
