"""The WebSocket handshake: identity, subprotocol negotiation, security profiles, replacement."""

from __future__ import annotations

import asyncio
import base64
import ssl
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import orjson
import pytest
from gw_support import PasswordAuthenticator, StationPKI
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from ocpp_gw import OCPPGateway
from ocpp_gw.events import ChargerConnected, ChargerDisconnected

Serve = Callable[..., Any]
MakeGateway = Callable[..., OCPPGateway]


def basic(username: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


async def heartbeat(ws: Any) -> list[Any]:
    await ws.send('[2,"hb","Heartbeat",{}]')
    reply: list[Any] = orjson.loads(await asyncio.wait_for(ws.recv(), 5))
    return reply


async def refused_status(url: str, **kwargs: Any) -> int:
    with pytest.raises(InvalidStatus) as info:
        async with connect(url, **kwargs):
            pass
    return int(info.value.response.status_code)


# -- subprotocols and identity ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("offered", "chosen"),
    [
        (["ocpp2.0.1", "ocpp1.6"], "ocpp2.0.1"),
        (["ocpp1.6", "ocpp2.0.1"], "ocpp1.6"),
        (["ocpp1.5", "ocpp2.1", "ocpp1.6"], "ocpp2.1"),
    ],
)
async def test_subprotocol_follows_client_preference(
    make_gateway: MakeGateway, serve: Serve, offered: list[str], chosen: str
) -> None:
    server = await serve(make_gateway())
    async with connect(server.ws_url("CP1"), subprotocols=offered) as ws:  # type: ignore[arg-type]
        assert ws.subprotocol == chosen
        assert server.gateway.connection("CP1").version.subprotocol == chosen  # type: ignore[union-attr]
        assert (await heartbeat(ws))[0] == 3


async def test_only_enabled_versions_are_offered(make_gateway: MakeGateway, serve: Serve) -> None:
    server = await serve(make_gateway(versions=["2.0.1"]))
    async with connect(server.ws_url("CP1"), subprotocols=["ocpp1.6", "ocpp2.0.1"]) as ws:  # type: ignore[list-item]
        assert ws.subprotocol == "ocpp2.0.1"


async def test_no_common_subprotocol_accepts_then_closes(
    make_gateway: MakeGateway, serve: Serve
) -> None:
    server = await serve(make_gateway(versions=["1.6"]))
    async with connect(server.ws_url("CP1"), subprotocols=["ocpp2.0.1"]) as ws:  # type: ignore[list-item]
        assert ws.subprotocol is None  # handshake completed without the header
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 5)
        assert ws.close_code == 1002
    async with connect(server.ws_url("CP2")) as ws:  # no subprotocol offered at all
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 5)
    assert server.gateway.connections == {}


async def test_identity_is_percent_decoded_and_length_checked(
    make_gateway: MakeGateway, serve: Serve
) -> None:
    server = await serve(make_gateway())
    async with connect(server.ws_url(quote("RDAM 123")), subprotocols=["ocpp1.6"]) as ws:  # type: ignore[list-item]
        await heartbeat(ws)
        assert list(server.gateway.connections) == ["RDAM 123"]
    assert await refused_status(server.ws_url("x" * 49), subprotocols=["ocpp1.6"]) == 400


async def test_path_prefix_is_configurable(make_gateway: MakeGateway, serve: Serve) -> None:
    server = await serve(make_gateway(path_prefix="/steve/websocket/CentralSystemService"))
    url = server.ws_url("CP1", prefix="/steve/websocket/CentralSystemService")
    async with connect(url, subprotocols=["ocpp1.6"]) as ws:  # type: ignore[list-item]
        assert (await heartbeat(ws))[0] == 3


# -- security profile 1 (Basic auth) --------------------------------------------------------


async def test_profile_1_basic_auth(make_gateway: MakeGateway, serve: Serve) -> None:
    auth = PasswordAuthenticator({"CP1": "s3cret"})
    server = await serve(make_gateway(authenticator=auth, security_profiles=[1]))
    url = server.ws_url("CP1")
    async with connect(
        url, subprotocols=["ocpp1.6"], additional_headers=basic("CP1", "s3cret")
    ) as ws:  # type: ignore[list-item]
        assert (await heartbeat(ws))[0] == 3
    credentials = auth.seen[-1]
    assert (credentials.security_profile, credentials.username) == (1, "CP1")
    assert credentials.remote_address == "127.0.0.1"
    # wrong password, missing credentials, username other than the identity, unknown station
    assert await refused_status(url, additional_headers=basic("CP1", "nope")) == 401
    assert await refused_status(url) == 401
    assert await refused_status(url, additional_headers=basic("CP2", "s3cret")) == 401
    assert await refused_status(server.ws_url("CP9"), additional_headers=basic("CP9", "x")) == 401
    assert server.gateway.connections == {}


