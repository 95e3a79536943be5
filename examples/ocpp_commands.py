"""Sending commands to stations: ``gateway.call``, typed helpers, errors, REST, two nodes.

Two gateway processes (here: two gateways in one process) share a charger registry and a command
bus: the in-memory ones stand in for ``RedisChargerRegistry``/``RedisCommandBus``. A simulated
OCPP 1.6 station connects to node A; node B reaches it over the bus. Every CALL is validated
against the station's version before it leaves, and its answer after it arrives.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from examples.loopback import free_port, shutdown
from examples.ocpp_connect import start
from ocpp_gw import (
    ChargerNotConnected,
    GatewaySettings,
    InvalidCallError,
    MemoryChargerRegistry,
    MemoryCommandBus,
    OCPPCallError,
    OCPPGateway,
    SimulatedStation,
)


async def main() -> dict[str, Any]:
    registry, bus = MemoryChargerRegistry(), MemoryCommandBus()
    node_a = OCPPGateway(
        settings=GatewaySettings(
            node_id="node-a",
            accept_unknown_chargers=True,
            api_token="api-secret",  # enables the REST command API
            ws_ping_interval=None,
        ),
        registry=registry,
        bus=bus,
    )
    node_b = OCPPGateway(settings=GatewaySettings(node_id="node-b"), registry=registry, bus=bus)
    port = free_port()
    servers = [await start(node_a, port)]
    await node_b.start()  # serves its share of the bus (node A's app lifespan starts node A)
    result: dict[str, Any] = {}
    try:
        url = f"ws://127.0.0.1:{port}/ocpp"
        async with SimulatedStation(url, "CP-1", "1.6") as station:
            await station.boot()

            # Any CALL of the station's version, payload as on the wire (camelCase).
            result["change"] = await node_a.call(
                "CP-1", "ChangeConfiguration", {"key": "HeartbeatInterval", "value": "120"}
            )
            # Typed helpers pick the action of the station's version (1.6 Remote*Transaction,
            # 2.x Request*Transaction) and return the status word.
            result["remote_start"] = await node_a.remote_start("CP-1", "TAG-1", connector_id=1)
            await station.settle()  # the simulator starts charging after it answered
            transaction_id = station.connectors[1].transaction_id
            assert transaction_id is not None
            result["remote_stop"] = await node_a.remote_stop("CP-1", transaction_id)
            await station.settle()

            # Errors are exceptions, never a silent None.
            try:
                await node_a.call("CP-1", "ChangeAvailability", {"connectorId": 1})
            except InvalidCallError as exc:  # refused before sending: "type" is missing
                result["invalid"] = exc.violation.code if exc.violation else None
            try:
                await node_a.call("CP-1", "DeleteCertificate", {"certificateHashData": HASH})
            except OCPPCallError as exc:  # the station answered with a CALLERROR
                result["call_error"] = exc.code
            try:
                await node_a.call("CP-9", "ClearCache", {})
            except ChargerNotConnected:
                result["not_connected"] = True

            # The station is connected to node A; node B's call travels over the bus.
            result["via_node_b"] = await node_b.call(
                "CP-1", "GetConfiguration", {"key": ["HeartbeatInterval"]}
            )

            # The REST command API (bearer token = settings.api_token).
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}/api/ocpp") as client:
                headers = {"Authorization": "Bearer api-secret"}
                chargers = await client.get("/chargers", headers=headers)
                result["rest_chargers"] = [c["charge_point_id"] for c in chargers.json()]
                answer = await client.post(
                    "/chargers/CP-1/call/ClearCache", json={}, headers=headers
                )
                result["rest_clear_cache"] = (answer.status_code, answer.json())
                refused = await client.post(
                    "/chargers/CP-1/call/Reset", json={"type": "Sideways"}, headers=headers
                )
                result["rest_invalid"] = (refused.status_code, refused.json()["detail"]["code"])
        return result
    finally:
        await node_b.stop()
        await shutdown(servers)


HASH = {
    "hashAlgorithm": "SHA256",
    "issuerNameHash": "0" * 64,
    "issuerKeyHash": "0" * 64,
    "serialNumber": "01",
}


if __name__ == "__main__":
    print(asyncio.run(main()))
