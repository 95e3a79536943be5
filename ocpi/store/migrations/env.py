"""Alembic environment of the built-in store.

Used programmatically by :func:`ocpi.store.migrate.upgrade`, which hands over an open connection
in ``config.attributes["connection"]``. From the command line (``alembic -c ...``) it connects to
``sqlalchemy.url`` with an async engine.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from ocpi.store import models as _models  # noqa: F401 - registers the OCPI tables
from ocpi.store.db import Base, create_engine

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_with_url(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_run)
    finally:
        await engine.dispose()


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no connection and no sqlalchemy.url for the store migrations")
    asyncio.run(_run_with_url(url))


if context.is_offline_mode():
    raise RuntimeError("offline migrations are not supported; use ocpi.store.upgrade()")
run()
