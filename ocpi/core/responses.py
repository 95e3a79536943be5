"""Rendering of OCPI envelopes.

Objects the library's own store or the integrator's adapter hand back are *not* re-validated on the
way out. Plain data is serialised by orjson as it is; models through their pydantic serialiser
(``exclude_none``); timestamps in the OCPI form. Absent values are omitted: when a ``None`` is
found anywhere in the output (rare — stores omit absent fields), the data is cleaned and serialised
again, so the fast path costs nothing for well-formed data.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import orjson
from pydantic import BaseModel
from starlette.background import BackgroundTask
from starlette.responses import Response

from ocpi.core import status as ocpi_status
from ocpi.core.data_types import format_datetime

__all__ = ["OCPIJSONResponse", "dumps", "envelope_bytes", "ocpi_response", "to_wire"]


_SCALARS = frozenset({str, int, float, bool})
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME


def to_wire(value: Any) -> Any:
    """Make plain data wire-ready: drop ``None`` in mappings, format datetimes, unwrap enums."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is dict or (kind is not list and isinstance(value, Mapping)):
        return {k: to_wire(v) for k, v in value.items() if v is not None}
    if kind is list or kind is tuple:
        return [to_wire(v) for v in value]
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, Enum):
        return value.value
    return value


def _default(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(value: Any) -> bytes:
    """Serialise OCPI data; absent (``None``) values are omitted at any depth."""
    out = orjson.dumps(value, default=_default, option=_OPTIONS)
    if b"null" in out:
        out = orjson.dumps(to_wire(value), default=_default, option=_OPTIONS)
    return out


def envelope_bytes(
    data: Any,
    status_code: int = 1000,
    status_message: str | None = "Generic success code",
    timestamp: datetime | None = None,
) -> bytes:
    """Serialise ``{data, status_code, status_message, timestamp}``; ``data=None`` is omitted."""
    body: dict[str, Any] = {}
    if data is not None:
        body["data"] = data
    body["status_code"] = status_code
    if status_message is not None:
        body["status_message"] = status_message
    body["timestamp"] = format_datetime(timestamp or datetime.now(UTC))
    return dumps(body)


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
        return dumps(content)


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
