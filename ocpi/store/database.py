"""The store's handle on its database: engine, read and write sessions, migrations on first use."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from ocpi.store.db import session_factory, write_engine
from ocpi.store.migrate import upgrade

__all__ = ["Database"]

logger = logging.getLogger(__name__)


class Database:
    """An engine plus two session factories.

    ``read()`` sessions run plain transactions; ``write()`` sessions take SQLite's write lock when
    they begin (``BEGIN IMMEDIATE``) so a read-modify-write cannot interleave with another writer;
    on PostgreSQL writers lock the rows they change with ``SELECT ... FOR UPDATE``.

    With ``migrate=True`` the first use applies the migrations (:func:`ocpi.store.upgrade`),
    including those in ``version_locations``: a database that other components migrated further
    must be upgraded with their directories too, or Alembic will not know its revision.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        *,
        migrate: bool = False,
        version_locations: Sequence[str | Path] = (),
    ) -> None:
        self.engine = engine
        self.read: async_sessionmaker[AsyncSession] = session_factory(engine)
        self.write: async_sessionmaker[AsyncSession] = session_factory(write_engine(engine))
        self.migrate = migrate
        #: Migration directories of other components sharing the database (the OCPP gateway).
        self.version_locations = list(version_locations)
        self._ready = False
        self._lock: asyncio.Lock | None = None

    async def ready(self) -> None:
        """Apply pending migrations once (when enabled); cheap after the first call."""
        if self._ready:
            return
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self._ready:
                return
            if self.migrate:
                logger.info("applying store migrations")
                await upgrade(self.engine, version_locations=self.version_locations)
            self._ready = True

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()
        self._ready = False
