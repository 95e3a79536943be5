"""Reading and writing rows of ``ocpi_objects``: keyed lookups, stable pages and locked
read-modify-write.

Every write runs in a write transaction (SQLite: ``BEGIN IMMEDIATE``; PostgreSQL: the row is read
``FOR UPDATE``), so :meth:`ObjectRepository.modify` applies a change to the latest stored document
even when other processes write the same object at the same time.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import flag_modified

from ocpi.core.data_types import parse_datetime
from ocpi.store.database import Database
from ocpi.store.models import StoredObject

__all__ = ["Key", "ObjectRepository", "Page"]

#: ``modify`` callbacks receive the stored document (``None`` if absent) and return the new one
#: (``None`` leaves the row alone).
Change = Callable[[dict[str, Any] | None], dict[str, Any] | None]


@dataclass(frozen=True, slots=True)
class Key:
    """What identifies one stored object."""

    module: str
    kind: str
    country_code: str
    party_id: str
    object_id: str

    def where(self) -> ColumnElement[bool]:
        return and_(
            StoredObject.module == self.module,
            StoredObject.kind == self.kind,
            StoredObject.country_code == self.country_code,
            StoredObject.party_id == self.party_id,
            StoredObject.object_id == self.object_id,
        )


@dataclass(frozen=True, slots=True)
class Page:
    rows: list[StoredObject]
    total: int


def _last_updated(doc: dict[str, Any]) -> datetime:
    value = doc.get("last_updated")
    if value:
        try:
            return parse_datetime(value)
        except (TypeError, ValueError):
            pass
    return datetime.now(UTC)


class ObjectRepository:
    """Data access to ``ocpi_objects``."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, key: Key) -> StoredObject | None:
        await self.db.ready()
        async with self.db.read() as session:
            row: StoredObject | None = await session.scalar(select(StoredObject).where(key.where()))
            return row

    async def find(
        self,
        module: str,
        object_id: str,
        *,
        kinds: Sequence[str] | None,
        owners: Sequence[str | None],
        prefer_kind: str | None = None,
        country_code: str | None = None,
        party_id: str | None = None,
        prefer_party: tuple[str, str] | None = None,
    ) -> StoredObject | None:
        """An object by id when the party is not known.

        ``owners`` in order of preference (empty: any owner); ``country_code``/``party_id``
        filter, ``prefer_party`` and ``prefer_kind`` only rank (after the owner).
        """
        await self.db.ready()
        conditions: list[ColumnElement[bool]] = [
            StoredObject.module == module,
            StoredObject.object_id == object_id,
        ]
        if kinds is not None:
            conditions.append(StoredObject.kind.in_(kinds))
        if country_code is not None:
            conditions.append(StoredObject.country_code == country_code)
        if party_id is not None:
            conditions.append(StoredObject.party_id == party_id)
        named = [owner for owner in owners if owner is not None]
        owner_filters: list[ColumnElement[bool]] = []
        if named:
            owner_filters.append(StoredObject.owner.in_(named))
        if None in owners:
            owner_filters.append(StoredObject.owner.is_(None))
        if owner_filters:
            conditions.append(or_(*owner_filters))
        async with self.db.read() as session:
            rows = list(
                await session.scalars(
                    select(StoredObject).where(*conditions).order_by(StoredObject.pk).limit(10)
                )
            )
        if not rows:
            return None

        def rank(row: StoredObject) -> tuple[int, int, int]:
            kind_rank = 0 if row.kind == prefer_kind else 1
            owner_rank = owners.index(row.owner) if row.owner in owners else len(owners)
            party_rank = 0 if prefer_party in (None, (row.country_code, row.party_id)) else 1
            return owner_rank, party_rank, kind_rank

        return min(rows, key=rank)

    async def page(
        self,
        module: str,
        *,
        kind: str | None,
        owner: str | None,
        date_from: datetime | None,
        date_to: datetime | None,
        offset: int,
        limit: int,
    ) -> Page:
        """One page, oldest ``last_updated`` first (then by object id); ``owner=None``: ours."""
        await self.db.ready()
        conditions: list[ColumnElement[bool]] = [StoredObject.module == module]
        if kind is not None:
            conditions.append(StoredObject.kind == kind)
        conditions.append(
            StoredObject.owner.is_(None) if owner is None else StoredObject.owner == owner
        )
        if date_from is not None:
            conditions.append(StoredObject.last_updated >= date_from)
        if date_to is not None:
            conditions.append(StoredObject.last_updated < date_to)
        query = (
            select(StoredObject)
            .where(*conditions)
            .order_by(StoredObject.last_updated, StoredObject.object_id, StoredObject.pk)
            .offset(offset)
            .limit(limit)
        )
        async with self.db.read() as session:
            total = await session.scalar(
                select(func.count()).select_from(StoredObject).where(*conditions)
            )
            rows = list(await session.scalars(query))
        return Page(rows, int(total or 0))

    async def everything(self, module: str) -> list[StoredObject]:
        """Every object of a module, ours and pushed by partners, oldest ``last_updated`` first
        (for operators: ``ocpi-ocpp objects``)."""
        await self.db.ready()
        query = (
            select(StoredObject)
            .where(StoredObject.module == module)
            .order_by(StoredObject.last_updated, StoredObject.object_id, StoredObject.pk)
        )
        async with self.db.read() as session:
            return list(await session.scalars(query))

    async def put(self, key: Key, doc: dict[str, Any], *, owner: str | None, version: str) -> bool:
        """Insert or replace; ``True`` when the object is new."""
        created = False

        def replace(current: dict[str, Any] | None) -> dict[str, Any]:
            nonlocal created
            created = current is None
            return doc

        await self.modify(key, replace, owner=owner, version=version)
        return created

    async def modify(
        self, key: Key, change: Change, *, owner: str | None, version: str
    ) -> dict[str, Any] | None:
        """Locked read-modify-write of one object; returns the stored document."""
        await self.db.ready()
        for attempt in range(3):
            try:
                async with self.db.write() as session, session.begin():
                    return await self._modify(session, key, change, owner, version)
            except IntegrityError:
                # Two writers created the same new object at once; the loser retries as update.
                if attempt == 2:
                    raise
        return None  # pragma: no cover - the loop returns or raises

    @staticmethod
    async def _modify(
        session: AsyncSession, key: Key, change: Change, owner: str | None, version: str
    ) -> dict[str, Any] | None:
        row = await session.scalar(select(StoredObject).where(key.where()).with_for_update())
        # The callback gets its own copy: a document changed in place would look unchanged to
        # SQLAlchemy and never be written.
        doc = change(None if row is None else copy.deepcopy(row.doc))
        if doc is None:
            return None if row is None else row.doc
        if row is None:
            session.add(
                StoredObject(
                    module=key.module,
                    kind=key.kind,
                    country_code=key.country_code,
                    party_id=key.party_id,
                    object_id=key.object_id,
                    owner=owner,
                    version=version,
                    last_updated=_last_updated(doc),
                    doc=doc,
                )
            )
        else:
            row.doc = doc
            flag_modified(row, "doc")
            row.version = version
            row.last_updated = _last_updated(doc)
        await session.flush()
        return doc

    async def delete(self, key: Key) -> bool:
        await self.db.ready()
        async with self.db.write() as session, session.begin():
            result = await session.execute(delete(StoredObject).where(key.where()))
        return bool(getattr(result, "rowcount", 0))

    async def delete_row(self, row: StoredObject) -> bool:
        async with self.db.write() as session, session.begin():
            result = await session.execute(delete(StoredObject).where(StoredObject.pk == row.pk))
        return bool(getattr(result, "rowcount", 0))
