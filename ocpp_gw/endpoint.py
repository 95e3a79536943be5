"""The WebSocket route stations connect to: identity, authentication, subprotocol, then the link.

Handshake order: read the identity from the last path segment, authenticate (security profile 1,
2 or 3, then the integrator's ``Authenticator.authenticate_charger``), pick the subprotocol by the
client's preference, accept, and hand the socket to a
:class:`~ocpp_gw.connection.ChargerConnection`.
A refused handshake gets an HTTP answer (401/403/404) when the server supports the ASGI denial
response extension (uvicorn does), otherwise a close before accept (HTTP 403).
"""

from __future__ import annotations

import functools
import logging
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter
from starlette.responses import Response
from starlette.websockets import WebSocket

from ocpi.core.authentication.authenticator import ChargerCertificate, ChargerCredentials
from ocpp_gw.connection import CloseCode
from ocpp_gw.handlers.base import OCPPVersion
from ocpp_gw.protocol.security import (
    CertificateSubject,
    choose_subprotocol,
    parse_basic_auth,
    parse_distinguished_name,
    parse_pem_subject,
    peer_is_trusted,
    read_identity,
)

if TYPE_CHECKING:
    from ocpp_gw.gateway import OCPPGateway

__all__ = [
    "HandshakeVerdict",
    "authenticate_station",
    "build_websocket_router",
    "tls_websocket_protocol",
]

logger = logging.getLogger(__name__)

_TLS_SCHEMES = frozenset({"wss", "https"})


@dataclass(frozen=True, slots=True)
class HandshakeVerdict:
    """The outcome of authenticating a station's handshake."""

    accepted: bool
    status: int = 200
    reason: str = ""
    security_profile: int = 0
    credentials: ChargerCredentials | None = None


def _deny(status: int, reason: str, profile: int = 0) -> HandshakeVerdict:
    return HandshakeVerdict(False, status, reason, profile)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    return headers.get(name) if name else None


def _direct_certificate(scope: Mapping[str, Any]) -> ChargerCertificate | None:
    """The client certificate from the ASGI TLS extension, when the server provides it."""
    tls = (scope.get("extensions") or {}).get("tls")
    if not tls:
        return None
    chain = tls.get("client_cert_chain") or []
    subject: CertificateSubject | None = None
    pem = chain[0] if chain else None
    if pem:
        try:
            subject = parse_pem_subject(pem)
        except ValueError:
            subject = None
    if subject is None and tls.get("client_cert_name"):
        subject = parse_distinguished_name(tls["client_cert_name"])
    if subject is None:
        return None
    verified = tls.get("client_cert_error") is None
    return ChargerCertificate(subject.common_name, subject.organization, verified, pem)


def _forwarded_certificate(
    headers: Mapping[str, str], remote: str | None, gateway: OCPPGateway
) -> ChargerCertificate | None:
    settings = gateway.settings
    value = _header(headers, settings.client_cert_header)
    if not value:
        return None
    if not peer_is_trusted(remote, gateway.trusted_proxies):
        logger.warning("ignoring client certificate header from untrusted peer %s", remote)
        return None
    pem: str | None = None
    try:
        if "CERTIFICATE" in value:
            pem = value
            subject = parse_pem_subject(value)
        else:
            subject = parse_distinguished_name(value)
    except ValueError:
        logger.warning("unreadable forwarded client certificate from %s", remote)
        return None
    verify = _header(headers, settings.client_cert_verify_header)
    verified = not settings.client_cert_verify_header or (verify or "").upper() == "SUCCESS"
    return ChargerCertificate(subject.common_name, subject.organization, verified, pem)


async def authenticate_station(
    identity: str, scope: Mapping[str, Any], headers: Mapping[str, str], gateway: OCPPGateway
) -> HandshakeVerdict:
    """Decide the security profile of a handshake and ask the integrator's authenticator."""
    settings = gateway.settings
    client = scope.get("client")
    remote = client[0] if client else None
    if settings.accept_unknown_chargers:
        return HandshakeVerdict(True, security_profile=0)

    allowed = settings.security_profiles
    certificate = _direct_certificate(scope)
    via_proxy = False
    if certificate is None:
        certificate = _forwarded_certificate(headers, remote, gateway)
        via_proxy = certificate is not None
    tls = scope.get("scheme") in _TLS_SCHEMES or via_proxy
    basic = parse_basic_auth(headers.get("authorization"))

    profile = 0
    if certificate is not None and 3 in allowed:
        if not certificate.verified:
            reason = "client certificate not verified"
        elif certificate.subject_cn != identity:
            reason = "certificate CN does not match the identity"
        elif (
            settings.client_cert_organization is not None
            and certificate.subject_o != settings.client_cert_organization
        ):
            reason = "certificate O is not the expected organization"
        else:
            reason = ""
            profile = 3
        if not profile and basic is None:
            return _deny(403, reason, 3)
    if not profile and basic is not None:
        username, _ = basic
        if username != identity:
            return _deny(401, "Basic auth username must equal the identity")
        profile = 2 if tls else 1
    if profile not in allowed:
        if profile == 0:
            return _deny(401, "credentials required")
        return _deny(403, f"security profile {profile} is not allowed")

    credentials = ChargerCredentials(
        charge_point_id=identity,
        security_profile=profile,
        username=basic[0] if basic else None,
        password=basic[1] if basic else None,
        certificate=certificate if profile == 3 else None,
        remote_address=remote,
    )
    authenticator = gateway.authenticator
    accepted = False
    if authenticator is not None:
        accepted = bool(await authenticator.authenticate_charger(credentials))
    if not accepted:
        status = {0: 404, 3: 403}.get(profile, 401)
        return HandshakeVerdict(False, status, "station not accepted", profile, credentials)
    return HandshakeVerdict(True, 200, "", profile, credentials)


