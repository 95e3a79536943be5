"""Handshake decisions without I/O: identity, subprotocol, Basic credentials, certificate subjects.

The WebSocket endpoint feeds these functions what it read from the ASGI scope::

    >>> choose_subprotocol(["ocpp2.0.1", "ocpp1.6"], {"ocpp1.6", "ocpp2.0.1"})
    'ocpp2.0.1'
    >>> parse_basic_auth("Basic Q1AxOnNlY3JldA==")
    ('CP1', 'secret')
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from collections.abc import Collection, Iterable, Sequence
from urllib.parse import unquote

__all__ = [
    "MAX_IDENTITY_LENGTH",
    "CertificateSubject",
    "choose_subprotocol",
    "parse_basic_auth",
    "parse_distinguished_name",
    "parse_pem_subject",
    "parse_trusted_proxies",
    "peer_is_trusted",
    "read_identity",
]

#: Maximum length of a charging station identity (OCPP 2.0.1 part 4).
MAX_IDENTITY_LENGTH = 48

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def read_identity(raw_segment: str) -> str | None:
    """Percent-decode the last path segment; ``None`` if it is not an acceptable identity.

    The 2.0.1 limits apply (1–48 characters); control characters are refused. Other characters
    (1.6 stations in the field use spaces) are accepted.
    """
    identity = unquote(raw_segment, errors="strict") if "%" in raw_segment else raw_segment
    if not identity or len(identity) > MAX_IDENTITY_LENGTH or _CONTROL.search(identity):
        return None
    return identity


def choose_subprotocol(offered: Sequence[str], enabled: Collection[str]) -> str | None:
    """The first subprotocol in the client's order of preference that is enabled here."""
    for name in offered:
        if name in enabled:
            return name
    return None


def parse_basic_auth(header: str | None) -> tuple[str, str] | None:
    """``(username, password)`` from an ``Authorization: Basic`` header, or ``None``.

    The password may contain ``:``; the username may not (OCPP forbids ``:`` in identities for
    exactly this reason).
    """
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, sep, password = decoded.partition(":")
    if not sep:
        return None
    return username, password


class CertificateSubject:
    """The attributes of a certificate subject the gateway checks (CN and O)."""

    __slots__ = ("common_name", "organization")

    def __init__(self, common_name: str | None, organization: str | None) -> None:
        self.common_name = common_name
        self.organization = organization

    def __repr__(self) -> str:
        return f"CertificateSubject(CN={self.common_name!r}, O={self.organization!r})"


def parse_distinguished_name(text: str) -> CertificateSubject:
    """Read CN and O from a textual DN (``CN=CP1,O=Acme`` or nginx's ``/O=Acme/CN=CP1``).

    Backslash-escaped separators (RFC 4514) are honoured.
    """
    text = text.strip()
    if text.startswith("/"):
        parts: Iterable[str] = text[1:].split("/")
    else:
        parts = re.split(r"(?<!\\)[,+]", text)
    values: dict[str, str] = {}
    for part in parts:
        key, sep, value = part.partition("=")
        if sep:
            values.setdefault(key.strip().upper(), re.sub(r"\\(.)", r"\1", value.strip()))
    return CertificateSubject(values.get("CN"), values.get("O"))


# -- minimal DER reader: enough to find the subject of an X.509 certificate -------------------

_OID_CN = bytes([0x55, 0x04, 0x03])
_OID_O = bytes([0x55, 0x04, 0x0A])


def _read_tlv(data: bytes, offset: int) -> tuple[int, int, int]:
    """Return ``(tag, value_start, value_end)`` of the DER element at ``offset``."""
    tag = data[offset]
    length = data[offset + 1]
    start = offset + 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4:
            raise ValueError("unsupported DER length")
        length = int.from_bytes(data[start : start + count], "big")
        start += count
    end = start + length
    if end > len(data):
        raise ValueError("truncated DER element")
    return tag, start, end


def _children(data: bytes, start: int, end: int) -> list[tuple[int, int, int]]:
    items = []
    offset = start
    while offset < end:
        tag, value_start, value_end = _read_tlv(data, offset)
        items.append((tag, value_start, value_end))
        offset = value_end
    return items


def parse_pem_subject(pem: str) -> CertificateSubject:
    """Read CN and O from the subject of a PEM (or URL-encoded PEM) certificate.

    Raises :class:`ValueError` when the text is not a certificate.
    """
    if "%" in pem:
        pem = unquote(pem)
    body = re.search(r"-----BEGIN CERTIFICATE-----(.+?)-----END CERTIFICATE-----", pem, re.S)
    if body is None:
        raise ValueError("no PEM certificate found")
    try:
        der = base64.b64decode("".join(body.group(1).split()), validate=True)
    except binascii.Error as exc:
        raise ValueError("invalid base64 in certificate") from exc
    try:
        _, cert_start, cert_end = _read_tlv(der, 0)
        _, tbs_start, tbs_end = _children(der, cert_start, cert_end)[0]
        fields = _children(der, tbs_start, tbs_end)
        if fields and fields[0][0] == 0xA0:  # explicit [0] version
            fields = fields[1:]
        # serialNumber, signature, issuer, validity, subject
        _, subject_start, subject_end = fields[4]
        values: dict[bytes, str] = {}
        for _, set_start, set_end in _children(der, subject_start, subject_end):
            for _, seq_start, seq_end in _children(der, set_start, set_end):
                (_, oid_s, oid_e), (_, val_s, val_e) = _children(der, seq_start, seq_end)[:2]
                values.setdefault(der[oid_s:oid_e], der[val_s:val_e].decode("utf-8", "replace"))
    except (IndexError, ValueError) as exc:
        raise ValueError("certificate structure not understood") from exc
    return CertificateSubject(values.get(_OID_CN), values.get(_OID_O))


# -- trusted proxies --------------------------------------------------------------------------

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_trusted_proxies(entries: Iterable[str]) -> tuple[Network, ...]:
    """Addresses or CIDR networks, as configured."""
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def peer_is_trusted(host: str | None, networks: Sequence[Network]) -> bool:
    if not host or not networks:
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(address in network for network in networks)
