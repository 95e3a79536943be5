"""Transport rules applied to every OCPI route, whether the routes run in our own app, a mounted
sub-app or a router included in the integrator's app.

:class:`OCPIRoute` wraps each endpoint so that

* every error becomes an OCPI envelope (``2001`` naming the offending fields, ``400`` for a body
  that is not JSON, ``401``/``404``/``405`` with an envelope, ``3000`` for unexpected failures);
* ``X-Request-ID`` and ``X-Correlation-ID`` are echoed (or generated) on every response;
* hub routing headers (``OCPI-from-*`` / ``OCPI-to-*``) are validated, made available to the
  endpoint as :class:`RoutingHeaders` and swapped on the response.

:class:`OCPIRouter` registers every path with and without a trailing slash (no redirects).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import ValidationError
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException

from ocpi.core import status as ocpi_status
from ocpi.core.exceptions import (
    AuthorizationOCPIError,
    BadRequestOCPIError,
    InvalidParametersOCPIError,
    OCPIError,
)
from ocpi.core.responses import OCPIJSONResponse, envelope_bytes

__all__ = [
    "OCPIRoute",
    "OCPIRouter",
    "RoutingHeaders",
    "error_response",
    "request_routing",
]

logger = logging.getLogger(__name__)

_COUNTRY = re.compile(r"^[A-Za-z]{2}$")
_PARTY = re.compile(r"^[A-Za-z0-9]{3}$")
_ROUTING_HEADERS = (
    ("ocpi-from-country-code", "from_country_code", _COUNTRY),
    ("ocpi-from-party-id", "from_party_id", _PARTY),
    ("ocpi-to-country-code", "to_country_code", _COUNTRY),
    ("ocpi-to-party-id", "to_party_id", _PARTY),
)


@dataclass(frozen=True, slots=True)
class RoutingHeaders:
    """The message-routing headers a hub (or a peer talking through one) sent."""

    from_country_code: str
    from_party_id: str
    to_country_code: str
    to_party_id: str

    @classmethod
    def from_headers(cls, headers: Headers) -> RoutingHeaders | None:
        """Parse the four headers; ``None`` when absent, 2001 when partial or malformed."""
        values: dict[str, str] = {}
        bad: list[str] = []
        for header, attribute, pattern in _ROUTING_HEADERS:
            value = headers.get(header)
            if value is None:
                continue
            if not pattern.match(value):
                bad.append(f"header.{header}")
            values[attribute] = value
        if not values:
            return None
        missing = [f"header.{h}" for h, a, _ in _ROUTING_HEADERS if a not in values]
        if bad or missing:
            raise InvalidParametersOCPIError(fields=bad + missing)
        return cls(**values)

    def response_headers(self) -> dict[str, str]:
        """The headers of the answer: from and to swapped."""
        return {
            "OCPI-from-country-code": self.to_country_code,
            "OCPI-from-party-id": self.to_party_id,
            "OCPI-to-country-code": self.from_country_code,
            "OCPI-to-party-id": self.from_party_id,
        }

    def outbound_headers(self) -> dict[str, str]:
        """The headers to send when passing the request on."""
        return {
            "OCPI-from-country-code": self.from_country_code,
            "OCPI-from-party-id": self.from_party_id,
            "OCPI-to-country-code": self.to_country_code,
            "OCPI-to-party-id": self.to_party_id,
        }


def request_routing(request: Request) -> RoutingHeaders | None:
    """Routing headers of the current request (parsed once by :class:`OCPIRoute`)."""
    routing: RoutingHeaders | None = getattr(request.state, "ocpi_routing", None)
    return routing


def _field_name(location: Sequence[Any]) -> str:
    return ".".join(str(part) for part in location)


def error_response(exc: Exception) -> Response:
    """Render any exception as an OCPI envelope response."""
    if isinstance(exc, RequestValidationError):
        errors = exc.errors()
        if any(error.get("type") == "json_invalid" for error in errors):
            exc = BadRequestOCPIError()
        else:
            fields = [_field_name(error.get("loc", ())) for error in errors]
            details = [
                {"field": _field_name(error.get("loc", ())), "error": error.get("msg", "")}
                for error in errors
            ]
            exc = InvalidParametersOCPIError(fields=fields, data=details)
    if isinstance(exc, OCPIError):
        headers = {"WWW-Authenticate": "Token"} if isinstance(exc, AuthorizationOCPIError) else None
        body = envelope_bytes(exc.data, exc.status_code, exc.message)
        return OCPIJSONResponse(body, status_code=exc.http_status, headers=headers)
    if isinstance(exc, StarletteHTTPException):
        status = (
            ocpi_status.OCPI_2000_GENERIC_CLIENT_ERROR
            if exc.status_code < 500
            else ocpi_status.OCPI_3000_GENERIC_SERVER_ERROR
        )
        body = envelope_bytes(None, status["status_code"], str(exc.detail))
        return OCPIJSONResponse(body, status_code=exc.status_code, headers=exc.headers)
    if isinstance(exc, ValidationError):
        # Data handed back by the integrator's Crud/Adapter did not fit the OCPI schema.
        logger.error("invalid OCPI object produced by the backend: %s", exc)
    else:
        logger.exception("unexpected error while serving an OCPI request", exc_info=exc)
    status = ocpi_status.OCPI_3000_GENERIC_SERVER_ERROR
    return OCPIJSONResponse(
        envelope_bytes(None, status["status_code"], status["status_message"]), status_code=500
    )


_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def _assume_json(request: Request) -> None:
    """Read bodies as JSON even when a partner forgets the Content-Type (lenient in)."""
    raw = request.scope["headers"]
    for name, value in raw:
        if name == b"content-type":
            if b"json" in value:
                return
            break
    request.scope["headers"] = [(name, value) for name, value in raw if name != b"content-type"] + [
        (b"content-type", b"application/json")
    ]


class OCPIRoute(APIRoute):
    """APIRoute applying the OCPI transport rules (see the module docstring)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        endpoint_handler = super().get_route_handler()

        async def handler(request: Request) -> Response:
            if request.method in _BODY_METHODS:
                _assume_json(request)
            headers = request.headers
            request_id = headers.get("x-request-id") or uuid.uuid4().hex
            correlation_id = headers.get("x-correlation-id") or uuid.uuid4().hex
            routing: RoutingHeaders | None = None
            try:
                routing = RoutingHeaders.from_headers(headers)
                request.state.ocpi_routing = routing
                response = await endpoint_handler(request)
            except Exception as exc:
                response = error_response(exc)
            response.headers["X-Request-ID"] = request_id
            response.headers["X-Correlation-ID"] = correlation_id
            if routing is not None:
                response.headers.update(routing.response_headers())
            return response

        return handler


class OCPIRouter(APIRouter):
    """APIRouter using :class:`OCPIRoute` that answers both ``/path`` and ``/path/``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("route_class", OCPIRoute)
        super().__init__(**kwargs)

    def add_api_route(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().add_api_route(path, endpoint, **kwargs)
        twin = path.rstrip("/") if path.endswith("/") else path + "/"
        if twin and twin != path:
            twin_kwargs = dict(kwargs, include_in_schema=False)
            if twin_kwargs.get("operation_id"):
                twin_kwargs["operation_id"] = f"{twin_kwargs['operation_id']}_slash"
            super().add_api_route(twin, endpoint, **twin_kwargs)
