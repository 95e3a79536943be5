"""The store without HTTP: migrations, keyed writes, pages, hashing, the operator API."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text

import ocpi.store
from ocpi import ModuleID, RoleEnum, VersionNumber
from ocpi.store import current_revision, hash_token, upgrade
from ocpi.store.db import Base, create_engine
from ocpi.store.migrate import OCPI_HEAD
from ocpi.store.models import PartnerRow, StoredObject
from tests.ocpi.samples import MINIMAL, TOKENS
from tests.store.conftest import Backend, add_partner, roles_settings

V221 = VersionNumber.v_2_2_1


def tariff(index: int, day: int) -> dict[str, Any]:
    data = copy.deepcopy(MINIMAL["2.2.1"]["Tariff"])
    data["id"] = f"T{index}"
    data["last_updated"] = f"2024-05-{day:02d}T00:00:00Z"
    return data


async def test_migrations_from_empty_to_head(backend: Backend) -> None:
    engine = create_engine(backend.url, schema=backend.schema)
    try:
        assert await current_revision(engine) == set()
        await upgrade(engine)
        assert await current_revision(engine) == {OCPI_HEAD}
        await upgrade(engine)  # idempotent
        async with engine.connect() as connection:
            count = await connection.scalar(text("SELECT count(*) FROM ocpi_objects"))
            assert count == 0
            await connection.scalar(text("SELECT count(*) FROM ocpi_partners"))
    finally:
        await engine.dispose()


EXTRA_MIGRATION = """
import sqlalchemy as sa
from alembic import op

revision = "0002_extra"
down_revision = "0001_ocpi"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("extra_things", sa.Column("id", sa.Integer, primary_key=True))


def downgrade():
    op.drop_table("extra_things")
"""


async def test_other_components_add_migrations_after_ours(backend: Backend, tmp_path: Any) -> None:
    """How the OCPP gateway's tables join: a version directory whose first revision follows
    ``0001_ocpi``, applied together with ours."""
    versions = tmp_path / "extra versions"
    versions.mkdir()
    (versions / "0002_extra.py").write_text(EXTRA_MIGRATION)
    store = backend.store(roles_settings(), version_locations=[versions])
    await store.start()
    assert await current_revision(store.engine) == {"0002_extra"}
    async with store.engine.connect() as connection:
        assert await connection.scalar(text("SELECT count(*) FROM extra_things")) == 0


def _ocpi_tables_only(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    # The gateway's tables (``ocpp_*``) share Base but come with their own migration.
    return type_ != "table" or bool(name and name.startswith("ocpi_"))


async def test_migrations_match_the_models(backend: Backend) -> None:
    """The shipped OCPI migration creates exactly what the OCPI models describe."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    engine = create_engine(backend.url, schema=backend.schema)
    try:
        await upgrade(engine)
        async with engine.connect() as connection:
            diff = await connection.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"include_object": _ocpi_tables_only}),
                    Base.metadata,
                )
            )
    finally:
        await engine.dispose()
    assert diff == []


def test_public_names_are_sorted_and_importable() -> None:
    assert list(ocpi.store.__all__) == sorted(ocpi.store.__all__)
    for name in ocpi.store.__all__:
        assert getattr(ocpi.store, name) is not None


async def test_sqlite_default_is_created_and_migrated_on_first_use(tmp_path: Any) -> None:
    from ocpi.store import create_store

    path = tmp_path / "fresh.sqlite3"
    store = create_store(f"sqlite+aiosqlite:///{path}", roles_settings())
    try:
        items, total, last = await store.crud.list(
            ModuleID.tariffs, RoleEnum.cpo, {"offset": 0, "limit": 10}, version=V221
        )
        assert (items, total, last) == ([], 0, True)
        assert path.exists()
        async with store.engine.connect() as connection:
            mode = await connection.scalar(text("PRAGMA journal_mode"))
        assert mode == "wal"
    finally:
        await store.stop()


