"""The transaction lifecycle shared by 1.6 Start/StopTransaction and 2.x TransactionEvent.

A transaction is opened, updated with meter values and closed; each step is stored in the
:class:`~ocpp_gw.state.ChargerStateStore` and announced as a Transaction* event. Meter values
outside a transaction (plain MeterValues) go through :func:`record_meter_values` as well.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Sequence
from datetime import datetime

from ocpp_gw.events import (
    MeterValuesReceived,
    TransactionEnded,
    TransactionStarted,
    TransactionUpdated,
)
from ocpp_gw.handlers.base import AuthorizationDecision, CallContext, IdTokenInfo
from ocpp_gw.handlers.common import event_fields
from ocpp_gw.handlers.meter import energy_register_wh
from ocpp_gw.state import (
    MeterValueRecord,
    TransactionRecord,
    TransactionState,
    TransactionUpdate,
)

logger = logging.getLogger(__name__)

#: Unknown transactions already warned about (most recent last), so a station that keeps
#: sending meter values for one logs a warning once, not on every message.
_warned_unknown: OrderedDict[tuple[str, str], None] = OrderedDict()
_WARNED_LIMIT = 4096


def _warn_unknown_once(charge_point_id: str, transaction_id: str, what: str) -> None:
    key = (charge_point_id, transaction_id)
    if key in _warned_unknown:
        _warned_unknown.move_to_end(key)
        logger.debug("%s %s unknown transaction %s", charge_point_id, what, transaction_id)
        return
    _warned_unknown[key] = None
    if len(_warned_unknown) > _WARNED_LIMIT:
        _warned_unknown.popitem(last=False)
    logger.warning(
        "%s %s unknown transaction %s (further messages logged at debug level)",
        charge_point_id,
        what,
        transaction_id,
    )


__all__ = [
    "authorize_start",
    "authorize_token",
    "close_transaction",
    "open_transaction",
    "record_meter_values",
    "update_transaction",
]


async def authorize_token(
    ctx: CallContext, token: IdTokenInfo, transaction: TransactionRecord | None = None
) -> AuthorizationDecision:
    """Ask the gateway's authorizer about ``token``.

    A token that already started ``transaction`` keeps the verdict it got then: stations repeat
    the start token when stopping, and asking an eMSP again at that point would only add a
    round trip (and could refuse a stop that must happen anyway).
    """
    if (
        transaction is not None
        and transaction.id_token == token.id_token
        and transaction.authorization_status is not None
    ):
        return AuthorizationDecision(status=transaction.authorization_status)
    decision = await ctx.gateway.authorize(ctx.charge_point_id, token)
    logger.info("%s token authorization: %s", ctx.charge_point_id, decision.status)
    return decision


async def authorize_start(
    ctx: CallContext,
    token: IdTokenInfo,
    transaction: TransactionRecord | None = None,
    *,
    exclusive: bool = False,
) -> AuthorizationDecision:
    """Authorize ``token`` for starting (or becoming the token of) ``transaction``.

    With ``exclusive`` a token that already holds another active transaction, on any station,
    gets ``ConcurrentTx`` without a round trip to the authorizer.
    """
    if exclusive and (transaction is None or transaction.id_token != token.id_token):
        current = (transaction.charge_point_id, transaction.transaction_id) if transaction else None
        for other in await ctx.gateway.state.list_transactions(active_only=True):
            # A transaction the token was refused for (the station ends it) holds nothing.
            holds = other.authorization_status in (None, "Accepted")
            if (
                holds
                and other.id_token == token.id_token
                and ((other.charge_point_id, other.transaction_id) != current)
            ):
                logger.info(
                    "%s token already charging at %s", ctx.charge_point_id, other.charge_point_id
                )
                return AuthorizationDecision(status="ConcurrentTx")
    return await authorize_token(ctx, token, transaction)


async def open_transaction(ctx: CallContext, record: TransactionRecord) -> TransactionRecord:
    """Store a new transaction and emit :class:`TransactionStarted`.

    A transaction still active on the same EVSE (2.x) or connector (1.6) cannot be running any
    more: the station lost its end (a reboot, a dropped message). It is closed first, at the new
    start, with the new start register as its last reading and reason ``Other``.
    """
    if record.evse_id is not None:
        stale = await ctx.gateway.state.active_transaction(
            ctx.charge_point_id, evse_id=record.evse_id
        )
    else:
        stale = await ctx.gateway.state.active_transaction(
            ctx.charge_point_id, connector_id=record.connector_id
        )
    if stale is not None and stale.transaction_id != record.transaction_id:
        logger.warning(
            "%s transaction %s replaces %s that never ended",
            ctx.charge_point_id,
            record.transaction_id,
            stale.transaction_id,
        )
        await close_transaction(
            ctx,
            stale.transaction_id,
            stopped_at=record.started_at,
            meter_stop_wh=record.meter_start_wh,
            reason="Other",
            id_token=None,
        )
    stored = await ctx.gateway.state.start_transaction(record)
    await ctx.gateway.events.emit(
        TransactionStarted(
            **event_fields(ctx, record.started_at),
            transaction_id=record.transaction_id,
            evse_id=record.evse_id,
            connector_id=record.connector_id,
            id_token=record.id_token,
            id_token_type=record.id_token_type,
            meter_start_wh=record.meter_start_wh,
            reservation_id=record.reservation_id,
            remote_start_id=record.remote_start_id,
        )
    )
    return stored


async def record_meter_values(
    ctx: CallContext, records: Sequence[MeterValueRecord]
) -> float | None:
    """Store meter values, emit one :class:`MeterValuesReceived` per sampling moment.

    Returns the latest energy register (Wh) among them, if any.
    """
    if not records:
        return None
    await ctx.gateway.state.add_meter_values(ctx.charge_point_id, records)
    for record in records:
        await ctx.gateway.events.emit(
            MeterValuesReceived(
                **event_fields(ctx),
                evse_id=record.evse_id,
                connector_id=record.connector_id,
                transaction_id=record.transaction_id,
                samples=record.samples,
                sampled_at=record.timestamp,
            )
        )
    return energy_register_wh(records)


async def update_transaction(
    ctx: CallContext,
    transaction_id: str,
    update: TransactionUpdate,
    records: Sequence[MeterValueRecord] = (),
) -> TransactionRecord | None:
    """Apply ``update`` plus the meter values' register and emit :class:`TransactionUpdated`."""
    meter_wh = await record_meter_values(ctx, records)
    if meter_wh is not None:
        update.meter_wh = meter_wh
    stored = await ctx.gateway.state.update_transaction(ctx.charge_point_id, transaction_id, update)
    if stored is None:
        _warn_unknown_once(ctx.charge_point_id, transaction_id, "update for")
        return None
    await ctx.gateway.events.emit(
        TransactionUpdated(
            **event_fields(ctx),
            transaction_id=transaction_id,
            charging_state=stored.charging_state,
            meter_wh=stored.meter_wh,
            samples=tuple(s for r in records for s in r.samples),
        )
    )
    return stored


