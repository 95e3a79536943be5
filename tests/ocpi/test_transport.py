"""Transport rules on the wire: envelopes on every answer, status codes, request ids, hub routing
headers, trailing slashes, pagination headers and OpenAPI payload types."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from examples.memory_backend import MemoryStore, Partner, create_app
from ocpi import ModuleID, RoleEnum, Settings, VersionNumber
from ocpi.core.utils import encode_string_base64
from tests.ocpi.support import registry

V = VersionNumber.v_2_2_1
START = datetime(2024, 1, 1, tzinfo=UTC)


VERSIONS = [VersionNumber.v_2_1_1, VersionNumber.v_2_2_1, VersionNumber.v_2_3_0]
CURRENT: list[VersionNumber] = [V]


@pytest.fixture(params=VERSIONS, ids=lambda v: v.value)
async def platform(
    request: pytest.FixtureRequest,
) -> AsyncIterator[tuple[httpx.AsyncClient, MemoryStore, str, str]]:
    """The same rules in every version: one platform serving only ``request.param``."""
    version: VersionNumber = request.param
    CURRENT[0] = version
    settings = Settings(OCPI_HOST="cpo.example.com", PROTOCOL="https", PAGINATION_MAX_LIMIT=10)
    app, store = create_app(
        settings, [RoleEnum.cpo], [version], [ModuleID.locations], registry=registry()
    )
    store.tokens_a.add("token-a")
    token_c = "token-c"
    store.partners[token_c] = Partner(token_c, "b", version.value, {}, [])
    for index in range(25):
        store.objects[(ModuleID.locations, f"LOC{index:02d}")] = {
            "id": f"LOC{index:02d}",
            "last_updated": START + timedelta(minutes=index),
            "name": None,
        }
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://internal"
    ) as client:
        yield client, store, token_c, version.value


def bearer(token: str) -> dict[str, str]:
    """The header in the form of the version under test (2.1.1: plain)."""
    if CURRENT[0] == VersionNumber.v_2_1_1:
        return {"Authorization": f"Token {token}"}
    return {"Authorization": f"Token {encode_string_base64(token)}"}


async def test_missing_and_unknown_token_are_401_with_envelope(platform: Any) -> None:
    client, _, _, v = platform
    for headers in (
        {},
        {"Authorization": "Token " + encode_string_base64("nope")},
        {"Authorization": "Bearer x"},
    ):
        response = await client.get(f"/ocpi/cpo/{v}/locations", headers=headers)
        assert response.status_code == 401
        body = response.json()
        assert body["status_code"] == 2000
        assert "timestamp" in body
        assert "detail" not in body


async def test_token_a_only_opens_versions_and_credentials(platform: Any) -> None:
    client, _, _, v = platform
    assert (await client.get("/ocpi/versions", headers=bearer("token-a"))).status_code == 200
    assert (await client.get(f"/ocpi/{v}/details", headers=bearer("token-a"))).status_code == 200
    response = await client.get(f"/ocpi/cpo/{v}/locations", headers=bearer("token-a"))
    assert response.status_code == 401


async def test_unknown_object_is_404_with_envelope(platform: Any) -> None:
    client, _, token, v = platform
    response = await client.get(f"/ocpi/cpo/{v}/locations/NOPE", headers=bearer(token))
    assert response.status_code == 404
    assert response.json()["status_code"] == 2000
    unknown_route = await client.get("/ocpi/nothing/here", headers=bearer(token))
    assert unknown_route.status_code == 404
    assert unknown_route.json()["status_code"] == 2000


async def test_bad_json_is_400_and_invalid_fields_2001(platform: Any) -> None:
    client, _, _, v = platform
    url = f"/ocpi/{v}/credentials"
    bad = await client.post(url, content=b"{not json", headers=bearer("token-a"))
    assert bad.status_code == 400
    assert bad.json()["status_code"] == 2000
    invalid = await client.post(
        url, json={"token": "x", "url": "https://x", "roles": []}, headers=bearer("token-a")
    )
    assert invalid.status_code == 200
    body = invalid.json()
    assert body["status_code"] == 2001
    offending = "body.party_id" if v == "2.1.1" else "body.roles"
    assert offending in body["status_message"]
    assert offending in {item["field"] for item in body["data"]}


async def test_single_object_is_an_object_and_none_is_omitted(platform: Any) -> None:
    client, _, token, v = platform
    response = await client.get(f"/ocpi/cpo/{v}/locations/LOC03", headers=bearer(token))
    body = response.json()
    assert body["data"] == {"id": "LOC03", "last_updated": "2024-01-01T00:03:00Z"}
    assert body["status_code"] == 1000
    assert body["timestamp"].endswith("Z")


async def test_request_and_correlation_ids(platform: Any) -> None:
    client, _, token, _ = platform
    echoed = await client.get(
        "/ocpi/versions",
        headers={**bearer(token), "X-Request-ID": "req-1", "X-Correlation-ID": "corr-1"},
    )
    assert echoed.headers["x-request-id"] == "req-1"
    assert echoed.headers["x-correlation-id"] == "corr-1"
    generated = await client.get("/ocpi/versions")  # even on a 401
    assert generated.status_code == 401
    assert len(generated.headers["x-request-id"]) == 32
    assert len(generated.headers["x-correlation-id"]) == 32


async def test_routing_headers_swapped_and_passed_on(platform: Any) -> None:
    client, _, token, v = platform
    routing = {
        "OCPI-from-country-code": "DE",
        "OCPI-from-party-id": "MSP",
        "OCPI-to-country-code": "NL",
        "OCPI-to-party-id": "CPO",
    }
    response = await client.get(
        f"/ocpi/cpo/{v}/locations/LOC01", headers={**bearer(token), **routing}
    )
    assert response.headers["ocpi-from-country-code"] == "NL"
    assert response.headers["ocpi-from-party-id"] == "CPO"
    assert response.headers["ocpi-to-country-code"] == "DE"
    assert response.headers["ocpi-to-party-id"] == "MSP"
    assert response.json()["data"]["routed_to"] == "CPO"
    partial = await client.get(
        f"/ocpi/cpo/{v}/locations/LOC01",
        headers={**bearer(token), "OCPI-from-country-code": "DEU"},
    )
    assert partial.json()["status_code"] == 2001
    assert "header.ocpi-from-country-code" in partial.json()["status_message"]
    assert "header.ocpi-to-party-id" in partial.json()["status_message"]


@pytest.mark.parametrize("path", ["/ocpi/versions", "/ocpi/versions/", "/ocpi/{v}/details/"])
async def test_trailing_slash_both_forms_no_redirect(platform: Any, path: str) -> None:
    client, _, token, v = platform
    response = await client.get(path.format(v=v), headers=bearer(token))
    assert response.status_code == 200
    assert response.json()["status_code"] == 1000


async def test_pagination_headers_and_link(platform: Any) -> None:
    client, _, token, v = platform
    first = await client.get(f"/ocpi/cpo/{v}/locations?limit=4", headers=bearer(token))
    assert first.headers["x-total-count"] == "25"
    assert first.headers["x-limit"] == "10"
    assert [item["id"] for item in first.json()["data"]] == ["LOC00", "LOC01", "LOC02", "LOC03"]
    assert first.headers["link"] == (
        f'<https://cpo.example.com/ocpi/cpo/{v}/locations?limit=4&offset=4>; rel="next"'
    )
    capped = await client.get(f"/ocpi/cpo/{v}/locations?limit=500", headers=bearer(token))
    assert len(capped.json()["data"]) == 10
    last = await client.get(f"/ocpi/cpo/{v}/locations?offset=20&limit=10", headers=bearer(token))
    assert len(last.json()["data"]) == 5
    assert "link" not in last.headers


async def test_pagination_keeps_filters_in_link(platform: Any) -> None:
    client, _, token, v = platform
    response = await client.get(
        f"/ocpi/cpo/{v}/locations",
        params={"date_from": "2024-01-01T00:00:00", "limit": "2"},
        headers=bearer(token),
    )
    link = response.headers["link"]
    assert "date_from=2024-01-01T00%3A00%3A00Z" in link
    assert "offset=2" in link


@pytest.mark.parametrize(
    "query", ["date_from=yesterday", "date_to=2024-13-01", "offset=-1", "limit=ten"]
)
async def test_bad_pagination_parameters_are_2001(platform: Any, query: str) -> None:
    client, _, token, v = platform
    response = await client.get(f"/ocpi/cpo/{v}/locations?{query}", headers=bearer(token))
    assert response.status_code == 200
    body = response.json()
    assert body["status_code"] == 2001
    assert f"query.{query.split('=')[0]}" in body["status_message"]


async def test_openapi_shows_typed_payloads(platform: Any) -> None:
    client, _, _, v = platform
    schema = (await client.get("/ocpi/openapi.json")).json()
    post = schema["paths"][f"/ocpi/{v}/credentials"]["post"]
    ref = post["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    envelope = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert "data" in envelope["properties"]
    assert any("Credentials" in name for name in schema["components"]["schemas"])
    assert f"/ocpi/{v}/credentials/" not in schema["paths"]  # the slash twin stays hidden


async def test_versions_lists_only_configured_versions_and_modules(platform: Any) -> None:
    client, _, token, v = platform
    versions = (await client.get("/ocpi/versions", headers=bearer(token))).json()["data"]
    assert versions == [{"version": v, "url": f"https://cpo.example.com/ocpi/{v}/details/"}]
    details = (await client.get(f"/ocpi/{v}/details", headers=bearer(token))).json()["data"]
    if v == "2.1.1":  # no interface roles in 2.1.1
        assert {e["identifier"] for e in details["endpoints"]} == {"credentials", "locations"}
        assert all("role" not in e for e in details["endpoints"])
    else:
        identifiers = {(e["identifier"], e["role"]) for e in details["endpoints"]}
        assert identifiers == {
            ("credentials", "SENDER"),
            ("credentials", "RECEIVER"),
            ("locations", "SENDER"),
        }
    other = "2.2.1" if v != "2.2.1" else "2.3.0"
    missing = await client.get(f"/ocpi/{other}/details", headers=bearer(token))
    assert missing.status_code == 404


async def test_modules_not_configured_are_neither_listed_nor_served() -> None:
    settings = Settings(OCPI_HOST="cpo.example.com", VERSIONS_REQUIRE_AUTH=False)
    app, store = create_app(
        settings, [RoleEnum.emsp], [V], [ModuleID.locations], registry=registry()
    )
    store.partners["c"] = Partner("c", "b", "2.2.1", {}, [])
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        # VERSIONS_REQUIRE_AUTH off: anyone may read versions and details.
        details = (await client.get("/ocpi/2.2.1/details")).json()["data"]
        assert {e["identifier"] for e in details["endpoints"]} == {"credentials"}
        served = await client.get("/ocpi/cpo/2.2.1/locations", headers=bearer("c"))
        assert served.status_code == 404