async def test_pages_are_oldest_first_with_inclusive_from_and_exclusive_to(
    backend: Backend,
) -> None:
    store = backend.store(roles_settings())
    crud = store.crud
    # Same timestamp for T2 and T1: ties are broken by id, whatever the insertion order.
    for index, day in ((3, 3), (2, 2), (1, 2), (4, 5), (0, 1)):
        await crud.create(ModuleID.tariffs, RoleEnum.cpo, tariff(index, day), version=V221)

    async def ids(**filters: Any) -> tuple[list[str], int, bool]:
        query = {"offset": 0, "limit": 10, "date_from": None, "date_to": None, **filters}
        items, total, last = await crud.list(ModuleID.tariffs, RoleEnum.cpo, query, version=V221)
        return [i["id"] for i in items], total, last

    assert await ids() == (["T0", "T1", "T2", "T3", "T4"], 5, True)
    assert await ids(offset=1, limit=2) == (["T1", "T2"], 5, False)
    assert await ids(offset=3, limit=2) == (["T3", "T4"], 5, True)
    day = datetime(2024, 5, 2, tzinfo=UTC)
    assert await ids(date_from=day) == (["T1", "T2", "T3", "T4"], 4, True)
    assert await ids(date_to=day) == (["T0"], 1, True)
    assert await ids(date_from=day, date_to=datetime(2024, 5, 5, tzinfo=UTC)) == (
        ["T1", "T2", "T3"],
        3,
        True,
    )


async def test_objects_are_stored_once_and_served_per_version(backend: Backend) -> None:
    store = backend.store(roles_settings())
    location = copy.deepcopy(MINIMAL["2.1.1"]["Location"])
    location["evses"] = [copy.deepcopy(MINIMAL["2.1.1"]["EVSE"])]
    await store.crud.create(
        ModuleID.locations, RoleEnum.cpo, location, version=VersionNumber.v_2_1_1
    )
    async with store.db.read() as session:
        rows = list(await session.scalars(select(StoredObject)))
    assert len(rows) == 1
    row = rows[0]
    assert (row.module, row.country_code, row.party_id, row.object_id, row.owner) == (
        "locations",
        "NL",
        "ME",
        "L1",
        None,
    )
    assert row.version == "2.3.0"
    assert row.last_updated == datetime(2024, 5, 2, 14, 15, 1, tzinfo=UTC)
    for version in (VersionNumber.v_2_1_1, V221, VersionNumber.v_2_3_0):
        served = await store.crud.get(ModuleID.locations, RoleEnum.cpo, "L1", version=version)
        assert served["id"] == "L1"
    v211 = await store.crud.get(
        ModuleID.locations, RoleEnum.cpo, "L1", version=VersionNumber.v_2_1_1
    )
    assert v211 == location


async def test_partner_tokens_are_hashed_and_looked_up(backend: Backend) -> None:
    store = backend.store(roles_settings())
    issued = await store.partners.create_token_a(name="ACME")
    owner = await store.authenticator.lookup_token(issued.token)
    assert owner is not None and owner.kind.value == "A"
    assert owner.partner_id == issued.partner_id
    assert await store.authenticator.lookup_token("nope") is None
    await add_partner(store, "secret-token-c", [["DE", "ABC"]])
    owner_c = await store.authenticator.lookup_token("secret-token-c")
    assert owner_c is not None and owner_c.parties == (("DE", "ABC"),)
    assert await store.authenticator.get_valid_token_c() == []
    async with store.db.read() as session:
        rows = list(await session.scalars(select(PartnerRow)))
        dump = " ".join(str(vars(row)) for row in rows)
    assert issued.token not in dump
    assert "secret-token-c" not in dump.replace("b-secret-token-c", "")
    assert hash_token(issued.token) in dump
    partners = await store.partners.list()
    assert [p.name for p in partners if p.id == issued.partner_id] == ["ACME"]
    assert await store.partners.unregister(issued.partner_id, notify=False)
    assert await store.authenticator.lookup_token(issued.token) is None


async def test_authorize_token_answers_from_the_whitelist(backend: Backend) -> None:
    store = backend.store(roles_settings(), roles=[RoleEnum.emsp])
    token = copy.deepcopy(TOKENS["2.2.1"])
    await store.crud.create(ModuleID.tokens, RoleEnum.emsp, token, version=V221)
    blocked = dict(token, uid="BLOCKED1", valid=False)
    await store.crud.create(ModuleID.tokens, RoleEnum.emsp, blocked, version=V221)

    async def authorize(uid: str, token_type: str = "APP_USER") -> Any:
        data = {"token_uid": uid, "token_type": token_type, "location_reference": None}
        return await store.crud.do(
            ModuleID.tokens, RoleEnum.emsp, _action("authorize_token"), data=data, version=V221
        )

    allowed = await authorize(token["uid"])
    assert allowed["allowed"] == "ALLOWED"
    assert allowed["token"]["uid"] == token["uid"]
    assert (await authorize("BLOCKED1"))["allowed"] == "BLOCKED"
    assert await authorize("UNKNOWN") is None


