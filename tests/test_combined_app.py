"""OCPI and the OCPP gateway in the one application built by ``get_application``."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import websockets
from pydantic import SecretStr

from examples.memory_backend import create_app
from ocpi import RoleEnum
from ocpp_gw import GatewaySettings, OCPPGateway
from tests.conftest import LoopbackServer


async def test_one_app_serves_ocpi_and_ocpp(loopback: Callable[[], LoopbackServer]) -> None:
    server = loopback()
    gateway = OCPPGateway(
        settings=GatewaySettings(accept_unknown_chargers=True, api_token=SecretStr("api-secret"))
    )
    app, store = create_app(server.settings(), [RoleEnum.cpo], ocpp_gateway=gateway)
    await server.start(app, **gateway.uvicorn_options())
    ws_url = f"ws://{server.host}/ocpp/CP-1"
    async with websockets.connect(ws_url, subprotocols=["ocpp1.6"]) as charger:  # type: ignore[list-item]
        assert charger.subprotocol == "ocpp1.6"
        boot = {"chargePointVendor": "Acme", "chargePointModel": "One"}
        await charger.send(json.dumps([2, "b1", "BootNotification", boot]))
        answer = json.loads(await charger.recv())
        assert answer[0] == 3
        assert answer[1] == "b1"
        assert answer[2]["status"] == "Accepted"

        async with httpx.AsyncClient(base_url=server.url) as http:
            listed = await http.get(
                "/api/ocpp/chargers", headers={"Authorization": "Bearer api-secret"}
            )
            assert listed.status_code == 200
            assert [c["charge_point_id"] for c in listed.json()] == ["CP-1"]
            # The command API keeps its own error format; OCPI paths keep envelopes.
            denied = await http.get("/api/ocpp/chargers")
            assert denied.status_code == 401
            assert "status_code" not in denied.json()
            ocpi = await http.get(
                "/ocpi/versions", headers={"Authorization": f"Token {store.new_token_a()}"}
            )
            assert ocpi.json()["status_code"] == 1000
    station = await gateway.state.get_station("CP-1")
    assert station is not None
    assert station.vendor == "Acme"
