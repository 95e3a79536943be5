"""Every CSMS-initiated command of OCPP 1.6, 2.0.1 and 2.1 through ``gateway.call`` to a station.

The station is the ``ocpp`` package's own ``ChargePoint`` (an independent implementation that
validates what it receives against its schemas) with an ``@on`` handler for every command, on a
real WebSocket to the gateway under uvicorn. Each command carries the smallest schema-valid
payload; the station records what it got and answers the smallest valid CALLRESULT, which
``gateway.call`` validates and returns. One connection per version serves all commands. The 1.6
list is written out; the 2.x lists are the package's call classes minus the messages only a
station sends, checked against the schema folder so a new or missing message fails.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import socket
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import ocpp.v16.call
import ocpp.v21.call
import ocpp.v201.call
import pytest
import pytest_asyncio
import uvicorn
from gw_support import simple_tables
from ocpp.charge_point import camel_to_snake_case
from ocpp.routing import on
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call_result as result16
from ocpp.v21 import ChargePoint as ChargePoint21
from ocpp.v21 import call_result as result21
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call_result as result201
from schema_examples import CHARGER_INITIATED, example, schema_names
from websockets.asyncio.client import connect
from websockets.typing import Subprotocol

from ocpp_gw import GatewaySettings, OCPPGateway, create_app
from ocpp_gw.handlers.base import OCPPVersion
from ocpp_gw.protocol.validation import schema_set

#: The tests sharing the module's connections run in its event loop.
in_module_loop = pytest.mark.asyncio(loop_scope="module")

TOKEN = {"Authorization": "Bearer api-secret"}

#: OCPP 1.6 (core, every feature profile, security whitepaper): what the CSMS sends.
COMMANDS_16 = [
    "CancelReservation",
    "CertificateSigned",
    "ChangeAvailability",
    "ChangeConfiguration",
    "ClearCache",
    "ClearChargingProfile",
    "DataTransfer",
    "DeleteCertificate",
    "ExtendedTriggerMessage",
    "GetCompositeSchedule",
    "GetConfiguration",
    "GetDiagnostics",
    "GetInstalledCertificateIds",
    "GetLocalListVersion",
    "GetLog",
    "InstallCertificate",
    "RemoteStartTransaction",
    "RemoteStopTransaction",
    "ReserveNow",
    "Reset",
    "SendLocalList",
    "SetChargingProfile",
    "SignedUpdateFirmware",
    "TriggerMessage",
    "UnlockConnector",
    "UpdateFirmware",
]

#: OCPP 2.0.1 messages only a station sends (DataTransfer goes both ways).
STATION_ONLY_201 = CHARGER_INITIATED[OCPPVersion.v201] - {"DataTransfer"}


def _call_classes(module: Any) -> set[str]:
    return {
        name
        for name, value in vars(module).items()
        if inspect.isclass(value) and value.__module__ == module.__name__
    }


#: Derived from the ``ocpp`` package: every 2.0.1 call class a CSMS sends.
COMMANDS_201 = sorted(_call_classes(ocpp.v201.call) - STATION_ONLY_201)

#: OCPP 2.1 messages only a station sends: 2.0.1's and the new ones.
STATION_ONLY_21 = CHARGER_INITIATED[OCPPVersion.v21] - {"DataTransfer"}

#: Derived from the ``ocpp`` package: every 2.1 call class a CSMS sends.
COMMANDS_21 = sorted(_call_classes(ocpp.v21.call) - STATION_ONLY_21)

COMMANDS = {
    OCPPVersion.v16: COMMANDS_16,
    OCPPVersion.v201: COMMANDS_201,
    OCPPVersion.v21: COMMANDS_21,
}
CASES = [(version, action) for version, actions in COMMANDS.items() for action in actions]


def request_example(version: OCPPVersion, action: str) -> dict[str, Any]:
    name = action if version is OCPPVersion.v16 else f"{action}Request"
    return example(version, name)


def response_example(version: OCPPVersion, action: str) -> dict[str, Any]:
    return example(version, f"{action}Response")


# -- the lists are complete -------------------------------------------------------------------


def test_v16_commands_are_every_csms_call_of_the_package_and_the_schemas() -> None:
    station_side = {
        "Authorize",
        "BootNotification",
        "DiagnosticsStatusNotification",
        "FirmwareStatusNotification",
        "Heartbeat",
        "LogStatusNotification",
        "MeterValues",
        "SecurityEventNotification",
        "SignCertificate",
        "SignedFirmwareStatusNotification",
        "StartTransaction",
        "StatusNotification",
        "StopTransaction",
    }
    assert len(COMMANDS_16) == 26
    assert _call_classes(ocpp.v16.call) == set(COMMANDS_16) | station_side
    requests = {n for n in schema_names(OCPPVersion.v16) if not n.endswith("Response")}
    assert requests == set(COMMANDS_16) | station_side
    assert schema_set(OCPPVersion.v16).actions == requests


def test_v201_commands_cover_every_schema_not_sent_by_a_station() -> None:
    requests = {
        n.removesuffix("Request") for n in schema_names(OCPPVersion.v201) if n.endswith("Request")
    }
    # A schema the package has no class for, or a new message, makes this fail.
    assert requests - STATION_ONLY_201 == set(COMMANDS_201)
    assert requests > STATION_ONLY_201
    assert len(COMMANDS_201) == 40
    assert {"Reset", "RequestStartTransaction", "SetVariables", "DataTransfer"} <= set(COMMANDS_201)


def test_v21_commands_cover_every_schema_not_sent_by_a_station() -> None:
    names = schema_names(OCPPVersion.v21)
    requests = {n.removesuffix("Request") for n in names if n.endswith("Request")}
    send_only = {n for n in names if not n.endswith(("Request", "Response"))}
    assert send_only == {"NotifyPeriodicEventStream"}  # a SEND: no response, not a command
    assert requests - STATION_ONLY_21 == set(COMMANDS_21)
    assert set(COMMANDS_201) < set(COMMANDS_21)
    assert len(COMMANDS_21) == 55
    assert {"SetDERControl", "RequestBatterySwap", "UpdateDynamicSchedule"} <= set(COMMANDS_21)


@pytest.mark.parametrize(("version", "action"), CASES, ids=[f"{v.value}-{a}" for v, a in CASES])
def test_examples_are_schema_valid(version: OCPPVersion, action: str) -> None:
    schemas = schema_set(version)
    schemas.validate_request(action, request_example(version, action))
    schemas.validate_response(action, response_example(version, action))


# -- a station answering every command ---------------------------------------------------------


@dataclass
class Received:
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def station_class(version: OCPPVersion, received: Received) -> type[Any]:
    """A ``ChargePoint`` subclass of the ``ocpp`` package with an ``@on`` handler per command."""
    base, results = {
        OCPPVersion.v16: (ChargePoint16, result16),
        OCPPVersion.v201: (ChargePoint201, result201),
        OCPPVersion.v21: (ChargePoint21, result21),
    }[version]

    def handler(action: str) -> Callable[..., Any]:
        async def answer(self: Any, **kwargs: Any) -> Any:
            received.calls.append((action, kwargs))
            response = camel_to_snake_case(response_example(version, action))
            return getattr(results, action)(**response)

        # The package routes by method name: give each handler its own.
        answer.__name__ = answer.__qualname__ = f"on_{action}"
        return on(action)(answer)

    methods = {f"on_{action}": handler(action) for action in COMMANDS[version]}
    return type(f"Station{version.name}", (base,), methods)


def bound_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    return sock


@dataclass
class Setup:
    gateway: OCPPGateway
    base_url: str
    received: dict[OCPPVersion, Received]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def setup() -> AsyncIterator[Setup]:
    settings = GatewaySettings(
        accept_unknown_chargers=True,
        ws_ping_interval=None,
        precompile_schemas=False,
        call_timeout=5.0,
        api_token="api-secret",
    )
    gateway = OCPPGateway(settings=settings, handlers=simple_tables())
    sock = bound_socket()
    port = int(sock.getsockname()[1])
    config = uvicorn.Config(
        create_app(gateway=gateway), log_level="warning", **gateway.uvicorn_options()
    )
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    for _ in range(500):
        if server.started:
            break
        await asyncio.sleep(0.01)
    received = {version: Received() for version in COMMANDS}
    async with contextlib.AsyncExitStack() as stack:
        runners = []
        for version in COMMANDS:
            ws = await stack.enter_async_context(
                connect(
                    f"ws://127.0.0.1:{port}/ocpp/CP-{version.name}",
                    subprotocols=[Subprotocol(version.subprotocol)],
                )
            )
            station = station_class(version, received[version])(f"CP-{version.name}", ws)
            runners.append(asyncio.create_task(station.start()))
        for _ in range(500):
            if len(gateway.connections) == len(COMMANDS):
                break
            await asyncio.sleep(0.01)
        yield Setup(gateway, f"http://127.0.0.1:{port}/api/ocpp", received)
        for runner in runners:
            runner.cancel()
        await asyncio.gather(*runners, return_exceptions=True)
    server.should_exit = True
    await serving
    sock.close()


@pytest.mark.parametrize(("version", "action"), CASES, ids=[f"{v.value}-{a}" for v, a in CASES])
@in_module_loop
async def test_gateway_call_reaches_the_station_and_returns_its_validated_answer(
    setup: Setup, version: OCPPVersion, action: str
) -> None:
    payload = request_example(version, action)
    received = setup.received[version]
    before = len(received.calls)

    result = await setup.gateway.call(f"CP-{version.name}", action, payload)

    assert result == response_example(version, action)
    schema_set(version).validate_response(action, result)
    assert received.calls[before:] == [(action, camel_to_snake_case(payload))]


REST_SAMPLE = [
    (OCPPVersion.v16, "ChangeConfiguration"),
    (OCPPVersion.v16, "RemoteStartTransaction"),
    (OCPPVersion.v16, "GetConfiguration"),
    (OCPPVersion.v201, "SetVariables"),
    (OCPPVersion.v201, "RequestStartTransaction"),
    (OCPPVersion.v201, "GetBaseReport"),
    (OCPPVersion.v201, "TriggerMessage"),
    (OCPPVersion.v21, "SetDERControl"),
]


@pytest.mark.parametrize(
    ("version", "action"), REST_SAMPLE, ids=[f"{v.value}-{a}" for v, a in REST_SAMPLE]
)
@in_module_loop
async def test_rest_command_api_sends_the_command(
    setup: Setup, version: OCPPVersion, action: str
) -> None:
    payload = request_example(version, action)
    received = setup.received[version]
    before = len(received.calls)
    async with httpx.AsyncClient(base_url=setup.base_url) as client:
        response = await client.post(
            f"/chargers/CP-{version.name}/call/{action}", json=payload, headers=TOKEN
        )
    assert response.status_code == 200, response.text
    assert response.json() == response_example(version, action)
    assert received.calls[before:] == [(action, camel_to_snake_case(payload))]


@in_module_loop
async def test_rest_command_api_refuses_an_invalid_payload_before_sending(setup: Setup) -> None:
    received = setup.received[OCPPVersion.v201]
    before = len(received.calls)
    async with httpx.AsyncClient(base_url=setup.base_url) as client:
        response = await client.post("/chargers/CP-v201/call/SetVariables", json={}, headers=TOKEN)
    assert response.status_code == 400
    assert response.json()["detail"]["code"] == "OccurrenceConstraintViolation"
    assert len(received.calls) == before
