"""Customising what the gateway answers: configuration, an override, an authorizer and events.

* ``HandlerConfig`` gives the default handlers the decisions they cannot take alone: here the
  heartbeat interval handed out at boot and a vendor ``DataTransfer`` hook.
* ``gateway.on(version, action)`` replaces one handler; this one wraps the default
  StatusNotification handler (which records the status) and counts faults on top.
* The authorizer decides which tokens may charge: ``Authorize`` and transaction starts ask it.
* Subscribers receive version-neutral events (``TransactionStarted``, ``TransactionEnded`` ...).

A simulated OCPP 2.0.1 station boots, charges with an accepted token, is refused with an unknown
one, reports a fault and sends a vendor message.
"""

from __future__ import annotations

import asyncio
from typing import Any

from examples.loopback import free_port, shutdown
from examples.ocpp_connect import start
from ocpp_gw import (
    AuthorizationDecision,
    CallContext,
    DataTransferResult,
    GatewaySettings,
    HandlerConfig,
    IdTokenInfo,
    OCPPGateway,
    SimulatedStation,
    TransactionEnded,
    TransactionStarted,
    default_tables,
)

ACCEPTED_TOKENS = {"TAG-OK"}


async def authorizer(charge_point_id: str, token: IdTokenInfo) -> AuthorizationDecision:
    """Every start and Authorize ends up here (1.6 ``idTag`` and 2.x ``idToken`` alike)."""
    if token.id_token in ACCEPTED_TOKENS:
        return AuthorizationDecision("Accepted")
    return AuthorizationDecision("Unknown")  # 1.6 stations are told "Invalid"


async def acme_data_transfer(
    ctx: CallContext, message_id: str | None, data: Any
) -> DataTransferResult:
    """The hook of vendor ``com.acme``: answers its ``ping`` messages."""
    if message_id == "ping":
        return DataTransferResult(status="Accepted", data=f"pong from {ctx.charge_point_id}")
    return DataTransferResult(status="UnknownMessageId")


def build_gateway() -> tuple[OCPPGateway, dict[str, Any]]:
    config = HandlerConfig(heartbeat_interval=120, data_transfer={"com.acme": acme_data_transfer})
    gateway = OCPPGateway(
        settings=GatewaySettings(accept_unknown_chargers=True, ws_ping_interval=None),
        handlers=default_tables(config),
        authorizer=authorizer,
    )
    seen: dict[str, Any] = {"faults": 0, "started": [], "ended": []}

    # Keep the default behaviour (recording, StatusChanged event) and add to it.
    record_status = gateway.handler_table("2.0.1").get("StatusNotification")
    assert record_status is not None

    @gateway.on("2.0.1", "StatusNotification")
    async def status_notification(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
        if payload["connectorStatus"] == "Faulted":
            seen["faults"] += 1
        return await record_status(ctx, payload)

    @gateway.events.subscribe(TransactionStarted)
    async def started(event: TransactionStarted) -> None:
        seen["started"].append(event.id_token)

    @gateway.events.subscribe(TransactionEnded)
    async def ended(event: TransactionEnded) -> None:
        seen["ended"].append(event.reason)

    return gateway, seen


async def main() -> dict[str, Any]:
    gateway, seen = build_gateway()
    port = free_port()
    servers = [await start(gateway, port)]
    try:
        url = f"ws://127.0.0.1:{port}/ocpp"
        async with SimulatedStation(url, "CP-7", "2.0.1", time_scale=3600) as station:
            boot = await station.boot()
            transaction_id = await station.start_transaction("TAG-OK")
            await asyncio.sleep(0.05)  # at 3600x, a few Wh flow
            await station.send_meter_values(1)
            await station.stop_transaction(1)
            await station.start_transaction("TAG-STOLEN")  # refused: ends at once
            await station.set_status(1, "Faulted")
            vendor = await station.call(
                "DataTransfer", {"vendorId": "com.acme", "messageId": "ping"}
            )
        transaction = await gateway.state.get_transaction("CP-7", transaction_id)
        assert transaction is not None
        return {
            "heartbeat_interval": boot["interval"],
            "started": seen["started"],
            "ended": seen["ended"],
            "faults": seen["faults"],
            "data_transfer": vendor,
            "energy_wh": transaction.energy_wh,
        }
    finally:
        await shutdown(servers)


if __name__ == "__main__":
    print(asyncio.run(main()))
