"""OCPI objects and partners.

Revision ID: 0001_ocpi
Revises:
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from ocpi.store.db import UTCDateTime

revision: str = "0001_ocpi"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "ocpi_objects",
        sa.Column("pk", BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("module", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(48), nullable=False),
        sa.Column("country_code", sa.String(8), nullable=False),
        sa.Column("party_id", sa.String(8), nullable=False),
        sa.Column("object_id", sa.String(80), nullable=False),
        sa.Column("owner", sa.String(36), nullable=True),
        sa.Column("version", sa.String(8), nullable=False),
        sa.Column("last_updated", UTCDateTime(), nullable=False),
        sa.Column("doc", JSON, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("pk", name="pk_ocpi_objects"),
        sa.UniqueConstraint(
            "module",
            "kind",
            "country_code",
            "party_id",
            "object_id",
            name="uq_ocpi_objects_module_kind_country_code_party_id_object_id",
        ),
    )
    op.create_index(
        "ix_ocpi_objects_party_object", "ocpi_objects", ["country_code", "party_id", "object_id"]
    )
    op.create_index(
        "ix_ocpi_objects_page", "ocpi_objects", ["module", "kind", "last_updated", "object_id"]
    )
    op.create_index("ix_ocpi_objects_last_updated", "ocpi_objects", ["last_updated"])
    op.create_index("ix_ocpi_objects_owner", "ocpi_objects", ["owner"])
    op.create_table(
        "ocpi_partners",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(255), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("token_a_hash", sa.String(64), nullable=True),
        sa.Column("token_in_hash", sa.String(64), nullable=True),
        sa.Column("token_out", sa.String(255), nullable=True),
        sa.Column("version", sa.String(8), nullable=True),
        sa.Column("versions_url", sa.String(512), nullable=True),
        sa.Column("our_versions_url", sa.String(512), nullable=True),
        sa.Column("credentials", JSON, nullable=True),
        sa.Column("endpoints", JSON, nullable=True),
        sa.Column("parties", JSON, nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ocpi_partners"),
        sa.UniqueConstraint("token_a_hash", name="uq_ocpi_partners_token_a_hash"),
        sa.UniqueConstraint("token_in_hash", name="uq_ocpi_partners_token_in_hash"),
    )


def downgrade() -> None:
    op.drop_table("ocpi_partners")
    op.drop_index("ix_ocpi_objects_owner", table_name="ocpi_objects")
    op.drop_index("ix_ocpi_objects_last_updated", table_name="ocpi_objects")
    op.drop_index("ix_ocpi_objects_page", table_name="ocpi_objects")
    op.drop_index("ix_ocpi_objects_party_object", table_name="ocpi_objects")
    op.drop_table("ocpi_objects")
