"""The simulator against a real gateway (default handlers) served by uvicorn on 127.0.0.1."""

from __future__ import annotations

import asyncio
import ssl
import sys
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from gw_support import PasswordAuthenticator, RunningServer, StationPKI
from websockets.exceptions import InvalidStatus

from ocpp_gw import GatewaySettings, OCPPGateway
from ocpp_gw.events import (
    CertificateSigningRequested,
    DiagnosticsStatusChanged,
    Event,
    FirmwareStatusChanged,
    MeterValuesReceived,
    NotificationReceived,
    TransactionEnded,
    TransactionStarted,
    TransactionUpdated,
)
from ocpp_gw.handlers import v16, v201
from ocpp_gw.handlers.base import AuthorizationDecision, CallContext, IdTokenInfo, OCPPVersion
from ocpp_gw.handlers.hooks import CertificateSigningRequest, HandlerConfig, default_tables
from ocpp_gw.protocol.errors import SecurityError
from ocpp_gw.simulator import SimulatedStation, run_stations
from ocpp_gw.simulator.fleet import station_ids, tls_context
from ocpp_gw.state import OperationKind, TransactionRecord, TransactionState

Serve = Callable[..., Awaitable[RunningServer]]
MakeGateway = Callable[..., OCPPGateway]

# Fast meters: one real second is an hour of charging.
FAST = 3600.0


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


async def default_server(make_gateway: MakeGateway, serve: Serve, **kw: Any) -> RunningServer:
    # handlers={} → the gateway loads the default handler tables of every version.
    return await serve(make_gateway(handlers={}, **kw))


def collect(gateway: OCPPGateway) -> list[Event]:
    seen: list[Event] = []

    async def add(event: Event) -> None:
        seen.append(event)

    gateway.events.add(Event, add)
    return seen


async def ended(gateway: OCPPGateway, cp_id: str) -> list[TransactionRecord]:
    return [
        t for t in await gateway.state.list_transactions(cp_id) if t.state is TransactionState.ended
    ]


@pytest.mark.parametrize("version", list(OCPPVersion))
async def test_boot_and_local_transaction(
    make_gateway: MakeGateway, serve: Serve, version: OCPPVersion
) -> None:
    server = await default_server(make_gateway, serve)
    gateway = server.gateway
    events = collect(gateway)
    async with SimulatedStation(server.ws_url(""), "CP1", version, time_scale=FAST) as station:
        boot = await station.boot()
        assert boot["status"] == "Accepted" and boot["interval"] == 300
        stored = await gateway.state.get_station("CP1")
        assert stored is not None and stored.vendor == "OCPP-GW" and stored.version == version.value
        assert [c.status for c in await gateway.state.list_connectors("CP1")] == ["Available"]

        assert await station.authorize("TAG1") == "Accepted"
        transaction_id = await station.start_transaction("TAG1", connector=1)
        await asyncio.sleep(0.05)
        await station.send_meter_values(1)
        await station.stop_transaction(1)
        await station.heartbeat()

    record = await gateway.state.get_transaction("CP1", transaction_id)
    assert record is not None and record.state is TransactionState.ended
    assert record.id_token == "TAG1"
    assert record.energy_wh is not None and record.energy_wh > 0
    assert record.meter_values, "periodic meter values were stored"
    registers = [
        s.value
        for mv in record.meter_values
        for s in mv.samples
        if s.measurand == "Energy.Active.Import.Register"
    ]
    assert registers == sorted(registers) and registers[-1] > registers[0]
    assert [type(e) for e in events if isinstance(e, TransactionStarted | TransactionEnded)] == [
        TransactionStarted,
        TransactionEnded,
    ]


