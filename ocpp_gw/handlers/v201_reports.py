"""2.0.1 default handlers for what a station reports about itself and its surroundings.

Device-model reports and events (block B/N), smart charging limits, profiles and ISO 15118
charging needs (block K), reservations (block H), display messages (block O) and customer
information (block N). :mod:`.v201` includes :data:`REPORT_HANDLERS` in its table; 2.1 reuses
them as they are.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from ocpp_gw.events import ChargingLimitChanged, DeviceEventReceived, ReservationStatusChanged
from ocpp_gw.handlers.base import CallContext, OCPPVersion
from ocpp_gw.handlers.common import (
    event_fields,
    parse_timestamp,
    record_notification,
    record_report_part,
    record_status,
)
from ocpp_gw.handlers.hooks import DefaultHandlers, HandlerConfig
from ocpp_gw.state import ChargingLimitRecord, VariableRecord

logger = logging.getLogger(__name__)

__all__ = ["REPORT_HANDLERS"]

#: Report, smart-charging, reservation and display handlers shared by 2.0.1 and 2.1.
REPORT_HANDLERS = DefaultHandlers(OCPPVersion.v201)


def _variable(entry: Mapping[str, Any], **reported: Any) -> VariableRecord:
    component = entry["component"]
    variable = entry["variable"]
    evse = component.get("evse") or {}
    return VariableRecord(
        component=component["name"],
        component_instance=component.get("instance"),
        evse_id=evse.get("id"),
        connector_id=evse.get("connectorId"),
        variable=variable["name"],
        variable_instance=variable.get("instance"),
        **reported,
    )


# Device model


@REPORT_HANDLERS.on("NotifyReport")
async def notify_report(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    variables = [
        _variable(
            entry,
            attributes=list(entry["variableAttribute"]),
            characteristics=entry.get("variableCharacteristics"),
        )
        for entry in payload.get("reportData", ())
    ]
    await ctx.gateway.state.upsert_variables(ctx.charge_point_id, variables)
    await record_report_part(ctx, payload, keep=False)
    return {}


@REPORT_HANDLERS.on("NotifyMonitoringReport")
async def notify_monitoring_report(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    variables = [
        _variable(entry, monitors=list(entry["variableMonitoring"]))
        for entry in payload.get("monitor", ())
    ]
    await ctx.gateway.state.upsert_variables(ctx.charge_point_id, variables)
    await record_report_part(ctx, payload, keep=False)
    return {}


@REPORT_HANDLERS.on("NotifyEvent")
async def notify_event(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    await record_notification(ctx, payload, emit=False)
    for data in payload["eventData"]:
        component, variable = data["component"], data["variable"]
        evse = component.get("evse") or {}
        at = parse_timestamp(data["timestamp"])
        if (
            component["name"] == "Connector"
            and variable["name"] == "AvailabilityState"
            and "id" in evse
        ):
            # Stations may report connector status through the device model instead of
            # StatusNotification; both end up as the same connector status.
            await record_status(
                ctx, evse["id"], evse.get("connectorId"), data["actualValue"], at=at
            )
        await ctx.gateway.events.emit(
            DeviceEventReceived(
                **event_fields(ctx, at),
                event_id=data["eventId"],
                trigger=data["trigger"],
                component=component["name"],
                variable=variable["name"],
                actual_value=data["actualValue"],
                evse_id=evse.get("id"),
                connector_id=evse.get("connectorId"),
                cleared=data.get("cleared"),
                tech_info=data.get("techInfo"),
                notification_type=data.get("eventNotificationType"),
            )
        )
    return {}


@REPORT_HANDLERS.on("NotifyCustomerInformation")
async def notify_customer_information(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    await record_report_part(ctx, payload)
    return {}


# Display messages


@REPORT_HANDLERS.on("NotifyDisplayMessages")
async def notify_display_messages(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    await record_report_part(ctx, payload)
    return {}


# Reservations


@REPORT_HANDLERS.on("ReservationStatusUpdate")
async def reservation_status_update(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    reservation_id = payload["reservationId"]
    status = payload["reservationUpdateStatus"]
    await ctx.gateway.state.record_reservation(ctx.charge_point_id, reservation_id, status)
    await ctx.gateway.events.emit(
        ReservationStatusChanged(**event_fields(ctx), reservation_id=reservation_id, status=status)
    )
    return {}


# Smart charging


async def _record_limit(
    ctx: CallContext,
    source: str,
    evse_id: int | None,
    *,
    cleared: bool,
    grid_critical: bool | None = None,
    schedules: list[dict[str, Any]] | None = None,
) -> None:
    now = datetime.now(UTC)
    await ctx.gateway.state.record_charging_limit(
        ChargingLimitRecord(
            charge_point_id=ctx.charge_point_id,
            source=source,
            evse_id=evse_id,
            updated_at=now,
            grid_critical=grid_critical,
            schedules=schedules or [],
            cleared=cleared,
        )
    )
    await ctx.gateway.events.emit(
        ChargingLimitChanged(
            **event_fields(ctx, now),
            evse_id=evse_id,
            source=source,
            cleared=cleared,
            grid_critical=grid_critical,
            schedules=tuple(schedules or ()),
        )
    )


@REPORT_HANDLERS.on("NotifyChargingLimit")
async def notify_charging_limit(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    limit = payload["chargingLimit"]
    await _record_limit(
        ctx,
        limit["chargingLimitSource"],
        payload.get("evseId"),
        cleared=False,
        grid_critical=limit.get("isGridCritical"),
        schedules=list(payload.get("chargingSchedule", ())),
    )
    return {}


@REPORT_HANDLERS.on("ClearedChargingLimit")
async def cleared_charging_limit(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    await _record_limit(ctx, payload["chargingLimitSource"], payload.get("evseId"), cleared=True)
    return {}


@REPORT_HANDLERS.on("ReportChargingProfiles")
async def report_charging_profiles(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    await record_report_part(ctx, payload)
    return {}


@REPORT_HANDLERS.on_configured("NotifyEVChargingNeeds")
async def notify_ev_charging_needs(
    config: HandlerConfig, ctx: CallContext, payload: dict[str, Any]
) -> dict[str, Any]:
    needs = payload["chargingNeeds"]
    logger.info(
        "%s EVSE %s charging needs (%s)",
        ctx.charge_point_id,
        payload["evseId"],
        needs.get("requestedEnergyTransfer"),
    )
    await record_notification(ctx, payload)
    if config.accept_ev_charging_needs:
        return {"status": "Accepted"}
    # Nobody computes a schedule for the EV: 2.0.1 can only refuse, 2.1 says so precisely.
    return {"status": "Rejected" if ctx.version is OCPPVersion.v201 else "NoChargingProfile"}


@REPORT_HANDLERS.on("NotifyEVChargingSchedule")
async def notify_ev_charging_schedule(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    schedule = payload["chargingSchedule"]
    logger.info(
        "%s EVSE %s EV schedule %s with %d periods",
        ctx.charge_point_id,
        payload["evseId"],
        schedule.get("id"),
        len(schedule.get("chargingSchedulePeriod", ())),
    )
    # The EV's schedule is information for the CSMS; it is accepted and kept as reported.
    await record_notification(ctx, payload)
    return {"status": "Accepted"}
