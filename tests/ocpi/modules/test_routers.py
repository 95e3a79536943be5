"""Module Sender and Receiver interfaces over HTTP, in every version they exist in."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from examples.memory_backend import MemoryStore, Partner, create_app
from ocpi import ModuleID, RoleEnum, Settings, VersionNumber
from tests.ocpi.peer import Peer
from tests.ocpi.samples import MINIMAL, TOKENS

MODULES = [
    ModuleID.locations,
    ModuleID.sessions,
    ModuleID.cdrs,
    ModuleID.tariffs,
    ModuleID.tokens,
]
LATER = "2030-01-01T00:00:00Z"


@dataclass
class Platform(Peer):
    store: MemoryStore


async def platform(role: RoleEnum, version: str) -> AsyncIterator[Platform]:
    app, store = create_app(
        Settings(OCPI_HOST="p.example.com", COUNTRY_CODE="NL", PARTY_ID="ME"),
        [role],
        [VersionNumber(version)],
        MODULES,
    )
    # The calling partner is the CPO NL/CPO (2.1.1 credentials: one party).
    creds = {"country_code": "NL", "party_id": "CPO"}
    if version != "2.1.1":
        creds = {
            "roles": [
                {**creds, "role": "CPO"},
                {"country_code": "DE", "party_id": "TNM", "role": "EMSP"},
            ]
        }
    store.partners["partner"] = Partner("partner", "b", version, creds, [])
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as http:
        yield Platform(http, version, role, store)


VERSIONS = ["2.1.1", "2.2.1", "2.3.0"]


@pytest.fixture(params=VERSIONS)
async def emsp(request: pytest.FixtureRequest) -> AsyncIterator[Platform]:
    async for p in platform(RoleEnum.emsp, request.param):
        yield p


@pytest.fixture(params=VERSIONS)
async def cpo(request: pytest.FixtureRequest) -> AsyncIterator[Platform]:
    async for p in platform(RoleEnum.cpo, request.param):
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


async def test_cpo_sender_lists_and_gets_each_level(cpo: Platform) -> None:
    location = location_with_two_evses(cpo.version)
    cpo.store.objects[(ModuleID.locations, "L1")] = location
    listed = await cpo.get("locations")
    assert listed.json()["data"] == [location]
    assert listed.headers["x-total-count"] == "1"
    assert (await cpo.get("locations", "L1")).json()["data"]["id"] == "L1"
    assert (await cpo.get("locations", "L1", "E2")).json()["data"]["uid"] == "E2"
    connector = await cpo.get("locations", "L1", "E2", "1")
    assert connector.json()["data"]["id"] == "1"
    for parts in (("NOPE",), ("L1", "E9"), ("L1", "E1", "9")):
        missing = await cpo.get("locations", *parts)
        assert missing.status_code == 404
        assert missing.json()["status_code"] == 2000


async def test_emsp_receiver_put_get_and_201_then_200(emsp: Platform) -> None:
    location = sample(emsp.version, "Location")
    created = await emsp.send("PUT", "locations", "NL", "CPO", "L1", body=location)
    assert created.status_code == 201
    assert created.json()["status_code"] == 1000
    again = await emsp.send("PUT", "locations", "NL", "CPO", "L1", body=location)
    assert again.status_code == 200
    fetched = await emsp.get("locations", "NL", "CPO", "L1")
    assert fetched.json()["data"]["address"] == location["address"]


async def test_receiver_put_evse_and_connector_update_the_location(emsp: Platform) -> None:
    await emsp.send(
        "PUT", "locations", "NL", "CPO", "L1", body=location_with_two_evses(emsp.version)
    )
    evse = sample(emsp.version, "EVSE")
    evse["uid"] = "E3"
    evse["last_updated"] = LATER
    added = await emsp.send("PUT", "locations", "NL", "CPO", "L1", "E3", body=evse)
    assert added.status_code == 201
    stored = emsp.store.objects[(ModuleID.locations, "L1")]
    assert [e["uid"] for e in stored["evses"]] == ["E1", "E2", "E3"]
    assert stored["last_updated"] == LATER
    connector = sample(emsp.version, "Connector")
    connector["id"] = "2"
    put = await emsp.send("PUT", "locations", "NL", "CPO", "L1", "E1", "2", body=connector)
    assert put.status_code == 201
    stored = emsp.store.objects[(ModuleID.locations, "L1")]
    assert [c["id"] for c in stored["evses"][0]["connectors"]] == ["1", "2"]
    wrong = await emsp.send("PUT", "locations", "NL", "CPO", "L1", "E1", "7", body=connector)
    assert wrong.json()["status_code"] == 2001
    orphan = await emsp.send(
        "PUT", "locations", "NL", "CPO", "NOPE", "E1", body=evse | {"uid": "E1"}
    )
    assert orphan.json()["status_code"] == 2003


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
    stored = emsp.store.objects[(ModuleID.locations, "L1")]
    assert [(e["uid"], e["status"]) for e in stored["evses"]] == [
        ("E1", "AVAILABLE"),
        ("E2", "CHARGING"),
    ]
    assert stored["last_updated"] == LATER
    # A Location PATCH naming one EVSE merges it by uid; the other stays where it was.
    body = {"evses": [{"uid": "E1", "status": "BLOCKED"}], "last_updated": LATER}
    await emsp.send("PATCH", "locations", "NL", "CPO", "L1", body=body)
    stored = emsp.store.objects[(ModuleID.locations, "L1")]
    assert [(e["uid"], e["status"]) for e in stored["evses"]] == [
        ("E1", "BLOCKED"),
        ("E2", "CHARGING"),
    ]
    await emsp.send(
        "PATCH",
        "locations",
        "NL",
        "CPO",
        "L1",
        "E1",
        "1",
        body={"max_amperage" if emsp.version != "2.1.1" else "amperage": 32, "last_updated": LATER},
    )
    stored = emsp.store.objects[(ModuleID.locations, "L1")]
    connector = stored["evses"][0]["connectors"][0]
    assert connector.get("max_amperage", connector.get("amperage")) == 32


async def test_patch_rules(emsp: Platform) -> None:
    await emsp.send(
        "PUT", "locations", "NL", "CPO", "L1", body=location_with_two_evses(emsp.version)
    )
    no_timestamp = await emsp.send(
        "PATCH", "locations", "NL", "CPO", "L1", "E1", body={"status": "CHARGING"}
    )
    assert no_timestamp.json()["status_code"] == 2001
    assert "body.last_updated" in no_timestamp.json()["status_message"]
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
    assert "status" in invalid.json()["status_message"]
    unknown = await emsp.send("PATCH", "locations", "NL", "CPO", "L9", body={"last_updated": LATER})
    assert unknown.status_code == 404
    assert unknown.json()["status_code"] == 2000


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
    stored = emsp.store.objects[(ModuleID.locations, "L1")]
    assert [(e["uid"], e["status"]) for e in stored["evses"]] == [
        ("E1", "CHARGING"),
        ("E2", "OUTOFORDER"),
    ]


async def test_client_owned_object_checks(emsp: Platform) -> None:
    location = sample(emsp.version, "Location")
    other_id = await emsp.send("PUT", "locations", "NL", "CPO", "OTHER", body=location)
    assert other_id.json()["status_code"] == 2001
    assert "body.id" in other_id.json()["status_message"]
    not_ours = await emsp.send("PUT", "locations", "BE", "XYZ", "L1", body=location)
    assert not_ours.json()["status_code"] == 2001
    assert (await emsp.get("locations", "BE", "XYZ", "L1")).status_code == 404
    if emsp.version != "2.1.1":
        wrong_party = dict(location, party_id="ZZZ")
        mismatch = await emsp.send("PUT", "locations", "NL", "CPO", "L1", body=wrong_party)
        assert mismatch.json()["status_code"] == 2001
        assert "body.party_id" in mismatch.json()["status_message"]
    incomplete = await emsp.send("PUT", "locations", "NL", "CPO", "L1", body={"id": "L1"})
    assert incomplete.json()["status_code"] == 2001
    assert emsp.store.objects == {}


# -- tariffs, sessions, cdrs, tokens -----------------------------------------------------------


async def test_tariff_receiver(emsp: Platform) -> None:
    tariff = sample(emsp.version, "Tariff")
    assert (await emsp.send("PUT", "tariffs", "NL", "CPO", "T1", body=tariff)).status_code == 201
    assert (await emsp.get("tariffs", "NL", "CPO", "T1")).json()["data"]["currency"] == "EUR"
    patch = await emsp.send(
        "PATCH", "tariffs", "NL", "CPO", "T1", body={"currency": "USD", "last_updated": LATER}
    )
    if emsp.version == "2.1.1":
        assert patch.json()["status_code"] == 1000
        assert emsp.store.objects[(ModuleID.tariffs, "T1")]["currency"] == "USD"
    else:
        assert patch.status_code == 405
        assert patch.json()["status_code"] == 2000
    assert (await emsp.send("DELETE", "tariffs", "NL", "CPO", "T1")).json()["status_code"] == 1000
    assert (await emsp.get("tariffs", "NL", "CPO", "T1")).status_code == 404


async def test_tariff_and_cdr_senders_list_pages(cpo: Platform) -> None:
    for index in range(3):
        tariff = sample(cpo.version, "Tariff")
        tariff["id"] = f"T{index}"
        tariff["last_updated"] = f"2024-05-0{index + 1}T00:00:00Z"
        cpo.store.objects[(ModuleID.tariffs, tariff["id"])] = tariff
    page = await cpo.get("tariffs", params={"limit": 2, "date_from": "2024-05-02T00:00:00Z"})
    assert [t["id"] for t in page.json()["data"]] == ["T1", "T2"]
    assert page.headers["x-total-count"] == "2"
    assert "link" not in page.headers
    cpo.store.objects[(ModuleID.cdrs, "C1")] = sample(cpo.version, "CDR")
    assert [c["id"] for c in (await cpo.get("cdrs")).json()["data"]] == ["C1"]


async def test_session_receiver_and_sender(emsp: Platform) -> None:
    session = sample(emsp.version, "Session")
    assert (await emsp.send("PUT", "sessions", "NL", "CPO", "S1", body=session)).status_code == 201
    patch = await emsp.send(
        "PATCH", "sessions", "NL", "CPO", "S1", body={"kwh": 12.5, "last_updated": LATER}
    )
    assert patch.json()["status_code"] == 1000
    assert emsp.store.objects[(ModuleID.sessions, "S1")]["kwh"] == 12.5


async def test_session_charging_preferences(cpo: Platform) -> None:
    prefs = await cpo.send(
        "PUT", "sessions", "S1", "charging_preferences", body={"profile_type": "FAST"}
    )
    if cpo.version == "2.1.1":
        assert prefs.status_code == 404
    else:
        assert prefs.json()["data"] == "ACCEPTED"
        assert cpo.store.preferences["S1"] == {"profile_type": "FAST"}


async def test_cdr_receiver_location_header_is_usable(emsp: Platform) -> None:
    cdr = sample(emsp.version, "CDR")
    posted = await emsp.send("POST", "cdrs", body=cdr)
    assert posted.status_code == 201
    location = posted.headers["location"]
    assert location == f"https://p.example.com/ocpi/emsp/{emsp.version}/cdrs/C1"
    fetched = await emsp.http.get(
        location.removeprefix("https://p.example.com"), headers=emsp.headers()
    )
    assert fetched.json()["data"]["id"] == "C1"
    assert (await emsp.get("cdrs", "NOPE")).status_code == 404


async def test_token_receiver_with_type(cpo: Platform) -> None:
    token = copy.deepcopy(TOKENS[cpo.version])
    uid = token["uid"]
    cc, pid = ("DE", "TNM") if cpo.version != "2.1.1" else ("NL", "CPO")
    put = await cpo.send("PUT", "tokens", cc, pid, uid, body=token, params={"type": token["type"]})
    assert put.status_code == 201
    got = await cpo.get("tokens", cc, pid, uid, params={"type": token["type"]})
    assert got.json()["data"]["uid"] == uid
    patch = await cpo.send(
        "PATCH", "tokens", cc, pid, uid, body={"valid": False, "last_updated": LATER}
    )
    assert patch.json()["status_code"] == 1000
    assert cpo.store.objects[(ModuleID.tokens, uid)]["valid"] is False


async def test_token_sender_real_time_authorization(emsp: Platform) -> None:
    token = copy.deepcopy(TOKENS[emsp.version])
    emsp.store.objects[(ModuleID.tokens, token["uid"])] = token
    listed = await emsp.get("tokens")
    assert [t["uid"] for t in listed.json()["data"]] == [token["uid"]]
    answer = await emsp.send(
        "POST", "tokens", token["uid"], "authorize", body={"location_id": "L1"}
    )
    assert answer.json()["status_code"] == 1000
    assert answer.json()["data"]["allowed"] == "ALLOWED"
    unknown = await emsp.send("POST", "tokens", "NOPE", "authorize")
    assert unknown.status_code == 404
    assert unknown.json()["status_code"] == 2004


async def test_an_integrators_adapter_shapes_every_listed_object() -> None:
    from ocpi import BaseAdapter

    class Renaming(BaseAdapter):
        @classmethod
        def location_adapter(cls, data: Any, version: VersionNumber = VersionNumber.latest) -> Any:
            return super().location_adapter(dict(data, name=f"Site {data['id']}"), version)

    app, store = create_app(
        Settings(OCPI_HOST="p.example.com"),
        [RoleEnum.cpo],
        [VersionNumber.v_2_2_1],
        MODULES,
        adapter=Renaming,
    )
    store.partners["partner"] = Partner("partner", "b", "2.2.1", {}, [])
    store.objects[(ModuleID.locations, "L1")] = sample("2.2.1", "Location")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as http:
        peer = Peer(http, "2.2.1", RoleEnum.cpo)
        listed = (await peer.get("locations")).json()["data"]
    assert listed[0]["name"] == "Site L1"