@pytest.mark.parametrize(
    ("version", "start", "stop"),
    [
        (
            OCPPVersion.v16,
            ("RemoteStartTransaction", {"idTag": "REMOTE", "connectorId": 1}),
            "RemoteStopTransaction",
        ),
        (
            OCPPVersion.v201,
            (
                "RequestStartTransaction",
                {"idToken": {"idToken": "REMOTE", "type": "ISO14443"}, "remoteStartId": 7},
            ),
            "RequestStopTransaction",
        ),
        (
            OCPPVersion.v21,
            (
                "RequestStartTransaction",
                {"idToken": {"idToken": "REMOTE", "type": "ISO14443"}, "remoteStartId": 7},
            ),
            "RequestStopTransaction",
        ),
    ],
)
async def test_remote_start_and_stop(
    make_gateway: MakeGateway,
    serve: Serve,
    version: OCPPVersion,
    start: tuple[str, dict[str, Any]],
    stop: str,
) -> None:
    server = await default_server(make_gateway, serve)
    gateway = server.gateway
    async with SimulatedStation(server.ws_url(""), "CP9", version, time_scale=FAST) as station:
        await station.boot()
        answer = await gateway.call("CP9", *start)
        assert answer["status"] == "Accepted"

        async def started() -> bool:
            return await gateway.state.active_transaction("CP9") is not None

        await eventually(started)
        active = await gateway.state.active_transaction("CP9")
        assert active is not None and active.id_token == "REMOTE"
        if version is not OCPPVersion.v16:
            assert active.remote_start_id == 7

        answer = await gateway.call("CP9", stop, {"transactionId": _wire_id(active, version)})
        assert answer["status"] == "Accepted"

        async def stopped() -> bool:
            return bool(await ended(gateway, "CP9"))

        await eventually(stopped)
        (record,) = await ended(gateway, "CP9")
        assert record.stop_reason == "Remote"
        # The transaction is over: stopping it again is refused.
        unknown = await gateway.call("CP9", stop, {"transactionId": _wire_id(active, version)})
        assert unknown["status"] == "Rejected"


def _wire_id(record: TransactionRecord, version: OCPPVersion) -> int | str:
    return int(record.transaction_id) if version is OCPPVersion.v16 else record.transaction_id


