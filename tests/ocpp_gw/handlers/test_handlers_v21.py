"""Messages OCPP 2.1 added: what the default handlers record and answer."""

from __future__ import annotations

from handler_harness import Services, Station
from handler_payloads import V21_NEW

from ocpp_gw.events import NotificationReceived, ReportReceived


async def test_certificate_chain_status_fails_per_certificate(cp21: Station) -> None:
    payload = V21_NEW["GetCertificateChainStatus"]
    answer = await cp21.send("GetCertificateChainStatus", payload)
    (status,) = answer["certificateStatus"]
    request = payload["certificateStatusRequests"][0]
    assert status["certificateHashData"] == request["certificateHashData"]
    assert (status["source"], status["status"]) == ("OCSP", "Failed")


async def test_vat_number_validation_echoes_and_rejects(cp21: Station, services: Services) -> None:
    answer = await cp21.send("VatNumberValidation", V21_NEW["VatNumberValidation"])
    assert (answer["vatNumber"], answer["evseId"], answer["status"]) == ("NL123", 1, "Rejected")
    without_evse = await cp21.send("VatNumberValidation", {"vatNumber": "DE9"})
    assert "evseId" not in without_evse and without_evse["vatNumber"] == "DE9"
    assert len(await services.state.list_notifications("CP1", "VatNumberValidation")) == 2


async def test_event_streams(cp21: Station, services: Services) -> None:
    opened = await cp21.send("OpenPeriodicEventStream", V21_NEW["OpenPeriodicEventStream"])
    assert opened == {"status": "Accepted"}
    await cp21.send("NotifyPeriodicEventStream", V21_NEW["NotifyPeriodicEventStream"])
    await cp21.send("ClosePeriodicEventStream", V21_NEW["ClosePeriodicEventStream"])
    actions = [e.action for e in services.of(NotificationReceived)]
    assert actions == [
        "OpenPeriodicEventStream",
        "NotifyPeriodicEventStream",
        "ClosePeriodicEventStream",
    ]
    # Stream data is announced but not stored.
    kinds = [n.kind for n in await services.state.list_notifications("CP1")]
    assert "NotifyPeriodicEventStream" not in kinds


async def test_dynamic_schedule_pull_is_rejected_without_source(cp21: Station) -> None:
    answer = await cp21.send("PullDynamicScheduleUpdate", V21_NEW["PullDynamicScheduleUpdate"])
    assert answer["status"] == "Rejected"
    assert answer["statusInfo"]["reasonCode"] == "UnsupportedRequest"


async def test_der_settlement_swap_and_priority_are_kept(cp21: Station, services: Services) -> None:
    for action in (
        "NotifyDERAlarm",
        "NotifyDERStartStop",
        "NotifySettlement",
        "BatterySwap",
        "NotifyPriorityCharging",
    ):
        assert await cp21.send(action, V21_NEW[action]) == {}
        (stored,) = await services.state.list_notifications("CP1", action)
        assert stored.data == V21_NEW[action]
    await cp21.send("ReportDERControl", V21_NEW["ReportDERControl"])
    (report,) = services.of(ReportReceived)
    assert (report.action, report.request_id, report.final) == ("ReportDERControl", 12, True)
