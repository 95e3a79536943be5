"""Default handlers for every message a 2.0.1 charging station sends.

This module holds provisioning, authorization, transactions, availability, meter values,
security, firmware, diagnostics and data transfer; device-model reports, smart charging,
reservations, display messages and customer information are in :mod:`.v201_reports`. 2.1
(:mod:`.v21`) starts from these handlers, so they read the version from ``ctx`` and only use
fields both versions define.
"""

from __future__ import annotations

import logging
from typing import Any

from ocpp_gw.handlers.base import CallContext, HandlerTable, OCPPVersion
from ocpp_gw.handlers.common import (
    id_token_from_wire,
    id_token_info,
    parse_timestamp,
    record_boot,
    record_heartbeat,
    record_notification,
    record_operation_status,
    record_security_event,
    record_status,
)
from ocpp_gw.handlers.hooks import DefaultHandlers, HandlerConfig, data_transfer, sign_certificate
from ocpp_gw.handlers.meter import energy_register_wh, meter_value_records
from ocpp_gw.handlers.transactions import (
    authorize_start,
    authorize_token,
    close_transaction,
    open_transaction,
    record_meter_values,
    update_transaction,
)
from ocpp_gw.handlers.v201_reports import REPORT_HANDLERS
from ocpp_gw.state import (
    BootInfo,
    OperationKind,
    TransactionRecord,
    TransactionState,
    TransactionUpdate,
)

logger = logging.getLogger(__name__)

__all__ = ["DEFAULTS", "HANDLERS", "build_handlers", "unsupported"]

#: The 2.0.1 default handlers before configuration; ``build_handlers`` binds a config.
DEFAULTS = DefaultHandlers(OCPPVersion.v201)


def unsupported(what: str) -> dict[str, Any]:
    """``statusInfo`` for a request the CSMS cannot serve without an integrator hook."""
    return {"reasonCode": "UnsupportedRequest", "additionalInfo": f"no {what} configured"}


# Block B: provisioning


@DEFAULTS.on_configured("BootNotification")
async def boot_notification(
    config: HandlerConfig, ctx: CallContext, payload: dict[str, Any]
) -> dict[str, Any]:
    station = payload["chargingStation"]
    modem = station.get("modem") or {}
    info = BootInfo(
        vendor=station["vendorName"],
        model=station["model"],
        serial_number=station.get("serialNumber"),
        firmware_version=station.get("firmwareVersion"),
        reason=payload["reason"],
        iccid=modem.get("iccid"),
        imsi=modem.get("imsi"),
        raw=payload,
    )
    return await record_boot(ctx, info, config.heartbeat_interval)