async def _refuse(websocket: WebSocket, status: int, reason: str) -> None:
    headers = {"WWW-Authenticate": 'Basic realm="OCPP"'} if status == 401 else None
    if "websocket.http.response" in websocket.scope.get("extensions", {}):
        await websocket.send_denial_response(
            Response(reason, status_code=status, headers=headers, media_type="text/plain")
        )
    else:
        await websocket.close(CloseCode.POLICY_VIOLATION, reason)


def _last_segment(websocket: WebSocket, fallback: str) -> str:
    raw_path = websocket.scope.get("raw_path")
    if isinstance(raw_path, bytes | bytearray):
        return bytes(raw_path).decode("latin-1").rstrip("/").rsplit("/", 1)[-1]
    return fallback


def build_websocket_router(gateway: OCPPGateway) -> APIRouter:
    """The router with the station WebSocket route at ``{path_prefix}/{charge_point_id}``."""
    router = APIRouter()

    async def ocpp_websocket(websocket: WebSocket, charge_point_id: str) -> None:
        if not gateway.accepting:
            await _refuse(websocket, 503, "shutting down")
            return
        identity = read_identity(_last_segment(websocket, charge_point_id))
        if identity is None:
            await _refuse(websocket, 400, "invalid charging station identity")
            return
        verdict = await authenticate_station(identity, websocket.scope, websocket.headers, gateway)
        if not verdict.accepted:
            logger.info("refused %s: %s", identity, verdict.reason)
            await _refuse(websocket, verdict.status, verdict.reason)
            return
        subprotocol = choose_subprotocol(
            websocket.scope.get("subprotocols") or (), gateway.settings.subprotocols
        )
        if subprotocol is None:
            # OCPP-J: complete the handshake without the header, then close at once.
            await websocket.accept()
            await websocket.close(CloseCode.PROTOCOL_ERROR, "No supported OCPP subprotocol")
            return
        await websocket.accept(subprotocol)
        version = OCPPVersion.from_subprotocol(subprotocol)
        await gateway.serve_connection(websocket, identity, version, verdict.security_profile)

    router.add_api_websocket_route(
        gateway.settings.path_prefix + "/{charge_point_id}", ocpp_websocket, name="ocpp"
    )
    return router


@functools.cache
def tls_websocket_protocol() -> type[Any] | None:
    """A uvicorn WebSocket protocol class that puts the TLS client certificate in the scope.

    uvicorn verifies client certificates (``ssl_cert_reqs``/``ssl_ca_certs``) but does not pass
    them to the application. This subclass of its sans-I/O WebSocket protocol fills the ASGI TLS
    extension (``scope["extensions"]["tls"]["client_cert_chain"]``) that security profile 3
    reads. Use it as ``uvicorn.run(app, ws=tls_websocket_protocol(), ...)`` (included in
    :meth:`OCPPGateway.uvicorn_options`). ``None`` when the installed uvicorn lacks that class.
    """
    try:
        from uvicorn.protocols.websockets.websockets_sansio_impl import (
            WebSocketsSansIOProtocol,
        )
    except ImportError:  # pragma: no cover - older uvicorn
        return None

    class TLSWebSocketsProtocol(WebSocketsSansIOProtocol):
        async def run_asgi(self) -> None:
            # getattr: tolerate uvicorn reshaping its internals; then there is simply no extension.
            transport = getattr(self, "transport", None)
            ssl_object = transport.get_extra_info("ssl_object") if transport else None
            if ssl_object is not None and isinstance(getattr(self, "scope", None), dict):
                der = ssl_object.getpeercert(binary_form=True)
                extensions = self.scope.setdefault("extensions", {})
                extensions["tls"] = {
                    "server_cert": None,
                    # A certificate only gets here after the TLS layer verified its chain.
                    "client_cert_chain": [ssl.DER_cert_to_PEM_cert(der)] if der else [],
                    "client_cert_name": None,
                    "client_cert_error": None,
                    "tls_version": None,
                    "cipher_suite": None,
                }
            await super().run_asgi()

        async def send(self, message: Any) -> None:
            await super().send(message)
            if message["type"] == "websocket.http.response.body" and not message.get(
                "more_body", False
            ):
                # A refused handshake is complete too; without this, uvicorn logs an error
                # ("returned without completing handshake") for every refused station.
                self.handshake_complete = True

    return TLSWebSocketsProtocol
