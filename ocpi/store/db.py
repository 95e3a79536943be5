"""Engine, sessions and the declarative base shared by every table of the built-in store.

The OCPI tables (:mod:`ocpi.store.models`) and the OCPP gateway's tables are declared on the same
:class:`Base`, so one Alembic history (``ocpi/store/migrations``) creates them all::

    engine = create_engine("sqlite+aiosqlite:///ocpi.sqlite3")
    sessions = session_factory(engine)
    async with sessions() as session:
        ...
    await engine.dispose()

SQLite gets WAL journaling and a busy timeout on every connection, and SQLAlchemy's own
``BEGIN`` handling instead of the driver's (which would start transactions too late for row
locking). :func:`write_engine` returns a variant whose transactions start with
``BEGIN IMMEDIATE``: the writer takes SQLite's write lock before it reads what it will change,
which is SQLite's equivalent of ``SELECT ... FOR UPDATE``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as _create_async_engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

__all__ = [
    "DEFAULT_URL",
    "Base",
    "UTCDateTime",
    "create_engine",
    "is_sqlite",
    "session_factory",
    "write_engine",
]

#: The zero-setup default: a SQLite file in the working directory, created on first use.
DEFAULT_URL = "sqlite+aiosqlite:///ocpi-store.sqlite3"
#: Seconds a SQLite connection waits for another writer before giving up.
SQLITE_BUSY_TIMEOUT = 30.0

_WRITE_OPTION = "ocpi_store_write"

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every table of the store (OCPI and OCPP gateway)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC in Python.

    PostgreSQL stores ``timestamptz``; SQLite stores naive UTC text (which sorts correctly).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def is_sqlite(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "sqlite"


def _configure_sqlite(engine: AsyncEngine) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself (see the "begin" hook below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # With WAL, NORMAL only risks the last commits on power loss, never corruption.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(_WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def create_engine(
    url: str | None = None, *, schema: str | None = None, **options: Any
) -> AsyncEngine:
    """An async engine for ``url`` (default :data:`DEFAULT_URL`).

    ``schema`` (PostgreSQL only) puts every table, including Alembic's version table, into that
    schema via the connection's ``search_path`` (tests use a throw-away schema per run).
    Other keyword arguments go to :func:`sqlalchemy.ext.asyncio.create_async_engine`.

    Example::

        engine = create_engine("postgresql+asyncpg://ocpi@db/ocpi", pool_size=10)
    """
    parsed = make_url(url or DEFAULT_URL)
    if parsed.get_backend_name() == "sqlite":
        connect_args = dict(options.pop("connect_args", {}))
        connect_args.setdefault("timeout", SQLITE_BUSY_TIMEOUT)
        engine = _create_async_engine(parsed, connect_args=connect_args, **options)
        _configure_sqlite(engine)
        return engine
    if schema is not None:
        connect_args = dict(options.pop("connect_args", {}))
        settings = dict(connect_args.get("server_settings", {}))
        settings["search_path"] = schema
        connect_args["server_settings"] = settings
        options["connect_args"] = connect_args
    options.setdefault("pool_pre_ping", True)
    return _create_async_engine(parsed, **options)


def write_engine(engine: AsyncEngine) -> AsyncEngine:
    """The same engine (same pool) whose SQLite transactions begin with ``BEGIN IMMEDIATE``."""
    return engine.execution_options(**{_WRITE_OPTION: True})


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions bound to ``engine`` that keep loaded objects usable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)
