"""The outbound client against real HTTP servers: retries, ids, token forms, pagination."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from examples.memory_backend import Partner, create_app
from ocpi import ModuleID, OCPIClient, RoleEnum, VersionNumber
from ocpi.core.client import OCPIHTTPError, OCPIStatusError, OCPITransportError
from ocpi.core.routing import RoutingHeaders
from ocpi.core.utils import decode_string_base64
from tests.conftest import LoopbackServer
from tests.ocpi.support import registry


def recording_partner(fail_first: int = 0, status: int = 503) -> tuple[FastAPI, list[Request]]:
    app = FastAPI()
    seen: list[Request] = []

    @app.api_route("/thing", methods=["GET", "PUT"])
    async def thing(request: Request) -> JSONResponse:
        await request.body()  # keep the body readable after the response is sent
        seen.append(request)
        if len(seen) <= fail_first:
            return JSONResponse({"detail": "busy"}, status_code=status)
        return JSONResponse(
            {"data": {"ok": True}, "status_code": 1000, "timestamp": "2024-01-01T00:00:00Z"}
        )

    @app.get("/refused")
    async def refused(request: Request) -> JSONResponse:
        seen.append(request)
        return JSONResponse(
            {"data": None, "status_code": 2001, "status_message": "no", "timestamp": "x"}
        )

    return app, seen


async def test_retries_5xx_then_succeeds(loopback: Callable[[], LoopbackServer]) -> None:
    server = loopback()
    app, seen = recording_partner(fail_first=2)
    await server.start(app)
    async with OCPIClient(retries=2, backoff=0.01) as client:
        result = await client.request("GET", f"{server.url}/thing", token="t", version="2.2.1")
    assert result.data == {"ok": True}
    assert len(seen) == 3
    request_ids = {r.headers["x-request-id"] for r in seen}
    assert len(request_ids) == 3  # a fresh id per attempt
    assert len({r.headers["x-correlation-id"] for r in seen}) == 1  # one conversation


async def test_gives_up_after_retries_and_never_retries_4xx(
    loopback: Callable[[], LoopbackServer],
) -> None:
    server = loopback()
    app, seen = recording_partner(fail_first=10)
    await server.start(app)
    async with OCPIClient(retries=1, backoff=0.01) as client:
        with pytest.raises(OCPIHTTPError) as failure:
            await client.request("GET", f"{server.url}/thing", token="t", version="2.2.1")
    assert failure.value.http_status == 503
    assert len(seen) == 2

    other = loopback()
    app4, seen4 = recording_partner(fail_first=10, status=404)
    await other.start(app4)
    async with OCPIClient(retries=3, backoff=0.01) as client:
        with pytest.raises(OCPIHTTPError) as not_found:
            await client.request("GET", f"{other.url}/thing", token="t", version="2.2.1")
    assert not_found.value.http_status == 404
    assert len(seen4) == 1


async def test_ocpi_error_status_raises(loopback: Callable[[], LoopbackServer]) -> None:
    server = loopback()
    app, _ = recording_partner()
    await server.start(app)
    async with OCPIClient() as client:
        with pytest.raises(OCPIStatusError) as error:
            await client.request("GET", f"{server.url}/refused", token="t", version="2.2.1")
    assert error.value.status_code == 2001


async def test_transport_errors_are_retried(loopback: Callable[[], LoopbackServer]) -> None:
    connections = 0

    async def slam(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        writer.close()

    server = await asyncio.start_server(slam, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with OCPIClient(retries=2, backoff=0.01) as client:
            with pytest.raises(OCPITransportError):
                await client.request(
                    "GET", f"http://127.0.0.1:{port}/x", token="t", version="2.2.1"
                )
    finally:
        server.close()
        await server.wait_closed()
    assert connections == 3


@pytest.mark.parametrize(
    ("version", "encoded"), [("2.1.1", False), ("2.2.1", True), ("2.3.0", True)]
)
async def test_token_form_and_headers(
    loopback: Callable[[], LoopbackServer], version: str, encoded: bool
) -> None:
    server = loopback()
    app, seen = recording_partner()
    await server.start(app)
    routing = RoutingHeaders("DE", "MSP", "NL", "CPO")
    async with OCPIClient() as client:
        await client.request(
            "PUT",
            f"{server.url}/thing",
            token="secret-token",
            version=version,
            json={"when": datetime(2024, 1, 1, tzinfo=UTC), "gone": None},
            routing=routing,
            correlation_id="corr-7",
        )
    request = seen[0]
    raw = request.headers["authorization"].removeprefix("Token ")
    assert (decode_string_base64(raw) if encoded else raw) == "secret-token"
    assert request.headers["x-correlation-id"] == "corr-7"
    assert request.headers["ocpi-from-party-id"] == "MSP"
    assert request.headers["ocpi-to-country-code"] == "NL"
    assert await request.json() == {"when": "2024-01-01T00:00:00Z"}


async def test_iterate_follows_link_headers(loopback: Callable[[], LoopbackServer]) -> None:
    server = loopback()
    app, store = create_app(
        server.settings(PAGINATION_MAX_LIMIT=4),
        [RoleEnum.cpo],
        [VersionNumber.v_2_2_1],
        [ModuleID.locations],
        registry=registry(),
    )
    store.partners["c"] = Partner("c", "b", "2.2.1", {}, [])
    for index in range(10):
        store.objects[(ModuleID.locations, f"L{index}")] = {"id": f"L{index}"}
    await server.start(app)
    pages: list[Any] = []
    async with OCPIClient() as client:
        async for item in client.iterate(
            f"{server.url}/ocpi/cpo/2.2.1/locations", token="c", version="2.2.1"
        ):
            pages.append(item["id"])
    assert pages == [f"L{index}" for index in range(10)]


async def test_http_client_can_be_shared() -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": [], "status_code": 1000, "timestamp": "x"})

    shared = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    async with OCPIClient(http_client=shared) as client:
        assert await client.get_versions("http://partner/versions", "t") == []
    assert not shared.is_closed  # the owner closes it
    await shared.aclose()
