"""``push_object`` and the optional push triggers (``http_push`` / ``websocket_push``)."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import websockets

from examples.memory_backend import create_app, make_crud
from ocpi import BaseAdapter, ModuleID, RoleEnum, VersionNumber
from ocpi.core.push import push_object
from ocpi.core.schemas import Push
from ocpi.core.utils import encode_string_base64
from tests.conftest import LoopbackServer
from tests.ocpi.samples import MINIMAL

V = VersionNumber.v_2_2_1
MODULES = [ModuleID.locations, ModuleID.cdrs]


async def registered_pair(loopback: Callable[[], LoopbackServer]):  # type: ignore[no-untyped-def]
    cpo_server, emsp_server = loopback(), loopback()
    cpo_app, cpo = create_app(
        cpo_server.settings(COUNTRY_CODE="NL", PARTY_ID="CPO"),
        [RoleEnum.cpo],
        [V],
        MODULES,
        http_push=True,
        websocket_push=True,
    )
    emsp_app, emsp = create_app(
        emsp_server.settings(COUNTRY_CODE="NL", PARTY_ID="MSP"), [RoleEnum.emsp], [V], MODULES
    )
    await cpo_server.start(cpo_app)
    await emsp_server.start(emsp_app)
    await emsp.register_with(f"{cpo_server.url}/ocpi/versions", cpo.new_token_a())
    (emsp_at_cpo,) = cpo.partners.values()
    return cpo_server, cpo, emsp_server, emsp, emsp_at_cpo


async def test_push_object_puts_and_posts(loopback: Callable[[], LoopbackServer]) -> None:
    _, cpo, emsp_server, emsp, partner = await registered_pair(loopback)
    location = MINIMAL["2.2.1"]["Location"]
    cdr = MINIMAL["2.2.1"]["CDR"]
    cpo.objects[(ModuleID.locations, "L1")] = location
    cpo.objects[(ModuleID.cdrs, "C1")] = cdr
    receivers = [
        {"endpoints_url": f"{emsp_server.url}/ocpi/2.2.1/details", "auth_token": partner.token_out}
    ]
    crud = make_crud(cpo)
    result = await push_object(
        V,
        Push(module_id=ModuleID.locations, object_id="L1", receivers=receivers),
        crud,
        BaseAdapter,
        settings=cpo.settings,
    )
    assert result.receiver_responses[0].status_code == 201
    assert emsp.objects[(ModuleID.locations, "L1")]["id"] == "L1"
    cdr_result = await push_object(
        V,
        Push(module_id=ModuleID.cdrs, object_id="C1", receivers=receivers),
        crud,
        BaseAdapter,
        settings=cpo.settings,
    )
    response = cdr_result.receiver_responses[0]
    assert response.status_code == 201
    assert isinstance(response.response, dict)
    assert response.response["location"].endswith("/ocpi/emsp/2.2.1/cdrs/C1")
    unreachable = await push_object(
        V,
        Push(
            module_id=ModuleID.locations,
            object_id="L1",
            receivers=[{"endpoints_url": "http://127.0.0.1:9/x", "auth_token": "t"}],
        ),
        crud,
        BaseAdapter,
        settings=cpo.settings.model_copy(update={"CLIENT_RETRIES": 0}),
    )
    assert unreachable.receiver_responses[0].status_code == 0
    assert "error" in unreachable.receiver_responses[0].response  # type: ignore[operator]


async def test_http_and_websocket_push_triggers(loopback: Callable[[], LoopbackServer]) -> None:
    cpo_server, cpo, emsp_server, emsp, partner = await registered_pair(loopback)
    cpo.objects[(ModuleID.locations, "L1")] = MINIMAL["2.2.1"]["Location"]
    body = {
        "module_id": "locations",
        "object_id": "L1",
        "receivers": [
            {
                "endpoints_url": f"{emsp_server.url}/ocpi/2.2.1/details",
                "auth_token": partner.token_out,
            }
        ],
    }
    # The backend calls the trigger with a token the CPO accepts (here: the eMSP's own token C).
    token = partner.token_in
    async with httpx.AsyncClient() as http:
        denied = await http.post(f"{cpo_server.url}/push/2.2.1", json=body)
        assert denied.status_code == 401
        answer = await http.post(
            f"{cpo_server.url}/push/2.2.1",
            json=body,
            headers={"Authorization": f"Token {encode_string_base64(token)}"},
        )
    assert answer.json()["receiver_responses"][0]["status_code"] == 201
    assert (ModuleID.locations, "L1") in emsp.objects

    del emsp.objects[(ModuleID.locations, "L1")]
    headers = {"Authorization": f"Token {encode_string_base64(token)}"}
    async with websockets.connect(
        f"ws://{cpo_server.host}/push/ws/2.2.1", additional_headers=headers
    ) as ws:
        await ws.send(json.dumps(body))
        reply = json.loads(await ws.recv())
    assert reply["receiver_responses"][0]["status_code"] == 201
    assert (ModuleID.locations, "L1") in emsp.objects
