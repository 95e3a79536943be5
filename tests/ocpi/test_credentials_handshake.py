"""The credentials handshake between two instances of our app over real HTTP (uvicorn on
127.0.0.1), in every version and in both directions, plus its failure paths."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from examples.memory_backend import MemoryStore, create_app
from ocpi import OCPIClient, RoleEnum, VersionNumber, build_credentials
from ocpi.core.client import OCPIHTTPError
from ocpi.core.exceptions import (
    ClientAPIOCPIError,
    NoMatchingEndpointsOCPIError,
    UnsupportedVersionOCPIError,
)
from ocpi.core.utils import encode_string_base64
from tests.conftest import LoopbackServer

ALL = [VersionNumber.v_2_1_1, VersionNumber.v_2_2_1, VersionNumber.v_2_3_0]


def auth(token: str, version: VersionNumber) -> dict[str, str]:
    if version == VersionNumber.v_2_1_1:
        return {"Authorization": f"Token {token}"}
    return {"Authorization": f"Token {encode_string_base64(token)}"}


async def start_pair(
    loopback: Callable[[], LoopbackServer],
    server_versions: list[VersionNumber],
    client_versions: list[VersionNumber],
    initiator: RoleEnum,
) -> tuple[MemoryStore, LoopbackServer, MemoryStore, LoopbackServer]:
    """Start a CPO and an eMSP; return (server store, server, client store, client)."""
    responder = RoleEnum.emsp if initiator == RoleEnum.cpo else RoleEnum.cpo
    server, client = loopback(), loopback()
    server_app, server_store = create_app(
        server.settings(COUNTRY_CODE="NL", PARTY_ID="SRV"), [responder], server_versions
    )
    client_app, client_store = create_app(
        client.settings(COUNTRY_CODE="DE", PARTY_ID="CLI"), [initiator], client_versions
    )
    await server.start(server_app)
    await client.start(client_app)
    return server_store, server, client_store, client


@pytest.mark.parametrize("version", ALL, ids=lambda v: v.value)
@pytest.mark.parametrize("initiator", [RoleEnum.cpo, RoleEnum.emsp], ids=lambda r: r.value)
async def test_register_update_unregister(
    loopback: Callable[[], LoopbackServer], version: VersionNumber, initiator: RoleEnum
) -> None:
    server_store, server, client_store, client = await start_pair(
        loopback, ALL, [version], initiator
    )
    token_a = server_store.new_token_a()
    versions_url = f"{server.url}/ocpi/versions"

    partner = await client_store.register_with(versions_url, token_a)

    # The highest mutual version was chosen and both sides know each other.
    assert partner.version == version.value
    assert len(server_store.partners) == 1
    (token_c, server_view) = next(iter(server_store.partners.items()))
    assert partner.token_out == token_c
    assert server_view.token_out == partner.token_in  # the server calls us with token B
    assert server_view.version == version.value
    assert {e["identifier"] for e in server_view.endpoints} >= {"credentials"}
    if version != VersionNumber.v_2_1_1:
        roles = partner.credentials["roles"]
        assert roles[0]["role"] == ("EMSP" if initiator == RoleEnum.cpo else "CPO")
        assert roles[0]["country_code"] == "NL"
    else:
        assert partner.credentials["party_id"] == "SRV"
    assert partner.credentials["url"] == f"{server.url}/ocpi/versions/"

    async with httpx.AsyncClient() as http:
        # Token A is single use: it no longer opens even the versions endpoint.
        gone = await http.get(versions_url, headers=auth(token_a, version))
        assert gone.status_code == 401
        assert gone.json()["status_code"] == 2000
        # The server can reach the client with the token B the client handed over.
        back = await http.get(
            f"{client.url}/ocpi/versions", headers=auth(server_view.token_out, version)
        )
        assert back.status_code == 200

    credentials_url = client_store.credentials_url(partner)
    async with OCPIClient(settings=client.settings()) as ocpi_client:
        ours = await ocpi_client.get_credentials(credentials_url, token_c, version)
        assert ours.token == token_c

        # PUT: new token B for the server; the server rotates our token C.
        new_b = "rotated-token-b"
        client_store.partners[new_b] = client_store.partners[partner.token_in]
        updated = await ocpi_client.update_credentials(
            credentials_url,
            token_c,
            build_credentials(client.settings(), new_b, version, roles=[initiator]),
            version,
        )
        new_c = updated.token
        assert new_c != token_c
        assert server_store.partners[new_c].token_out == new_b
        assert token_c not in server_store.partners

        with pytest.raises(OCPIHTTPError) as old_token:
            await ocpi_client.get_credentials(credentials_url, token_c, version)
        assert old_token.value.http_status == 401

        # DELETE: unregister, after which token C is worthless.
        await ocpi_client.unregister(credentials_url, new_c, version)
        assert server_store.partners == {}
        with pytest.raises(OCPIHTTPError) as after:
            await ocpi_client.get_credentials(credentials_url, new_c, version)
        assert after.value.http_status == 401


async def test_version_switch_by_put(loopback: Callable[[], LoopbackServer]) -> None:
    server_store, server, client_store, client = await start_pair(
        loopback, ALL, [VersionNumber.v_2_1_1, VersionNumber.v_2_2_1], RoleEnum.emsp
    )
    partner = await client_store.register_with(
        f"{server.url}/ocpi/versions", server_store.new_token_a()
    )
    assert partner.version == "2.2.1"  # highest mutual
    async with OCPIClient() as ocpi_client:
        updated = await ocpi_client.update_credentials(
            f"{server.url}/ocpi/2.1.1/credentials",
            partner.token_out,
            build_credentials(client.settings(), partner.token_in, "2.1.1", roles=[RoleEnum.emsp]),
            VersionNumber.v_2_1_1,
        )
    assert server_store.partners[updated.token].version == "2.1.1"
    assert "business_details" in updated.model_dump()


async def test_token_a_cannot_be_reused_and_registered_gets_405(
    loopback: Callable[[], LoopbackServer],
) -> None:
    server_store, server, client_store, client = await start_pair(loopback, ALL, ALL, RoleEnum.cpo)
    token_a = server_store.new_token_a()
    partner = await client_store.register_with(f"{server.url}/ocpi/versions", token_a)
    body = build_credentials(client.settings(), partner.token_in, "2.3.0", roles=[RoleEnum.cpo])
    payload: dict[str, Any] = body.model_dump(mode="json", exclude_none=True)
    async with httpx.AsyncClient() as http:
        url = f"{server.url}/ocpi/2.3.0/credentials"
        reused = await http.post(url, json=payload, headers=auth(token_a, VersionNumber.v_2_3_0))
        assert reused.status_code == 401
        again = await http.post(
            url, json=payload, headers=auth(partner.token_out, VersionNumber.v_2_3_0)
        )
        assert again.status_code == 405
        assert again.json()["status_code"] == 2000
        wrong = await http.get(url, headers=auth("not-a-token", VersionNumber.v_2_3_0))
        assert wrong.status_code == 401
        missing = await http.get(url)
        assert missing.status_code == 401
        assert missing.headers["www-authenticate"] == "Token"


@pytest.mark.parametrize("method", ["PUT", "DELETE", "GET"])
async def test_unregistered_token_a_gets_405_on_put_delete(
    loopback: Callable[[], LoopbackServer], method: str
) -> None:
    server = loopback()
    app, store = create_app(server.settings(), [RoleEnum.cpo], ALL)
    await server.start(app)
    token_a = store.new_token_a()
    body = build_credentials(server.settings(), "b", "2.2.1", roles=[RoleEnum.emsp])
    async with httpx.AsyncClient() as http:
        response = await http.request(
            method,
            f"{server.url}/ocpi/2.2.1/credentials/",
            json=body.model_dump(mode="json") if method == "PUT" else None,
            headers=auth(token_a, VersionNumber.v_2_2_1),
        )
    assert response.status_code == 405
    assert response.json()["status_code"] == 2000


async def test_unreachable_partner_is_3001(loopback: Callable[[], LoopbackServer]) -> None:
    server = loopback()
    app, store = create_app(server.settings(CLIENT_RETRIES=0), [RoleEnum.cpo], ALL)
    await server.start(app)
    dead = loopback()  # bound but never serving: connection refused once closed
    dead.sock.close()
    body = build_credentials(server.settings(), "token-b", "2.2.1", roles=[RoleEnum.emsp])
    payload = body.model_dump(mode="json")
    payload["url"] = f"{dead.url}/ocpi/versions"
    token_a = store.new_token_a()
    async with httpx.AsyncClient() as http:
        response = await http.post(
            f"{server.url}/ocpi/2.2.1/credentials",
            json=payload,
            headers=auth(token_a, VersionNumber.v_2_2_1),
        )
    assert response.status_code == 200
    assert response.json()["status_code"] == 3001
    assert token_a in store.tokens_a  # nothing was consumed
    assert store.partners == {}


def fake_partner(versions: list[dict[str, str]], endpoints: list[dict[str, str]]) -> FastAPI:
    """A minimal third-party OCPI platform (not ours) with fixed answers."""
    app = FastAPI()

    def envelope(data: Any) -> dict[str, Any]:
        return {"data": data, "status_code": 1000, "timestamp": "2024-01-01T00:00:00Z"}

    @app.get("/versions")
    async def versions_list() -> dict[str, Any]:
        return envelope(versions)

    @app.get("/2.2.1")
    async def details() -> dict[str, Any]:
        return envelope({"version": "2.2.1", "endpoints": endpoints})

    return app


async def test_partner_without_credentials_endpoint_is_3003(
    loopback: Callable[[], LoopbackServer],
) -> None:
    server, partner = loopback(), loopback()
    app, store = create_app(server.settings(), [RoleEnum.cpo], ALL)
    await server.start(app)
    await partner.start(
        fake_partner(
            [{"version": "2.2.1", "url": f"{partner.url}/2.2.1"}],
            [{"identifier": "locations", "role": "RECEIVER", "url": f"{partner.url}/locations"}],
        )
    )
    body = build_credentials(server.settings(), "token-b", "2.2.1", roles=[RoleEnum.emsp])
    payload = body.model_dump(mode="json")
    payload["url"] = f"{partner.url}/versions"
    async with httpx.AsyncClient() as http:
        response = await http.post(
            f"{server.url}/ocpi/2.2.1/credentials",
            json=payload,
            headers=auth(store.new_token_a(), VersionNumber.v_2_2_1),
        )
    assert response.json()["status_code"] == 3003


async def test_partner_without_mutual_version(loopback: Callable[[], LoopbackServer]) -> None:
    server, partner = loopback(), loopback()
    app, store = create_app(server.settings(), [RoleEnum.cpo], ALL)
    await server.start(app)
    await partner.start(fake_partner([{"version": "2.0", "url": f"{partner.url}/2.0"}], []))
    body = build_credentials(server.settings(), "token-b", "2.2.1", roles=[RoleEnum.emsp])
    payload = body.model_dump(mode="json")
    payload["url"] = f"{partner.url}/versions"
    async with httpx.AsyncClient() as http:
        response = await http.post(
            f"{server.url}/ocpi/2.2.1/credentials",
            json=payload,
            headers=auth(store.new_token_a(), VersionNumber.v_2_2_1),
        )
    assert response.json()["status_code"] == 3002
    # The sender side reports the same problem as a typed error.
    async with OCPIClient() as client:
        with pytest.raises(UnsupportedVersionOCPIError):
            await client.register(f"{partner.url}/versions", "token-a", credentials={})


async def test_register_with_unreachable_or_incomplete_partner(
    loopback: Callable[[], LoopbackServer],
) -> None:
    dead = loopback()
    dead.sock.close()
    async with OCPIClient(retries=0) as client:
        with pytest.raises(ClientAPIOCPIError):
            await client.register(f"{dead.url}/ocpi/versions", "token-a", credentials={})
    partner = loopback()
    await partner.start(fake_partner([{"version": "2.2.1", "url": f"{partner.url}/2.2.1"}], []))
    async with OCPIClient() as client:
        with pytest.raises(NoMatchingEndpointsOCPIError):
            await client.register(f"{partner.url}/versions", "token-a", credentials={})


async def test_plain_token_accepted_on_2_2_1_and_base64_on_2_1_1(
    loopback: Callable[[], LoopbackServer],
) -> None:
    server = loopback()
    app, store = create_app(server.settings(), [RoleEnum.cpo], ALL)
    await server.start(app)
    token_a = store.new_token_a()
    async with httpx.AsyncClient() as http:
        plain = await http.get(
            f"{server.url}/ocpi/2.2.1/details", headers={"Authorization": f"Token {token_a}"}
        )
        encoded = await http.get(
            f"{server.url}/ocpi/2.1.1/details",
            headers={"Authorization": f"Token {encode_string_base64(token_a)}"},
        )
    assert plain.status_code == 200
    assert encoded.status_code == 200
