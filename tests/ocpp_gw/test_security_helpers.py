"""Handshake helpers without sockets: identity, subprotocol, Basic auth, certificate subjects."""

from __future__ import annotations

import base64

import pytest

from ocpp_gw.protocol.security import (
    choose_subprotocol,
    parse_basic_auth,
    parse_distinguished_name,
    parse_pem_subject,
    parse_trusted_proxies,
    peer_is_trusted,
    read_identity,
)


@pytest.mark.parametrize(
    ("segment", "identity"),
    [
        ("CS001", "CS001"),
        ("RDAM%20123", "RDAM 123"),
        ("a" * 48, "a" * 48),
        ("a" * 49, None),
        ("%61" * 48, "a" * 48),
        ("", None),
        ("bad%0Aid", None),
    ],
)
def test_read_identity(segment: str, identity: str | None) -> None:
    assert read_identity(segment) == identity


def test_subprotocol_follows_client_preference() -> None:
    enabled = {"ocpp1.6", "ocpp2.0.1"}
    assert choose_subprotocol(["ocpp2.1", "ocpp1.6", "ocpp2.0.1"], enabled) == "ocpp1.6"
    assert choose_subprotocol(["ocpp2.0.1", "ocpp1.6"], enabled) == "ocpp2.0.1"
    assert choose_subprotocol(["ocpp1.5"], enabled) is None
    assert choose_subprotocol([], enabled) is None


def _basic(text: str) -> str:
    return "Basic " + base64.b64encode(text.encode()).decode()


def test_parse_basic_auth() -> None:
    assert parse_basic_auth(_basic("CP1:pa:ss")) == ("CP1", "pa:ss")
    assert parse_basic_auth(_basic("nocolon")) is None
    assert parse_basic_auth("Bearer abc") is None
    assert parse_basic_auth("Basic !!!") is None
    assert parse_basic_auth(None) is None


def test_parse_distinguished_names() -> None:
    subject = parse_distinguished_name("CN=CP1,O=Acme\\, Inc.,C=NL")
    assert (subject.common_name, subject.organization) == ("CP1", "Acme, Inc.")
    subject = parse_distinguished_name("/C=NL/O=Acme/CN=CP2")
    assert (subject.common_name, subject.organization) == ("CP2", "Acme")


def test_trusted_proxies() -> None:
    networks = parse_trusted_proxies(["10.0.0.0/8", "127.0.0.1"])
    assert peer_is_trusted("10.1.2.3", networks)
    assert peer_is_trusted("127.0.0.1", networks)
    assert not peer_is_trusted("192.168.1.1", networks)
    assert not peer_is_trusted(None, networks)
    assert not peer_is_trusted("127.0.0.1", ())


def test_pem_subject(station_certificate: tuple[str, str]) -> None:
    pem, _ = station_certificate
    subject = parse_pem_subject(pem)
    assert (subject.common_name, subject.organization) == ("CP-TLS", "Acme Charging")
    # nginx forwards the certificate URL-encoded
    from urllib.parse import quote

    assert parse_pem_subject(quote(pem)).common_name == "CP-TLS"
    with pytest.raises(ValueError):
        parse_pem_subject("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----")
