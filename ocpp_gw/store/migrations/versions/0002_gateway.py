"""OCPP gateway: stations, connectors, transactions, meter values, reports, counters.

Revision ID: 0002_gateway
Revises: 0001_ocpi
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from ocpi.store.db import UTCDateTime

revision: str = "0002_gateway"
down_revision: str | None = "0001_ocpi"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
CP_ID = sa.String(255)


def _id() -> sa.Column[int]:
    return sa.Column("id", BIG_ID, primary_key=True, autoincrement=True)


def upgrade() -> None:
    op.create_table(
        "ocpp_stations",
        sa.Column("charge_point_id", CP_ID, nullable=False),
        sa.Column("registered", sa.Boolean(), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=True),
        sa.Column("certificate_cn", sa.String(255), nullable=True),
        sa.Column("certificate_o", sa.String(255), nullable=True),
        sa.Column("version", sa.String(8), nullable=True),
        sa.Column("boot", JSON, nullable=True),
        sa.Column("registration_status", sa.String(16), nullable=False),
        sa.Column("heartbeat_interval", sa.Integer(), nullable=True),
        sa.Column("last_boot", UTCDateTime(), nullable=True),
        sa.Column("last_heartbeat", UTCDateTime(), nullable=True),
        sa.Column("last_seen", UTCDateTime(), nullable=True),
        sa.Column("operations", JSON, nullable=False),
        sa.Column("configuration", JSON, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("charge_point_id", name="pk_ocpp_stations"),
    )
    op.create_table(
        "ocpp_connectors",
        _id(),
        sa.Column("charge_point_id", CP_ID, nullable=False),
        sa.Column("evse_id", sa.Integer(), nullable=False),
        sa.Column("connector_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("error_code", sa.String(64), nullable=True),
        sa.Column("info", sa.Text(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ocpp_connectors"),
        sa.UniqueConstraint(
            "charge_point_id",
            "evse_id",
            "connector_id",
            name="uq_ocpp_connectors_charge_point_id_evse_id_connector_id",
        ),
    )
    op.create_table(
        "ocpp_status_history",
        _id(),
        sa.Column("connector_pk", BIG_ID, nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("error_code", sa.String(64), nullable=True),
        sa.Column("info", sa.Text(), nullable=True),
        sa.Column("timestamp", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ocpp_status_history"),
        sa.ForeignKeyConstraint(
            ["connector_pk"],
            ["ocpp_connectors.id"],
            name="fk_ocpp_status_history_connector_pk_ocpp_connectors",
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "ix_ocpp_status_history_connector", "ocpp_status_history", ["connector_pk", "id"]
    )
    op.create_table(
        "ocpp_transactions",
        _id(),
        sa.Column("charge_point_id", CP_ID, nullable=False),
        sa.Column("transaction_id", sa.String(64), nullable=False),
        sa.Column("evse_id", sa.Integer(), nullable=True),
        sa.Column("connector_id", sa.Integer(), nullable=True),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("id_token", sa.String(255), nullable=True),
        sa.Column("id_token_type", sa.String(32), nullable=True),
        sa.Column("authorization_status", sa.String(32), nullable=True),
        sa.Column("meter_start_wh", sa.Float(), nullable=True),
        sa.Column("meter_wh", sa.Float(), nullable=True),
        sa.Column("reservation_id", sa.BigInteger(), nullable=True),
        sa.Column("remote_start_id", sa.BigInteger(), nullable=True),
        sa.Column("charging_state", sa.String(32), nullable=True),
        sa.Column("state", sa.String(8), nullable=False),
        sa.Column("stopped_at", UTCDateTime(), nullable=True),
        sa.Column("meter_stop_wh", sa.Float(), nullable=True),
        sa.Column("stop_reason", sa.String(64), nullable=True),
        sa.Column("stop_id_token", sa.String(255), nullable=True),
        sa.Column("seq_no", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_ocpp_transactions"),
        sa.UniqueConstraint(
            "charge_point_id",
            "transaction_id",
            name="uq_ocpp_transactions_charge_point_id_transaction_id",
        ),
    )
    op.create_index("ix_ocpp_transactions_state", "ocpp_transactions", ["state", "charge_point_id"])
    op.create_index("ix_ocpp_transactions_started_at", "ocpp_transactions", ["started_at"])
    op.create_table(
        "ocpp_meter_values",
        _id(),
        sa.Column("charge_point_id", CP_ID, nullable=False),
        sa.Column("transaction_id", sa.String(64), nullable=True),
        sa.Column("joined", sa.Boolean(), nullable=False),
        sa.Column("evse_id", sa.Integer(), nullable=True),
        sa.Column("connector_id", sa.Integer(), nullable=True),
        sa.Column("timestamp", UTCDateTime(), nullable=False),
        sa.Column("samples", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ocpp_meter_values"),
    )
    op.create_index("ix_ocpp_meter_values_station", "ocpp_meter_values", ["charge_point_id", "id"])
    op.create_index(
        "ix_ocpp_meter_values_transaction",
        "ocpp_meter_values",
        ["charge_point_id", "transaction_id", "id"],
    )
    op.create_table(
        "ocpp_security_events",
        _id(),
        sa.Column("charge_point_id", CP_ID, nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("timestamp", UTCDateTime(), nullable=False),
        sa.Column("tech_info", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_ocpp_security_events"),
    )
    op.create_index(
        "ix_ocpp_security_events_station", "ocpp_security_events", ["charge_point_id", "id"]
    )
    op.create_table(
        "ocpp_notifications",
        _id(),
        sa.Column("charge_point_id", CP_ID, nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("timestamp", UTCDateTime(), nullable=False),
        sa.Column("data", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ocpp_notifications"),
    )
    op.create_index(
        "ix_ocpp_notifications_station", "ocpp_notifications", ["charge_point_id", "kind", "id"]
    )
    op.create_table(
        "ocpp_variables",
        _id(),
        sa.Column("charge_point_id", CP_ID, nullable=False),
        sa.Column("key", sa.String(512), nullable=False),
        sa.Column("component", sa.String(64), nullable=False),
        sa.Column("component_instance", sa.String(64), nullable=True),
        sa.Column("variable", sa.String(64), nullable=False),
        sa.Column("variable_instance", sa.String(64), nullable=True),
        sa.Column("evse_id", sa.Integer(), nullable=True),
        sa.Column("connector_id", sa.Integer(), nullable=True),
        sa.Column("attributes", JSON, nullable=False),
        sa.Column("characteristics", JSON, nullable=True),
        sa.Column("monitors", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ocpp_variables"),
        sa.UniqueConstraint("charge_point_id", "key", name="uq_ocpp_variables_charge_point_id_key"),
    )
    op.create_table(
        "ocpp_reservations",
        sa.Column("charge_point_id", CP_ID, nullable=False),
        sa.Column("reservation_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("charge_point_id", "reservation_id", name="pk_ocpp_reservations"),
    )
    op.create_table(
        "ocpp_charging_limits",
        _id(),
        sa.Column("charge_point_id", CP_ID, nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("evse_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("grid_critical", sa.Boolean(), nullable=True),
        sa.Column("schedules", JSON, nullable=False),
        sa.Column("cleared", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ocpp_charging_limits"),
        sa.UniqueConstraint(
            "charge_point_id",
            "source",
            "evse_id",
            name="uq_ocpp_charging_limits_charge_point_id_source_evse_id",
        ),
    )
    counters = op.create_table(
        "ocpp_counters",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_ocpp_counters"),
    )
    # The row next_transaction_id() increments; it must exist before the first transaction.
    op.bulk_insert(counters, [{"name": "transaction_id", "value": 0}])


def downgrade() -> None:
    op.drop_table("ocpp_counters")
    op.drop_table("ocpp_charging_limits")
    op.drop_table("ocpp_reservations")
    op.drop_table("ocpp_variables")
    op.drop_index("ix_ocpp_notifications_station", table_name="ocpp_notifications")
    op.drop_table("ocpp_notifications")
    op.drop_index("ix_ocpp_security_events_station", table_name="ocpp_security_events")
    op.drop_table("ocpp_security_events")
    op.drop_index("ix_ocpp_meter_values_transaction", table_name="ocpp_meter_values")
    op.drop_index("ix_ocpp_meter_values_station", table_name="ocpp_meter_values")
    op.drop_table("ocpp_meter_values")
    op.drop_index("ix_ocpp_transactions_started_at", table_name="ocpp_transactions")
    op.drop_index("ix_ocpp_transactions_state", table_name="ocpp_transactions")
    op.drop_table("ocpp_transactions")
    op.drop_index("ix_ocpp_status_history_connector", table_name="ocpp_status_history")
    op.drop_table("ocpp_status_history")
    op.drop_table("ocpp_connectors")
    op.drop_table("ocpp_stations")
