"""Behaviour the default handlers of every OCPP version share.

Version modules read their payloads, call these functions with version-neutral values and format
the answer; recording into the state store and emitting events happens here, once.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from ocpp_gw.events import (
    ChargerBooted,
    DiagnosticsStatusChanged,
    FirmwareStatusChanged,
    NotificationReceived,
    PublishFirmwareStatusChanged,
    ReportReceived,
    SecurityEventReceived,
    StatusChanged,
)
from ocpp_gw.handlers.base import (
    AuthorizationDecision,
    CallContext,
    IdTokenInfo,
    utc_now_iso,
)
from ocpp_gw.protocol.errors import SecurityError
from ocpp_gw.state import BootInfo, NotificationRecord, OperationKind, SecurityEventRecord

logger = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_HEARTBEAT_INTERVAL",
    "check_registration",
    "event_fields",
    "format_timestamp",
    "id_tag_info",
    "id_token_from_wire",
    "id_token_info",
    "parse_timestamp",
    "record_boot",
    "record_heartbeat",
    "record_notification",
    "record_operation_status",
    "record_report_part",
    "record_security_event",
    "record_status",
]

#: Heartbeat interval (seconds) answered to a BootNotification when nothing else is configured.
DEFAULT_HEARTBEAT_INTERVAL = 300

# What 1.6 idTagInfo can say; the richer 2.x verdicts all mean "do not charge" there.
_STATUSES_16 = frozenset({"Accepted", "Blocked", "Expired", "Invalid", "ConcurrentTx"})
_STATUSES_2X = _STATUSES_16 | {
    "NoCredit",
    "NotAllowedTypeEVSE",
    "NotAtThisLocation",
    "NotAtThisTime",
    "Unknown",
}
# IdTokenInfoType fields an Authorizer may pass through AuthorizationDecision.extra.
_ID_TOKEN_INFO_EXTRAS = ("chargingPriority", "language1", "language2", "evseId", "personalMessage")


def parse_timestamp(value: str | None) -> datetime:
    """``value`` (RFC 3339, any offset) as an aware UTC datetime; now when missing or unreadable.

    Stations with a wrong clock or buggy firmware send odd timestamps; the schemas only check that
    it is a string, so a bad one is logged and replaced rather than failing the whole message.
    """
    if value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            logger.warning("unreadable timestamp %r, using the current time", value)
        else:
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=UTC)
            return parsed.astimezone(UTC)
    return datetime.now(UTC)


def format_timestamp(value: datetime) -> str:
    """``value`` in the wire format (UTC, milliseconds, ``Z``)."""
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def event_fields(ctx: CallContext, at: datetime | None = None) -> dict[str, Any]:
    """The fields every :class:`~ocpp_gw.events.Event` carries, taken from the call."""
    return {
        "charge_point_id": ctx.charge_point_id,
        "version": ctx.version.value,
        "timestamp": at or datetime.now(UTC),
    }


# Authorization


def id_token_from_wire(
    token: Mapping[str, Any], *, evse_id: int | None = None, connector_id: int | None = None
) -> IdTokenInfo:
    """A 2.x ``IdTokenType`` object as :class:`IdTokenInfo`."""
    return IdTokenInfo(
        id_token=str(token["idToken"]),
        type=token.get("type"),
        evse_id=evse_id,
        connector_id=connector_id,
        additional_info=tuple(token.get("additionalInfo", ())),
    )


def id_tag_info(decision: AuthorizationDecision) -> dict[str, Any]:
    """1.6 ``IdTagInfo`` for a decision; 2.x-only statuses become ``Invalid``."""
    status = decision.status if decision.status in _STATUSES_16 else "Invalid"
    info: dict[str, Any] = {"status": status}
    if decision.expiry_date is not None:
        info["expiryDate"] = format_timestamp(decision.expiry_date)
    parent = decision.parent_id_token or decision.group_id_token
    if parent:
        info["parentIdTag"] = parent[:20]
    return info


def id_token_info(decision: AuthorizationDecision) -> dict[str, Any]:
    """2.x ``IdTokenInfoType`` for a decision (both 2.0.1 and 2.1 accept the same fields).

    ``decision.extra`` may carry ``chargingPriority``, ``language1``, ``language2``, ``evseId``,
    ``personalMessage`` (wire names) and ``groupIdTokenType`` (default ``Central``).
    """
    status = decision.status if decision.status in _STATUSES_2X else "Invalid"
    info: dict[str, Any] = {"status": status}
    if decision.expiry_date is not None:
        info["cacheExpiryDateTime"] = format_timestamp(decision.expiry_date)
    group = decision.group_id_token or decision.parent_id_token
    if group:
        group_type = decision.extra.get("groupIdTokenType", "Central")
        info["groupIdToken"] = {"idToken": group, "type": group_type}
    for key in _ID_TOKEN_INFO_EXTRAS:
        if key in decision.extra:
            info[key] = decision.extra[key]
    return info


# Registration


# While Pending a station may answer what the CSMS asks for (reports); nothing else before boot.
_ALLOWED_WHILE_PENDING = frozenset({"BootNotification", "NotifyReport", "NotifyMonitoringReport"})


async def check_registration(ctx: CallContext) -> None:
    """Refuse a message from a station whose last boot was not accepted (``SecurityError``).

    Stations that have not booted since the store knows them (a CSMS restart with a memory
    store) are let through: they were accepted by whoever answered their boot.
    """
    if ctx.action == "BootNotification":
        return
    status = await ctx.gateway.state.registration_status(ctx.charge_point_id)
    if status is None or status == "Accepted":
        return
    if status == "Pending" and ctx.action in _ALLOWED_WHILE_PENDING:
        return
    raise SecurityError(f"{ctx.action} is not allowed while the registration is {status}")


# Station-level records


async def record_boot(ctx: CallContext, info: BootInfo, default_interval: int) -> dict[str, Any]:
    """Store a boot and return ``status``/``currentTime``/``interval`` for the answer.

    The registration status and interval come from the station record, so an integrator can
    keep a station ``Pending`` (or reject it) with :meth:`ChargerStateStore.set_registration`.
    """
    station = await ctx.gateway.state.record_boot(
        ctx.charge_point_id, info, version=ctx.version.value
    )
    status = station.registration_status
    interval = station.heartbeat_interval or default_interval
    logger.info(
        "%s booted (%s %s, firmware %s): %s",
        ctx.charge_point_id,
        info.vendor,
        info.model,
        info.firmware_version,
        status,
    )
    await ctx.gateway.events.emit(
        ChargerBooted(
            **event_fields(ctx),
            vendor=info.vendor,
            model=info.model,
            serial_number=info.serial_number,
            firmware_version=info.firmware_version,
            reason=info.reason,
            raw=info.raw,
        )
    )
    return {"status": status, "currentTime": utc_now_iso(), "interval": interval}


async def record_heartbeat(ctx: CallContext) -> dict[str, Any]:
    """Mark the station alive and return the Heartbeat answer (``currentTime``)."""
    await ctx.gateway.state.touch(ctx.charge_point_id, heartbeat=True)
    return {"currentTime": utc_now_iso()}


async def record_status(
    ctx: CallContext,
    evse_id: int | None,
    connector_id: int | None,
    status: str,
    *,
    at: datetime,
    error_code: str | None = None,
    info: str | None = None,
) -> None:
    """Store a connector/EVSE status change and emit :class:`StatusChanged`."""
    await ctx.gateway.state.record_status(
        ctx.charge_point_id,
        evse_id,
        connector_id,
        status,
        error_code=error_code,
        info=info,
        at=at,
    )
    await ctx.gateway.events.emit(
        StatusChanged(
            **event_fields(ctx, at),
            evse_id=evse_id,
            connector_id=connector_id,
            status=status,
            error_code=error_code,
            info=info,
        )
    )


async def record_operation_status(
    ctx: CallContext,
    operation: OperationKind,
    status: str,
    *,
    request_id: int | None = None,
    locations: tuple[str, ...] = (),
) -> None:
    """Firmware / diagnostics / log / publish-firmware progress, stored and announced."""
    await ctx.gateway.state.record_operation_status(
        ctx.charge_point_id, operation, status, request_id=request_id
    )
    fields = event_fields(ctx)
    if operation is OperationKind.firmware:
        await ctx.gateway.events.emit(
            FirmwareStatusChanged(**fields, status=status, request_id=request_id)
        )
    elif operation is OperationKind.publish_firmware:
        await ctx.gateway.events.emit(
            PublishFirmwareStatusChanged(
                **fields, status=status, request_id=request_id, locations=locations
            )
        )
    else:
        await ctx.gateway.events.emit(
            DiagnosticsStatusChanged(**fields, status=status, request_id=request_id)
        )


async def record_security_event(
    ctx: CallContext, event_type: str, at: datetime, tech_info: str | None
) -> None:
    """Store a security event and emit :class:`SecurityEventReceived`."""
    await ctx.gateway.state.add_security_event(
        SecurityEventRecord(
            charge_point_id=ctx.charge_point_id,
            event_type=event_type,
            timestamp=at,
            tech_info=tech_info,
        )
    )
    logger.info("%s security event %s", ctx.charge_point_id, event_type)
    await ctx.gateway.events.emit(
        SecurityEventReceived(**event_fields(ctx, at), event_type=event_type, tech_info=tech_info)
    )


async def record_notification(
    ctx: CallContext, payload: dict[str, Any], *, emit: bool = True
) -> None:
    """Keep a message for later reading and (unless ``emit`` is false) announce it."""
    now = datetime.now(UTC)
    await ctx.gateway.state.add_notification(
        NotificationRecord(
            charge_point_id=ctx.charge_point_id, kind=ctx.action, timestamp=now, data=payload
        )
    )
    if emit:
        await ctx.gateway.events.emit(
            NotificationReceived(**event_fields(ctx, now), action=ctx.action, payload=payload)
        )


async def record_report_part(
    ctx: CallContext, payload: dict[str, Any], *, keep: bool = True
) -> None:
    """One part of a multi-part report (``requestId``/``seqNo``/``tbc``), announced.

    ``keep`` stores the payload as a notification too; reports whose content is stored in a
    structured way (device-model variables) pass ``False``.
    """
    if keep:
        await record_notification(ctx, payload, emit=False)
    seq_no = payload.get("seqNo")
    await ctx.gateway.events.emit(
        ReportReceived(
            **event_fields(ctx),
            action=ctx.action,
            request_id=payload.get("requestId"),
            seq_no=seq_no,
            final=not payload.get("tbc", False),
            payload=payload,
        )
    )
