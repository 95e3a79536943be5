"""The module router behaviours of ``tests/ocpi/modules/test_routers.py`` with the store as Crud
and Authenticator, on SQLite and PostgreSQL, in every version."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from ocpi import ModuleID, RoleEnum, VersionNumber, get_application
from ocpi.core.utils import encode_string_base64
from ocpi.store import SQLAuthenticator, SQLCrud, Store
from tests.ocpi.peer import Peer
from tests.ocpi.samples import MINIMAL, TOKENS
from tests.store.conftest import Backend, add_partner, roles_settings

MODULES = [
    ModuleID.locations,
    ModuleID.sessions,
    ModuleID.cdrs,
    ModuleID.tariffs,
    ModuleID.tokens,
]
LATER = "2030-01-01T00:00:00Z"
VERSIONS = ["2.1.1", "2.2.1", "2.3.0"]


@dataclass
class Platform(Peer):
    store: Store

    async def data(self, module: str, *parts: str, **kw: Any) -> Any:
        response = await self.get(module, *parts, **kw)
        assert response.status_code == 200, response.text
        return response.json()["data"]

    async def create_own(self, module: ModuleID, data: dict[str, Any]) -> None:
        """Our own object, written by the integrator (no HTTP)."""
        await self.store.crud.create(module, self.role, data, version=VersionNumber(self.version))


#: One application per (role, version) for the whole file: building one costs more than a
#: test. Each test points the app's bound Crud and Authenticator classes at its own store.
_APPS: dict[tuple[RoleEnum, str], tuple[Any, type[SQLCrud], type[SQLAuthenticator]]] = {}


def app_for(store: Store, role: RoleEnum, version: str) -> Any:
    if (role, version) not in _APPS:
        crud = SQLCrud.bind(store.crud.core)
        authenticator = SQLAuthenticator.bind(store.authenticator.partners)
        app = get_application(
            version_numbers=[VersionNumber(version)],
            roles=[role],
            crud=crud,
            modules=MODULES,
            authenticator=authenticator,
            settings=store.settings,
        )
        _APPS[(role, version)] = (app, crud, authenticator)
    app, crud, authenticator = _APPS[(role, version)]
    crud.core = store.crud.core
    authenticator.partners = store.authenticator.partners
    return app


async def platform(backend: Backend, role: RoleEnum, version: str) -> AsyncIterator[Platform]:
    store = backend.store(roles_settings(), roles=[role])
    app = app_for(store, role, version)
    # The calling partner is the CPO NL/CPO (2.2.1+: also the eMSP DE/TNM).
    parties = [["NL", "CPO"]] if version == "2.1.1" else [["NL", "CPO"], ["DE", "TNM"]]
    await add_partner(store, "partner", parties, version=version)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as http:
        yield Platform(http, version, role, store)


# Every version on SQLite; PostgreSQL in 2.2.1 (what differs between versions is not stored
# differently), which keeps the file fast.
_CASES = [("sqlite", v) for v in VERSIONS] + [("postgresql", "2.2.1")]
each_case = pytest.mark.parametrize(
    ("backend", "version"), _CASES, indirect=["backend"], ids=[f"{b}-{v}" for b, v in _CASES]
)


@pytest.fixture
async def emsp(backend: Backend, version: str) -> AsyncIterator[Platform]:
    async for p in platform(backend, RoleEnum.emsp, version):
        yield p


@pytest.fixture
async def cpo(backend: Backend, version: str) -> AsyncIterator[Platform]:
    async for p in platform(backend, RoleEnum.cpo, version):
        yield p


def sample(version: str, name: str) -> dict[str, Any]:
    return copy.deepcopy(MINIMAL[version][name])


def location_with_two_evses(version: str) -> dict[str, Any]:
    location = sample(version, "Location")
    first, second = sample(version, "EVSE"), sample(version, "EVSE")
    second["uid"] = "E2"
    location["evses"] = [first, second]
    return location


# -- locations -------------------------------------------------------------------------------


@each_case
async def test_cpo_sender_lists_and_gets_each_level(cpo: Platform) -> None:
    location = location_with_two_evses(cpo.version)
    await cpo.create_own(ModuleID.locations, location)
    listed = await cpo.get("locations")
    assert listed.json()["data"] == [location]
    assert listed.headers["x-total-count"] == "1"
    assert (await cpo.data("locations", "L1"))["id"] == "L1"
    assert (await cpo.data("locations", "L1", "E2"))["uid"] == "E2"
    assert (await cpo.data("locations", "L1", "E2", "1"))["id"] == "1"
    for parts in (("NOPE",), ("L1", "E9"), ("L1", "E1", "9")):
        missing = await cpo.get("locations", *parts)
        assert missing.status_code == 404
        assert missing.json()["status_code"] == 2000


@each_case
async def test_emsp_receiver_put_get_and_201_then_200(emsp: Platform) -> None:
    location = sample(emsp.version, "Location")
    created = await emsp.send("PUT", "locations", "NL", "CPO", "L1", body=location)
    assert created.status_code == 201
    again = await emsp.send("PUT", "locations", "NL", "CPO", "L1", body=location)
    assert again.status_code == 200
    fetched = await emsp.data("locations", "NL", "CPO", "L1")
    assert fetched == location


@each_case
async def test_receiver_put_evse_and_connector_update_the_location(emsp: Platform) -> None:
    await emsp.send(
        "PUT", "locations", "NL", "CPO", "L1", body=location_with_two_evses(emsp.version)
    )
    evse = sample(emsp.version, "EVSE")
    evse["uid"] = "E3"
    evse["last_updated"] = LATER
    added = await emsp.send("PUT", "locations", "NL", "CPO", "L1", "E3", body=evse)
    assert added.status_code == 201
    stored = await emsp.data("locations", "NL", "CPO", "L1")
    assert [e["uid"] for e in stored["evses"]] == ["E1", "E2", "E3"]
    assert stored["last_updated"] == LATER
    connector = sample(emsp.version, "Connector")
    connector["id"] = "2"
    put = await emsp.send("PUT", "locations", "NL", "CPO", "L1", "E1", "2", body=connector)
    assert put.status_code == 201
    stored = await emsp.data("locations", "NL", "CPO", "L1")
    assert [c["id"] for c in stored["evses"][0]["connectors"]] == ["1", "2"]
    wrong = await emsp.send("PUT", "locations", "NL", "CPO", "L1", "E1", "7", body=connector)
    assert wrong.json()["status_code"] == 2001
    orphan = await emsp.send(
        "PUT", "locations", "NL", "CPO", "NOPE", "E1", body=evse | {"uid": "E1"}
    )
    assert orphan.json()["status_code"] == 2003


@each_case
async def test_receiver_patch_merges_without_reordering(emsp: Platform) -> None:
    await emsp.send(
        "PUT", "locations", "NL", "CPO", "L1", body=location_with_two_evses(emsp.version)
    )
    patched = await emsp.send(
        "PATCH",
        "locations",
        "NL",
        "CPO",
        "L1",
        "E2",
        body={"status": "CHARGING", "last_updated": LATER},
    )
    assert patched.json()["status_code"] == 1000
    stored = await emsp.data("locations", "NL", "CPO", "L1")
    assert [(e["uid"], e["status"]) for e in stored["evses"]] == [
        ("E1", "AVAILABLE"),
        ("E2", "CHARGING"),
    ]
    assert stored["last_updated"] == LATER
    body = {"evses": [{"uid": "E1", "status": "BLOCKED"}], "last_updated": LATER}
    await emsp.send("PATCH", "locations", "NL", "CPO", "L1", body=body)
    stored = await emsp.data("locations", "NL", "CPO", "L1")
    assert [(e["uid"], e["status"]) for e in stored["evses"]] == [
        ("E1", "BLOCKED"),
        ("E2", "CHARGING"),
    ]
    field = "max_amperage" if emsp.version != "2.1.1" else "amperage"
    await emsp.send(
        "PATCH", "locations", "NL", "CPO", "L1", "E1", "1", body={field: 32, "last_updated": LATER}
    )
    connector = await emsp.data("locations", "NL", "CPO", "L1", "E1", "1")
    assert connector[field] == 32


@each_case
async def test_patch_rules(emsp: Platform) -> None:
    await emsp.send(
        "PUT", "locations", "NL", "CPO", "L1", body=location_with_two_evses(emsp.version)
    )
    no_timestamp = await emsp.send(
        "PATCH", "locations", "NL", "CPO", "L1", "E1", body={"status": "CHARGING"}
    )
    assert no_timestamp.json()["status_code"] == 2001
    invalid = await emsp.send(
        "PATCH",
        "locations",
        "NL",
        "CPO",
        "L1",
        "E1",
        body={"status": "EXPLODED", "last_updated": LATER},
    )
    assert invalid.json()["status_code"] == 2001
    unknown = await emsp.send("PATCH", "locations", "NL", "CPO", "L9", body={"last_updated": LATER})
    assert unknown.status_code == 404


@each_case
async def test_concurrent_patches_of_two_evses_are_both_kept(emsp: Platform) -> None:
    await emsp.send(
        "PUT", "locations", "NL", "CPO", "L1", body=location_with_two_evses(emsp.version)
    )
    results = await asyncio.gather(
        *(
            emsp.send(
                "PATCH",
                "locations",
                "NL",
                "CPO",
                "L1",
                uid,
                body={"status": status, "last_updated": LATER},
            )
            for uid, status in (("E1", "CHARGING"), ("E2", "OUTOFORDER")) * 5
        )
    )
    assert all(r.json()["status_code"] == 1000 for r in results)
    stored = await emsp.data("locations", "NL", "CPO", "L1")
    assert [(e["uid"], e["status"]) for e in stored["evses"]] == [
        ("E1", "CHARGING"),
        ("E2", "OUTOFORDER"),
    ]


@each_case
async def test_client_owned_object_checks(emsp: Platform) -> None:
    location = sample(emsp.version, "Location")
    other_id = await emsp.send("PUT", "locations", "NL", "CPO", "OTHER", body=location)
    assert other_id.json()["status_code"] == 2001
    not_ours = await emsp.send("PUT", "locations", "BE", "XYZ", "L1", body=location)
    assert not_ours.json()["status_code"] == 2001
    assert (await emsp.get("locations", "BE", "XYZ", "L1")).status_code == 404
    incomplete = await emsp.send("PUT", "locations", "NL", "CPO", "L1", body={"id": "L1"})
    assert incomplete.json()["status_code"] == 2001
    assert (await emsp.get("locations", "NL", "CPO", "L1")).status_code == 404


# -- tariffs, sessions, cdrs, tokens -----------------------------------------------------------


@each_case
async def test_tariff_receiver(emsp: Platform) -> None:
    tariff = sample(emsp.version, "Tariff")
    assert (await emsp.send("PUT", "tariffs", "NL", "CPO", "T1", body=tariff)).status_code == 201
    assert (await emsp.data("tariffs", "NL", "CPO", "T1")) == tariff
    patch = await emsp.send(
        "PATCH", "tariffs", "NL", "CPO", "T1", body={"currency": "USD", "last_updated": LATER}
    )
    if emsp.version == "2.1.1":
        assert patch.json()["status_code"] == 1000
        assert (await emsp.data("tariffs", "NL", "CPO", "T1"))["currency"] == "USD"
    else:
        assert patch.status_code == 405
    assert (await emsp.send("DELETE", "tariffs", "NL", "CPO", "T1")).json()["status_code"] == 1000
    assert (await emsp.get("tariffs", "NL", "CPO", "T1")).status_code == 404


@each_case
async def test_tariff_and_cdr_senders_list_pages(cpo: Platform) -> None:
    for index in range(3):
        tariff = sample(cpo.version, "Tariff")
        tariff["id"] = f"T{index}"
        tariff["last_updated"] = f"2024-05-0{index + 1}T00:00:00Z"
        await cpo.create_own(ModuleID.tariffs, tariff)
    page = await cpo.get("tariffs", params={"limit": 2, "date_from": "2024-05-02T00:00:00Z"})
    assert [t["id"] for t in page.json()["data"]] == ["T1", "T2"]
    assert page.headers["x-total-count"] == "2"
    assert "link" not in page.headers
    first = await cpo.get("tariffs", params={"limit": 2})
    assert [t["id"] for t in first.json()["data"]] == ["T0", "T1"]
    assert "offset=2" in first.headers["link"]
    await cpo.create_own(ModuleID.cdrs, sample(cpo.version, "CDR"))
    assert [c["id"] for c in (await cpo.get("cdrs")).json()["data"]] == ["C1"]


@each_case
async def test_session_receiver(emsp: Platform) -> None:
    session = sample(emsp.version, "Session")
    assert (await emsp.send("PUT", "sessions", "NL", "CPO", "S1", body=session)).status_code == 201
    patch = await emsp.send(
        "PATCH", "sessions", "NL", "CPO", "S1", body={"kwh": 12.5, "last_updated": LATER}
    )
    assert patch.json()["status_code"] == 1000
    assert (await emsp.data("sessions", "NL", "CPO", "S1"))["kwh"] == 12.5


@each_case
async def test_session_charging_preferences(cpo: Platform) -> None:
    prefs = await cpo.send(
        "PUT", "sessions", "S1", "charging_preferences", body={"profile_type": "FAST"}
    )
    if cpo.version == "2.1.1":
        assert prefs.status_code == 404
        return
    assert prefs.json()["data"] == "ACCEPTED"
    # Preferences are not Sessions: the Sessions list stays empty.
    assert (await cpo.get("sessions")).json()["data"] == []


@each_case
async def test_cdr_receiver_location_header_is_usable(emsp: Platform) -> None:
    cdr = sample(emsp.version, "CDR")
    posted = await emsp.send("POST", "cdrs", body=cdr)
    assert posted.status_code == 201
    location = posted.headers["location"]
    fetched = await emsp.http.get(
        location.removeprefix("https://p.example.com"), headers=emsp.headers()
    )
    assert fetched.json()["data"] == cdr
    assert (await emsp.get("cdrs", "NOPE")).status_code == 404


@each_case
async def test_token_receiver_with_type(cpo: Platform) -> None:
    token = copy.deepcopy(TOKENS[cpo.version])
    uid = token["uid"]
    cc, pid = ("DE", "TNM") if cpo.version != "2.1.1" else ("NL", "CPO")
    put = await cpo.send("PUT", "tokens", cc, pid, uid, body=token, params={"type": token["type"]})
    assert put.status_code == 201
    got = await cpo.data("tokens", cc, pid, uid, params={"type": token["type"]})
    assert got == token
    patch = await cpo.send(
        "PATCH", "tokens", cc, pid, uid, body={"valid": False, "last_updated": LATER}
    )
    assert patch.json()["status_code"] == 1000
    got = await cpo.data("tokens", cc, pid, uid, params={"type": token["type"]})
    assert got["valid"] is False


@each_case
async def test_token_sender_real_time_authorization(emsp: Platform) -> None:
    token = copy.deepcopy(TOKENS[emsp.version])
    await emsp.create_own(ModuleID.tokens, token)
    listed = await emsp.get("tokens")
    assert [t["uid"] for t in listed.json()["data"]] == [token["uid"]]
    answer = await emsp.send(
        "POST",
        "tokens",
        token["uid"],
        "authorize",
        body={"location_id": "L1"},
        params={"type": token["type"]},
    )
    assert answer.json()["status_code"] == 1000
    assert answer.json()["data"]["allowed"] == "ALLOWED"
    unknown = await emsp.send("POST", "tokens", "NOPE", "authorize")
    assert unknown.status_code == 404
    assert unknown.json()["status_code"] == 2004


async def test_objects_of_one_partner_served_in_another_version(backend: Backend) -> None:
    """A Location PUT in 2.1.1 is read back by a 2.2.1 partner in 2.2.1 shape."""
    store = backend.store(roles_settings(), roles=[RoleEnum.emsp])
    app = get_application(
        version_numbers=[VersionNumber.v_2_1_1, VersionNumber.v_2_2_1],
        roles=[RoleEnum.emsp],
        crud=store.crud,
        modules=[ModuleID.locations],
        authenticator=store.authenticator,
        settings=store.settings,
    )
    await add_partner(store, "partner", [["NL", "CPO"]], version="2.1.1")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as http:
        old = location_with_two_evses("2.1.1")
        url = "/ocpi/emsp/{}/locations/NL/CPO/L1"
        put = await http.put(
            url.format("2.1.1"), json=old, headers={"Authorization": "Token partner"}
        )
        assert put.status_code == 201
        new = await http.get(
            url.format("2.2.1"),
            headers={"Authorization": f"Token {encode_string_base64('partner')}"},
        )
        data = new.json()["data"]
        assert (data["country_code"], data["party_id"]) == ("NL", "CPO")
        assert data["evses"][0]["connectors"][0]["max_voltage"] == 230
        assert data["parking_type"] == "ON_STREET"
