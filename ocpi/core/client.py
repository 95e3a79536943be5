"""Outbound OCPI client: the calls we make to partners.

One :class:`OCPIClient` wraps an ``httpx.AsyncClient`` and applies the transport rules to every
call: ``Authorization: Token`` in the form the version wants, ``X-Request-ID`` and
``X-Correlation-ID``, hub routing headers when given, a timeout, and retries with exponential
backoff on transport errors and 5xx answers (never on 4xx). Answers are unpacked from the OCPI
envelope; a non-1xxx ``status_code`` raises :class:`OCPIStatusError`.

Register with a partner (we are the sender of the credentials handshake)::

    async with OCPIClient() as client:
        registration = await client.register(
            "https://partner.example.com/ocpi/versions",
            token_a,
            credentials=lambda version: build_credentials(settings, token_b, version),
        )
    store(registration.credentials.token, registration.endpoints)   # token C for our calls
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
from pydantic import BaseModel, ValidationError

from ocpi.core.config import Settings
from ocpi.core.config import settings as default_settings
from ocpi.core.enums import InterfaceRole, ModuleID
from ocpi.core.exceptions import (
    ClientAPIOCPIError,
    NoMatchingEndpointsOCPIError,
    UnsupportedVersionOCPIError,
)
from ocpi.core.responses import to_wire
from ocpi.core.routing import RoutingHeaders
from ocpi.core.spec import SUPPORTED_VERSIONS, transport_spec
from ocpi.core.utils import encode_string_base64, get_module_model, version_module_name
from ocpi.modules.versions.enums import VersionNumber
from ocpi.modules.versions.schemas import Version

__all__ = [
    "Discovery",
    "OCPIClient",
    "OCPIClientError",
    "OCPIHTTPError",
    "OCPIResult",
    "OCPIStatusError",
    "OCPITransportError",
    "Registration",
    "authorization_header",
]

logger = logging.getLogger(__name__)


class OCPIClientError(Exception):
    """Base of the errors raised by :class:`OCPIClient`."""


class OCPITransportError(OCPIClientError):
    """The partner could not be reached (connection refused, timeout, TLS ...)."""


class OCPIHTTPError(OCPIClientError):
    """The partner answered with an HTTP error status."""

    def __init__(self, http_status: int, body: Any, url: str) -> None:
        self.http_status = http_status
        self.body = body
        self.url = url
        super().__init__(f"HTTP {http_status} from {url}")


class OCPIStatusError(OCPIClientError):
    """The partner answered with an OCPI envelope whose ``status_code`` is not 1xxx."""

    def __init__(self, status_code: int, status_message: str | None, url: str) -> None:
        self.status_code = status_code
        self.status_message = status_message
        self.url = url
        super().__init__(f"OCPI status {status_code} ({status_message}) from {url}")


@dataclass(frozen=True, slots=True)
class OCPIResult:
    """An unpacked answer: the envelope's fields plus HTTP status and headers."""

    http_status: int
    status_code: int | None
    status_message: str | None
    data: Any
    headers: httpx.Headers


@dataclass(frozen=True, slots=True)
class Discovery:
    """What a partner's versions URL told us for the version we will use."""

    version: VersionNumber
    details_url: str
    endpoints: list[dict[str, Any]]

    def endpoint(
        self, module: ModuleID | str, interface: InterfaceRole | None = None
    ) -> str | None:
        """URL of ``module`` (for 2.2+ optionally of a given interface), or ``None``."""
        identifier = module.value if isinstance(module, ModuleID) else module
        for endpoint in self.endpoints:
            if endpoint.get("identifier") != identifier:
                continue
            role = endpoint.get("role")
            if interface is None or role is None or role == interface.value:
                url: str = endpoint["url"]
                return url
        return None


@dataclass(frozen=True, slots=True)
class Registration:
    """Result of a successful credentials handshake we initiated."""

    version: VersionNumber
    credentials: Any
    endpoints: list[dict[str, Any]]
    credentials_url: str
    details_url: str


def authorization_header(token: str, version: VersionNumber | str | None) -> str:
    """``Token <token>`` in the form ``version`` expects (base64 for 2.2+, plain for 2.1.1)."""
    base64_form = True
    if version is not None:
        try:
            base64_form = transport_spec(version).base64_tokens
        except ValueError:
            base64_form = not str(version).startswith(("2.0", "2.1"))
    return f"Token {encode_string_base64(token) if base64_form else token}"


def _version_key(version: str) -> tuple[int, ...]:
    parts: list[int] = []
    for part in str(version).split("."):
        try:
            parts.append(int(part))
        except ValueError:
            parts.append(0)
    return tuple(parts)


