"""Token decisions: whitelist semantics, the eMSP's verdicts, and an eMSP too slow to answer.

The slow eMSP is a real TCP server on 127.0.0.1 that accepts requests and never answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from typing import Any

from examples.memory_backend import Partner
from ocpi import ModuleID
from ocpp_gw.simulator import SimulatedStation
from tests.bridge.bridge_box import started_box, token

BUDGET = 1.0


@contextlib.asynccontextmanager
async def silent_server() -> AsyncIterator[int]:
    """A server that reads requests and never answers; yields its port."""
    held: list[asyncio.StreamWriter] = []

    async def swallow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)
        with contextlib.suppress(ConnectionError):
            await reader.read(65536)

    server = await asyncio.start_server(swallow, "127.0.0.1", 0)
    port: int = server.sockets[0].getsockname()[1]
    try:
        yield port
    finally:
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()


def slow_partner(port: int) -> Partner:
    return Partner(
        token_in="slow-partner-token",
        token_out="token-we-call-it-with",
        version="2.2.1",
        credentials={"roles": [{"role": "EMSP", "country_code": "SL", "party_id": "OW"}]},
        endpoints=[
            {"identifier": "tokens", "role": "SENDER", "url": f"http://127.0.0.1:{port}/tokens"}
        ],
    )


def slow_token(uid: str, whitelist: str) -> dict[str, Any]:
    return {**token(uid, "2.2.1", whitelist), "country_code": "SL", "party_id": "OW"}


async def timed(station: SimulatedStation, uid: str) -> tuple[str, float]:
    started = time.monotonic()
    status = await station.authorize(uid)
    return status, time.monotonic() - started


async def test_an_emsp_that_does_not_answer_in_time(loopback: Any) -> None:
    async with (
        silent_server() as port,
        started_box(loopback, "2.2.1", authorization_budget=BUDGET) as box,
        SimulatedStation(box.ws_url, "CP-A", "2.0.1", call_timeout=10) as station,
    ):
        box.cpo_store.partners["slow-partner-token"] = slow_partner(port)
        objects = box.cpo_store.objects
        objects[(ModuleID.tokens, "OFF1")] = slow_token("OFF1", "ALLOWED_OFFLINE")
        objects[(ModuleID.tokens, "NEV1")] = slow_token("NEV1", "NEVER")
        await station.boot()

        # Budget exhausted: ALLOWED_OFFLINE accepts a valid token, NEVER refuses ...
        status, seconds = await timed(station, "OFF1")
        assert status == "Accepted" and seconds < BUDGET
        status, seconds = await timed(station, "NEV1")
        assert status == "Invalid" and seconds < BUDGET
        # ... and an unknown token, unknown to the fast eMSP too, is refused within the budget.
        status, seconds = await timed(station, "GHOST")
        assert status in ("Invalid", "Unknown") and seconds < BUDGET
        # The fast eMSP still answers for its own unknown-to-us token while the slow one hangs.
        box.emsp_store.objects[(ModuleID.tokens, "FAST1")] = token("FAST1", "2.2.1")
        status, seconds = await timed(station, "FAST1")
        assert status == "Accepted" and seconds < BUDGET


async def test_blocked_tokens(loopback: Any) -> None:
    async with (
        started_box(loopback, "2.2.1") as box,
        SimulatedStation(box.ws_url, "CP-B", "1.6") as station,
    ):
        await station.boot()
        blocked = {**token("BLK1", "2.2.1", "ALWAYS"), "valid": False}
        await box.to_cpo.put(ModuleID.tokens, blocked, "DE", "MSP", "BLK1")
        assert await station.authorize("BLK1") == "Blocked"  # decided locally
        # Not known to the CPO; the eMSP answers BLOCKED in real time.
        box.emsp_store.objects[(ModuleID.tokens, "BLK2")] = {
            **token("BLK2", "2.2.1"),
            "valid": False,
        }
        assert await station.authorize("BLK2") == "Blocked"
        # A token the eMSP allows, started locally: the session is charged to it (AUTH_REQUEST).
        box.emsp_store.objects[(ModuleID.tokens, "RT1")] = token("RT1", "2.2.1")
        await station.start_transaction("RT1", 1)
        objects = box.emsp_store.objects
        for _ in range(250):
            sessions = [o for (m, _), o in objects.items() if m == ModuleID.sessions]
            if sessions:
                break
            await asyncio.sleep(0.02)
        assert sessions[0]["auth_method"] == "AUTH_REQUEST"
        assert sessions[0]["cdr_token"]["uid"] == "RT1"
