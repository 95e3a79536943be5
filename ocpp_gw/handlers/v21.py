"""Default handlers for every message a 2.1 charging station sends.

Every message 2.0.1 already had is handled by the 2.0.1 handler (they read the version from the
call context where the answers differ). This module adds what 2.1 introduced: battery swapping,
periodic event streams, DER control reports, priority charging, payment settlement, dynamic
schedule pulls, VAT number validation and certificate chain status.

NotifyPeriodicEventStream is a SEND (message type 6): it has no response, so its handler's
``{}`` result is never put on the wire by the gateway.
"""

from __future__ import annotations

import logging
from typing import Any

from ocpp_gw.events import NotificationReceived
from ocpp_gw.handlers.base import CallContext, HandlerTable, OCPPVersion, utc_now_iso
from ocpp_gw.handlers.common import event_fields, record_notification, record_report_part
from ocpp_gw.handlers.hooks import HandlerConfig
from ocpp_gw.handlers.v201 import DEFAULTS as DEFAULTS_201
from ocpp_gw.handlers.v201 import unsupported

logger = logging.getLogger(__name__)

__all__ = ["DEFAULTS", "HANDLERS", "build_handlers"]

#: The 2.1 default handlers (2.0.1's plus the new messages) before configuration.
DEFAULTS = DEFAULTS_201.derive(OCPPVersion.v21)


async def _record(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    await record_notification(ctx, payload)
    return {}


@DEFAULTS.on("BatterySwap")
async def battery_swap(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    logger.info(
        "%s battery swap %s (request %s, %d batteries)",
        ctx.charge_point_id,
        payload["eventType"],
        payload["requestId"],
        len(payload["batteryData"]),
    )
    return await _record(ctx, payload)


@DEFAULTS.on("NotifyDERAlarm")
async def notify_der_alarm(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    logger.warning(
        "%s DER alarm %s (%s)%s",
        ctx.charge_point_id,
        payload["controlType"],
        payload.get("gridEventFault", "no fault given"),
        " ended" if payload.get("alarmEnded") else "",
    )
    return await _record(ctx, payload)


@DEFAULTS.on("NotifyDERStartStop")
async def notify_der_start_stop(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    logger.info(
        "%s DER control %s %s",
        ctx.charge_point_id,
        payload["controlId"],
        "started" if payload["started"] else "stopped",
    )
    return await _record(ctx, payload)


@DEFAULTS.on("ReportDERControl")
async def report_der_control(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    await record_report_part(ctx, payload)
    return {}


@DEFAULTS.on("NotifyPriorityCharging")
async def notify_priority_charging(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    logger.info(
        "%s transaction %s priority charging %s",
        ctx.charge_point_id,
        payload["transactionId"],
        "on" if payload["activated"] else "off",
    )
    return await _record(ctx, payload)


@DEFAULTS.on("NotifySettlement")
async def notify_settlement(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    # The gateway issues no receipts of its own; a station-provided receipt stays as reported.
    logger.info(
        "%s settlement %s for transaction %s: %s %s",
        ctx.charge_point_id,
        payload["pspRef"],
        payload.get("transactionId"),
        payload["status"],
        payload["settlementAmount"],
    )
    return await _record(ctx, payload)


@DEFAULTS.on("OpenPeriodicEventStream")
async def open_periodic_event_stream(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    stream = payload["constantStreamData"]
    logger.info(
        "%s opens event stream %s for monitor %s",
        ctx.charge_point_id,
        stream["id"],
        stream["variableMonitoringId"],
    )
    await record_notification(ctx, payload)
    return {"status": "Accepted"}


@DEFAULTS.on("ClosePeriodicEventStream")
async def close_periodic_event_stream(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    return await _record(ctx, payload)


@DEFAULTS.on("NotifyPeriodicEventStream")
async def notify_periodic_event_stream(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    # Streams are frequent by design; they are announced but not stored.
    await ctx.gateway.events.emit(
        NotificationReceived(**event_fields(ctx), action=ctx.action, payload=payload)
    )
    return {}


@DEFAULTS.on("PullDynamicScheduleUpdate")
async def pull_dynamic_schedule_update(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    logger.info(
        "%s asks for an update of dynamic profile %s",
        ctx.charge_point_id,
        payload["chargingProfileId"],
    )
    await record_notification(ctx, payload)
    return {"status": "Rejected", "statusInfo": unsupported("dynamic schedule source")}


@DEFAULTS.on("VatNumberValidation")
async def vat_number_validation(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    await record_notification(ctx, payload)
    answer: dict[str, Any] = {
        "vatNumber": payload["vatNumber"],
        "status": "Rejected",
        "statusInfo": unsupported("VAT number validation"),
    }
    if "evseId" in payload:
        answer["evseId"] = payload["evseId"]
    return answer


@DEFAULTS.on("GetCertificateChainStatus")
async def get_certificate_chain_status(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    # Revocation checks need the PKI's CRLs/OCSP responders; without them every certificate's
    # status is Failed, which the station treats as "could not be checked".
    now = utc_now_iso()
    return {
        "certificateStatus": [
            {
                "certificateHashData": request["certificateHashData"],
                "source": request["source"],
                "status": "Failed",
                "nextUpdate": now,
            }
            for request in payload["certificateStatusRequests"]
        ]
    }


def build_handlers(config: HandlerConfig | None = None) -> HandlerTable:
    """The 2.1 default handler table with ``config`` bound (see :class:`HandlerConfig`)."""
    return DEFAULTS.build(config)


#: The 2.1 defaults with the default :class:`HandlerConfig`; ``copy()`` it to customise.
HANDLERS = build_handlers()
