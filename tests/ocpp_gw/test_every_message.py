"""Every charger-initiated message of 1.6, 2.0.1 and 2.1 over a real WebSocket, default handlers.

One station per version sends the example of every message it may send (the samples of the
handler tests) on one connection; each CALL must get a CALLRESULT valid against the official
response schema, and the 2.1 SEND messages (unconfirmed) must get no frame at all.
"""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
import pytest
from handlers.handler_payloads import SAMPLES
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from ocpp_gw import OCPPGateway
from ocpp_gw.events import Event
from ocpp_gw.handlers.base import OCPPVersion
from ocpp_gw.protocol.validation import schema_set


async def next_frame(ws: ClientConnection, timeout: float = 5.0) -> list[Any]:
    async with asyncio.timeout(timeout):
        frame: list[Any] = orjson.loads(await ws.recv())
    return frame


@pytest.mark.parametrize("version", list(OCPPVersion), ids=[v.value for v in OCPPVersion])
async def test_every_station_message_is_answered_by_the_default_handlers(
    make_gateway: Any, serve: Any, version: OCPPVersion
) -> None:
    gateway: OCPPGateway = make_gateway(handlers={})  # {}: the built-in default handlers
    events: list[Event] = []

    async def collect(event: Event) -> None:
        events.append(event)

    gateway.events.add(Event, collect)
    server = await serve(gateway)
    schemas = schema_set(version)
    samples = SAMPLES[version]
    # Boot first: the default handlers only talk to a registered station.
    ordered = ["BootNotification", *sorted(set(samples) - {"BootNotification"})]
    async with connect(server.ws_url("CP1"), subprotocols=[Subprotocol(version.subprotocol)]) as ws:
        for n, action in enumerate(ordered):
            unique_id = f"m{n}"
            if action in schemas.send_actions:
                await ws.send(orjson.dumps([6, unique_id, action, samples[action]]).decode())
                continue
            await ws.send(orjson.dumps([2, unique_id, action, samples[action]]).decode())
            frame = await next_frame(ws)
            # A SEND sent before this CALL would show up here if it had been answered.
            assert frame[:2] == [3, unique_id], (action, frame)
            schemas.validate_response(action, frame[2])
    station = await gateway.state.get_station("CP1")
    assert station is not None and station.vendor == "ACME"
    assert station.last_heartbeat is not None
    assert {e.charge_point_id for e in events} == {"CP1"}
    assert len(events) >= len(samples) - 2  # Heartbeat and Authorize emit nothing


async def test_a_send_only_message_sent_as_call_is_refused(make_gateway: Any, serve: Any) -> None:
    gateway: OCPPGateway = make_gateway(handlers={})
    server = await serve(gateway)
    sample = SAMPLES[OCPPVersion.v21]["NotifyPeriodicEventStream"]
    async with connect(server.ws_url("CP1"), subprotocols=[Subprotocol("ocpp2.1")]) as ws:
        await ws.send(orjson.dumps([2, "c1", "NotifyPeriodicEventStream", sample]).decode())
        frame = await next_frame(ws)
    assert frame[:3] == [4, "c1", "ProtocolError"]