async def close_transaction(
    ctx: CallContext,
    transaction_id: str,
    *,
    stopped_at: datetime,
    meter_stop_wh: float | None,
    reason: str | None,
    id_token: str | None,
) -> TransactionRecord | None:
    """End a transaction and emit :class:`TransactionEnded` (also for an unknown one).

    An unknown id still produces the event: the station ended something the gateway did not
    see start (a lost message, a restart of the CSMS), and billing needs to hear about it. A
    transaction that already ended (the station repeating its stop after a lost answer) is
    announced only once.
    """
    before = await ctx.gateway.state.get_transaction(ctx.charge_point_id, transaction_id)
    if before is not None and before.state is TransactionState.ended:
        logger.info("%s repeated end of transaction %s", ctx.charge_point_id, transaction_id)
        return before
    stored = await ctx.gateway.state.end_transaction(
        ctx.charge_point_id,
        transaction_id,
        stopped_at=stopped_at,
        meter_stop_wh=meter_stop_wh,
        reason=reason,
        id_token=id_token,
    )
    if stored is None:
        logger.warning("%s ended unknown transaction %s", ctx.charge_point_id, transaction_id)
    await ctx.gateway.events.emit(
        TransactionEnded(
            **event_fields(ctx, stopped_at),
            transaction_id=transaction_id,
            meter_stop_wh=stored.meter_stop_wh if stored else meter_stop_wh,
            reason=reason,
            id_token=id_token,
        )
    )
    return stored
