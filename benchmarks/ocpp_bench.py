"""OCPP round-trip benchmark: our gateway against the ``ocpp`` package and a raw limit server.

Three servers run in their own processes, one at a time:

* ``gateway`` — :class:`ocpp_gw.OCPPGateway` under uvicorn (schema validation both ways, the
  handler table, response validation), answering with minimal handlers (``--default-handlers``
  uses the built-in ones with the in-memory state store instead);
* ``ocpp`` — a minimal CSMS written the way the ``ocpp`` package's README shows
  (``websockets.serve`` + a ``ChargePoint`` subclass with ``@on`` handlers);
* ``raw`` — a bare ``websockets`` server that reads the message id and answers a fixed
  CALLRESULT: the limit of Python WebSockets on this machine.

N stations (raw ``websockets`` clients in this process) each keep one CALL in flight, mixing
Heartbeat : StatusNotification : MeterValues (10 sampled values) as 1 : 1 : 2. Reported: round
trips per second, p50/p99 latency, server CPU µs per round trip (``/proc/<pid>/stat``), and RSS
per idle connection, each also as a ratio to the raw server::

    python benchmarks/ocpp_bench.py --stations 50 --seconds 5 --versions 1.6 2.0.1
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import os
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
NOW = "2024-01-01T00:00:00.000Z"
SERVERS = ("raw", "ocpp", "gateway")


# -- messages ---------------------------------------------------------------------------------


def station_messages(version: str) -> list[tuple[str, dict[str, Any]]]:
    """The 1:1:2 mix of one cycle."""
    sampled: list[dict[str, Any]]
    if version == "1.6":
        sampled = [
            {
                "value": f"{1000 + i}.5",
                "measurand": "Energy.Active.Import.Register",
                "unit": "Wh",
                "context": "Sample.Periodic",
            }
            for i in range(10)
        ]
        status = {"connectorId": 1, "errorCode": "NoError", "status": "Charging", "timestamp": NOW}
        meter = {
            "connectorId": 1,
            "transactionId": 1,
            "meterValue": [{"timestamp": NOW, "sampledValue": sampled}],
        }
    else:
        sampled = [
            {
                "value": 1000.5 + i,
                "measurand": "Energy.Active.Import.Register",
                "unitOfMeasure": {"unit": "Wh"},
                "context": "Sample.Periodic",
            }
            for i in range(10)
        ]
        status = {"timestamp": NOW, "connectorStatus": "Occupied", "evseId": 1, "connectorId": 1}
        meter = {"evseId": 1, "meterValue": [{"timestamp": NOW, "sampledValue": sampled}]}
    return [
        ("Heartbeat", {}),
        ("StatusNotification", status),
        ("MeterValues", meter),
        ("MeterValues", meter),
    ]


RESULTS = {"Heartbeat": {"currentTime": NOW}, "StatusNotification": {}, "MeterValues": {}}


# -- servers (run in a child process) ----------------------------------------------------------


def serve_raw(port: int) -> None:
    from websockets.asyncio.server import serve

    encoded = {action: orjson.dumps(result).decode() for action, result in RESULTS.items()}

    async def handler(ws: Any) -> None:
        async for message in ws:
            frame = orjson.loads(message)
            await ws.send(f'[3,"{frame[1]}",{encoded[frame[2]]}]')

    async def main() -> None:
        async with serve(
            handler,
            "127.0.0.1",
            port,
            subprotocols=["ocpp1.6", "ocpp2.0.1"],  # type: ignore[list-item]
            compression=None,
            ping_interval=None,
        ) as server:
            await server.serve_forever()

    _run(main())


def serve_ocpp_package(port: int) -> None:
    from ocpp.routing import on
    from ocpp.v16 import ChargePoint as ChargePoint16
    from ocpp.v16 import call_result as result16
    from ocpp.v201 import ChargePoint as ChargePoint201
    from ocpp.v201 import call_result as result201
    from websockets.asyncio.server import serve
    from websockets.exceptions import ConnectionClosed

    class CSMS16(ChargePoint16):  # type: ignore[misc]
        @on("Heartbeat")  # type: ignore[untyped-decorator]
        async def on_heartbeat(self) -> Any:
            return result16.Heartbeat(current_time=NOW)

        @on("StatusNotification")  # type: ignore[untyped-decorator]
        async def on_status(self, **kwargs: Any) -> Any:
            return result16.StatusNotification()

        @on("MeterValues")  # type: ignore[untyped-decorator]
        async def on_meter(self, **kwargs: Any) -> Any:
            return result16.MeterValues()

    class CSMS201(ChargePoint201):  # type: ignore[misc]
        @on("Heartbeat")  # type: ignore[untyped-decorator]
        async def on_heartbeat(self) -> Any:
            return result201.Heartbeat(current_time=NOW)

        @on("StatusNotification")  # type: ignore[untyped-decorator]
        async def on_status(self, **kwargs: Any) -> Any:
            return result201.StatusNotification()

        @on("MeterValues")  # type: ignore[untyped-decorator]
        async def on_meter(self, **kwargs: Any) -> Any:
            return result201.MeterValues()

    async def on_connect(ws: Any) -> None:
        cp_id = ws.request.path.strip("/").rsplit("/", 1)[-1]
        cls = CSMS16 if ws.subprotocol == "ocpp1.6" else CSMS201
        with contextlib.suppress(ConnectionClosed):
            await cls(cp_id, ws).start()

    async def main() -> None:
        async with serve(
            on_connect,
            "127.0.0.1",
            port,
            subprotocols=["ocpp1.6", "ocpp2.0.1"],  # type: ignore[list-item]
            compression=None,
            ping_interval=None,
        ) as server:
            await server.serve_forever()

    _run(main())


def serve_gateway(port: int, default_handlers: bool) -> None:
    import uvicorn

    from ocpp_gw import GatewaySettings, OCPPGateway, create_app
    from ocpp_gw.handlers.base import HandlerTable, OCPPVersion

    tables: dict[OCPPVersion, HandlerTable] | None = None
    if not default_handlers:
        tables = {}
        for version in (OCPPVersion.v16, OCPPVersion.v201):
            table = HandlerTable(version)

            @table.on("Heartbeat")
            async def heartbeat(ctx: Any, payload: dict[str, Any]) -> dict[str, Any]:
                return {"currentTime": NOW}

            @table.on("StatusNotification")
            async def status(ctx: Any, payload: dict[str, Any]) -> dict[str, Any]:
                return {}

            @table.on("MeterValues")
            async def meter(ctx: Any, payload: dict[str, Any]) -> dict[str, Any]:
                return {}

            tables[version] = table
    settings = GatewaySettings(
        accept_unknown_chargers=True,
        ws_per_message_deflate=False,
        ws_ping_interval=None,
        precompile_schemas=True,
        idle_timeout=None,
        versions=[OCPPVersion.v16, OCPPVersion.v201],
    )
    gateway = OCPPGateway(settings=settings, handlers=tables)
    options = gateway.uvicorn_options()
    uvicorn.run(
        create_app(gateway=gateway),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        **options,
    )


def _run(coroutine: Any) -> None:
    try:
        import uvloop

        uvloop.run(coroutine)
    except ImportError:
        asyncio.run(coroutine)


# -- measuring ---------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_bytes(pid: int) -> int:
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Result:
    server: str
    version: str
    round_trips: int
    seconds: float
    cpu_us: float
    p50_ms: float
    p99_ms: float
    rss_per_idle_kib: float

    @property
    def per_second(self) -> float:
        return self.round_trips / self.seconds


async def wait_listening(port: int, process: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError("server exited")
        with contextlib.suppress(OSError):
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        await asyncio.sleep(0.05)
    raise RuntimeError("server did not start")


async def wait_idle(pid: int, quiet: float = 0.5, limit: float = 30.0) -> None:
    """Wait until the server process used (almost) no CPU for ``quiet`` seconds."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        before = cpu_seconds(pid)
        await asyncio.sleep(quiet)
        if cpu_seconds(pid) - before < quiet * 0.05:
            return


