"""The gateway's SQL store beyond the state contract: migrations, counters shared by several
connection pools, station credentials and the combined authenticator — on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import sys
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from ocpi.core.authentication.authenticator import (
    ChargerCertificate,
    ChargerCredentials,
    TokenKind,
)
from ocpi.store import Base, create_engine
from ocpi.store import models as ocpi_models
from ocpi.store.migrate import current_revision
from ocpp_gw.store import (
    GATEWAY_HEAD,
    GatewayStore,
    create_gateway_store,
    hash_password,
    upgrade_all,
    verify_password,
)
from ocpp_gw.store import models as gateway_models
from tests.ocpp_gw.store.gateway_store_support import PG_URL, pg_execute

assert ocpi_models and gateway_models  # both sets of tables are on Base.metadata


class Backend:
    def __init__(self, url: str, schema: str | None = None) -> None:
        self.url, self.schema = url, schema
        self.stores: list[GatewayStore] = []

    def store(self, **options: Any) -> GatewayStore:
        made = create_gateway_store(self.url, schema=self.schema, migrate=True, **options)
        self.stores.append(made)
        return made


@pytest.fixture(params=["sqlite", "postgresql"])
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Backend]:
    schema = None
    if request.param == "sqlite":
        made = Backend(f"sqlite+aiosqlite:///{tmp_path / 'gateway.sqlite3'}")
    else:
        schema = f"gw_store_{uuid.uuid4().hex[:12]}"
        try:
            await pg_execute(f'CREATE SCHEMA "{schema}"')
        except Exception as exc:  # no server, database or driver here
            pytest.skip(f"PostgreSQL unreachable at {PG_URL}: {exc!r}")
        made = Backend(PG_URL, schema)
    try:
        yield made
    finally:
        for store in made.stores:
            await store.stop()
        if schema is not None:
            await pg_execute(f'DROP SCHEMA "{schema}" CASCADE')


async def test_migrations_match_the_models(backend: Backend) -> None:
    engine = create_engine(backend.url, schema=backend.schema)
    try:
        await upgrade_all(engine)
        await upgrade_all(engine)  # idempotent
        assert await current_revision(engine) == {GATEWAY_HEAD}

        def diff(connection: Connection) -> list[Any]:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            found: list[Any] = compare_metadata(context, Base.metadata)
            return found

        def tables(connection: Connection) -> set[str]:
            return set(inspect(connection).get_table_names())

        async with engine.connect() as connection:
            assert await connection.run_sync(diff) == []
            names = await connection.run_sync(tables)
        assert {"ocpi_objects", "ocpp_stations", "ocpp_transactions", "ocpp_counters"} <= names
    finally:
        await engine.dispose()


async def test_transaction_ids_are_unique_across_connection_pools(backend: Backend) -> None:
    first, second = backend.store(), backend.store()  # two pools, as two processes would have
    await first.start()
    await second.start()

    async def take(store: GatewayStore) -> list[int]:
        return [await store.state.next_transaction_id() for _ in range(15)]

    results = await asyncio.gather(take(first), take(second), take(first), take(second))
    taken = sorted(i for ids in results for i in ids)
    assert taken == list(range(1, 61))
    for ids in results:
        assert ids == sorted(ids)


TAKE_IDS = """
import asyncio, sys
from ocpp_gw.store import create_gateway_store

async def main() -> None:
    store = create_gateway_store(sys.argv[1], schema=sys.argv[2] or None)
    try:
        print(*[await store.state.next_transaction_id() for _ in range(30)])
    finally:
        await store.stop()

