"""The REST command API over real HTTP, against a station on a real WebSocket."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import orjson
import pytest
from websockets.asyncio.client import connect

from ocpp_gw import OCPPGateway

Serve = Callable[..., Any]
MakeGateway = Callable[..., OCPPGateway]
TOKEN = {"Authorization": "Bearer api-secret"}


@pytest.fixture
async def setup(make_gateway: MakeGateway, serve: Serve) -> Any:
    gateway = make_gateway(api_token="api-secret")
    server = await serve(gateway)
    async with (
        connect(server.ws_url("CP1"), subprotocols=["ocpp1.6"]) as ws,  # type: ignore[list-item]
        httpx.AsyncClient(base_url=server.base_url + "/api/ocpp") as client,
    ):
        for _ in range(200):
            if gateway.connection("CP1"):
                break
            await asyncio.sleep(0.01)
        yield gateway, ws, client


async def answer_next(ws: Any, frame: Callable[[str], list[Any]]) -> list[Any]:
    call: list[Any] = orjson.loads(await asyncio.wait_for(ws.recv(), 5))
    await ws.send(orjson.dumps(frame(call[1])).decode())
    return call


async def test_token_is_required(setup: Any) -> None:
    _, _, client = setup
    assert (await client.get("/chargers")).status_code == 401
    wrong = {"Authorization": "Bearer nope"}
    response = await client.get("/chargers", headers=wrong)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


async def test_list_connected_chargers(setup: Any) -> None:
    gateway, _, client = setup
    response = await client.get("/chargers", headers=TOKEN)
    assert response.status_code == 200
    [charger] = response.json()
    assert charger["charge_point_id"] == "CP1"
    assert charger["version"] == "1.6"
    assert charger["node_id"] == gateway.node_id
    assert charger["connected_since"].startswith("20")
    one = await client.get("/chargers/CP1", headers=TOKEN)
    assert one.json() == charger
    assert (await client.get("/chargers/CP9", headers=TOKEN)).status_code == 404


async def test_generic_call(setup: Any) -> None:
    _, ws, client = setup
    request = asyncio.create_task(
        client.post("/chargers/CP1/call/Reset", json={"type": "Soft"}, headers=TOKEN)
    )
    call = await answer_next(ws, lambda uid: [3, uid, {"status": "Accepted"}])
    assert call[2:] == ["Reset", {"type": "Soft"}]
    response = await request
    assert response.status_code == 200
    assert response.json() == {"status": "Accepted"}


async def test_callerror_is_502_with_its_code(setup: Any) -> None:
    _, ws, client = setup
    request = asyncio.create_task(
        client.post("/chargers/CP1/call/Reset", json={"type": "Hard"}, headers=TOKEN)
    )
    await answer_next(ws, lambda uid: [4, uid, "NotSupported", "not today", {"k": 1}])
    response = await request
    assert response.status_code == 502
    detail = response.json()["detail"]
    assert (detail["code"], detail["description"], detail["details"]) == (
        "NotSupported",
        "not today",
        {"k": 1},
    )


async def test_error_statuses(setup: Any) -> None:
    _, ws, client = setup
    not_connected = await client.post("/chargers/CP9/call/Reset", json={}, headers=TOKEN)
    assert not_connected.status_code == 404
    invalid = await client.post("/chargers/CP1/call/Reset", json={"type": 5}, headers=TOKEN)
    assert invalid.status_code == 400
    assert invalid.json()["detail"]["code"] == "TypeConstraintViolation"
    unknown = await client.post("/chargers/CP1/call/BrewCoffee", json={}, headers=TOKEN)
    assert unknown.status_code == 400
    timeout = await client.post(
        "/chargers/CP1/call/Reset", json={"type": "Soft"}, params={"timeout": 0.2}, headers=TOKEN
    )
    assert timeout.status_code == 504
    await ws.recv()  # the CALL that timed out did reach the station


async def test_api_disabled_without_token(make_gateway: MakeGateway, serve: Serve) -> None:
    server = await serve(make_gateway())
    async with httpx.AsyncClient(base_url=server.base_url) as client:
        response = await client.get("/api/ocpp/chargers", headers=TOKEN)
    assert response.status_code == 503


async def test_openapi_documents_the_api(make_gateway: MakeGateway, serve: Serve) -> None:
    server = await serve(make_gateway(api_token="x", api_prefix="/ops"))
    async with httpx.AsyncClient(base_url=server.base_url) as client:
        schema = (await client.get("/openapi.json")).json()
    call = schema["paths"]["/ops/chargers/{charge_point_id}/call/{action}"]["post"]
    assert {"400", "404", "502", "504"} <= set(call["responses"])
    assert "/ops/chargers" in schema["paths"]


async def test_openapi_shows_error_shapes(make_gateway: MakeGateway, serve: Serve) -> None:
    server = await serve(make_gateway(api_token="x"))
    async with httpx.AsyncClient(base_url=server.base_url) as client:
        schema = (await client.get("/openapi.json")).json()
    call = schema["paths"]["/api/ocpp/chargers/{charge_point_id}/call/{action}"]["post"]
    bad_gateway = call["responses"]["502"]["content"]["application/json"]["schema"]["$ref"]
    assert bad_gateway.endswith("/CallErrorResponse")
    listing = schema["paths"]["/api/ocpp/chargers"]["get"]["responses"]["200"]
    assert "ChargerOut" in str(listing)
    assert "HTTPBearer" in schema["components"]["securitySchemes"]