COMMANDS_16: list[tuple[str, dict[str, Any], str]] = [
    ("ChangeConfiguration", {"key": "HeartbeatInterval", "value": "120"}, "Accepted"),
    ("ChangeConfiguration", {"key": "NumberOfConnectors", "value": "3"}, "Rejected"),
    ("ChangeConfiguration", {"key": "Nope", "value": "1"}, "NotSupported"),
    ("UnlockConnector", {"connectorId": 1}, "Unlocked"),
    ("ChangeAvailability", {"connectorId": 1, "type": "Inoperative"}, "Accepted"),
    ("TriggerMessage", {"requestedMessage": "StatusNotification", "connectorId": 1}, "Accepted"),
    ("ReserveNow", {"connectorId": 1, "expiryDate": "2030-01-01T00:00:00Z", "idTag": "T", "reservationId": 5}, "Accepted"),
    ("CancelReservation", {"reservationId": 5}, "Accepted"),
    ("CancelReservation", {"reservationId": 6}, "Rejected"),
    ("GetCompositeSchedule", {"connectorId": 1, "duration": 60}, "Rejected"),
    ("SetChargingProfile", {"connectorId": 1, "csChargingProfiles": {
        "chargingProfileId": 1, "stackLevel": 0, "chargingProfilePurpose": "TxDefaultProfile",
        "chargingProfileKind": "Absolute", "chargingSchedule": {
            "chargingRateUnit": "A", "startSchedule": "2030-01-01T00:00:00Z",
            "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16}]}}}, "Accepted"),
    ("GetCompositeSchedule", {"connectorId": 1, "duration": 60}, "Accepted"),
    ("ClearChargingProfile", {"id": 1}, "Accepted"),
    ("DataTransfer", {"vendorId": "x"}, "UnknownVendorId"),
    ("ClearCache", {}, "Accepted"),
    ("SendLocalList", {"listVersion": 3, "updateType": "Full"}, "Accepted"),
]  # fmt: skip

COMMANDS_201: list[tuple[str, dict[str, Any], str]] = [
    ("UnlockConnector", {"evseId": 1, "connectorId": 1}, "Unlocked"),
    ("UnlockConnector", {"evseId": 9, "connectorId": 1}, "UnknownConnector"),
    ("ChangeAvailability", {"operationalStatus": "Inoperative", "evse": {"id": 1}}, "Accepted"),
    ("TriggerMessage", {"requestedMessage": "Heartbeat"}, "Accepted"),
    ("TriggerMessage", {"requestedMessage": "SignV2GCertificate"}, "NotImplemented"),
    ("ReserveNow", {"id": 5, "expiryDateTime": "2030-01-01T00:00:00Z",
                    "idToken": {"idToken": "T", "type": "ISO14443"}, "evseId": 1}, "Accepted"),
    ("CancelReservation", {"reservationId": 5}, "Accepted"),
    ("SetChargingProfile", {"evseId": 1, "chargingProfile": {
        "id": 1, "stackLevel": 0, "chargingProfilePurpose": "TxDefaultProfile",
        "chargingProfileKind": "Absolute", "chargingSchedule": [{
            "id": 1, "chargingRateUnit": "W", "startSchedule": "2030-01-01T00:00:00Z",
            "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 7400.0}]}]}}, "Accepted"),
    ("GetCompositeSchedule", {"evseId": 1, "duration": 60}, "Accepted"),
    ("ClearChargingProfile", {"chargingProfileId": 1}, "Accepted"),
    ("ClearChargingProfile", {"chargingProfileId": 1}, "Unknown"),
    ("DataTransfer", {"vendorId": "x"}, "UnknownVendorId"),
    ("ClearCache", {}, "Accepted"),
    ("Reset", {"type": "OnIdle", "evseId": 1}, "Accepted"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("version", "commands"), [(OCPPVersion.v16, COMMANDS_16), (OCPPVersion.v201, COMMANDS_201)]
)
async def test_station_answers_csms_commands(
    make_gateway: MakeGateway,
    serve: Serve,
    version: OCPPVersion,
    commands: list[tuple[str, dict[str, Any], str]],
) -> None:
    server = await default_server(make_gateway, serve)
    async with SimulatedStation(server.ws_url(""), "CMD", version) as station:
        await station.boot()
        for action, payload, status in commands:
            answer = await server.gateway.call("CMD", action, payload)
            assert answer["status"] == status, (action, payload, answer)
        await station.settle()
        assert [a for a, _ in station.received] == [a for a, _, _ in commands]


async def test_16_configuration_and_reset(make_gateway: MakeGateway, serve: Serve) -> None:
    server = await default_server(make_gateway, serve)
    gateway = server.gateway
    events = collect(gateway)
    async with SimulatedStation(server.ws_url(""), "CFG", "1.6", time_scale=FAST) as station:
        await station.boot()
        answer = await gateway.call("CFG", "GetConfiguration", {"key": ["HeartbeatInterval", "X"]})
        assert answer["configurationKey"] == [
            {"key": "HeartbeatInterval", "readonly": False, "value": "300"}
        ]
        assert answer["unknownKey"] == ["X"]
        await station.start_transaction("TAG1")
        assert (await gateway.call("CFG", "Reset", {"type": "Soft"}))["status"] == "Accepted"
        await station.settle()
    (record,) = await ended(gateway, "CFG")
    assert record.stop_reason == "SoftReset"
    assert sum(type(e).__name__ == "ChargerBooted" for e in events) == 2


async def test_201_device_model(make_gateway: MakeGateway, serve: Serve) -> None:
    server = await default_server(make_gateway, serve)
    gateway = server.gateway
    async with SimulatedStation(server.ws_url(""), "DM", "2.0.1") as station:
        await station.boot()
        variable = {
            "component": {"name": "OCPPCommCtrlr"},
            "variable": {"name": "HeartbeatInterval"},
        }
        answer = await gateway.call(
            "DM", "SetVariables", {"setVariableData": [{**variable, "attributeValue": "60"}]}
        )
        assert answer["setVariableResult"][0]["attributeStatus"] == "Accepted"
        assert station.heartbeat_interval == 60
        answer = await gateway.call(
            "DM",
            "GetVariables",
            {
                "getVariableData": [
                    variable,
                    {"component": {"name": "Nope"}, "variable": {"name": "X"}},
                ]
            },
        )
        results = answer["getVariableResult"]
        assert [r["attributeStatus"] for r in results] == ["Accepted", "UnknownComponent"]
        assert results[0]["attributeValue"] == "60"

        answer = await gateway.call(
            "DM", "GetBaseReport", {"requestId": 1, "reportBase": "FullInventory"}
        )
        assert answer["status"] == "Accepted"
        await station.settle()
    variables = {(v.component, v.variable): v for v in await gateway.state.list_variables("DM")}
    assert variables[("OCPPCommCtrlr", "HeartbeatInterval")].attributes[0]["value"] == "60"
    assert variables[("ChargingStation", "Model")].attributes[0]["mutability"] == "ReadOnly"


async def test_many_stations_at_once(make_gateway: MakeGateway, serve: Serve) -> None:
    server = await default_server(make_gateway, serve)
    ids = station_ids("FLEET", 5)
    stations = await run_stations(
        server.ws_url(""),
        ids,
        "2.0.1",
        id_token="TAG1",
        duration=0.3,
        meter_interval=0.1,
        time_scale=FAST,
    )
    assert [s.identity for s in stations] == ids and not any(s.connected for s in stations)
    assert {s.charge_point_id for s in await server.gateway.state.list_stations()} == set(ids)
    for cp_id in ids:
        (record,) = await ended(server.gateway, cp_id)
        assert record.energy_wh is not None and record.energy_wh > 0


async def test_basic_auth(make_gateway: MakeGateway, serve: Serve) -> None:
    authenticator = PasswordAuthenticator({"SEC": "s3cret-password"})
    server = await default_server(make_gateway, serve, authenticator=authenticator)
    async with SimulatedStation(server.ws_url(""), "SEC", "1.6", "s3cret-password") as station:
        assert (await station.boot())["status"] == "Accepted"
    with pytest.raises(InvalidStatus):
        await SimulatedStation(server.ws_url(""), "SEC", "1.6", "wrong").connect()
    assert [c.password for c in authenticator.seen] == ["s3cret-password", "wrong"]


async def test_command_line(make_gateway: MakeGateway, serve: Serve) -> None:
    server = await default_server(make_gateway, serve)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "ocpp_gw.simulator",
        "--url", server.ws_url(""), "--id", "CLI", "--version", "1.6", "--count", "2",
        "--token", "TAG1", "--duration", "0.5", "--log-level", "WARNING",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, stderr.decode()
    for cp_id in ("CLI-1", "CLI-2"):
        assert len(await ended(server.gateway, cp_id)) == 1


@pytest.mark.parametrize("version", [OCPPVersion.v16, OCPPVersion.v201])
async def test_certificate_signing_round_trip(
    make_gateway: MakeGateway, serve: Serve, version: OCPPVersion
) -> None:
    deliveries: set[asyncio.Task[dict[str, Any]]] = set()

    async def signer(ctx: CallContext, request: CertificateSigningRequest) -> bool:
        # The signed chain goes out in a CALL of its own, after SignCertificate was answered.
        chain = f"CHAIN for {len(request.csr)}-byte CSR"
        call = ctx.gateway.call(
            ctx.charge_point_id, "CertificateSigned", {"certificateChain": chain}
        )
        deliveries.add(asyncio.create_task(call))
        return True

    module = v16 if version is OCPPVersion.v16 else v201
    table = module.build_handlers(HandlerConfig(certificate_signer=signer))
    gateway = make_gateway(handlers={version: table})
    server = await serve(gateway)
    events = collect(gateway)
    trigger = (
        ("ExtendedTriggerMessage", {"requestedMessage": "SignChargePointCertificate"})
        if version is OCPPVersion.v16
        else ("TriggerMessage", {"requestedMessage": "SignChargingStationCertificate"})
    )
    async with SimulatedStation(server.ws_url(""), "SIGN", version) as station:
        await station.boot()
        assert (await gateway.call("SIGN", *trigger))["status"] == "Accepted"

        async def installed() -> bool:
            return bool(station.certificates)

        await eventually(installed)
        (answer,) = await asyncio.gather(*deliveries)
    assert answer == {"status": "Accepted"}
    assert station.certificates[0].startswith("CHAIN for ")
    (requested,) = [e for e in events if isinstance(e, CertificateSigningRequested)]
    assert requested.accepted and "CERTIFICATE REQUEST" in requested.csr


async def test_pending_station_boots_again_until_accepted(
    make_gateway: MakeGateway, serve: Serve
) -> None:
    server = await default_server(make_gateway, serve)
    gateway = server.gateway
    await gateway.state.set_registration("PEND", "Pending", heartbeat_interval=1)
    async with SimulatedStation(server.ws_url(""), "PEND", "2.0.1", meter_interval=0.1) as station:
        assert (await station.boot())["status"] == "Pending"
        with pytest.raises(SecurityError):  # nothing but boots until accepted
            await station.set_status(1, "Available")
        assert await gateway.state.list_connectors("PEND") == []
        runner = asyncio.create_task(station.run())
        await gateway.state.set_registration("PEND", "Accepted")

        async def accepted() -> bool:
            return station.registration_status == "Accepted"

        await eventually(accepted, timeout=5)
        runner.cancel()
        await asyncio.gather(runner, return_exceptions=True)
    assert station.heartbeat_interval == 300
    assert [c.status for c in await gateway.state.list_connectors("PEND")] == ["Available"]


@pytest.mark.parametrize(
    ("version", "request_payload"),
    [
        (OCPPVersion.v16, {"logType": "SecurityLog", "requestId": 4, "log": {"remoteLocation": "ftp://x/"}}),
        (OCPPVersion.v201, {"logType": "DiagnosticsLog", "requestId": 4, "log": {"remoteLocation": "ftp://x/"}}),
    ],
)  # fmt: skip
async def test_log_upload_progress(
    make_gateway: MakeGateway, serve: Serve, version: OCPPVersion, request_payload: dict[str, Any]
) -> None:
    server = await default_server(make_gateway, serve)
    events = collect(server.gateway)
    async with SimulatedStation(server.ws_url(""), "LOG", version) as station:
        await station.boot()
        answer = await server.gateway.call("LOG", "GetLog", request_payload)
        assert answer == {"status": "Accepted", "filename": "LOG.log"}
        await station.settle()
    progress = [(e.status, e.request_id) for e in events if isinstance(e, DiagnosticsStatusChanged)]
    assert progress == [("Uploading", 4), ("Uploaded", 4)]


async def test_21_send_messages_reach_the_handlers(make_gateway: MakeGateway, serve: Serve) -> None:
    server = await default_server(make_gateway, serve)
    events = collect(server.gateway)
    stream = {
        "id": 1,
        "pending": 0,
        "basetime": "2026-01-01T12:00:00Z",
        "data": [{"t": 0, "v": "1"}],
    }
    async with SimulatedStation(server.ws_url(""), "S21", "2.1") as station:
        await station.boot()
        await station.send("NotifyPeriodicEventStream", stream)
        # The SEND has no answer; a following CALL proves it was read first.
        await station.heartbeat()

        async def announced() -> bool:
            return any(isinstance(e, NotificationReceived) for e in events)

        await eventually(announced)
    (note,) = [e for e in events if isinstance(e, NotificationReceived)]
    assert (note.action, note.payload) == ("NotifyPeriodicEventStream", stream)
    with pytest.raises(ValueError, match="SEND"):
        await SimulatedStation(server.ws_url(""), "S16", "1.6").send("X", {})


async def test_tls_profiles_2_and_3(
    make_gateway: MakeGateway, serve: Serve, pki: StationPKI
) -> None:
    authenticator = PasswordAuthenticator({"TLS2": "s3cret-password"}, certified={"CP-TLS"})
    gateway = make_gateway(
        handlers={},
        authenticator=authenticator,
        security_profiles=[2, 3],
        client_cert_organization="Acme Charging",
    )
    server = await serve(
        gateway,
        ssl_certfile=str(pki.server_cert),
        ssl_keyfile=str(pki.server_key),
        ssl_ca_certs=str(pki.ca_cert),
        ssl_cert_reqs=ssl.CERT_OPTIONAL,
    )
    assert server.ws_url("").startswith("wss://")
    profile2 = tls_context(str(pki.ca_cert))
    async with SimulatedStation(
        server.ws_url(""), "TLS2", "2.0.1", "s3cret-password", ssl_context=profile2
    ) as station:
        assert (await station.boot())["status"] == "Accepted"
    profile3 = tls_context(str(pki.ca_cert), str(pki.client_cert), str(pki.client_key))
    async with SimulatedStation(
        server.ws_url(""), "CP-TLS", "1.6", ssl_context=profile3
    ) as station:
        assert (await station.boot())["status"] == "Accepted"
    assert [c.security_profile for c in authenticator.seen] == [2, 3]


@pytest.mark.parametrize("version", [OCPPVersion.v16, OCPPVersion.v201])
async def test_refused_token_ends_the_transaction(serve: Serve, version: OCPPVersion) -> None:
    async def authorizer(charge_point_id: str, token: IdTokenInfo) -> AuthorizationDecision:
        return AuthorizationDecision("Blocked" if token.id_token == "BAD" else "Accepted")

    settings = GatewaySettings(accept_unknown_chargers=True, ws_ping_interval=None)
    server = await serve(OCPPGateway(settings=settings, authorizer=authorizer))
    async with SimulatedStation(server.ws_url(""), "AUTH", version) as station:
        await station.boot()
        assert await station.authorize("BAD") == "Blocked"
        transaction_id = await station.start_transaction("BAD")
        assert not station.connectors[1].charging
    record = await server.gateway.state.get_transaction("AUTH", transaction_id)
    assert record is not None and record.state is TransactionState.ended
    assert (record.authorization_status, record.stop_reason) == ("Blocked", "DeAuthorized")


async def test_gateway_with_configured_default_tables(serve: Serve) -> None:
    settings = GatewaySettings(accept_unknown_chargers=True, ws_ping_interval=None)
    tables = default_tables(HandlerConfig(heartbeat_interval=42))
    server = await serve(OCPPGateway(settings=settings, handlers=dict(tables)))
    for version in OCPPVersion:
        async with SimulatedStation(server.ws_url(""), f"CFG-{version.value}", version) as station:
            assert (await station.boot())["interval"] == 42


async def test_command_line_reports_a_refused_connection(serve: Serve) -> None:
    authenticator = PasswordAuthenticator({"CLI": "right-password"})
    settings = GatewaySettings(ws_ping_interval=None)
    server = await serve(OCPPGateway(authenticator=authenticator, settings=settings))
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "ocpp_gw.simulator", "--url", server.ws_url(""), "--id", "CLI",
        "--password", "wrong-password", "--duration", "0.1",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 1
    assert "simulation failed: InvalidStatus" in stderr.decode()


@pytest.mark.parametrize(
    ("version", "request_payload", "answer"),
    [
        (
            OCPPVersion.v16,
            {"location": "https://fw.example/fw.bin", "retrieveDate": "2030-01-01T00:00:00Z"},
            {},
        ),
        (
            OCPPVersion.v201,
            {
                "requestId": 11,
                "firmware": {
                    "location": "https://fw.example/fw.bin",
                    "retrieveDateTime": "2030-01-01T00:00:00Z",
                },
            },
            {"status": "Accepted"},
        ),
    ],
)
async def test_firmware_update_progress(
    make_gateway: MakeGateway,
    serve: Serve,
    version: OCPPVersion,
    request_payload: dict[str, Any],
    answer: dict[str, Any],
) -> None:
    server = await default_server(make_gateway, serve)
    events = collect(server.gateway)
    async with SimulatedStation(server.ws_url(""), "FW", version) as station:
        await station.boot()
        assert await server.gateway.call("FW", "UpdateFirmware", request_payload) == answer
        await station.settle()
    statuses = [e.status for e in events if isinstance(e, FirmwareStatusChanged)]
    assert statuses == ["Downloading", "Downloaded", "Installing", "Installed"]
    stored = await server.gateway.state.get_station("FW")
    assert stored is not None
    assert stored.operations[OperationKind.firmware].status == "Installed"


async def test_16_diagnostics_and_triggered_meter_values(
    make_gateway: MakeGateway, serve: Serve
) -> None:
    server = await default_server(make_gateway, serve)
    gateway = server.gateway
    events = collect(gateway)
    async with SimulatedStation(server.ws_url(""), "DIAG", "1.6", time_scale=FAST) as station:
        await station.boot()
        answer = await gateway.call("DIAG", "GetDiagnostics", {"location": "ftp://logs.example/"})
        assert answer == {"fileName": "DIAG-diagnostics.log"}
        await station.start_transaction("TAG1")
        trigger = {"requestedMessage": "MeterValues", "connectorId": 1}
        assert (await gateway.call("DIAG", "TriggerMessage", trigger))["status"] == "Accepted"
        await station.settle()
    diagnostics = [e.status for e in events if isinstance(e, DiagnosticsStatusChanged)]
    assert diagnostics == ["Uploading", "Uploaded"]
    (values,) = [e for e in events if isinstance(e, MeterValuesReceived)]
    assert values.transaction_id is not None and values.connector_id == 1


async def test_201_triggered_transaction_event_and_status_query(
    make_gateway: MakeGateway, serve: Serve
) -> None:
    server = await default_server(make_gateway, serve)
    gateway = server.gateway
    events = collect(gateway)
    async with SimulatedStation(server.ws_url(""), "TRG", "2.0.1", time_scale=FAST) as station:
        await station.boot()
        transaction_id = await station.start_transaction("TAG1")
        trigger = {"requestedMessage": "TransactionEvent", "evse": {"id": 1}}
        assert (await gateway.call("TRG", "TriggerMessage", trigger))["status"] == "Accepted"
        await station.settle()
        status = await gateway.call(
            "TRG", "GetTransactionStatus", {"transactionId": transaction_id}
        )
        assert status == {"messagesInQueue": False, "ongoingIndicator": True}
        cost = {"totalCost": 1.25, "transactionId": transaction_id}
        assert await gateway.call("TRG", "CostUpdated", cost) == {}
    (updated,) = [e for e in events if isinstance(e, TransactionUpdated)]
    assert updated.transaction_id == transaction_id and updated.meter_wh is not None