@dataclass
class _Options:
    timeout: float
    retries: int
    backoff: float
    headers: dict[str, str] = field(default_factory=dict)


class OCPIClient:
    """Async client for calling OCPI partners.

    ``transport`` lets tests route requests into an ASGI app (``httpx.ASGITransport``); in
    production the default network transport is used.
    """

    def __init__(
        self,
        *,
        settings: Settings | None = None,
        timeout: float | None = None,
        retries: int | None = None,
        backoff: float = 0.2,
        transport: httpx.AsyncBaseTransport | None = None,
        headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        cfg = settings or default_settings
        self._options = _Options(
            timeout=cfg.CLIENT_TIMEOUT if timeout is None else timeout,
            retries=cfg.CLIENT_RETRIES if retries is None else retries,
            backoff=backoff,
            headers=dict(headers or {}),
        )
        self._owns_client = http_client is None
        self._http = http_client or httpx.AsyncClient(
            timeout=self._options.timeout, transport=transport, follow_redirects=True
        )

    async def __aenter__(self) -> OCPIClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._owns_client:
            await self._http.aclose()

    # -- transport ---------------------------------------------------------------------------

    async def request(
        self,
        method: str,
        url: str,
        *,
        token: str | None,
        version: VersionNumber | str | None,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        routing: RoutingHeaders | None = None,
        correlation_id: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> OCPIResult:
        """Send one request and unpack the envelope.

        Raises :class:`OCPITransportError`, :class:`OCPIHTTPError` (after retries for 5xx) or
        :class:`OCPIStatusError`.
        """
        request_headers = dict(self._options.headers)
        request_headers["X-Request-ID"] = uuid.uuid4().hex
        request_headers["X-Correlation-ID"] = correlation_id or uuid.uuid4().hex
        if token is not None:
            request_headers["Authorization"] = authorization_header(token, version)
        if routing is not None:
            request_headers.update(routing.outbound_headers())
        if headers:
            request_headers.update(headers)
        body = None if json is None else to_wire(_dump(json))
        attempts = self._options.retries + 1
        last_error: Exception | None = None
        for attempt in range(attempts):
            if attempt:
                await asyncio.sleep(self._options.backoff * 2 ** (attempt - 1))
                request_headers["X-Request-ID"] = uuid.uuid4().hex
            try:
                response = await self._http.request(
                    method, url, json=body, params=params, headers=request_headers
                )
            except httpx.TransportError as exc:
                logger.warning("%s %s failed: %s", method, url, type(exc).__name__)
                last_error = OCPITransportError(f"{method} {url}: {type(exc).__name__}: {exc}")
                continue
            if response.status_code >= 500:
                last_error = OCPIHTTPError(response.status_code, _json_or_text(response), url)
                logger.warning("%s %s answered HTTP %s", method, url, response.status_code)
                continue
            return _unpack(response, url)
        assert last_error is not None
        raise last_error

    # -- versions ----------------------------------------------------------------------------

    async def get_versions(
        self, url: str, token: str, version: VersionNumber | str | None = None
    ) -> list[Version]:
        """``GET`` a versions URL."""
        result = await self.request("GET", url, token=token, version=version)
        if not isinstance(result.data, list):
            raise OCPIStatusError(result.status_code or 0, "versions data is not a list", url)
        return [Version.model_validate(item) for item in result.data]

    async def get_version_details(
        self, url: str, token: str, version: VersionNumber | str
    ) -> list[dict[str, Any]]:
        """``GET`` a version details URL; returns the validated endpoints as dicts."""
        result = await self.request("GET", url, token=token, version=version)
        model = get_module_model("VersionDetail", "versions", version_module_name(version))
        detail = model.model_validate(result.data)
        return [endpoint.model_dump(mode="json") for endpoint in detail.endpoints]

    async def discover(
        self,
        versions_url: str,
        token: str,
        versions: Sequence[VersionNumber | str] = SUPPORTED_VERSIONS,
        *,
        required: Iterable[ModuleID] = (ModuleID.credentials_and_registration,),
    ) -> Discovery:
        """Pick the highest version both sides speak and fetch its details.

        Raises :class:`ClientAPIOCPIError` (3001) when the partner cannot be used,
        :class:`UnsupportedVersionOCPIError` (3002) without a mutual version and
        :class:`NoMatchingEndpointsOCPIError` (3003) when required endpoints are missing.
        """
        ours = sorted({VersionNumber(v).value for v in versions}, key=_version_key, reverse=True)
        try:
            partner_versions = await self.get_versions(versions_url, token, ours[0])
        except (OCPIClientError, ValidationError) as exc:
            raise ClientAPIOCPIError(f"Unable to read the versions of {versions_url}") from exc
        offered = {str(_value(v.version)): str(v.url) for v in partner_versions}
        mutual = [v for v in ours if v in offered]
        if not mutual:
            raise UnsupportedVersionOCPIError(
                f"No mutual version: we speak {', '.join(ours)}, "
                f"the partner {', '.join(offered) or 'none'}"
            )
        chosen = VersionNumber(mutual[0])
        details_url = offered[chosen.value]
        try:
            endpoints = await self.get_version_details(details_url, token, chosen)
        except (OCPIClientError, ValidationError) as exc:
            raise ClientAPIOCPIError(f"Unable to read the version details {details_url}") from exc
        present = {endpoint.get("identifier") for endpoint in endpoints}
        missing = [m.value for m in required if m.value not in present]
        if missing:
            raise NoMatchingEndpointsOCPIError(f"The partner offers no {', '.join(missing)}")
        return Discovery(chosen, details_url, endpoints)

    # -- credentials handshake (sender side) --------------------------------------------------

    async def register(
        self,
        versions_url: str,
        token_a: str,
        credentials: Callable[[VersionNumber], Any] | Any,
        versions: Sequence[VersionNumber | str] = SUPPORTED_VERSIONS,
    ) -> Registration:
        """Run the credentials handshake as the initiating party.

        ``credentials`` is our Credentials object carrying token B (or a callable receiving the
        chosen version and returning it). Returns the partner's credentials (with token C, to be
        used for every later call) and its endpoints.
        """
        discovery = await self.discover(versions_url, token_a, versions)
        url = discovery.endpoint(ModuleID.credentials_and_registration)
        assert url is not None  # discover() checked it
        ours = credentials(discovery.version) if callable(credentials) else credentials
        result = await self.request(
            "POST", url, token=token_a, version=discovery.version, json=ours
        )
        partner = _credentials_model(discovery.version).model_validate(result.data)
        return Registration(
            discovery.version, partner, discovery.endpoints, url, discovery.details_url
        )

    async def update_credentials(
        self,
        credentials_url: str,
        token_c: str,
        credentials: Any,
        version: VersionNumber,
    ) -> Any:
        """``PUT`` new credentials (new token B and/or version); returns the partner's new ones."""
        result = await self.request(
            "PUT", credentials_url, token=token_c, version=version, json=credentials
        )
        return _credentials_model(version).model_validate(result.data)

    async def get_credentials(
        self, credentials_url: str, token_c: str, version: VersionNumber
    ) -> Any:
        result = await self.request("GET", credentials_url, token=token_c, version=version)
        return _credentials_model(version).model_validate(result.data)

    async def unregister(self, credentials_url: str, token_c: str, version: VersionNumber) -> None:
        """``DELETE`` our registration at the partner."""
        await self.request("DELETE", credentials_url, token=token_c, version=version)

    # -- lists ------------------------------------------------------------------------------

    async def iterate(
        self,
        url: str,
        *,
        token: str,
        version: VersionNumber | str,
        params: Mapping[str, Any] | None = None,
        routing: RoutingHeaders | None = None,
    ) -> AsyncIterator[Any]:
        """Yield every object of a paginated list, following ``Link`` headers."""
        next_url: str | None = url
        next_params: Mapping[str, Any] | None = params
        while next_url:
            result = await self.request(
                "GET", next_url, token=token, version=version, params=next_params, routing=routing
            )
            for item in result.data or []:
                yield item
            next_url = _next_link(result.headers.get("link"))
            next_params = None


def _value(version: Any) -> Any:
    return version.value if isinstance(version, VersionNumber) else version


def _dump(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    return value


def _credentials_model(version: VersionNumber | str) -> type[BaseModel]:
    model: type[BaseModel] = get_module_model(
        "Credentials", "credentials", version_module_name(version)
    )
    return model


def _json_or_text(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text


def _unpack(response: httpx.Response, url: str) -> OCPIResult:
    body = _json_or_text(response)
    if response.status_code >= 400:
        raise OCPIHTTPError(response.status_code, body, url)
    if not isinstance(body, dict) or "status_code" not in body:
        raise OCPIStatusError(0, "the answer is not an OCPI envelope", url)
    status_code = body.get("status_code")
    status_message = body.get("status_message")
    if not isinstance(status_code, int) or not 1000 <= status_code < 2000:
        raise OCPIStatusError(int(status_code or 0), status_message, url)
    return OCPIResult(
        response.status_code, status_code, status_message, body.get("data"), response.headers
    )


def _next_link(header: str | None) -> str | None:
    if not header:
        return None
    for part in header.split(","):
        section = part.strip()
        if 'rel="next"' in section or "rel=next" in section:
            start, end = section.find("<"), section.find(">")
            if start != -1 and end > start:
                return section[start + 1 : end]
    return None
