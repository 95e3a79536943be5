"""Fixtures of the store tests: every test taking ``backend`` runs on SQLite and on PostgreSQL.

PostgreSQL tests use a throw-away schema per test (dropped afterwards) on
``OCPI_TEST_POSTGRES_URL`` (default: the local ``test`` database); when that server cannot be
reached they are skipped with the reason.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from ocpi import RoleEnum, Settings
from ocpi.store import Store, create_store, hash_token
from ocpi.store.models import PartnerRow

PG_URL = os.environ.get(
    "OCPI_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
_pg_problem: list[str] = []


async def _pg_connect() -> Any:
    import asyncpg

    dsn = PG_URL.replace("postgresql+asyncpg://", "postgresql://")
    return await asyncpg.connect(dsn, timeout=3)


@dataclass
class Backend:
    name: str
    url: str
    schema: str | None = None
    stores: list[Store] = field(default_factory=list)
    #: Extra databases (SQLite files or PostgreSQL schemas) made by :meth:`separate_store`.
    extra: list[str] = field(default_factory=list)
    connection: Any = None

    def store(self, settings: Settings | None = None, **options: Any) -> Store:
        """A store on this test's database (stores made here share it)."""
        options.setdefault("migrate", True)
        made = create_store(self.url, settings, schema=self.schema, **options)
        self.stores.append(made)
        return made

    async def separate_store(self, settings: Settings | None = None, **options: Any) -> Store:
        """A store on a database of its own (for two platforms talking to each other)."""
        options.setdefault("migrate", True)
        name = f"{self.schema or 'db'}_{len(self.extra) + 1}"
        self.extra.append(name)
        if self.name == "sqlite":
            url, schema = self.url.replace("store.sqlite3", f"{name}.sqlite3"), None
        else:
            await self.connection.execute(f'CREATE SCHEMA "{name}"')
            url, schema = self.url, name
        made = create_store(url, settings, schema=schema, **options)
        self.stores.append(made)
        return made


@pytest.fixture(params=["sqlite", "postgresql"])
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Backend]:
    if request.param == "sqlite":
        made = Backend("sqlite", f"sqlite+aiosqlite:///{tmp_path / 'store.sqlite3'}")
        yield made
        for store in made.stores:
            await store.stop()
        return
    if _pg_problem:
        pytest.skip(_pg_problem[0])
    try:
        connection = await _pg_connect()
    except Exception as exc:  # any failure to connect means "no PostgreSQL here"
        _pg_problem.append(f"PostgreSQL not reachable at {PG_URL}: {exc!r}")
        pytest.skip(_pg_problem[0])
    schema = f"ocpi_test_{uuid.uuid4().hex[:12]}"
    await connection.execute(f'CREATE SCHEMA "{schema}"')
    made = Backend("postgresql", PG_URL, schema, connection=connection)
    try:
        yield made
    finally:
        for store in made.stores:
            await store.stop()
        for name in [schema, *made.extra]:
            await connection.execute(f'DROP SCHEMA "{name}" CASCADE')
        await connection.close()


async def add_partner(
    store: Store,
    token: str,
    parties: list[list[str]],
    *,
    version: str = "2.2.1",
    credentials: dict[str, Any] | None = None,
) -> str:
    """A registered partner calling us with ``token`` (written straight into the table)."""
    await store.start()
    partner_id = str(uuid.uuid4())
    async with store.db.write() as session, session.begin():
        session.add(
            PartnerRow(
                id=partner_id,
                status="registered",
                token_in_hash=hash_token(token),
                token_out="b-" + token,
                version=version,
                parties=parties,
                credentials=credentials or {},
                endpoints=[],
            )
        )
    return partner_id


def roles_settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "OCPI_HOST": "p.example.com",
        "COUNTRY_CODE": "NL",
        "PARTY_ID": "ME",
    }
    values.update(overrides)
    return Settings(**values)


__all__ = ["Backend", "RoleEnum", "add_partner", "roles_settings"]
