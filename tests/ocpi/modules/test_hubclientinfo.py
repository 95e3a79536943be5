"""hubclientinfo over HTTP: the Receiver of connected parties, the Hub's paginated Sender, the
endpoints in ``/details`` and a Hub ↔ CPO round trip through the client helpers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from ocpi import ModuleID, RoleEnum
from ocpi.modules.hubclientinfo.client import get_client_info, pull_client_infos, put_client_info
from ocpi.modules.hubclientinfo.router import client_info_id
from ocpi.modules.hubclientinfo.schemas import ClientInfo
from tests.conftest import LoopbackServer
from tests.ocpi.modules.hub_payments_bookings_apps import TS, Platform, platform, registered_pair

MODULE = ModuleID.hub_client_info
VERSIONS = ["2.2.1", "2.3.0"]


def info(cc: str = "NL", pid: str = "ALL", status: str = "PLANNED", **extra: Any) -> dict[str, Any]:
    return {
        "country_code": cc,
        "party_id": pid,
        "role": "CPO",
        "status": status,
        "last_updated": TS,
        **extra,
    }


@pytest.fixture(params=VERSIONS)
async def party(request: pytest.FixtureRequest) -> AsyncIterator[Platform]:
    """A CPO and eMSP connected to a hub; the caller is the hub."""
    async with platform(
        [RoleEnum.cpo, RoleEnum.emsp],
        [MODULE],
        request.param,
        caller_roles=[("NL", "HUB", "HUB")],
    ) as p:
        yield p


@pytest.fixture(params=VERSIONS)
async def hub(request: pytest.FixtureRequest) -> AsyncIterator[Platform]:
    async with platform([RoleEnum.hub], [MODULE], request.param, PAGINATION_MAX_LIMIT=2) as p:
        yield p


async def test_details_advertise_hubclientinfo_per_role(party: Platform, hub: Platform) -> None:
    details = await party.http.get(f"/ocpi/{party.version}/details", headers=party.headers())
    endpoints = [e for e in details.json()["data"]["endpoints"] if e["identifier"] != "credentials"]
    assert endpoints == [
        {
            "identifier": "hubclientinfo",
            "role": "RECEIVER",
            "url": f"https://p.example.com/ocpi/{role}/{party.version}/hubclientinfo/",
        }
        for role in ("cpo", "emsp")
    ]
    details = await hub.http.get(f"/ocpi/{hub.version}/details", headers=hub.headers())
    (endpoint,) = [
        e for e in details.json()["data"]["endpoints"] if e["identifier"] != "credentials"
    ]
    assert endpoint["role"] == "SENDER"
    assert endpoint["url"].endswith(f"/ocpi/hub/{hub.version}/hubclientinfo/")


async def test_not_served_in_2_1_1() -> None:
    async with platform([RoleEnum.cpo], [MODULE], "2.1.1") as p:
        response = await p.http.get("/ocpi/cpo/2.1.1/hubclientinfo/NL/ALL", headers=p.headers())
        assert response.status_code == 404
        details = await p.http.get("/ocpi/2.1.1/details", headers=p.headers())
        identifiers = {e["identifier"] for e in details.json()["data"]["endpoints"]}
        assert identifiers == {"credentials"}


async def test_receiver_put_creates_then_updates_and_get_returns_it(party: Platform) -> None:
    created = await party.call("PUT", "cpo", "hubclientinfo", "NL", "ALL", body=info())
    assert created.status_code == 201
    assert created.json()["status_code"] == 1000
    stored = party.store.objects[(MODULE, "NL*ALL")]
    assert stored["status"] == "PLANNED"

    connected = info(status="CONNECTED", last_updated="2025-03-02T10:00:00Z")
    updated = await party.call("PUT", "cpo", "hubclientinfo", "NL", "ALL", body=connected)
    assert updated.status_code == 200
    # The eMSP side of the same platform reads the same object (case-insensitive URL).
    got = await party.call("GET", "emsp", "hubclientinfo", "nl", "all")
    assert got.status_code == 200
    data = got.json()["data"]
    assert data == connected
    ClientInfo.model_validate(data)  # spec-valid on the way out


async def test_receiver_accepts_parties_other_than_the_caller(party: Platform) -> None:
    # The hub (NL/HUB) pushes the state of a German eMSP: ClientInfo is owned by the hub.
    body = info("DE", "TNM", "OFFLINE", role="EMSP")
    response = await party.call("PUT", "cpo", "hubclientinfo", "DE", "TNM", body=body)
    assert response.status_code == 201
    assert party.store.objects[(MODULE, "DE*TNM")]["role"] == "EMSP"


@pytest.mark.parametrize(
    ("url_party", "wrong"),
    [(("NL", "XXX"), ["body.party_id"]), (("BE", "ALL"), ["body.country_code"])],
)
async def test_receiver_put_body_must_describe_the_url_party(
    party: Platform, url_party: tuple[str, str], wrong: list[str]
) -> None:
    response = await party.call("PUT", "cpo", "hubclientinfo", *url_party, body=info())
    assert response.status_code == 200  # OCPI client errors travel in the envelope
    assert response.json()["status_code"] == 2001
    assert [item["field"] for item in response.json()["data"]] == wrong
    assert not party.store.objects


async def test_receiver_rejects_invalid_body_and_unknown_party(party: Platform) -> None:
    invalid = await party.call(
        "PUT", "cpo", "hubclientinfo", "NL", "ALL", body=info(status="ASLEEP")
    )
    assert invalid.json()["status_code"] == 2001
    assert "status" in invalid.json()["status_message"]
    unknown = await party.call("GET", "cpo", "hubclientinfo", "NL", "NOP")
    assert unknown.status_code == 404
    assert "data" not in unknown.json() and unknown.json()["status_code"] == 2000
    unauthenticated = await party.http.get(party.url("cpo", "hubclientinfo", "NL", "ALL"))
    assert unauthenticated.status_code == 401


async def test_hub_sender_lists_pages_and_filters(hub: Platform) -> None:
    days = ["2025-03-01", "2025-03-02", "2025-03-03"]
    for index, day in enumerate(days):
        hub.put_object(
            MODULE, f"NL*P{index}", info(pid=f"P{index}", last_updated=f"{day}T00:00:00Z")
        )
    first = await hub.call("GET", "hub", "hubclientinfo")
    assert first.status_code == 200
    assert [i["party_id"] for i in first.json()["data"]] == ["P0", "P1"]
    assert first.headers["x-total-count"] == "3"
    assert first.headers["x-limit"] == "2"
    next_url = first.headers["link"].split(";")[0].strip("<>")
    assert "offset=2" in next_url
    second = await hub.http.get(next_url, headers=hub.headers())
    assert [i["party_id"] for i in second.json()["data"]] == ["P2"]
    assert "link" not in second.headers
    filtered = await hub.call(
        "GET",
        "hub",
        "hubclientinfo",
        params={"date_from": "2025-03-02T00:00:00Z", "date_to": "2025-03-03T00:00:00Z"},
    )
    assert [i["party_id"] for i in filtered.json()["data"]] == ["P1"]
    # A hub does not serve the Receiver interface.
    assert (await hub.call("GET", "cpo", "hubclientinfo", "NL", "P0")).status_code == 404


@pytest.mark.parametrize("version", VERSIONS)
async def test_payment_terminal_providers_receive_it_from_2_3_0(version: str) -> None:
    async with platform([RoleEnum.ptp], [MODULE], version) as p:
        details = await p.http.get(f"/ocpi/{version}/details", headers=p.headers())
        urls = [e["url"] for e in details.json()["data"]["endpoints"]]
        served = any(url.endswith(f"/ocpi/ptp/{version}/hubclientinfo/") for url in urls)
        assert served == (version == "2.3.0")


async def test_paths_answer_with_and_without_trailing_slash(party: Platform) -> None:
    url = party.url("cpo", "hubclientinfo", "NL", "ALL")
    created = await party.http.put(url + "/", json=info(), headers=party.headers())
    assert created.status_code == 201
    got = await party.http.get(url, headers=party.headers())
    assert got.json()["data"]["party_id"] == "ALL"


async def test_legacy_clientinfo_urls_still_answer(party: Platform, hub: Platform) -> None:
    legacy = f"/ocpi/cpo/{party.version}/clientinfo/NL/ALL"
    created = await party.http.put(legacy, json=info(), headers=party.headers())
    assert created.status_code == 201
    current = await party.call("GET", "cpo", "hubclientinfo", "NL", "ALL")
    assert current.json()["data"]["status"] == "PLANNED"
    assert (await party.http.get(legacy + "/", headers=party.headers())).status_code == 200
    hub.put_object(MODULE, "NL*ALL", info())
    listed = await hub.http.get(f"/ocpi/hub/{hub.version}/clientinfo", headers=hub.headers())
    assert listed.json()["data"] == [info()]
    # Advertised and documented only as hubclientinfo.
    details = await party.http.get(f"/ocpi/{party.version}/details", headers=party.headers())
    assert "clientinfo" not in {e["identifier"] for e in details.json()["data"]["endpoints"]}
    paths = (await party.http.get("/ocpi/openapi.json")).json()["paths"]
    assert not [path for path in paths if "/clientinfo" in path]
    assert [path for path in paths if "/hubclientinfo" in path]


def test_client_info_id_is_case_insensitive() -> None:
    assert client_info_id("nl", "all") == client_info_id("NL", "ALL") == "NL*ALL"


async def test_hub_and_cpo_round_trip_through_the_client_helpers(
    loopback: Callable[[], LoopbackServer],
) -> None:
    async with registered_pair(
        loopback, (RoleEnum.hub, "HUB"), (RoleEnum.cpo, "CPO"), [MODULE]
    ) as pair:
        # The hub (A) pushes the state of an eMSP to the CPO (B) and reads it back.
        msp = info("NL", "MSP", "CONNECTED", role="EMSP")
        result = await put_client_info(pair.to_b, ClientInfo.model_validate(msp))
        assert result.http_status == 201
        assert pair.b_store.objects[(MODULE, "NL*MSP")]["status"] == "CONNECTED"
        assert await get_client_info(pair.to_b, "NL", "MSP") == msp

        # The CPO pulls the hub's full list.
        for pid in ("MSP", "EXA", "OTH"):
            pair.a_store.objects[(MODULE, f"NL*{pid}")] = info("NL", pid, "CONNECTED")
        pulled = [i["party_id"] async for i in pull_client_infos(pair.to_a)]
        assert pulled == ["MSP", "EXA", "OTH"]
