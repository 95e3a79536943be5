"""Commands over real HTTP: an eMSP app sends every command of every version to a CPO app through
``send_command``; the CPO's integrator completes it with one call and the eMSP's commands
endpoint receives the result — or the timer posts ``TIMEOUT``."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from pydantic import ValidationError

from examples.memory_backend import MemoryStore, Partner, make_authenticator, make_crud
from ocpi import ModuleID, RoleEnum, Settings, VersionNumber, get_application, get_router
from ocpi.core.async_results import async_results
from ocpi.core.client import OCPIStatusError
from ocpi.core.utils import encode_string_base64
from ocpi.modules.commands import complete_command
from ocpi.modules.commands.client import command_response_url, send_command
from tests.conftest import LoopbackServer
from tests.ocpi.modules.async_pair import Pair, started_pair
from tests.ocpi.samples import TOKENS

ALL = [VersionNumber.v_2_1_1, VersionNumber.v_2_2_1, VersionNumber.v_2_3_0]
COMMANDS = [
    "START_SESSION",
    "STOP_SESSION",
    "RESERVE_NOW",
    "UNLOCK_CONNECTOR",
    "CANCEL_RESERVATION",
]


def commands_of(version: VersionNumber) -> list[str]:
    if version == VersionNumber.v_2_1_1:
        return [command for command in COMMANDS if command != "CANCEL_RESERVATION"]
    return COMMANDS


def body(version: VersionNumber, command: str, response_url: str, **changes: Any) -> dict[str, Any]:
    token = TOKENS[version.value]
    reservation = 7 if version == VersionNumber.v_2_1_1 else "R7"
    bodies: dict[str, dict[str, Any]] = {
        "START_SESSION": {"token": token, "location_id": "LOC1", "evse_uid": "EVSE1"},
        "STOP_SESSION": {"session_id": "SESSION1"},
        "RESERVE_NOW": {
            "token": token,
            "expiry_date": "2099-01-01T00:00:00Z",
            "reservation_id": reservation,
            "location_id": "LOC1",
        },
        "UNLOCK_CONNECTOR": {"location_id": "LOC1", "evse_uid": "EVSE1", "connector_id": "1"},
        "CANCEL_RESERVATION": {"reservation_id": reservation},
    }
    result = {"response_url": response_url, **bodies[command], **changes}
    return {key: value for key, value in result.items() if value is not None}


def seed(pair: Pair) -> None:
    pair.cpo_store.objects[(ModuleID.locations, "LOC1")] = {"id": "LOC1"}


@pytest.mark.parametrize("version", ALL, ids=lambda v: v.value)
async def test_every_command_completed_by_the_cpo(
    loopback: Callable[[], LoopbackServer], version: VersionNumber
) -> None:
    async with started_pair(loopback, version) as pair:
        seed(pair)
        for command in commands_of(version):
            uid = f"{command.lower()}-1"
            url = command_response_url(pair.emsp_app, version, command, uid)
            assert url == f"{pair.emsp.url}/ocpi/emsp/{version.value}/commands/{command}/{uid}"

            answer = await send_command(pair.to_cpo, command, body(version, command, url))

            assert answer["result"] == "ACCEPTED"
            if version == VersionNumber.v_2_1_1:
                assert "timeout" not in answer
            else:
                assert answer["timeout"] == 5  # the COMMAND_AWAIT_TIME the memory CPO advertises
            seen = pair.cpo_request(ModuleID.commands, url)
            assert seen["command"] == command
            assert seen["data"]["response_url"] == url
            (pending,) = async_results(pair.cpo_app).pending
            assert pending.info["command"] == command
            assert pending.deadline is not None

            # The CPO's integrator (or the OCPP bridge) completes it with one call.
            assert await complete_command(pair.cpo_app, url, {"result": "ACCEPTED"}) is True

            assert pair.emsp_store.objects[(ModuleID.commands, uid)] == {"result": "ACCEPTED"}
            assert async_results(pair.cpo_app).pending == ()
            # Completed means gone — except a reservation, which the CPO may still cancel.
            again = await complete_command(pair.cpo_app, url, "REJECTED")
            assert again is (command == "RESERVE_NOW")


@pytest.mark.parametrize("version", ALL, ids=lambda v: v.value)
async def test_nobody_completes_timeout_is_posted(
    loopback: Callable[[], LoopbackServer], version: VersionNumber
) -> None:
    async with started_pair(loopback, version) as pair:
        seed(pair)
        pair.cpo_store.objects[(ModuleID.commands, "response")] = {
            "result": "ACCEPTED",
            "timeout": 0.2,
        }
        url = command_response_url(pair.emsp_app, version, "START_SESSION", "late")
        loop = asyncio.get_running_loop()
        started = loop.time()

        answer = await send_command(
            pair.to_cpo, "START_SESSION", body(version, "START_SESSION", url)
        )

        assert answer["result"] == "ACCEPTED"
        result = await pair.received(ModuleID.commands, "late")
        assert result == {"result": "TIMEOUT"}
        assert loop.time() - started >= 0.2
        assert async_results(pair.cpo_app).pending == ()
        assert await complete_command(pair.cpo_app, url, "ACCEPTED") is False


@pytest.mark.parametrize("version", ALL, ids=lambda v: v.value)
async def test_invalid_body_unknown_location_unknown_command(
    loopback: Callable[[], LoopbackServer], version: VersionNumber
) -> None:
    async with started_pair(loopback, version) as pair:
        seed(pair)
        url = command_response_url(pair.emsp_app, version, "START_SESSION", "x")

        with pytest.raises(OCPIStatusError) as invalid:
            await send_command(
                pair.to_cpo, "START_SESSION", body(version, "START_SESSION", url, token=None)
            )
        assert invalid.value.status_code == 2001
        assert "body.token" in (invalid.value.status_message or "")

        unlock = body(version, "UNLOCK_CONNECTOR", url, location_id="NOWHERE")
        with pytest.raises(OCPIStatusError) as unknown:
            await send_command(pair.to_cpo, "UNLOCK_CONNECTOR", unlock)
        assert unknown.value.status_code == 2003

        # Neither reached the Crud nor waits for a result.
        assert (ModuleID.commands, url) not in pair.cpo_store.objects
        assert async_results(pair.cpo_app).pending == ()

        not_here = "CANCEL_RESERVATION" if version == VersionNumber.v_2_1_1 else "SELF_DESTRUCT"
        answer = await send_command(pair.to_cpo, not_here, {"response_url": url})
        assert answer["result"] == "NOT_SUPPORTED"


@pytest.mark.parametrize("version", [VersionNumber.v_2_2_1, VersionNumber.v_2_3_0])
async def test_rejected_waits_for_nothing_and_cancelled_reservation(
    loopback: Callable[[], LoopbackServer], version: VersionNumber
) -> None:
    async with started_pair(loopback, version) as pair:
        seed(pair)
        response = {"result": "REJECTED", "timeout": 0.05}
        pair.cpo_store.objects[(ModuleID.commands, "response")] = response
        url = command_response_url(pair.emsp_app, version, "STOP_SESSION", "no")
        answer = await send_command(pair.to_cpo, "STOP_SESSION", body(version, "STOP_SESSION", url))
        assert answer == response
        assert async_results(pair.cpo_app).pending == ()
        await asyncio.sleep(0.1)
        assert (ModuleID.commands, "no") not in pair.emsp_store.objects

        # A reservation the CPO cancels after it was made: the same response_url again.
        del pair.cpo_store.objects[(ModuleID.commands, "response")]
        url = command_response_url(pair.emsp_app, version, "RESERVE_NOW", "res")
        await send_command(pair.to_cpo, "RESERVE_NOW", body(version, "RESERVE_NOW", url))
        with pytest.raises(ValidationError):  # not a CommandResultType: nothing is posted
            await complete_command(pair.cpo_app, url, "CANCELLED")
        assert async_results(pair.cpo_app).get(url) is not None
        assert await complete_command(pair.cpo_app, url, "ACCEPTED")
        assert pair.emsp_store.objects[(ModuleID.commands, "res")] == {"result": "ACCEPTED"}
        message = [{"language": "en", "text": "Charger out of order"}]
        cancelled = {"result": "CANCELED_RESERVATION", "message": message}
        assert await complete_command(pair.cpo_app, url, cancelled)
        assert pair.emsp_store.objects[(ModuleID.commands, "res")] == cancelled


async def test_shutdown_cancels_the_timers(loopback: Callable[[], LoopbackServer]) -> None:
    async with started_pair(loopback, VersionNumber.v_2_2_1) as pair:
        seed(pair)
        url = command_response_url(pair.emsp_app, "2.2.1", "START_SESSION")
        await send_command(
            pair.to_cpo, "START_SESSION", body(VersionNumber.v_2_2_1, "START_SESSION", url)
        )
        (pending,) = async_results(pair.cpo_app).pending
        timer = pending.timer
        assert timer is not None and not timer.done()

        await pair.cpo.stop()

        assert timer.cancelled()
        assert async_results(pair.cpo_app).pending == ()


async def test_emsp_endpoint_stores_results_and_validates_them(
    loopback: Callable[[], LoopbackServer],
) -> None:
    async with started_pair(loopback, VersionNumber.v_2_2_1) as pair:
        base = f"{pair.emsp.url}/ocpi/emsp/2.2.1/commands"
        headers = {"Authorization": f"Token {encode_string_base64(pair.to_emsp.token)}"}
        async with httpx.AsyncClient() as http:
            # The established URL form without the command segment.
            ok = await http.post(f"{base}/abc", json={"result": "FAILED"}, headers=headers)
            bad = await http.post(f"{base}/STOP/abc", json={"result": "NOPE"}, headers=headers)
            anonymous = await http.post(f"{base}/STOP/abc", json={"result": "FAILED"})
        assert ok.json()["status_code"] == 1000
        assert pair.emsp_store.objects[(ModuleID.commands, "abc")] == {"result": "FAILED"}
        assert bad.json()["status_code"] == 2001
        assert "body.result" in bad.json()["status_message"]
        assert anonymous.status_code == 401


async def test_the_crud_must_give_the_client_token(
    settings_factory: Callable[..., Settings],
) -> None:
    """Without a token to call the eMSP back, the command is refused before the Crud sends it."""
    store = MemoryStore(settings_factory(), [RoleEnum.cpo], [VersionNumber.v_2_2_1])
    store.objects[(ModuleID.locations, "LOC1")] = {"id": "LOC1"}
    crud = make_crud(store)

    class NoTokenCrud(type(crud)):  # type: ignore[misc]
        @classmethod
        async def do(cls, module: Any, role: Any, action: Any, *args: Any, **kwargs: Any) -> Any:
            if action.value == "GetClientToken":
                return None
            return await super().do(module, role, action, *args, **kwargs)

    app = get_application(
        version_numbers=[VersionNumber.v_2_2_1],
        roles=[RoleEnum.cpo],
        crud=NoTokenCrud(),
        modules=[ModuleID.commands],
        authenticator=make_authenticator(store),
        settings=store.settings,
    )
    store.partners["tok"] = Partner("tok", "theirs", "2.2.1", {}, [])
    url = "http://msp.example/cmd/1"
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        answer = await http.post(
            "/ocpi/cpo/2.2.1/commands/START_SESSION",
            json=body(VersionNumber.v_2_2_1, "START_SESSION", url),
            headers={"Authorization": f"Token {encode_string_base64('tok')}"},
        )
    assert answer.json()["status_code"] == 3000
    assert (ModuleID.commands, url) not in store.objects
    assert async_results(app).pending == ()


async def test_result_during_send_hub_headers_and_token(
    loopback: Callable[[], LoopbackServer], settings_factory: Callable[..., Settings]
) -> None:
    """A result completed while the Crud is still answering is posted (and no TIMEOUT follows);
    the result carries the eMSP's token and the hub routing headers of the way back."""
    received: list[tuple[dict[str, str], Any]] = []
    capture = FastAPI()

    @capture.post("/results/{uid}")
    async def result(request: Request, uid: str) -> dict[str, Any]:
        received.append((dict(request.headers), await request.json()))
        return {"status_code": 1000, "timestamp": "2024-01-01T00:00:00Z"}

    capture_server = loopback()
    await capture_server.start(capture)

    store = MemoryStore(settings_factory(), [RoleEnum.cpo], [VersionNumber.v_2_2_1])
    store.objects[(ModuleID.locations, "LOC1")] = {"id": "LOC1"}
    store.partners["tok"] = Partner("tok", "back-token", "2.2.1", {}, [])
    apps: list[Any] = []

    class EagerCrud(type(make_crud(store))):  # type: ignore[misc]
        @classmethod
        async def do(cls, module: Any, role: Any, action: Any, *args: Any, **kwargs: Any) -> Any:
            answer = await super().do(module, role, action, *args, **kwargs)
            if action.value == "SendCommand":  # the charge point answered very fast
                assert await complete_command(apps[0], kwargs["response_url"], "ACCEPTED")
                return {"result": "ACCEPTED", "timeout": 0.1}
            return answer

    app = get_application(
        version_numbers=[VersionNumber.v_2_2_1],
        roles=[RoleEnum.cpo],
        crud=EagerCrud(),
        modules=[ModuleID.commands],
        authenticator=make_authenticator(store),
        settings=store.settings,
    )
    apps.append(app)
    url = f"{capture_server.url}/results/1"
    hub = {
        "OCPI-from-country-code": "DE",
        "OCPI-from-party-id": "MSP",
        "OCPI-to-country-code": "NL",
        "OCPI-to-party-id": "CPO",
    }
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        answer = await http.post(
            "/ocpi/cpo/2.2.1/commands/START_SESSION",
            json=body(VersionNumber.v_2_2_1, "START_SESSION", url),
            headers={"Authorization": f"Token {encode_string_base64('tok')}", **hub},
        )
    assert answer.json()["data"] == {"result": "ACCEPTED", "timeout": 0.1}
    assert async_results(app).pending == ()
    await asyncio.sleep(0.3)
    (headers, posted), *more = received
    assert more == []  # no TIMEOUT after the result
    assert posted == {"result": "ACCEPTED"}
    assert headers["authorization"] == f"Token {encode_string_base64('back-token')}"
    assert headers["ocpi-from-country-code"] == "NL"
    assert headers["ocpi-from-party-id"] == "CPO"
    assert headers["ocpi-to-country-code"] == "DE"
    assert headers["ocpi-to-party-id"] == "MSP"


def test_the_dispatcher_is_found_from_app_router_or_context(
    settings_factory: Callable[..., Settings],
) -> None:
    store = MemoryStore(settings_factory(), [RoleEnum.emsp], [VersionNumber.v_2_2_1])
    options: dict[str, Any] = {
        "version_numbers": [VersionNumber.v_2_2_1],
        "roles": [RoleEnum.emsp],
        "crud": make_crud(store),
        "modules": [ModuleID.commands],
        "authenticator": make_authenticator(store),
        "settings": store.settings,
    }
    app, router = get_application(**options), get_router(**options)
    assert async_results(app) is async_results(app.state.ocpi)
    assert async_results(router) is async_results(router.ocpi_context)
    assert async_results(app) is not async_results(router)
    assert command_response_url(router, "2.2.1", "STOP_SESSION", "u1", root_path="/roaming/") == (
        "http://testserver/roaming/ocpi/emsp/2.2.1/commands/STOP_SESSION/u1"
    )
    with pytest.raises(TypeError):
        async_results(object())
