"""Factories of :class:`~ocpp_gw.store.SQLStateStore` for the store contract in
``tests/ocpp_gw/test_state.py`` (``STORES``), and helpers shared by the gateway store tests.

The contract's fixture is synchronous and calls ``factory()`` once per test, so each factory
returns a store on an empty database without awaiting anything: SQLite gets a new file in a
scratch directory, PostgreSQL a freshly re-created schema (set up from a worker thread with its
own event loop). Engines use ``NullPool`` (no connection outlives a call, so nothing needs
disposing) and everything is removed when the test process exits.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import tempfile
import threading
import uuid
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy.pool import NullPool

from ocpp_gw.state import ChargerStateStore
from ocpp_gw.store import create_gateway_store

PG_URL = os.environ.get(
    "OCPI_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
#: The PostgreSQL schema of the contract tests (dropped at exit; other tests use their own).
PG_SCHEMA = "ocpp_gw_state_contract"

T = TypeVar("T")
_scratch: list[Path] = []
_pg_state: dict[str, Any] = {}


def run_in_thread(work: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to completion on a private event loop in a worker thread."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(work())
        except BaseException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    value: T = outcome["value"]
    return value


def scratch_dir() -> Path:
    if not _scratch:
        _scratch.append(Path(tempfile.mkdtemp(prefix="ocpp-gw-store-")))
        atexit.register(shutil.rmtree, _scratch[0], True)
    return _scratch[0]


def sqlite_state_store() -> ChargerStateStore:
    url = f"sqlite+aiosqlite:///{scratch_dir() / f'state-{uuid.uuid4().hex}.sqlite3'}"
    return create_gateway_store(url, migrate=True, poolclass=NullPool).state


async def pg_execute(*statements: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(
        PG_URL.replace("postgresql+asyncpg://", "postgresql://"), timeout=3
    )
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


def _drop_pg_schema() -> None:
    run_in_thread(lambda: pg_execute(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE'))


def postgres_state_store() -> ChargerStateStore:
    if "problem" in _pg_state:
        pytest.skip(_pg_state["problem"])
    try:
        run_in_thread(
            lambda: pg_execute(
                f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE', f'CREATE SCHEMA "{PG_SCHEMA}"'
            )
        )
    except Exception as exc:  # no server, no database, no driver: no PostgreSQL here
        _pg_state["problem"] = f"PostgreSQL unreachable at {PG_URL}: {exc!r}"
        pytest.skip(_pg_state["problem"])
    if "cleanup" not in _pg_state:
        _pg_state["cleanup"] = atexit.register(_drop_pg_schema)
    return create_gateway_store(PG_URL, schema=PG_SCHEMA, migrate=True, poolclass=NullPool).state