async def open_station(url: str, subprotocol: str) -> Any:
    from websockets.asyncio.client import connect

    return await connect(
        url,
        subprotocols=[subprotocol],  # type: ignore[list-item]
        compression=None,
        ping_interval=None,
    )


async def run_station(
    url: str, subprotocol: str, frames: list[str], stop: asyncio.Event, latencies: list[float]
) -> int:
    count = 0
    async with await open_station(url, subprotocol) as ws:
        for frame in itertools.cycle(frames):
            if stop.is_set():
                break
            started = time.perf_counter()
            await ws.send(frame)
            await ws.recv()
            latencies.append(time.perf_counter() - started)
            count += 1
    return count


async def measure(server: str, version: str, args: argparse.Namespace) -> Result:
    port = free_port()
    command = [sys.executable, __file__, "--serve", server, "--port", str(port)]
    if args.default_handlers:
        command.append("--default-handlers")
    process = subprocess.Popen(command)  # noqa: ASYNC220 - once per server, before measuring
    try:
        await wait_listening(port, process)
        subprotocol = "ocpp" + version
        prefix = f"ws://127.0.0.1:{port}/ocpp/"
        messages = station_messages(version)

        # RSS per idle connection: connect M stations that send one Heartbeat each and then idle.
        await wait_idle(process.pid)  # e.g. the gateway precompiles its schemas after start-up
        rss_before = rss_bytes(process.pid)
        idle = []
        for n in range(args.idle):
            ws = await open_station(prefix + f"IDLE{n}", subprotocol)
            await ws.send(orjson.dumps([2, "1", "Heartbeat", {}]).decode())
            await ws.recv()
            idle.append(ws)
        await asyncio.sleep(0.3)
        rss_per_idle = (rss_bytes(process.pid) - rss_before) / max(1, args.idle) / 1024
        for ws in idle:
            await ws.close()

        frames_per_station = [
            [
                orjson.dumps([2, f"{s}-{i}", action, payload]).decode()
                for i, (action, payload) in enumerate(messages)
            ]
            for s in range(args.stations)
        ]
        # warm-up, then the measured window
        stop = asyncio.Event()
        latencies: list[float] = []
        tasks = [
            asyncio.create_task(
                run_station(prefix + f"CP{s}", subprotocol, frames_per_station[s], stop, latencies)
            )
            for s in range(args.stations)
        ]
        await asyncio.sleep(args.warmup)
        latencies.clear()
        cpu_start, wall_start = cpu_seconds(process.pid), time.perf_counter()
        await asyncio.sleep(args.seconds)
        cpu_end, wall_end = cpu_seconds(process.pid), time.perf_counter()
        round_trips = len(latencies)
        measured = sorted(latencies)
        stop.set()
        await asyncio.gather(*tasks)
        return Result(
            server,
            version,
            round_trips,
            wall_end - wall_start,
            (cpu_end - cpu_start) / max(1, round_trips) * 1e6,
            statistics.median(measured) * 1e3,
            measured[int(len(measured) * 0.99)] * 1e3,
            rss_per_idle,
        )
    finally:
        process.terminate()
        process.wait(10)