async def test_cpo_authorizes_pushed_tokens_by_their_whitelist(backend: Backend) -> None:
    store = backend.store(roles_settings(), roles=[RoleEnum.cpo])
    await add_partner(store, "emsp", [["DE", "TNM"]])
    pushed = {"country_code": "DE", "party_id": "TNM", "auth_token": "emsp", "version": V221}
    token = copy.deepcopy(TOKENS["2.2.1"])  # whitelist NEVER
    await store.crud.create(ModuleID.tokens, RoleEnum.cpo, token, **pushed)
    allowed = dict(token, uid="RFID1", type="RFID", whitelist="ALLOWED")
    await store.crud.create(ModuleID.tokens, RoleEnum.cpo, allowed, **pushed)

    async def authorize(uid: str, token_type: str) -> Any:
        data = {"token_uid": uid, "token_type": token_type}
        return await store.crud.do(
            ModuleID.tokens, RoleEnum.cpo, _action("authorize_token"), data=data, version=V221
        )

    assert (await authorize("RFID1", "RFID"))["allowed"] == "ALLOWED"
    assert await authorize(token["uid"], "APP_USER") is None  # NEVER: ask the eMSP
    assert await authorize("UNKNOWN", "RFID") is None


async def test_cpo_finds_pushed_tokens_of_any_emsp_without_a_caller(backend: Backend) -> None:
    """What an OCPP bridge asks as the CPO itself (no partner's token): Tokens eMSPs pushed,
    whoever pushed them, of any type, the given party's first; partners still see their own."""
    store = backend.store(roles_settings(), roles=[RoleEnum.cpo])
    await add_partner(store, "tnm", [["DE", "TNM"]])
    await add_partner(store, "abc", [["DE", "ABC"]])
    base = copy.deepcopy(TOKENS["2.2.1"])
    for caller, party_id, uid, token_type in (
        ("tnm", "TNM", "ONLY-TNM", "APP_USER"),
        ("tnm", "TNM", "SHARED", "RFID"),
        ("abc", "ABC", "SHARED", "APP_USER"),
    ):
        data = dict(base, uid=uid, type=token_type, party_id=party_id)
        await store.crud.update(
            ModuleID.tokens,
            RoleEnum.cpo,
            data,
            uid,
            version=V221,
            auth_token=caller,
            country_code="DE",
            party_id=party_id,
            token_type=token_type,
        )

    async def ours(uid: str, **kwargs: Any) -> Any:
        return await store.crud.get(
            ModuleID.tokens, RoleEnum.cpo, uid, version=V221, auth_token="", **kwargs
        )

    found = await ours("ONLY-TNM", token_type="RFID")  # another type, another owner
    assert (found["uid"], found["type"], found["party_id"]) == ("ONLY-TNM", "APP_USER", "TNM")
    assert (await ours("SHARED", token_type="RFID"))["party_id"] == "TNM"  # the type decides
    preferred = await ours("SHARED", token_type="RFID", country_code="DE", party_id="ABC")
    assert (preferred["party_id"], preferred["type"]) == ("ABC", "APP_USER")  # party first
    elsewhere = await ours("ONLY-TNM", token_type="RFID", country_code="DE", party_id="ABC")
    assert elsewhere["party_id"] == "TNM"  # preferred, not required
    assert await ours("UNKNOWN", token_type="RFID") is None
    listed = await store.crud.everything(ModuleID.tokens, V221)  # what `ocpi-ocpp objects` prints
    assert sorted((row.party_id, doc["uid"]) for row, doc in listed) == [
        ("ABC", "SHARED"),
        ("TNM", "ONLY-TNM"),
        ("TNM", "SHARED"),
    ]
    # A partner's own read (its token, the party from the URL) is not widened.
    assert (
        await store.crud.get(
            ModuleID.tokens,
            RoleEnum.cpo,
            "ONLY-TNM",
            version=V221,
            auth_token="abc",
            country_code="DE",
            party_id="ABC",
            token_type="APP_USER",
        )
        is None
    )


async def test_commands_are_stored_and_not_supported_without_a_bridge(backend: Backend) -> None:
    store = backend.store(roles_settings())
    answer = await store.crud.do(
        ModuleID.commands,
        RoleEnum.cpo,
        _action("send_command"),
        data={"response_url": "https://emsp.example.com/r/1", "location_id": "L1"},
        command="START_SESSION",
        version=V221,
    )
    assert answer == {"result": "NOT_SUPPORTED", "timeout": 0}
    async with store.db.read() as session:
        rows = list(await session.scalars(select(StoredObject)))
    assert [(r.module, r.kind, r.doc["command"]) for r in rows] == [
        ("commands", "command", "START_SESSION")
    ]


def _action(name: str) -> Any:
    from ocpi import Action

    return getattr(Action, name)
