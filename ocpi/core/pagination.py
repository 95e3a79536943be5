"""Pagination of list endpoints (``transport_and_format``: paginated request and response).

``offset``/``limit``/``date_from``/``date_to`` are read leniently and checked strictly: a value that
cannot be read is answered with 2001 naming the parameter; ``limit`` is capped to the server's
maximum, which is announced in ``X-Limit``. ``Link`` carries the next page's URL — the URL the client
actually called, with its own filters — and is absent on the last page.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import Request

from ocpi.core.config import Settings
from ocpi.core.data_types import format_datetime, parse_datetime
from ocpi.core.exceptions import InvalidParametersOCPIError
from ocpi.core.responses import OCPIJSONResponse, envelope_bytes

__all__ = ["paginated_response", "parse_pagination"]


def _parse_date(name: str, raw: str | None) -> datetime | None:
    if raw is None or raw == "":
        return None
    try:
        return parse_datetime(raw)
    except ValueError as exc:
        raise InvalidParametersOCPIError(fields=[f"query.{name}"]) from exc


def _parse_int(name: str, raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except ValueError as exc:
        raise InvalidParametersOCPIError(fields=[f"query.{name}"]) from exc
    if value < 0:
        raise InvalidParametersOCPIError(fields=[f"query.{name}"])
    return value


def parse_pagination(request: Request, settings: Settings) -> dict[str, Any]:
    """Read the pagination filters of ``request`` into the dict passed to ``Crud.list``."""
    query = request.query_params
    date_from = _parse_date("date_from", query.get("date_from"))
    date_to = _parse_date("date_to", query.get("date_to"))
    offset = _parse_int("offset", query.get("offset")) or 0
    limit = _parse_int("limit", query.get("limit"))
    maximum = settings.PAGINATION_MAX_LIMIT
    if limit is None:
        limit = min(settings.PAGINATION_DEFAULT_LIMIT, maximum)
    return {
        "date_from": date_from,
        "date_to": date_to,
        "offset": offset,
        "limit": min(limit, maximum),
    }


def _next_link(request: Request, settings: Settings, next_offset: int, limit: int) -> str:
    params = dict(request.query_params)
    params["offset"] = str(next_offset)
    params["limit"] = str(limit)
    for key in ("date_from", "date_to"):
        if params.get(key):
            # Normalise to the OCPI form so the partner can read it back.
            params[key] = format_datetime(parse_datetime(params[key]))
    origin = f"{settings.PROTOCOL}://{settings.OCPI_HOST.rstrip('/')}"
    return f'<{origin}{request.url.path}?{urlencode(params)}>; rel="next"'


def paginated_response(
    request: Request,
    settings: Settings,
    items: list[Any],
    total: int,
    is_last_page: bool,
    filters: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> OCPIJSONResponse:
    """The envelope for one page, with ``X-Total-Count``, ``X-Limit`` and (if more) ``Link``."""
    response_headers = {
        "X-Total-Count": str(total),
        "X-Limit": str(settings.PAGINATION_MAX_LIMIT),
    }
    if headers:
        response_headers.update(headers)
    offset: int = filters["offset"]
    limit: int = filters["limit"]
    next_offset = offset + (len(items) or limit)
    if not is_last_page and next_offset < max(total, offset + 1):
        response_headers["Link"] = _next_link(request, settings, next_offset, limit)
    return OCPIJSONResponse(envelope_bytes(items), headers=response_headers)
