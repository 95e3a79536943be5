"""The OCPP gateway's tables, declared on the store's shared :class:`~ocpi.store.db.Base`.

* ``ocpp_stations`` — one row per charging station: what it said at boot, the answer for its
  next boot, last contact, operation progress and configuration keys, and the credentials an
  operator gave it (a salted password hash, expected certificate subject).
* ``ocpp_connectors`` / ``ocpp_status_history`` — current status of each EVSE/connector and
  its last changes.
* ``ocpp_transactions`` / ``ocpp_meter_values`` — transactions and every stored meter value.
* ``ocpp_security_events``, ``ocpp_notifications``, ``ocpp_variables``, ``ocpp_reservations``,
  ``ocpp_charging_limits`` — reports and everything else stations tell us.
* ``ocpp_counters`` — named counters (the CSMS-assigned 1.6 transaction ids), incremented in
  the database so several processes never hand out the same value.

Nullable EVSE and connector ids are part of some unique keys; SQL does not consider two
``NULL`` values equal, so those columns store :data:`NONE_ID` (-1) for "absent" instead.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ocpi.store.db import Base, UTCDateTime

__all__ = [
    "NONE_ID",
    "ChargingLimitRow",
    "ConnectorRow",
    "CounterRow",
    "MeterValueRow",
    "NotificationRow",
    "ReservationRow",
    "SecurityEventRow",
    "StationRow",
    "StatusHistoryRow",
    "TransactionRow",
    "VariableRow",
]

#: Stored for an absent EVSE/connector id in columns that are part of a unique key.
NONE_ID = -1

Json = JSON().with_variant(JSONB(), "postgresql")
BigId = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    return datetime.now(UTC)


class StationRow(Base):
    __tablename__ = "ocpp_stations"

    charge_point_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    #: Added by an operator (``chargers add``): only such stations pass the authenticator.
    registered: Mapped[bool] = mapped_column(Boolean, default=False)
    #: ``scrypt$...`` (see :mod:`ocpp_gw.store.passwords`); ``NULL``: no password set.
    password_hash: Mapped[str | None] = mapped_column(String(255), default=None)
    #: Expected certificate subject for security profile 3 (``NULL`` CN: the identity).
    certificate_cn: Mapped[str | None] = mapped_column(String(255), default=None)
    certificate_o: Mapped[str | None] = mapped_column(String(255), default=None)
    version: Mapped[str | None] = mapped_column(String(8), default=None)
    boot: Mapped[dict[str, Any] | None] = mapped_column(Json, default=None)
    registration_status: Mapped[str] = mapped_column(String(16), default="Accepted")
    heartbeat_interval: Mapped[int | None] = mapped_column(Integer, default=None)
    last_boot: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    last_heartbeat: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    last_seen: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    operations: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    configuration: Mapped[dict[str, str | None]] = mapped_column(Json, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ConnectorRow(Base):
    __tablename__ = "ocpp_connectors"
    __table_args__ = (UniqueConstraint("charge_point_id", "evse_id", "connector_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    charge_point_id: Mapped[str] = mapped_column(String(255))
    evse_id: Mapped[int] = mapped_column(Integer)
    connector_id: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(32))
    error_code: Mapped[str | None] = mapped_column(String(64), default=None)
    info: Mapped[str | None] = mapped_column(Text, default=None)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class StatusHistoryRow(Base):
    __tablename__ = "ocpp_status_history"
    __table_args__ = (Index("ix_ocpp_status_history_connector", "connector_pk", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    connector_pk: Mapped[int] = mapped_column(
        BigId, ForeignKey("ocpp_connectors.id", ondelete="CASCADE")
    )
    status: Mapped[str] = mapped_column(String(32))
    error_code: Mapped[str | None] = mapped_column(String(64), default=None)
    info: Mapped[str | None] = mapped_column(Text, default=None)
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime())


class TransactionRow(Base):
    __tablename__ = "ocpp_transactions"
    __table_args__ = (
        UniqueConstraint("charge_point_id", "transaction_id"),
        Index("ix_ocpp_transactions_state", "state", "charge_point_id"),
        Index("ix_ocpp_transactions_started_at", "started_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    charge_point_id: Mapped[str] = mapped_column(String(255))
    transaction_id: Mapped[str] = mapped_column(String(64))
    evse_id: Mapped[int | None] = mapped_column(Integer, default=None)
    connector_id: Mapped[int | None] = mapped_column(Integer, default=None)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    id_token: Mapped[str | None] = mapped_column(String(255), default=None)
    id_token_type: Mapped[str | None] = mapped_column(String(32), default=None)
    authorization_status: Mapped[str | None] = mapped_column(String(32), default=None)
    meter_start_wh: Mapped[float | None] = mapped_column(Float, default=None)
    meter_wh: Mapped[float | None] = mapped_column(Float, default=None)
    reservation_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    remote_start_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    charging_state: Mapped[str | None] = mapped_column(String(32), default=None)
    state: Mapped[str] = mapped_column(String(8), default="active")
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    meter_stop_wh: Mapped[float | None] = mapped_column(Float, default=None)
    stop_reason: Mapped[str | None] = mapped_column(String(64), default=None)
    stop_id_token: Mapped[str | None] = mapped_column(String(255), default=None)
    seq_no: Mapped[int | None] = mapped_column(BigInteger, default=None)


class MeterValueRow(Base):
    __tablename__ = "ocpp_meter_values"
    __table_args__ = (
        Index("ix_ocpp_meter_values_station", "charge_point_id", "id"),
        Index("ix_ocpp_meter_values_transaction", "charge_point_id", "transaction_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    charge_point_id: Mapped[str] = mapped_column(String(255))
    transaction_id: Mapped[str | None] = mapped_column(String(64), default=None)
    #: The transaction was known when the value arrived (it belongs to its meter values).
    joined: Mapped[bool] = mapped_column(Boolean, default=False)
    evse_id: Mapped[int | None] = mapped_column(Integer, default=None)
    connector_id: Mapped[int | None] = mapped_column(Integer, default=None)
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime())
    samples: Mapped[list[dict[str, Any]]] = mapped_column(Json)


class SecurityEventRow(Base):
    __tablename__ = "ocpp_security_events"
    __table_args__ = (Index("ix_ocpp_security_events_station", "charge_point_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    charge_point_id: Mapped[str] = mapped_column(String(255))
    event_type: Mapped[str] = mapped_column(String(64))
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime())
    tech_info: Mapped[str | None] = mapped_column(Text, default=None)


class NotificationRow(Base):
    __tablename__ = "ocpp_notifications"
    __table_args__ = (Index("ix_ocpp_notifications_station", "charge_point_id", "kind", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    charge_point_id: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(64))
    timestamp: Mapped[datetime] = mapped_column(UTCDateTime())
    data: Mapped[dict[str, Any]] = mapped_column(Json)


class VariableRow(Base):
    __tablename__ = "ocpp_variables"
    __table_args__ = (UniqueConstraint("charge_point_id", "key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    charge_point_id: Mapped[str] = mapped_column(String(255))
    #: JSON of (component, component instance, EVSE, connector, variable, variable instance).
    key: Mapped[str] = mapped_column(String(512))
    component: Mapped[str] = mapped_column(String(64))
    component_instance: Mapped[str | None] = mapped_column(String(64), default=None)
    variable: Mapped[str] = mapped_column(String(64))
    variable_instance: Mapped[str | None] = mapped_column(String(64), default=None)
    evse_id: Mapped[int | None] = mapped_column(Integer, default=None)
    connector_id: Mapped[int | None] = mapped_column(Integer, default=None)
    attributes: Mapped[list[dict[str, Any]]] = mapped_column(Json, default=list)
    characteristics: Mapped[dict[str, Any] | None] = mapped_column(Json, default=None)
    monitors: Mapped[list[dict[str, Any]]] = mapped_column(Json, default=list)


class ReservationRow(Base):
    __tablename__ = "ocpp_reservations"

    charge_point_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    reservation_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    status: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ChargingLimitRow(Base):
    __tablename__ = "ocpp_charging_limits"
    __table_args__ = (UniqueConstraint("charge_point_id", "source", "evse_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    charge_point_id: Mapped[str] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(String(32))
    evse_id: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    grid_critical: Mapped[bool | None] = mapped_column(Boolean, default=None)
    schedules: Mapped[list[dict[str, Any]]] = mapped_column(Json, default=list)
    cleared: Mapped[bool] = mapped_column(Boolean, default=False)


class CounterRow(Base):
    __tablename__ = "ocpp_counters"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)