def report(results: list[Result]) -> None:
    print(
        f"{'server':<8} {'ver':<6} {'rt/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'cpu µs/rt':>10} "
        f"{'KiB/idle':>9} {'rt/s ÷ raw':>10} {'cpu ÷ raw':>9}"
    )
    limits = {r.version: r for r in results if r.server == "raw"}
    for r in results:
        limit = limits.get(r.version)
        speed = r.per_second / limit.per_second if limit else float("nan")
        cpu = r.cpu_us / limit.cpu_us if limit else float("nan")
        print(
            f"{r.server:<8} {r.version:<6} {r.per_second:>8.0f} {r.p50_ms:>7.2f} {r.p99_ms:>7.2f} "
            f"{r.cpu_us:>10.1f} {r.rss_per_idle_kib:>9.1f} {speed:>10.2f} {cpu:>9.2f}"
        )


async def main(args: argparse.Namespace) -> None:
    results = []
    for version in args.versions:
        for server in args.servers:
            results.append(await measure(server, version, args))
    report(results)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stations", type=int, default=50)
    parser.add_argument("--idle", type=int, default=200, help="idle connections for the RSS figure")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--versions", nargs="+", default=["1.6", "2.0.1"], choices=["1.6", "2.0.1"])
    parser.add_argument("--servers", nargs="+", default=list(SERVERS), choices=SERVERS)
    parser.add_argument("--default-handlers", action="store_true")
    parser.add_argument("--serve", choices=SERVERS, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    return parser.parse_args()


if __name__ == "__main__":
    arguments = parse_args()
    if arguments.serve == "raw":
        serve_raw(arguments.port)
    elif arguments.serve == "ocpp":
        serve_ocpp_package(arguments.port)
    elif arguments.serve == "gateway":
        serve_gateway(arguments.port, arguments.default_handlers)
    else:
        asyncio.run(main(arguments))
