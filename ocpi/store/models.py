"""The OCPI tables of the built-in store.

* ``ocpi_objects`` — every OCPI object, once: the JSON document (in the canonical version, see
  :mod:`ocpi.store.convert`) plus the columns it is found by: module, kind (``object_type``,
  token type, ...), country code, party id, object id, ``last_updated`` and the owning partner
  (``NULL`` for our own objects).
* ``ocpi_partners`` — the platforms we are connected with: the tokens they present to us (SHA-256
  hashes only), the token we present to them (readable, we must send it), their credentials,
  versions URL, version and endpoints.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ocpi.store.db import Base, UTCDateTime

__all__ = ["JSONDocument", "PartnerRow", "StoredObject"]

#: JSON on SQLite, JSONB on PostgreSQL.
JSONDocument = JSON().with_variant(JSONB(), "postgresql")
#: 64-bit ids on PostgreSQL; SQLite only auto-increments ``INTEGER PRIMARY KEY``.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    return datetime.now(UTC)


class StoredObject(Base):
    """One OCPI object (a Location with its EVSEs, a Session, a Token ...)."""

    __tablename__ = "ocpi_objects"
    __table_args__ = (
        UniqueConstraint("module", "kind", "country_code", "party_id", "object_id"),
        Index("ix_ocpi_objects_party_object", "country_code", "party_id", "object_id"),
        Index("ix_ocpi_objects_page", "module", "kind", "last_updated", "object_id"),
        Index("ix_ocpi_objects_last_updated", "last_updated"),
        Index("ix_ocpi_objects_owner", "owner"),
    )

    pk: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    module: Mapped[str] = mapped_column(String(32))
    #: Sub-kind within a module: ``object_type`` (payments, bookings), the token type, or the
    #: store's own kinds (``charging_preferences``, ``command`` ...). Empty for plain objects.
    kind: Mapped[str] = mapped_column(String(48), default="")
    country_code: Mapped[str] = mapped_column(String(8), default="")
    party_id: Mapped[str] = mapped_column(String(8), default="")
    object_id: Mapped[str] = mapped_column(String(80))
    #: The partner that pushed the object to us; ``NULL`` for our own objects.
    owner: Mapped[str | None] = mapped_column(String(36), default=None)
    #: OCPI version the document is stored in (the canonical version for converted modules).
    version: Mapped[str] = mapped_column(String(8))
    last_updated: Mapped[datetime] = mapped_column(UTCDateTime())
    doc: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PartnerRow(Base):
    """A platform we are (or were, or are about to be) connected with."""

    __tablename__ = "ocpi_partners"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(255), default=None)
    #: ``pending`` (token A issued or handshake running), ``registered``, ``unregistered``.
    status: Mapped[str] = mapped_column(String(16), default="pending")
    #: SHA-256 of the token A we issued (single use; cleared on registration).
    token_a_hash: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    #: SHA-256 of the token the partner calls us with (the token C we issued, or the token B we
    #: handed over when we initiated the registration).
    token_in_hash: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    #: The token we call the partner with (its token B or C). Readable on purpose: we send it.
    token_out: Mapped[str | None] = mapped_column(String(255), default=None)
    version: Mapped[str | None] = mapped_column(String(8), default=None)
    versions_url: Mapped[str | None] = mapped_column(String(512), default=None)
    #: Our versions URL as the partner saw it (used to answer ``GET /credentials``).
    our_versions_url: Mapped[str | None] = mapped_column(String(512), default=None)
    credentials: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument, default=None)
    endpoints: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONDocument, default=None)
    #: ``[[country_code, party_id], ...]`` from the partner's credentials.
    parties: Mapped[list[list[str]] | None] = mapped_column(JSONDocument, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
