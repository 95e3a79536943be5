"""Default handlers for every message a 1.6 charge point sends (core, all feature profiles and the
security whitepaper).

1.6 has no EVSE level: connectors are stored and announced with ``evse_id=None``, connector 0
being the whole charge point. Transaction ids are integers the CSMS assigns in StartTransaction
(:meth:`~ocpp_gw.state.ChargerStateStore.next_transaction_id`), stored as strings.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from ocpp_gw.handlers.base import CallContext, HandlerTable, IdTokenInfo, OCPPVersion
from ocpp_gw.handlers.common import (
    id_tag_info,
    parse_timestamp,
    record_boot,
    record_heartbeat,
    record_operation_status,
    record_security_event,
    record_status,
)
from ocpp_gw.handlers.hooks import DefaultHandlers, HandlerConfig, data_transfer, sign_certificate
from ocpp_gw.handlers.meter import meter_value_records
from ocpp_gw.handlers.transactions import (
    authorize_start,
    authorize_token,
    close_transaction,
    open_transaction,
    record_meter_values,
    update_transaction,
)
from ocpp_gw.state import (
    BootInfo,
    OperationKind,
    TransactionRecord,
    TransactionState,
    TransactionUpdate,
)

logger = logging.getLogger(__name__)

__all__ = ["DEFAULTS", "HANDLERS", "build_handlers"]

VERSION = OCPPVersion.v16

#: The 1.6 default handlers before configuration; ``build_handlers`` binds a config.
DEFAULTS = DefaultHandlers(VERSION)


@DEFAULTS.on_configured("BootNotification")
async def boot_notification(
    config: HandlerConfig, ctx: CallContext, payload: dict[str, Any]
) -> dict[str, Any]:
    info = BootInfo(
        vendor=payload["chargePointVendor"],
        model=payload["chargePointModel"],
        serial_number=payload.get("chargePointSerialNumber")
        or payload.get("chargeBoxSerialNumber"),
        firmware_version=payload.get("firmwareVersion"),
        iccid=payload.get("iccid"),
        imsi=payload.get("imsi"),
        meter_type=payload.get("meterType"),
        meter_serial_number=payload.get("meterSerialNumber"),
        raw=payload,
    )
    return await record_boot(ctx, info, config.heartbeat_interval)


@DEFAULTS.on("Heartbeat")
async def heartbeat(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    return await record_heartbeat(ctx)


@DEFAULTS.on("StatusNotification")
async def status_notification(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    info = payload.get("info")
    vendor_code = payload.get("vendorErrorCode")
    if vendor_code:
        # Keep the vendor's own code visible; 1.6 has no separate place for it downstream.
        vendor_part = f"({payload.get('vendorId', 'vendor')}: {vendor_code})"
        info = f"{info} {vendor_part}" if info else vendor_part
    await record_status(
        ctx,
        None,
        payload["connectorId"],
        payload["status"],
        at=parse_timestamp(payload.get("timestamp")),
        error_code=payload["errorCode"],
        info=info,
    )
    return {}


@DEFAULTS.on("Authorize")
async def authorize(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    decision = await authorize_token(ctx, IdTokenInfo(id_token=payload["idTag"]))
    return {"idTagInfo": id_tag_info(decision)}


@DEFAULTS.on_configured("StartTransaction")
async def start_transaction(
    config: HandlerConfig, ctx: CallContext, payload: dict[str, Any]
) -> dict[str, Any]:
    connector_id = payload["connectorId"]
    started_at = parse_timestamp(payload["timestamp"])
    token = IdTokenInfo(id_token=payload["idTag"], connector_id=connector_id)
    store = ctx.gateway.state
    # A station that lost our answer (connection dropped) sends the same StartTransaction again;
    # it must get the same transaction id back, not a second transaction.
    active = await store.active_transaction(ctx.charge_point_id, connector_id=connector_id)
    if (
        active is not None
        and active.id_token == token.id_token
        and active.started_at == started_at
        and active.meter_start_wh == payload["meterStart"]
    ):
        decision = await authorize_token(ctx, token, active)
        return {"transactionId": int(active.transaction_id), "idTagInfo": id_tag_info(decision)}

    decision = await authorize_start(ctx, token, exclusive=config.single_transaction_per_token)
    transaction_id = await store.next_transaction_id()
    await open_transaction(
        ctx,
        TransactionRecord(
            charge_point_id=ctx.charge_point_id,
            transaction_id=str(transaction_id),
            evse_id=None,
            connector_id=connector_id,
            started_at=started_at,
            id_token=token.id_token,
            authorization_status=decision.status,
            meter_start_wh=payload["meterStart"],
            meter_wh=payload["meterStart"],
            reservation_id=payload.get("reservationId"),
        ),
    )
    return {"transactionId": transaction_id, "idTagInfo": id_tag_info(decision)}


@DEFAULTS.on("MeterValues")
async def meter_values(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    raw_id = payload.get("transactionId")
    transaction_id = str(raw_id) if raw_id is not None else None
    records = meter_value_records(
        payload["meterValue"],
        VERSION,
        connector_id=payload["connectorId"],
        transaction_id=transaction_id,
    )
    if transaction_id is None:
        await record_meter_values(ctx, records)
    else:
        await update_transaction(ctx, transaction_id, TransactionUpdate(), records)
    return {}


@DEFAULTS.on("StopTransaction")
async def stop_transaction(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    transaction_id = str(payload["transactionId"])
    transaction = await ctx.gateway.state.get_transaction(ctx.charge_point_id, transaction_id)
    records = meter_value_records(
        payload.get("transactionData", ()),
        VERSION,
        connector_id=transaction.connector_id if transaction else None,
        transaction_id=transaction_id,
    )
    if transaction is None or transaction.state is TransactionState.active:
        # (A repeated stop of an ended transaction must not store its values twice.)
        await record_meter_values(ctx, records)
    id_tag = payload.get("idTag")
    await close_transaction(
        ctx,
        transaction_id,
        stopped_at=parse_timestamp(payload["timestamp"]),
        meter_stop_wh=payload["meterStop"],
        # 1.6: an absent reason means the transaction was stopped locally.
        reason=payload.get("reason", "Local"),
        id_token=id_tag,
    )
    if id_tag is None:
        return {}
    decision = await authorize_token(ctx, IdTokenInfo(id_token=id_tag), transaction)
    return {"idTagInfo": id_tag_info(decision)}


@DEFAULTS.on_configured("DataTransfer")
async def data_transfer_16(
    config: HandlerConfig, ctx: CallContext, payload: dict[str, Any]
) -> dict[str, Any]:
    result = await data_transfer(config, ctx, payload)
    answer: dict[str, Any] = {"status": result.status}
    if result.data is not None:
        # 1.6 data is free text; structured answers travel as JSON text.
        answer["data"] = result.data if isinstance(result.data, str) else json.dumps(result.data)
    return answer


@DEFAULTS.on("DiagnosticsStatusNotification")
async def diagnostics_status_notification(
    ctx: CallContext, payload: dict[str, Any]
) -> dict[str, Any]:
    await record_operation_status(ctx, OperationKind.diagnostics, payload["status"])
    return {}


@DEFAULTS.on("FirmwareStatusNotification")
async def firmware_status_notification(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    await record_operation_status(ctx, OperationKind.firmware, payload["status"])
    return {}


@DEFAULTS.on("SignedFirmwareStatusNotification")
async def signed_firmware_status_notification(
    ctx: CallContext, payload: dict[str, Any]
) -> dict[str, Any]:
    await record_operation_status(
        ctx, OperationKind.firmware, payload["status"], request_id=payload.get("requestId")
    )
    return {}


@DEFAULTS.on("LogStatusNotification")
async def log_status_notification(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    await record_operation_status(
        ctx, OperationKind.log, payload["status"], request_id=payload.get("requestId")
    )
    return {}


@DEFAULTS.on("SecurityEventNotification")
async def security_event_notification(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    await record_security_event(
        ctx, payload["type"], parse_timestamp(payload["timestamp"]), payload.get("techInfo")
    )
    return {}


@DEFAULTS.on_configured("SignCertificate")
async def sign_certificate_16(
    config: HandlerConfig, ctx: CallContext, payload: dict[str, Any]
) -> dict[str, Any]:
    accepted = await sign_certificate(config, ctx, payload["csr"])
    return {"status": "Accepted" if accepted else "Rejected"}


def build_handlers(config: HandlerConfig | None = None) -> HandlerTable:
    """The 1.6 default handler table with ``config`` bound (see :class:`HandlerConfig`)."""
    return DEFAULTS.build(config)


#: The 1.6 defaults with the default :class:`HandlerConfig`; ``copy()`` it to customise.
HANDLERS = build_handlers()
