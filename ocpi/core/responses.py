"""Rendering of OCPI envelopes.

Objects the library's own store or the integrator's adapter hand back are *not* re-validated on the
way out: models are serialised by pydantic's core (``exclude_none``), plain ``dict``/``list`` data is
cleaned (``None`` dropped, timestamps in OCPI format) and serialised the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from enum import Enum
from typing import Any

import pydantic_core
from pydantic import BaseModel
from starlette.background import BackgroundTask
from starlette.responses import Response

from ocpi.core import status as ocpi_status
from ocpi.core.data_types import format_datetime

__all__ = ["OCPIJSONResponse", "envelope_bytes", "ocpi_response", "to_wire"]


def to_wire(value: Any) -> Any:
    """Make plain data wire-ready: drop ``None`` in mappings, format datetimes, unwrap enums."""
    if isinstance(value, BaseModel):
        return value
    if isinstance(value, Mapping):
        return {k: to_wire(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [to_wire(v) for v in value]
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, Enum):
        return value.value
    return value


def envelope_bytes(
    data: Any,
    status_code: int = 1000,
    status_message: str | None = "Generic success code",
    timestamp: datetime | None = None,
) -> bytes:
    """Serialise ``{data, status_code, status_message, timestamp}``; ``data=None`` is omitted."""
    body: dict[str, Any] = {}
    if data is not None:
        body["data"] = to_wire(data)
    body["status_code"] = status_code
    if status_message is not None:
        body["status_message"] = status_message
    body["timestamp"] = format_datetime(timestamp or datetime.now(UTC))
    return pydantic_core.to_json(body, exclude_none=True)


class OCPIJSONResponse(Response):
    """``application/json`` response whose content is already-serialised bytes or an envelope dict."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        if isinstance(content, bytes):
            return content
        if isinstance(content, Mapping) and "status_code" in content:
            return envelope_bytes(
                content.get("data"),
                int(content["status_code"]),
                content.get("status_message"),
                content.get("timestamp"),
            )
        return pydantic_core.to_json(to_wire(content), exclude_none=True)


def ocpi_response(
    data: Any = None,
    *,
    status: Mapping[str, Any] = ocpi_status.OCPI_1000_GENERIC_SUCESS_CODE,
    http_status: int = 200,
    headers: Mapping[str, str] | None = None,
    background: BackgroundTask | None = None,
) -> OCPIJSONResponse:
    """Build an envelope response, e.g. ``ocpi_response(location)`` or
    ``ocpi_response(status=status.OCPI_2003_UNKNOWN_LOCATION)``."""
    return OCPIJSONResponse(
        envelope_bytes(data, int(status["status_code"]), status.get("status_message")),
        status_code=http_status,
        headers=dict(headers) if headers else None,
        background=background,
    )
