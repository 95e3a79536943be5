"""OCPP 2.0.1 default handlers (and 2.1, which shares them): records, events and answers."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import pytest
from handler_harness import Services, Station
from handler_payloads import T_LATER, TOKEN, V201, T

from ocpp_gw.events import (
    ChargerBooted,
    ChargingLimitChanged,
    DeviceEventReceived,
    MeterValuesReceived,
    NotificationReceived,
    PublishFirmwareStatusChanged,
    ReportReceived,
    ReservationStatusChanged,
    StatusChanged,
    TransactionEnded,
    TransactionStarted,
    TransactionUpdated,
)
from ocpp_gw.handlers import v21, v201
from ocpp_gw.handlers.base import AuthorizationDecision, CallContext, OCPPVersion
from ocpp_gw.handlers.hooks import EVCertificateResult, HandlerConfig
from ocpp_gw.protocol.errors import SecurityError
from ocpp_gw.state import OperationKind, TransactionState

ACCEPTED = AuthorizationDecision(status="Accepted")
BOTH = pytest.mark.parametrize("version", [OCPPVersion.v201, OCPPVersion.v21])


def energy(value: float, context: str, unit: str = "Wh", multiplier: int = 0) -> dict[str, Any]:
    return {
        "timestamp": T,
        "sampledValue": [
            {
                "value": value,
                "context": context,
                "measurand": "Energy.Active.Import.Register",
                "unitOfMeasure": {"unit": unit, "multiplier": multiplier},
            }
        ],
    }


def event(event_type: str, seq_no: int, *, token: bool = False, **info: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "eventType": event_type,
        "timestamp": T if event_type != "Ended" else T_LATER,
        "triggerReason": "Authorized" if token else "CablePluggedIn",
        "seqNo": seq_no,
        "transactionInfo": {"transactionId": "tx-9", **info},
    }
    if token:
        payload["idToken"] = TOKEN
    return payload


@BOTH
async def test_boot_records_modem_and_reason(services: Services, version: OCPPVersion) -> None:
    answer = await Station(services, version).send("BootNotification", V201["BootNotification"])
    assert answer["status"] == "Accepted"
    station = await services.state.get_station("CP1")
    assert station is not None and station.boot is not None
    assert (station.boot.iccid, station.boot.imsi, station.boot.reason) == (
        "8931",
        "2040",
        "PowerUp",
    )
    assert station.version == version.value
    (booted,) = services.of(ChargerBooted)
    assert booted.reason == "PowerUp" and booted.version == version.value


@pytest.mark.parametrize(
    ("status", "allowed"),
    [("Pending", {"BootNotification", "NotifyReport"}), ("Rejected", {"BootNotification"})],
)
async def test_unaccepted_station_may_only_boot(
    cp201: Station, services: Services, status: str, allowed: set[str]
) -> None:
    await services.state.set_registration("CP1", status)
    assert (await cp201.send("BootNotification", V201["BootNotification"]))["status"] == status
    for action in ("StatusNotification", "Heartbeat", "NotifyReport", "BootNotification"):
        if action in allowed:
            await cp201.send(action, V201[action])
        else:
            with pytest.raises(SecurityError, match=status):
                await cp201.send(action, V201[action])
    assert await services.state.list_connectors("CP1") == []


async def test_registration_gate_can_be_switched_off(services: Services) -> None:
    await services.state.set_registration("CP1", "Rejected")
    table = v201.build_handlers(HandlerConfig(enforce_registration=False))
    cp = Station(services, OCPPVersion.v201, table=table)
    await cp.send("BootNotification", V201["BootNotification"])
    assert await cp.send("StatusNotification", V201["StatusNotification"]) == {}


async def test_rejected_station_is_told_so(cp201: Station, services: Services) -> None:
    await services.state.set_registration("CP1", "Rejected", heartbeat_interval=600)
    answer = await cp201.send("BootNotification", V201["BootNotification"])
    assert (answer["status"], answer["interval"]) == ("Rejected", 600)


@pytest.mark.parametrize(
    ("decision", "expected"),
    [
        (ACCEPTED, {"status": "Accepted"}),
        (AuthorizationDecision(status="NoCredit"), {"status": "NoCredit"}),
        (AuthorizationDecision(status="Whatever"), {"status": "Invalid"}),
        (
            AuthorizationDecision(
                status="Accepted",
                expiry_date=datetime(2027, 1, 1, tzinfo=UTC),
                group_id_token="G1",
                extra={"language1": "nl", "chargingPriority": 3, "ignored": True},
            ),
            {
                "status": "Accepted",
                "cacheExpiryDateTime": "2027-01-01T00:00:00.000Z",
                "groupIdToken": {"idToken": "G1", "type": "Central"},
                "language1": "nl",
                "chargingPriority": 3,
            },
        ),
    ],
)
async def test_authorize_maps_decisions(
    cp201: Station,
    services: Services,
    decision: AuthorizationDecision,
    expected: Mapping[str, Any],
) -> None:
    services.decisions["TAG1"] = decision
    answer = await cp201.send("Authorize", V201["Authorize"])
    assert answer == {"idTokenInfo": expected}
    (token,) = services.authorized
    assert (token.id_token, token.type) == ("TAG1", "ISO14443")


@BOTH
async def test_transaction_started_updated_ended(services: Services, version: OCPPVersion) -> None:
    cp = Station(services, version)
    services.decisions["TAG1"] = ACCEPTED
    started = await cp.send("TransactionEvent", V201["TransactionEvent"])
    assert started == {"idTokenInfo": {"status": "Accepted"}}
    record = await services.state.get_transaction("CP1", "tx-1")
    assert record is not None
    assert (record.evse_id, record.connector_id, record.meter_start_wh) == (1, 1, 1000)
    assert (record.id_token, record.id_token_type, record.charging_state) == (
        "TAG1",
        "ISO14443",
        "EVConnected",
    )

    updated = {
        **V201["TransactionEvent"],
        "eventType": "Updated",
        "triggerReason": "MeterValuePeriodic",
        "seqNo": 1,
        "transactionInfo": {"transactionId": "tx-1", "chargingState": "Charging"},
        "meterValue": [energy(2.5, "Sample.Periodic", unit="kWh")],
    }
    del updated["idToken"], updated["evse"]
    assert await cp.send("TransactionEvent", updated) == {}
    (update_event,) = services.of(TransactionUpdated)
    assert (update_event.charging_state, update_event.meter_wh) == ("Charging", 2500.0)

    ended = {
        **updated,
        "eventType": "Ended",
        "triggerReason": "StopAuthorized",
        "seqNo": 2,
        "timestamp": T_LATER,
        "idToken": TOKEN,
        "transactionInfo": {"transactionId": "tx-1", "stoppedReason": "Local"},
        "meterValue": [energy(31, "Transaction.End", multiplier=2)],
    }
    assert await cp.send("TransactionEvent", ended) == {"idTokenInfo": {"status": "Accepted"}}
    assert len(services.authorized) == 1  # the stop token was the start token
    record = await services.state.get_transaction("CP1", "tx-1")
    assert record is not None and record.state is TransactionState.ended
    assert (record.meter_stop_wh, record.energy_wh, record.stop_reason) == (3100, 2100, "Local")
    assert record.stopped_at == datetime(2026, 1, 1, 13, tzinfo=UTC)
    assert len(record.meter_values) == 3
    (ended_event,) = services.of(TransactionEnded)
    assert (ended_event.meter_stop_wh, ended_event.id_token) == (3100, "TAG1")
    assert len(services.of(TransactionStarted)) == 1


async def test_cable_first_then_token(cp201: Station, services: Services) -> None:
    services.decisions["TAG1"] = AuthorizationDecision(status="Blocked")
    assert await cp201.send("TransactionEvent", event("Started", 0)) == {}
    assert services.authorized == []
    answer = await cp201.send("TransactionEvent", event("Updated", 1, token=True))
    assert answer == {"idTokenInfo": {"status": "Blocked"}}
    record = await services.state.get_transaction("CP1", "tx-9")
    assert record is not None
    assert (record.id_token, record.authorization_status) == ("TAG1", "Blocked")
    (started,) = services.of(TransactionStarted)
    assert started.id_token is None


async def test_single_transaction_per_token(services: Services) -> None:
    services.decisions["TAG1"] = ACCEPTED
    table = v201.build_handlers(HandlerConfig(single_transaction_per_token=True))
    cp1 = Station(services, OCPPVersion.v201, "CP1", table)
    cp2 = Station(services, OCPPVersion.v201, "CP2", table)
    assert await cp1.send("TransactionEvent", V201["TransactionEvent"]) == {
        "idTokenInfo": {"status": "Accepted"}
    }
    # Cable first, then the same card at another station while tx-1 is still running.
    await cp2.send("TransactionEvent", event("Started", 0))
    answer = await cp2.send("TransactionEvent", event("Updated", 1, token=True))
    assert answer == {"idTokenInfo": {"status": "ConcurrentTx"}}
    # The running transaction's own updates and its stop are not affected.
    own = {**V201["TransactionEvent"], "eventType": "Updated", "seqNo": 1}
    assert await cp1.send("TransactionEvent", own) == {"idTokenInfo": {"status": "Accepted"}}
    assert len(services.authorized) == 1


async def test_ended_without_started_opens_and_closes(cp201: Station, services: Services) -> None:
    payload = {
        **event("Ended", 5, stoppedReason="EVDisconnected"),
        "evse": {"id": 2, "connectorId": 1},
        "meterValue": [energy(100, "Transaction.Begin"), energy(900, "Transaction.End")],
    }
    await cp201.send("TransactionEvent", payload)
    record = await services.state.get_transaction("CP1", "tx-9")
    assert record is not None and record.state is TransactionState.ended
    assert (record.evse_id, record.meter_start_wh, record.meter_stop_wh) == (2, 100, 900)
    assert record.stop_reason == "EVDisconnected"
    assert [type(e).__name__ for e in services.emitted if "Transaction" in type(e).__name__] == [
        "TransactionStarted",
        "TransactionEnded",
    ]


async def test_repeated_ended_is_recorded_once(cp201: Station, services: Services) -> None:
    services.decisions["TAG1"] = ACCEPTED
    payload = {
        **event("Ended", 3, token=True, stoppedReason="Local"),
        "meterValue": [energy(900, "Transaction.End")],
    }
    first = await cp201.send("TransactionEvent", payload)
    again = await cp201.send("TransactionEvent", payload)
    assert first == again == {"idTokenInfo": {"status": "Accepted"}}
    assert len(services.of(TransactionEnded)) == 1
    record = await services.state.get_transaction("CP1", "tx-9")
    assert record is not None and len(record.meter_values) == 1


async def test_new_transaction_on_a_busy_evse_closes_the_old_one(
    cp201: Station, services: Services
) -> None:
    services.decisions["TAG1"] = ACCEPTED
    await cp201.send("TransactionEvent", V201["TransactionEvent"])  # tx-1 on EVSE 1
    newer = {**event("Started", 0), "evse": {"id": 1, "connectorId": 1}}
    await cp201.send("TransactionEvent", newer)
    old = await services.state.get_transaction("CP1", "tx-1")
    assert old is not None and old.state is TransactionState.ended and old.stop_reason == "Other"
    active = await services.state.active_transaction("CP1", evse_id=1)
    assert active is not None and active.transaction_id == "tx-9"


async def test_repeated_started_is_stored_once(cp201: Station, services: Services) -> None:
    services.decisions["TAG1"] = ACCEPTED
    await cp201.send("TransactionEvent", V201["TransactionEvent"])
    await cp201.send("TransactionEvent", V201["TransactionEvent"])
    record = await services.state.get_transaction("CP1", "tx-1")
    assert record is not None and len(record.meter_values) == 1
    assert len(services.of(TransactionStarted)) == 1


async def test_status_and_meter_values(cp201: Station, services: Services) -> None:
    await cp201.send("StatusNotification", V201["StatusNotification"])
    (connector,) = await services.state.list_connectors("CP1")
    assert (connector.evse_id, connector.connector_id, connector.status) == (1, 1, "Occupied")
    assert services.of(StatusChanged)[0].evse_id == 1

    await cp201.send("MeterValues", V201["MeterValues"])
    (values,) = services.of(MeterValuesReceived)
    assert values.evse_id == 1 and values.transaction_id is None
    assert [(s.measurand, s.value, s.unit) for s in values.samples] == [
        ("Energy.Active.Import.Register", 1500.0, "Wh"),
        ("Power.Active.Import", 7200.0, "W"),
    ]


async def test_reports_fill_the_device_model(cp201: Station, services: Services) -> None:
    await cp201.send("NotifyReport", V201["NotifyReport"])
    await cp201.send("NotifyMonitoringReport", V201["NotifyMonitoringReport"])
    variables = {v.variable: v for v in await services.state.list_variables("CP1")}
    heartbeat = variables["HeartbeatInterval"]
    assert heartbeat.component == "OCPPCommCtrlr"
    assert heartbeat.attributes[0]["value"] == "300"
    assert heartbeat.characteristics is not None and heartbeat.characteristics["unit"] == "s"
    power = variables["Power"]
    assert (power.component, power.evse_id, power.monitors[0]["type"]) == (
        "EVSE",
        1,
        "UpperThreshold",
    )
    reports = services.of(ReportReceived)
    assert [(r.action, r.request_id, r.final) for r in reports] == [
        ("NotifyReport", 8, False),
        ("NotifyMonitoringReport", 7, True),
    ]


async def test_notify_event_reports_connector_state(cp201: Station, services: Services) -> None:
    await cp201.send("NotifyEvent", V201["NotifyEvent"])
    (connector,) = await services.state.list_connectors("CP1")
    assert connector.status == "Occupied"
    (device_event,) = services.of(DeviceEventReceived)
    assert (device_event.component, device_event.variable, device_event.actual_value) == (
        "Connector",
        "AvailabilityState",
        "Occupied",
    )
    assert device_event.notification_type == "HardWiredNotification"


async def test_charging_limits_and_reservations(cp201: Station, services: Services) -> None:
    await cp201.send("NotifyChargingLimit", V201["NotifyChargingLimit"])
    (limit,) = await services.state.list_charging_limits("CP1")
    assert (limit.source, limit.grid_critical, limit.cleared) == ("EMS", True, False)
    assert limit.schedules[0]["chargingRateUnit"] == "W"
    await cp201.send("ClearedChargingLimit", V201["ClearedChargingLimit"])
    (limit,) = await services.state.list_charging_limits("CP1")
    assert limit.cleared
    assert [e.cleared for e in services.of(ChargingLimitChanged)] == [False, True]

    await cp201.send("ReservationStatusUpdate", V201["ReservationStatusUpdate"])
    reservation = await services.state.get_reservation("CP1", 11)
    assert reservation is not None and reservation.status == "Expired"
    (changed,) = services.of(ReservationStatusChanged)
    assert (changed.reservation_id, changed.status) == (11, "Expired")


@pytest.mark.parametrize(
    ("version", "accept", "status"),
    [
        (OCPPVersion.v201, False, "Rejected"),
        (OCPPVersion.v21, False, "NoChargingProfile"),
        (OCPPVersion.v201, True, "Accepted"),
    ],
)
async def test_ev_charging_needs(
    services: Services, version: OCPPVersion, accept: bool, status: str
) -> None:
    module = v201 if version is OCPPVersion.v201 else v21
    table = module.build_handlers(HandlerConfig(accept_ev_charging_needs=accept))
    answer = await Station(services, version, table=table).send(
        "NotifyEVChargingNeeds", V201["NotifyEVChargingNeeds"]
    )
    assert answer == {"status": status}
    (note,) = services.of(NotificationReceived)
    assert note.payload["chargingNeeds"]["requestedEnergyTransfer"] == "AC_three_phase"


async def test_certificates_fail_without_hooks(cp201: Station, services: Services) -> None:
    ev = await cp201.send("Get15118EVCertificate", V201["Get15118EVCertificate"])
    assert ev["status"] == "Failed" and ev["statusInfo"]["reasonCode"] == "UnsupportedRequest"
    ocsp = await cp201.send("GetCertificateStatus", V201["GetCertificateStatus"])
    assert ocsp["status"] == "Failed"
    signed = await cp201.send("SignCertificate", V201["SignCertificate"])
    assert signed["status"] == "Rejected"


async def test_certificate_hooks(services: Services) -> None:
    async def ev_certificates(ctx: CallContext, request: Mapping[str, Any]) -> EVCertificateResult:
        return EVCertificateResult(status="Accepted", exi_response=request["exiRequest"] + "==")

    async def ocsp(ctx: CallContext, request: Mapping[str, Any]) -> str | None:
        return f"OCSP-{request['serialNumber']}"

    table = v201.build_handlers(HandlerConfig(ev_certificates=ev_certificates, ocsp_responder=ocsp))
    cp = Station(services, OCPPVersion.v201, table=table)
    ev = await cp.send("Get15118EVCertificate", V201["Get15118EVCertificate"])
    assert ev == {"status": "Accepted", "exiResponse": "AAAA=="}
    status = await cp.send("GetCertificateStatus", V201["GetCertificateStatus"])
    assert status == {"status": "Accepted", "ocspResult": "OCSP-01"}


async def test_firmware_publish_and_log_statuses(cp201: Station, services: Services) -> None:
    await cp201.send("FirmwareStatusNotification", V201["FirmwareStatusNotification"])
    await cp201.send("PublishFirmwareStatusNotification", V201["PublishFirmwareStatusNotification"])
    await cp201.send("LogStatusNotification", V201["LogStatusNotification"])
    station = await services.state.get_station("CP1")
    assert station is not None
    assert station.operations[OperationKind.firmware].status == "Installed"
    assert station.operations[OperationKind.publish_firmware].request_id == 9
    assert station.operations[OperationKind.log].status == "Uploading"
    (published,) = services.of(PublishFirmwareStatusChanged)
    assert published.locations == ("http://controller.local/fw.bin",)


async def test_multi_part_reports_are_kept(cp201: Station, services: Services) -> None:
    for action in ("NotifyCustomerInformation", "NotifyDisplayMessages", "ReportChargingProfiles"):
        await cp201.send(action, V201[action])
    kinds = [n.kind for n in await services.state.list_notifications("CP1")]
    assert kinds == ["NotifyCustomerInformation", "NotifyDisplayMessages", "ReportChargingProfiles"]
    assert [r.request_id for r in services.of(ReportReceived)] == [5, 6, 10]