async def test_unknown_station_without_credentials_is_404(
    make_gateway: MakeGateway, serve: Serve
) -> None:
    auth = PasswordAuthenticator({})
    server = await serve(make_gateway(authenticator=auth, security_profiles=[0, 1]))
    assert await refused_status(server.ws_url("CP1"), subprotocols=["ocpp1.6"]) == 404


async def test_accept_unknown_chargers_switch(make_gateway: MakeGateway, serve: Serve) -> None:
    server = await serve(
        make_gateway(authenticator=PasswordAuthenticator({}), accept_unknown_chargers=True)
    )
    async with connect(server.ws_url("anyone"), subprotocols=["ocpp2.1"]) as ws:  # type: ignore[list-item]
        assert (await heartbeat(ws))[0] == 3


async def test_authenticator_may_be_a_class(make_gateway: MakeGateway, serve: Serve) -> None:
    class ClassAuthenticator(PasswordAuthenticator):
        @classmethod
        async def authenticate_charger(cls, credentials: Any) -> bool:  # type: ignore[override]
            return credentials.password == "classy"

    server = await serve(make_gateway(authenticator=ClassAuthenticator, security_profiles=[1]))
    headers = basic("CP1", "classy")
    async with connect(
        server.ws_url("CP1"), subprotocols=["ocpp1.6"], additional_headers=headers
    ) as ws:  # type: ignore[list-item]
        assert (await heartbeat(ws))[0] == 3


async def test_profile_1_refused_when_only_tls_profiles_allowed(
    make_gateway: MakeGateway, serve: Serve
) -> None:
    auth = PasswordAuthenticator({"CP1": "s3cret"})
    server = await serve(make_gateway(authenticator=auth, security_profiles=[2, 3]))
    status = await refused_status(server.ws_url("CP1"), additional_headers=basic("CP1", "s3cret"))
    assert status == 403
    assert auth.seen == []  # the authenticator is not even asked


# -- security profiles 2 and 3 over real TLS -----------------------------------------------


def tls_options(pki: StationPKI, *, require_client_cert: bool = False) -> dict[str, Any]:
    options: dict[str, Any] = {
        "ssl_certfile": str(pki.server_cert),
        "ssl_keyfile": str(pki.server_key),
    }
    if require_client_cert:
        options["ssl_ca_certs"] = str(pki.ca_cert)
        options["ssl_cert_reqs"] = ssl.CERT_REQUIRED
    return options


def client_context(pki: StationPKI, *, cert: bool = False, rogue: bool = False) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(pki.ca_cert))
    if cert:
        context.load_cert_chain(str(pki.client_cert), str(pki.client_key))
    if rogue:
        context.load_cert_chain(str(pki.rogue_cert), str(pki.rogue_key))
    return context


async def test_profile_2_tls_and_basic_auth(
    make_gateway: MakeGateway, serve: Serve, pki: StationPKI
) -> None:
    auth = PasswordAuthenticator({"CP1": "s3cret"})
    server = await serve(
        make_gateway(authenticator=auth, security_profiles=[2]), **tls_options(pki)
    )
    url = server.ws_url("CP1")
    assert url.startswith("wss://")
    async with connect(
        url,
        subprotocols=["ocpp2.0.1"],  # type: ignore[list-item]
        additional_headers=basic("CP1", "s3cret"),
        ssl=client_context(pki),
    ) as ws:
        assert (await heartbeat(ws))[0] == 3
    assert auth.seen[-1].security_profile == 2
    bad = basic("CP1", "wrong")
    assert await refused_status(url, additional_headers=bad, ssl=client_context(pki)) == 401


async def test_profile_3_certificate_from_trusted_proxy(
    make_gateway: MakeGateway, serve: Serve, station_certificate: tuple[str, str]
) -> None:
    pem, _ = station_certificate
    auth = PasswordAuthenticator(certified={"CP-TLS"})
    gateway = make_gateway(
        authenticator=auth,
        security_profiles=[3],
        trusted_proxies=["127.0.0.1/32"],
        client_cert_organization="Acme Charging",
    )
    server = await serve(gateway)
    headers = {"X-SSL-Client-Cert": quote(pem), "X-SSL-Client-Verify": "SUCCESS"}
    async with connect(
        server.ws_url("CP-TLS"), subprotocols=["ocpp2.0.1"], additional_headers=headers
    ) as ws:  # type: ignore[list-item]
        assert (await heartbeat(ws))[0] == 3
    credentials = auth.seen[-1]
    assert credentials.security_profile == 3
    assert credentials.certificate is not None
    assert credentials.certificate.subject_cn == "CP-TLS"
    assert credentials.certificate.subject_o == "Acme Charging"
    # CN must be the identity; the proxy must have verified the chain
    assert await refused_status(server.ws_url("CP-OTHER"), additional_headers=headers) == 403
    unverified = {**headers, "X-SSL-Client-Verify": "FAILED:unknown CA"}
    assert await refused_status(server.ws_url("CP-TLS"), additional_headers=unverified) == 403
    # a subject DN instead of the whole certificate works too
    dn = {"X-SSL-Client-Cert": "CN=CP-TLS,O=Acme Charging", "X-SSL-Client-Verify": "SUCCESS"}
    async with connect(
        server.ws_url("CP-TLS"), subprotocols=["ocpp1.6"], additional_headers=dn
    ) as ws:  # type: ignore[list-item]
        assert (await heartbeat(ws))[0] == 3
    wrong_org = {**dn, "X-SSL-Client-Cert": "CN=CP-TLS,O=Evil Corp"}
    assert await refused_status(server.ws_url("CP-TLS"), additional_headers=wrong_org) == 403