asyncio.run(main())
"""


async def test_transaction_ids_are_unique_across_processes(backend: Backend) -> None:
    await backend.store().start()  # migrated before the processes race
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            TAKE_IDS,
            backend.url,
            backend.schema or "",
            stdout=asyncio.subprocess.PIPE,
        )
        for _ in range(2)
    ]
    outputs = [await process.communicate() for process in processes]
    assert all(process.returncode == 0 for process in processes)
    taken = [int(value) for out, _ in outputs for value in out.split()]
    assert sorted(taken) == list(range(1, 61))


async def test_first_writes_from_two_pools_do_not_collide(backend: Backend) -> None:
    """Rows created on first use (station, connector, variable, reservation) are inserted
    once even when two processes write them at the same moment."""
    from ocpp_gw.state import VariableRecord

    first, second = backend.store(), backend.store()
    await first.start()

    async def write(store: GatewayStore, n: int) -> None:
        await store.state.record_status("CP1", 1, 1, f"S{n}")
        await store.state.touch("CP2")
        await store.state.upsert_variables(
            "CP1", [VariableRecord(component="C", variable="V", attributes=[{"n": n}])]
        )
        await store.state.record_reservation("CP1", 5, f"R{n}")

    await asyncio.gather(*(write(store, n) for n in range(6) for store in (first, second)))
    (connector,) = await first.state.list_connectors("CP1")
    assert len(connector.history) == 12
    assert [s.charge_point_id for s in await first.state.list_stations()] == ["CP2"]
    (variable,) = await second.state.list_variables("CP1")
    assert variable.attributes[0]["n"] in range(6)


async def test_state_survives_a_new_connection_pool(backend: Backend) -> None:
    writer = backend.store()
    await writer.state.record_status("CP1", 1, 1, "Occupied")
    await writer.state.set_configuration("CP1", {"HeartbeatInterval": "60"})
    await writer.stop()
    reader = backend.store()
    (connector,) = await reader.state.list_connectors("CP1")
    assert connector.status == "Occupied" and len(connector.history) == 1
    station = await reader.state.get_station("CP1")
    assert station is not None and station.configuration == {"HeartbeatInterval": "60"}


def test_password_hashes_are_salted_and_checked() -> None:
    one, two = hash_password("s3cret-pass"), hash_password("s3cret-pass")
    assert one != two and "s3cret-pass" not in one and one.startswith("scrypt$")
    assert verify_password("s3cret-pass", one) and verify_password("s3cret-pass", two)
    assert not verify_password("s3cret-pasS", one)
    assert not verify_password("s3cret-pass", None)
    assert not verify_password("s3cret-pass", "md5$abc")


def basic(cp_id: str, password: str | None, profile: int = 1, user: str | None = None) -> Any:
    return ChargerCredentials(
        charge_point_id=cp_id,
        security_profile=profile,
        username=user if user is not None else cp_id,
        password=password,
    )


def certified(cp_id: str, cn: str | None, o: str | None, verified: bool = True) -> Any:
    return ChargerCredentials(
        charge_point_id=cp_id,
        security_profile=3,
        certificate=ChargerCertificate(subject_cn=cn, subject_o=o, verified=verified),
    )


async def test_charger_credentials(backend: Backend) -> None:
    store = backend.store()
    auth = store.authenticator
    generated = await store.chargers.add("CP1")
    assert generated is not None and len(generated) >= 16
    assert await store.chargers.add("CP2", "s3cret-pass") == "s3cret-pass"
    await store.chargers.add("CP3", generate_password=False, certificate_o="ACME")
    await store.chargers.add("CP4", generate_password=False, certificate_cn="cp-four.acme")

    cases: list[tuple[Callable[[], Any], bool]] = [
        (lambda: basic("CP1", generated), True),
        (lambda: basic("CP2", "s3cret-pass", profile=2), True),
        (lambda: basic("CP2", "wrong"), False),
        (lambda: basic("CP2", "s3cret-pass", user="CP1"), False),
        (lambda: basic("CP1", "s3cret-pass"), False),
        (lambda: basic("UNKNOWN", "s3cret-pass"), False),
        (lambda: basic("CP3", ""), False),  # a certificate-only station has no password
        (lambda: certified("CP3", "CP3", "ACME"), True),
        (lambda: certified("CP3", "CP3", "Other"), False),
        (lambda: certified("CP3", "CP3", "ACME", verified=False), False),
        (lambda: certified("CP3", "CP1", "ACME"), False),
        (lambda: certified("CP4", "cp-four.acme", None), True),
        (lambda: certified("CP4", "CP4", None), False),
        (lambda: basic("CP3", None, profile=0), True),  # registered without a password
        (lambda: basic("CP2", None, profile=0), False),
    ]
    for make, expected in cases:
        credentials = make()
        assert await auth.authenticate_charger(credentials) is expected, credentials

    assert [c.charge_point_id for c in await store.chargers.list()] == ["CP1", "CP2", "CP3", "CP4"]
    await store.state.record_boot("CP9", _boot(), version="2.0.1")  # connected, never added
    assert len(await store.chargers.list()) == 4
    unregistered = await store.chargers.list(include_unregistered=True)
    assert [c.charge_point_id for c in unregistered if not c.registered] == ["CP9"]
    assert not await auth.authenticate_charger(basic("CP9", None, profile=0))

    assert await store.chargers.remove("CP2")
    assert not await store.chargers.remove("CP2")
    assert not await auth.authenticate_charger(basic("CP2", "s3cret-pass"))
    info = await store.chargers.get("CP2")
    assert info is not None and not info.registered and not info.has_password


async def test_one_authenticator_for_partners_and_chargers(backend: Backend) -> None:
    store = backend.store()
    issued = await store.partners.create_token_a(name="ACME")
    owner = await store.authenticator.lookup_token(issued.token)
    assert owner is not None and owner.kind is TokenKind.A
    await store.chargers.add("CP1", "s3cret-pass")
    assert await store.authenticator.authenticate_charger(basic("CP1", "s3cret-pass"))


def _boot() -> Any:
    from ocpp_gw.state import BootInfo

    return BootInfo(vendor="ACME", model="M1")


async def test_values_round_trip_exactly(backend: Backend) -> None:
    """A repeated 1.6 StartTransaction is recognised by comparing its timestamp and meter start
    with the stored ones, so both must come back exactly as given."""
    from datetime import datetime, timedelta, timezone

    from ocpp_gw.state import TransactionRecord

    started = datetime(2026, 3, 1, 10, 5, 7, 123456, tzinfo=timezone(timedelta(hours=2)))
    store = backend.store()
    await store.state.start_transaction(
        TransactionRecord(
            charge_point_id="CP1",
            transaction_id="7",
            evse_id=None,
            connector_id=1,
            started_at=started,
            meter_start_wh=1234.5,
        )
    )
    active = await store.state.active_transaction("CP1", connector_id=1)
    assert active is not None
    assert active.started_at == started and active.started_at.utcoffset() == timedelta(0)
    assert active.meter_start_wh == 1234.5 and active.evse_id is None


async def test_prune_keeps_active_transactions_and_recent_history(backend: Backend) -> None:
    from datetime import UTC, datetime, timedelta

    from ocpp_gw.events import MeterSample
    from ocpp_gw.state import (
        MeterValueRecord,
        NotificationRecord,
        SecurityEventRecord,
        TransactionRecord,
    )
    from ocpp_gw.store import prune

    now = datetime.now(UTC)
    old, recent = now - timedelta(days=100), now - timedelta(days=1)
    state = backend.store().state
    sample = (MeterSample(measurand="Energy.Active.Import.Register", value=1.0, unit="Wh"),)
    for tx_id, started, stopped in (("old", old, old), ("new", old, recent), ("open", old, None)):
        await state.start_transaction(
            TransactionRecord(
                charge_point_id="CP1",
                transaction_id=tx_id,
                evse_id=1,
                connector_id=1,
                started_at=started,
            )
        )
        await state.add_meter_values(
            "CP1", [MeterValueRecord(timestamp=old, samples=sample, transaction_id=tx_id)]
        )
        if stopped is not None:
            await state.end_transaction("CP1", tx_id, stopped_at=stopped)
    await state.add_meter_values(
        "CP1",
        [
            MeterValueRecord(timestamp=old, samples=sample),
            MeterValueRecord(timestamp=recent, samples=sample),
        ],
    )
    for when in (old, recent):
        await state.add_security_event(
            SecurityEventRecord(charge_point_id="CP1", event_type="E", timestamp=when)
        )
        await state.add_notification(
            NotificationRecord(charge_point_id="CP1", kind="N", timestamp=when, data={})
        )

    removed = await prune(backend.stores[0].ocpi.db, before=now - timedelta(days=90))
    assert (removed.transactions, removed.meter_values) == (1, 2)
    assert (removed.security_events, removed.notifications) == (1, 1)
    kept = {t.transaction_id: len(t.meter_values) for t in await state.list_transactions("CP1")}
    assert kept == {"new": 1, "open": 1}
    assert len(await state.list_meter_values("CP1")) == 3
    assert len(await state.list_security_events("CP1")) == 1
    assert len(await state.list_notifications("CP1")) == 1
