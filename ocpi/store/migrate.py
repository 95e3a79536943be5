"""Applying the store's Alembic migrations from Python.

::

    await upgrade("postgresql+asyncpg://ocpi@db/ocpi")   # in async code
    upgrade_sync("sqlite+aiosqlite:///ocpi.sqlite3")      # in a script, no loop running

The OCPI history starts at revision ``0001_ocpi`` in ``ocpi/store/migrations/versions``. Other
packages sharing the database (the OCPP gateway) add their directories with
``version_locations=[...]``; their first revision names ``down_revision="0001_ocpi"``.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from ocpi.store.db import create_engine

__all__ = [
    "MIGRATIONS_DIR",
    "OCPI_HEAD",
    "VERSIONS_DIR",
    "alembic_config",
    "current_revision",
    "upgrade",
    "upgrade_sync",
]

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
VERSIONS_DIR = MIGRATIONS_DIR / "versions"
#: The last OCPI revision (the gateway's migrations build on it).
OCPI_HEAD = "0001_ocpi"


def alembic_config(url: str | None = None, version_locations: Sequence[str | Path] = ()) -> Config:
    """An Alembic ``Config`` for the store's migrations (``url`` for command-line style use)."""
    config = Config()

    def set_option(name: str, value: str) -> None:
        config.set_main_option(name, value.replace("%", "%%"))  # ConfigParser interpolation

    set_option("script_location", str(MIGRATIONS_DIR))
    locations = [str(VERSIONS_DIR), *(str(p) for p in version_locations)]
    # os.pathsep (not spaces) so that directories with spaces in their names work.
    set_option("path_separator", "os")
    set_option("version_locations", os.pathsep.join(locations))
    if url is not None:
        set_option("sqlalchemy.url", url)
    return config


async def upgrade(
    target: str | AsyncEngine | None = None,
    revision: str = "heads",
    *,
    version_locations: Sequence[str | Path] = (),
    schema: str | None = None,
) -> None:
    """Migrate the database at ``target`` (a URL or an engine) to ``revision``.

    Safe to call on every start: an up-to-date database is left alone.
    """
    engine = target if isinstance(target, AsyncEngine) else create_engine(target, schema=schema)
    config = alembic_config(version_locations=version_locations)

    def run(connection: Connection) -> None:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)

    try:
        async with engine.begin() as connection:
            await connection.run_sync(run)
    finally:
        if engine is not target:
            await engine.dispose()


def upgrade_sync(
    url: str | None = None,
    revision: str = "heads",
    *,
    version_locations: Sequence[str | Path] = (),
    schema: str | None = None,
) -> None:
    """:func:`upgrade` for synchronous callers (scripts, CLIs); no event loop may be running."""
    asyncio.run(upgrade(url, revision, version_locations=version_locations, schema=schema))


async def current_revision(engine: AsyncEngine) -> set[str]:
    """The revisions the database is at (empty before the first migration)."""

    def read(connection: Connection) -> set[str]:
        return set(MigrationContext.configure(connection).get_current_heads())

    async with engine.connect() as connection:
        return await connection.run_sync(read)


def head_revisions(version_locations: Sequence[str | Path] = ()) -> set[str]:
    """The head revisions shipped (``{"0001_ocpi"}`` for the OCPI store alone)."""
    script = ScriptDirectory.from_config(alembic_config(version_locations=version_locations))
    return set(script.get_heads())
