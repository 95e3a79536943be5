"""OCPP 1.6 default handlers: what they record, emit and answer."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from handler_harness import Services, Station
from handler_payloads import T_LATER, V16, T

from ocpp_gw.events import (
    CertificateSigningRequested,
    ChargerBooted,
    DiagnosticsStatusChanged,
    FirmwareStatusChanged,
    MeterValuesReceived,
    NotificationReceived,
    SecurityEventReceived,
    StatusChanged,
    TransactionEnded,
    TransactionStarted,
    TransactionUpdated,
)
from ocpp_gw.handlers import v16
from ocpp_gw.handlers.base import AuthorizationDecision, CallContext, OCPPVersion
from ocpp_gw.handlers.common import DEFAULT_HEARTBEAT_INTERVAL
from ocpp_gw.handlers.hooks import CertificateSigningRequest, DataTransferResult, HandlerConfig
from ocpp_gw.protocol.errors import SecurityError
from ocpp_gw.state import OperationKind, TransactionState

ACCEPTED = AuthorizationDecision(status="Accepted")


async def test_boot_accepts_with_default_interval_and_records_station(
    cp16: Station, services: Services
) -> None:
    answer = await cp16.send("BootNotification", V16["BootNotification"])
    assert answer["status"] == "Accepted"
    assert answer["interval"] == DEFAULT_HEARTBEAT_INTERVAL
    assert answer["currentTime"].endswith("Z")
    station = await services.state.get_station("CP1")
    assert station is not None and station.boot is not None
    assert (station.vendor, station.model, station.serial_number) == ("ACME", "Fast 50", "SN1")
    assert station.boot.meter_type == "DC meter" and station.version == "1.6"
    (booted,) = services.of(ChargerBooted)
    assert booted.firmware_version == "1.0.3" and booted.raw == V16["BootNotification"]


async def test_boot_answers_the_registration_decided_for_the_station(
    services: Services,
) -> None:
    await services.state.set_registration("CP1", "Pending", heartbeat_interval=30)
    station = Station(services, OCPPVersion.v16, table=v16.build_handlers(HandlerConfig()))
    answer = await station.send("BootNotification", V16["BootNotification"])
    assert (answer["status"], answer["interval"]) == ("Pending", 30)


async def test_pending_station_gets_security_errors_until_accepted(
    cp16: Station, services: Services
) -> None:
    await services.state.set_registration("CP1", "Pending", heartbeat_interval=10)
    await cp16.send("BootNotification", V16["BootNotification"])
    with pytest.raises(SecurityError):
        await cp16.send("StatusNotification", V16["StatusNotification"])
    await services.state.set_registration("CP1", "Accepted")
    assert (await cp16.send("BootNotification", V16["BootNotification"]))["status"] == "Accepted"
    assert await cp16.send("StatusNotification", V16["StatusNotification"]) == {}


async def test_boot_interval_comes_from_the_config(services: Services) -> None:
    table = v16.build_handlers(HandlerConfig(heartbeat_interval=42))
    answer = await Station(services, OCPPVersion.v16, table=table).send(
        "BootNotification", V16["BootNotification"]
    )
    assert answer["interval"] == 42


async def test_heartbeat_marks_the_station_seen(cp16: Station, services: Services) -> None:
    answer = await cp16.send("Heartbeat", {})
    station = await services.state.get_station("CP1")
    assert station is not None and station.last_heartbeat is not None
    assert abs(datetime.fromisoformat(answer["currentTime"]) - datetime.now(UTC)).seconds < 5


async def test_status_notification_updates_connector_with_vendor_code(
    cp16: Station, services: Services
) -> None:
    await cp16.send(
        "StatusNotification",
        {
            "connectorId": 2,
            "errorCode": "OtherError",
            "status": "Faulted",
            "vendorId": "acme",
            "vendorErrorCode": "E42",
            "timestamp": T,
        },
    )
    (connector,) = await services.state.list_connectors("CP1")
    assert (connector.evse_id, connector.connector_id, connector.status) == (None, 2, "Faulted")
    assert connector.error_code == "OtherError" and connector.info == "(acme: E42)"
    assert connector.updated_at == datetime(2026, 1, 1, 12, tzinfo=UTC)
    (event,) = services.of(StatusChanged)
    assert event.status == "Faulted" and event.connector_id == 2 and event.evse_id is None


@pytest.mark.parametrize(
    ("decision", "expected"),
    [
        (ACCEPTED, {"status": "Accepted"}),
        (AuthorizationDecision(status="Blocked"), {"status": "Blocked"}),
        (AuthorizationDecision(status="ConcurrentTx"), {"status": "ConcurrentTx"}),
        (AuthorizationDecision(status="NoCredit"), {"status": "Invalid"}),
        (AuthorizationDecision(status="Unknown"), {"status": "Invalid"}),
        (
            AuthorizationDecision(
                status="Accepted",
                expiry_date=datetime(2027, 1, 1, tzinfo=UTC),
                group_id_token="GROUP",
            ),
            {
                "status": "Accepted",
                "expiryDate": "2027-01-01T00:00:00.000Z",
                "parentIdTag": "GROUP",
            },
        ),
    ],
)
async def test_authorize_maps_decisions_to_16_statuses(
    cp16: Station, services: Services, decision: AuthorizationDecision, expected: dict[str, Any]
) -> None:
    services.decisions["TAG1"] = decision
    answer = await cp16.send("Authorize", {"idTag": "TAG1"})
    assert answer == {"idTagInfo": expected}
    (token,) = services.authorized
    assert token.id_token == "TAG1" and token.type is None


async def test_transaction_lifecycle(cp16: Station, services: Services) -> None:
    services.decisions["TAG1"] = ACCEPTED
    started = await cp16.send("StartTransaction", V16["StartTransaction"])
    assert started["idTagInfo"] == {"status": "Accepted"}
    tx_id = started["transactionId"]
    assert isinstance(tx_id, int)

    meter = {**V16["MeterValues"], "transactionId": tx_id}
    await cp16.send("MeterValues", meter)
    record = await services.state.get_transaction("CP1", str(tx_id))
    assert record is not None and record.meter_wh == 1500.0  # 1.5 kWh
    assert record.energy_wh == 500.0
    samples = record.meter_values[0].samples
    assert [(s.measurand, s.value, s.unit) for s in samples] == [
        ("Energy.Active.Import.Register", 1500.0, "Wh"),
        ("Power.Active.Import", 7200.0, "W"),
    ]
    (updated,) = services.of(TransactionUpdated)
    assert updated.transaction_id == str(tx_id) and updated.meter_wh == 1500.0

    stop = {
        **V16["StopTransaction"],
        "transactionId": tx_id,
        "transactionData": V16["MeterValues"]["meterValue"],
    }
    stopped = await cp16.send("StopTransaction", stop)
    assert stopped == {"idTagInfo": {"status": "Accepted"}}
    # The stop token equals the start token: no second authorization round trip.
    assert len(services.authorized) == 1
    record = await services.state.get_transaction("CP1", str(tx_id))
    assert record is not None and record.state is TransactionState.ended
    assert (record.meter_stop_wh, record.stop_reason, record.energy_wh) == (2000, "Local", 1000)
    assert len(record.meter_values) == 2
    (start_event,) = services.of(TransactionStarted)
    assert start_event.meter_start_wh == 1000 and start_event.id_token == "TAG1"
    (end_event,) = services.of(TransactionEnded)
    assert end_event.meter_stop_wh == 2000 and end_event.reason == "Local"
    assert len(services.of(MeterValuesReceived)) == 2


async def test_repeated_stop_is_recorded_once(cp16: Station, services: Services) -> None:
    services.decisions["TAG1"] = ACCEPTED
    tx_id = (await cp16.send("StartTransaction", V16["StartTransaction"]))["transactionId"]
    stop = {
        **V16["StopTransaction"],
        "transactionId": tx_id,
        "transactionData": V16["MeterValues"]["meterValue"],
    }
    first = await cp16.send("StopTransaction", stop)
    again = await cp16.send("StopTransaction", {**stop, "meterStop": 5000, "reason": "Other"})
    assert first == again == {"idTagInfo": {"status": "Accepted"}}
    assert len(services.of(TransactionEnded)) == 1
    record = await services.state.get_transaction("CP1", str(tx_id))
    assert record is not None and (record.meter_stop_wh, record.stop_reason) == (2000, "Local")
    assert len(record.meter_values) == 1


async def test_start_transaction_retransmission_returns_the_same_id(
    cp16: Station, services: Services
) -> None:
    services.decisions["TAG1"] = ACCEPTED
    first = await cp16.send("StartTransaction", V16["StartTransaction"])
    again = await cp16.send("StartTransaction", V16["StartTransaction"])
    assert first["transactionId"] == again["transactionId"]
    other = await cp16.send("StartTransaction", {**V16["StartTransaction"], "connectorId": 2})
    assert other["transactionId"] != first["transactionId"]
    assert len(await services.state.list_transactions("CP1", active_only=True)) == 2


async def test_single_transaction_per_token(services: Services) -> None:
    services.decisions["TAG1"] = ACCEPTED
    table = v16.build_handlers(HandlerConfig(single_transaction_per_token=True))
    cp1 = Station(services, OCPPVersion.v16, "CP1", table)
    cp2 = Station(services, OCPPVersion.v16, "CP2", table)
    first = await cp1.send("StartTransaction", V16["StartTransaction"])
    assert first["idTagInfo"] == {"status": "Accepted"}
    second = await cp2.send("StartTransaction", V16["StartTransaction"])
    assert second["idTagInfo"] == {"status": "ConcurrentTx"}
    assert len(services.authorized) == 1
    stop = {"transactionId": first["transactionId"], "meterStop": 1500, "timestamp": T}
    await cp1.send("StopTransaction", stop)
    third = await cp2.send("StartTransaction", {**V16["StartTransaction"], "connectorId": 2})
    assert third["idTagInfo"] == {"status": "Accepted"}


async def test_concurrent_use_is_allowed_by_default(cp16: Station, services: Services) -> None:
    services.decisions["TAG1"] = ACCEPTED
    await cp16.send("StartTransaction", V16["StartTransaction"])
    other = await cp16.send("StartTransaction", {**V16["StartTransaction"], "connectorId": 2})
    assert other["idTagInfo"] == {"status": "Accepted"}


async def test_new_start_closes_a_transaction_that_never_ended(
    cp16: Station, services: Services
) -> None:
    services.decisions["TAG1"] = ACCEPTED
    first = (await cp16.send("StartTransaction", V16["StartTransaction"]))["transactionId"]
    later = {**V16["StartTransaction"], "meterStart": 4000, "timestamp": T_LATER}
    second = (await cp16.send("StartTransaction", later))["transactionId"]
    stale = await services.state.get_transaction("CP1", str(first))
    assert stale is not None and stale.state is TransactionState.ended
    assert (stale.meter_stop_wh, stale.stop_reason) == (4000, "Other")
    active = await services.state.active_transaction("CP1", connector_id=1)
    assert active is not None and active.transaction_id == str(second)
    (ended_event,) = services.of(TransactionEnded)
    assert ended_event.transaction_id == str(first)


async def test_rejected_start_still_gets_a_transaction_id(
    cp16: Station, services: Services
) -> None:
    services.decisions["TAG1"] = AuthorizationDecision(status="Expired")
    answer = await cp16.send("StartTransaction", V16["StartTransaction"])
    assert answer["idTagInfo"] == {"status": "Expired"}
    record = await services.state.get_transaction("CP1", str(answer["transactionId"]))
    assert record is not None and record.authorization_status == "Expired"


async def test_stop_with_another_token_and_default_reason(
    cp16: Station, services: Services
) -> None:
    services.decisions["TAG1"] = ACCEPTED
    services.decisions["MASTER"] = AuthorizationDecision(status="Blocked")
    tx_id = (await cp16.send("StartTransaction", V16["StartTransaction"]))["transactionId"]
    stop = {"transactionId": tx_id, "meterStop": 1200, "timestamp": T, "idTag": "MASTER"}
    assert await cp16.send("StopTransaction", stop) == {"idTagInfo": {"status": "Blocked"}}
    record = await services.state.get_transaction("CP1", str(tx_id))
    assert record is not None
    assert (record.stop_reason, record.stop_id_token) == ("Local", "MASTER")


async def test_stop_of_unknown_transaction_is_announced(cp16: Station, services: Services) -> None:
    stop = {"transactionId": 999, "meterStop": 10, "timestamp": T, "reason": "PowerLoss"}
    assert await cp16.send("StopTransaction", stop) == {}
    (ended,) = services.of(TransactionEnded)
    assert (ended.transaction_id, ended.reason, ended.meter_stop_wh) == ("999", "PowerLoss", 10)


async def test_meter_values_outside_a_transaction_skip_signed_data(
    cp16: Station, services: Services
) -> None:
    payload = {
        "connectorId": 0,
        "meterValue": [
            {
                "timestamp": T,
                "sampledValue": [
                    {"value": "12345"},
                    {"value": "AB12", "format": "SignedData"},
                    {"value": "230.1", "measurand": "Voltage", "unit": "V", "phase": "L1-N"},
                ],
            }
        ],
    }
    await cp16.send("MeterValues", payload)
    (event,) = services.of(MeterValuesReceived)
    assert event.transaction_id is None and event.connector_id == 0
    assert [(s.measurand, s.value, s.unit, s.phase) for s in event.samples] == [
        ("Energy.Active.Import.Register", 12345.0, "Wh", None),
        ("Voltage", 230.1, "V", "L1-N"),
    ]
    assert len(await services.state.list_meter_values("CP1")) == 1


async def test_data_transfer_unknown_vendor_and_registered_hook(services: Services) -> None:
    default = await Station(services, OCPPVersion.v16).send("DataTransfer", V16["DataTransfer"])
    assert default == {"status": "UnknownVendorId"}

    async def acme(ctx: CallContext, message_id: str | None, data: Any) -> DataTransferResult:
        return DataTransferResult(status="Accepted", data={"echo": data, "id": message_id})

    table = v16.build_handlers(HandlerConfig(data_transfer={"com.acme": acme}))
    answer = await Station(services, OCPPVersion.v16, table=table).send(
        "DataTransfer", V16["DataTransfer"]
    )
    assert answer == {"status": "Accepted", "data": '{"echo": "hello", "id": "ping"}'}
    assert len(services.of(NotificationReceived)) == 2


async def test_sign_certificate_needs_a_signer(services: Services) -> None:
    rejected = await Station(services, OCPPVersion.v16).send(
        "SignCertificate", V16["SignCertificate"]
    )
    assert rejected == {"status": "Rejected"}

    received: list[CertificateSigningRequest] = []

    async def signer(ctx: CallContext, request: CertificateSigningRequest) -> bool:
        received.append(request)
        return True

    table = v16.build_handlers(HandlerConfig(certificate_signer=signer))
    accepted = await Station(services, OCPPVersion.v16, table=table).send(
        "SignCertificate", V16["SignCertificate"]
    )
    assert accepted == {"status": "Accepted"}
    assert received[0].csr == V16["SignCertificate"]["csr"] and received[0].certificate_type is None
    assert [e.accepted for e in services.of(CertificateSigningRequested)] == [False, True]
    assert len(await services.state.list_notifications("CP1", "SignCertificate")) == 2


async def test_firmware_diagnostics_log_and_security_statuses(
    cp16: Station, services: Services
) -> None:
    await cp16.send("FirmwareStatusNotification", {"status": "Downloading"})
    await cp16.send("SignedFirmwareStatusNotification", V16["SignedFirmwareStatusNotification"])
    await cp16.send("DiagnosticsStatusNotification", {"status": "Uploading"})
    await cp16.send("LogStatusNotification", V16["LogStatusNotification"])
    await cp16.send(
        "SecurityEventNotification", {**V16["SecurityEventNotification"], "techInfo": "x"}
    )
    station = await services.state.get_station("CP1")
    assert station is not None
    firmware = station.operations[OperationKind.firmware]
    assert (firmware.status, firmware.request_id) == ("SignatureVerified", 3)
    assert station.operations[OperationKind.diagnostics].status == "Uploading"
    assert station.operations[OperationKind.log].request_id == 4
    assert [e.status for e in services.of(FirmwareStatusChanged)] == [
        "Downloading",
        "SignatureVerified",
    ]
    assert [e.status for e in services.of(DiagnosticsStatusChanged)] == ["Uploading", "Uploaded"]
    (security,) = services.of(SecurityEventReceived)
    assert (security.event_type, security.tech_info) == ("FirmwareUpdated", "x")
    (stored,) = await services.state.list_security_events("CP1")
    assert stored.timestamp == datetime(2026, 1, 1, 12, tzinfo=UTC)