async def test_certificate_header_from_untrusted_peer_is_ignored(
    make_gateway: MakeGateway, serve: Serve
) -> None:
    auth = PasswordAuthenticator(certified={"CP-TLS"})
    gateway = make_gateway(authenticator=auth, security_profiles=[3], trusted_proxies=["10.0.0.1"])
    server = await serve(gateway)
    headers = {"X-SSL-Client-Cert": "CN=CP-TLS,O=Acme Charging", "X-SSL-Client-Verify": "SUCCESS"}
    assert await refused_status(server.ws_url("CP-TLS"), additional_headers=headers) == 401
    assert auth.seen == []


async def test_profile_3_direct_tls_client_certificate(
    make_gateway: MakeGateway, serve: Serve, pki: StationPKI
) -> None:
    """uvicorn verifies the chain (CERT_REQUIRED); the gateway checks the subject."""
    auth = PasswordAuthenticator(certified={"CP-TLS"})
    gateway = make_gateway(
        authenticator=auth, security_profiles=[3], client_cert_organization="Acme Charging"
    )
    server = await serve(gateway, **tls_options(pki, require_client_cert=True))
    context = client_context(pki, cert=True)
    async with connect(server.ws_url("CP-TLS"), ssl=context, subprotocols=["ocpp2.1"]) as ws:  # type: ignore[list-item]
        assert (await heartbeat(ws))[0] == 3
    credentials = auth.seen[-1]
    assert credentials.security_profile == 3
    assert credentials.certificate is not None
    assert credentials.certificate.verified
    assert (credentials.certificate.subject_cn, credentials.certificate.subject_o) == (
        "CP-TLS",
        "Acme Charging",
    )
    assert credentials.certificate.pem is not None
    # the certificate's CN is not this identity
    assert await refused_status(server.ws_url("CP-OTHER"), ssl=context) == 403
    # a certificate from another CA fails the TLS handshake itself
    with pytest.raises((ssl.SSLError, OSError, InvalidHandshake)):
        async with connect(server.ws_url("CP-TLS"), ssl=client_context(pki, rogue=True)) as ws:
            await heartbeat(ws)


# -- connection life ----------------------------------------------------------------------------


async def test_new_connection_replaces_the_old(make_gateway: MakeGateway, serve: Serve) -> None:
    gateway = make_gateway()
    events: list[Any] = []

    @gateway.events.subscribe(ChargerConnected)
    async def on_connect(event: ChargerConnected) -> None:
        events.append(event)

    @gateway.events.subscribe(ChargerDisconnected)
    async def on_disconnect(event: ChargerDisconnected) -> None:
        events.append(event)

    server = await serve(gateway)
    url = server.ws_url("CP1")
    async with connect(url, subprotocols=["ocpp1.6"]) as old:  # type: ignore[list-item]
        first = gateway.connection("CP1")
        async with connect(url, subprotocols=["ocpp2.0.1"]) as new:  # type: ignore[list-item]
            with pytest.raises(ConnectionClosed):
                await asyncio.wait_for(old.recv(), 5)
            assert old.close_code == 1000
            assert old.close_reason == "Replaced by a new connection"
            assert (await heartbeat(new))[0] == 3
            current = gateway.connection("CP1")
            assert current is not None and current is not first
            assert current.version.value == "2.0.1"
            location = await gateway.registry.lookup("CP1")
            assert location is not None and location.version == "2.0.1"
        for _ in range(100):
            if not gateway.connections:
                break
            await asyncio.sleep(0.01)
    assert gateway.connections == {}
    assert await gateway.registry.lookup("CP1") is None
    kinds = [type(event).__name__ for event in events]
    assert kinds.count("ChargerConnected") == 2
    assert kinds.count("ChargerDisconnected") == 2
    assert events[0].remote_address == "127.0.0.1"