@DEFAULTS.on("Heartbeat")
async def heartbeat(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    return await record_heartbeat(ctx)


# Block C: authorization


@DEFAULTS.on("Authorize")
async def authorize(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    if "certificate" in payload or "iso15118CertificateHashData" in payload:
        # Contract certificate validation needs the V2G PKI; without it the station is told
        # nothing about the certificate and relies on the token verdict alone.
        logger.info("%s Authorize with contract certificate data: not checked", ctx.charge_point_id)
    decision = await authorize_token(ctx, id_token_from_wire(payload["idToken"]))
    return {"idTokenInfo": id_token_info(decision)}


# Block E: transactions


@DEFAULTS.on_configured("TransactionEvent")
async def transaction_event(
    config: HandlerConfig, ctx: CallContext, payload: dict[str, Any]
) -> dict[str, Any]:
    info = payload["transactionInfo"]
    transaction_id: str = info["transactionId"]
    event_type = payload["eventType"]
    at = parse_timestamp(payload["timestamp"])
    store = ctx.gateway.state
    existing = await store.get_transaction(ctx.charge_point_id, transaction_id)

    evse = payload.get("evse") or {}
    evse_id = evse.get("id", existing.evse_id if existing else None)
    connector_id = evse.get("connectorId", existing.connector_id if existing else None)
    records = meter_value_records(
        payload.get("meterValue", ()),
        ctx.version,
        evse_id=evse_id,
        connector_id=connector_id,
        transaction_id=transaction_id,
    )
    wire_token = payload.get("idToken")
    token = (
        id_token_from_wire(wire_token, evse_id=evse_id, connector_id=connector_id)
        if wire_token
        else None
    )
    decision = None
    if token is not None:
        # A stop token (Ended) never starts anything; any other first token does.
        exclusive = config.single_transaction_per_token and event_type != "Ended"
        decision = await authorize_start(ctx, token, existing, exclusive=exclusive)
    if existing is not None and existing.state is TransactionState.ended:
        # The station repeats a message about a finished transaction (our answer was lost):
        # answer again, record nothing twice.
        return {"idTokenInfo": id_token_info(decision)} if decision else {}

    if existing is None:
        # Started, or an Updated/Ended whose Started never arrived: the transaction exists on the
        # station either way, so it is opened here with what this message tells.
        meter_start = energy_register_wh(records, context="Transaction.Begin")
        if meter_start is None and event_type == "Started":
            meter_start = energy_register_wh(records)
        existing = await open_transaction(
            ctx,
            TransactionRecord(
                charge_point_id=ctx.charge_point_id,
                transaction_id=transaction_id,
                evse_id=evse_id,
                connector_id=connector_id,
                started_at=at,
                id_token=token.id_token if token else None,
                id_token_type=token.type if token else None,
                authorization_status=decision.status if decision else None,
                meter_start_wh=meter_start,
                meter_wh=meter_start,
                reservation_id=payload.get("reservationId"),
                remote_start_id=info.get("remoteStartId"),
                charging_state=info.get("chargingState"),
                seq_no=payload["seqNo"],
            ),
        )
        if event_type == "Started":
            await record_meter_values(ctx, records)
            records = []

    if event_type == "Ended":
        await record_meter_values(ctx, records)
        meter_stop = energy_register_wh(records, context="Transaction.End")
        await close_transaction(
            ctx,
            transaction_id,
            stopped_at=at,
            meter_stop_wh=meter_stop if meter_stop is not None else energy_register_wh(records),
            reason=info.get("stoppedReason", "Local"),
            id_token=token.id_token if token else None,
        )
    elif event_type == "Updated" or existing.seq_no != payload["seqNo"]:
        # (A repeated Started, same seqNo, changes nothing and must not store its values twice.)
        # A token presented later in the transaction (cable first, then card) becomes its token;
        # a different token on an already authorized transaction does not replace it.
        first_token = token is not None and existing.id_token is None
        await update_transaction(
            ctx,
            transaction_id,
            TransactionUpdate(
                evse_id=evse_id,
                connector_id=connector_id,
                id_token=token.id_token if token and first_token else None,
                id_token_type=token.type if token and first_token else None,
                authorization_status=decision.status if decision and first_token else None,
                charging_state=info.get("chargingState"),
                seq_no=payload["seqNo"],
                remote_start_id=info.get("remoteStartId"),
            ),
            records,
        )
    return {"idTokenInfo": id_token_info(decision)} if decision else {}


# Block G: availability


@DEFAULTS.on("StatusNotification")
async def status_notification(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    await record_status(
        ctx,
        payload["evseId"],
        payload["connectorId"],
        payload["connectorStatus"],
        at=parse_timestamp(payload["timestamp"]),
    )
    return {}


# Block J: meter values


@DEFAULTS.on("MeterValues")
async def meter_values(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    # 2.x MeterValues are never part of a transaction (those travel in TransactionEvent);
    # evseId 0 is the station's main meter.
    records = meter_value_records(payload["meterValue"], ctx.version, evse_id=payload["evseId"])
    await record_meter_values(ctx, records)
    return {}


# Block A: security


@DEFAULTS.on("SecurityEventNotification")
async def security_event_notification(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    await record_security_event(
        ctx, payload["type"], parse_timestamp(payload["timestamp"]), payload.get("techInfo")
    )
    return {}


@DEFAULTS.on_configured("SignCertificate")
async def sign_certificate_2x(
    config: HandlerConfig, ctx: CallContext, payload: dict[str, Any]
) -> dict[str, Any]:
    accepted = await sign_certificate(
        config,
        ctx,
        payload["csr"],
        certificate_type=payload.get("certificateType", "ChargingStationCertificate"),
        request_id=payload.get("requestId"),
    )
    if accepted:
        return {"status": "Accepted"}
    return {"status": "Rejected", "statusInfo": unsupported("certificate signer")}


# Block M: ISO 15118 certificate management


@DEFAULTS.on_configured("Get15118EVCertificate")
async def get_15118_ev_certificate(
    config: HandlerConfig, ctx: CallContext, payload: dict[str, Any]
) -> dict[str, Any]:
    logger.info(
        "%s requests an EV certificate (%s, schema %s)",
        ctx.charge_point_id,
        payload["action"],
        payload["iso15118SchemaVersion"],
    )
    await record_notification(ctx, payload)
    if config.ev_certificates is None:
        return {
            "status": "Failed",
            "exiResponse": "",
            "statusInfo": unsupported("EV certificate provider"),
        }
    result = await config.ev_certificates(ctx, payload)
    answer: dict[str, Any] = {"status": result.status, "exiResponse": result.exi_response}
    if result.remaining_contracts is not None and ctx.version is not OCPPVersion.v201:
        answer["remainingContracts"] = result.remaining_contracts
    return answer


@DEFAULTS.on_configured("GetCertificateStatus")
async def get_certificate_status(
    config: HandlerConfig, ctx: CallContext, payload: dict[str, Any]
) -> dict[str, Any]:
    request = payload["ocspRequestData"]
    await record_notification(ctx, payload)
    if config.ocsp_responder is None:
        return {"status": "Failed", "statusInfo": unsupported("OCSP responder")}
    result = await config.ocsp_responder(ctx, request)
    if result is None:
        return {"status": "Failed", "statusInfo": {"reasonCode": "NotFound"}}
    return {"status": "Accepted", "ocspResult": result}


# Block L: firmware management, block N: diagnostics


@DEFAULTS.on("FirmwareStatusNotification")
async def firmware_status_notification(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    await record_operation_status(
        ctx, OperationKind.firmware, payload["status"], request_id=payload.get("requestId")
    )
    return {}


@DEFAULTS.on("PublishFirmwareStatusNotification")
async def publish_firmware_status_notification(
    ctx: CallContext, payload: dict[str, Any]
) -> dict[str, Any]:
    await record_operation_status(
        ctx,
        OperationKind.publish_firmware,
        payload["status"],
        request_id=payload.get("requestId"),
        locations=tuple(payload.get("location", ())),
    )
    return {}


@DEFAULTS.on("LogStatusNotification")
async def log_status_notification(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    await record_operation_status(
        ctx, OperationKind.log, payload["status"], request_id=payload.get("requestId")
    )
    return {}


# Block P: data transfer


@DEFAULTS.on_configured("DataTransfer")
async def data_transfer_2x(
    config: HandlerConfig, ctx: CallContext, payload: dict[str, Any]
) -> dict[str, Any]:
    result = await data_transfer(config, ctx, payload)
    answer: dict[str, Any] = {"status": result.status}
    if result.data is not None:
        answer["data"] = result.data
    return answer


DEFAULTS.include(REPORT_HANDLERS)


def build_handlers(config: HandlerConfig | None = None) -> HandlerTable:
    """The 2.0.1 default handler table with ``config`` bound (see :class:`HandlerConfig`)."""
    return DEFAULTS.build(config)


#: The 2.0.1 defaults with the default :class:`HandlerConfig`; ``copy()`` it to customise.
HANDLERS = build_handlers()
