"""OCPP round-trip benchmark: our gateway against the ``ocpp`` package and a raw limit server.

Three servers run in their own processes, one at a time:

* ``gateway`` — :class:`ocpp_gw.OCPPGateway` under uvicorn (schema validation both ways, the
  handler table, response validation), answering with minimal handlers (``--default-handlers``
  uses the built-in ones with the in-memory state store instead);
* ``ocpp`` — a minimal CSMS written the way the ``ocpp`` package's README shows
  (``websockets.serve`` + a ``ChargePoint`` subclass with ``@on`` handlers);
* ``raw`` — a bare ``websockets`` server that reads the message id and answers a fixed
  CALLRESULT: the limit of Python WebSockets on this machine.

Scenarios (clients are raw ``websockets`` connections in this process; each station cycles
Heartbeat : StatusNotification : MeterValues (10 sampled values) as 1 : 1 : 2):

* ``closed`` — ``--stations`` (100) connections, each keeping one CALL in flight: round trips
  per second, p50/p99 latency and server CPU µs per round trip (``/proc/<pid>/stat``);
* ``paced`` — ``--paced`` (500) connections at one CALL per second each: latency under a
  realistic load (the p99 limit is 5 ms) and CPU per round trip;
* ``idle`` / ``idle-deflate`` — ``--idle`` (5,000) connections that send one Heartbeat and
  idle, without and with permessage-deflate negotiated: RSS growth per connection, each in a
  fresh server process. ``RLIMIT_NOFILE`` is raised for this (and inherited by the servers).

The table gives every figure with its ratio to the raw server (``rt/s ÷ raw``) and to the
issue's limits (150 µs CPU per round trip, 5 ms paced p99, 48 KiB per idle connection, 96 KiB
with deflate)::

    python benchmarks/ocpp_bench.py                     # everything, minimal handlers
    python benchmarks/ocpp_bench.py --default-handlers  # the built-in handlers + memory store
    python benchmarks/ocpp_bench.py --servers gateway --scenarios closed --seconds 3
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
        ws_per_message_deflate=True,  # negotiated only with clients that offer it
        ws_ping_interval=None,
        precompile_schemas=True,
        tune_gc_after_start=True,  # a dedicated server process, as with `ocpi-ocpp serve`
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


LIMITS = {"cpu_us": 150.0, "p99_ms": 5.0, "idle_kib": 48.0, "idle_deflate_kib": 96.0}
SCENARIOS = ("closed", "paced", "idle", "idle-deflate")


@dataclass
class Result:
    server: str
    version: str
    scenario: str
    connections: int
    round_trips: int = 0
    seconds: float = 0.0
    cpu_us: float = float("nan")
    p50_ms: float = float("nan")
    p99_ms: float = float("nan")
    rss_per_idle_kib: float = float("nan")

    @property
    def per_second(self) -> float:
        return self.round_trips / self.seconds if self.seconds else float("nan")


class Server:
    """One server process; ``cpu()``/``rss()`` read its ``/proc`` counters."""

    def __init__(self, server: str, args: argparse.Namespace) -> None:
        self.port = free_port()
        command = [sys.executable, __file__, "--serve", server, "--port", str(self.port)]
        if args.default_handlers:
            command.append("--default-handlers")
        self.process = subprocess.Popen(command)

    async def __aenter__(self) -> Server:
        await wait_listening(self.port, self.process)
        await wait_idle(self.process.pid)  # e.g. the gateway precompiles its schemas
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(10)

    def cpu(self) -> float:
        return cpu_seconds(self.process.pid)

    def rss(self) -> int:
        return rss_bytes(self.process.pid)

    def url(self, identity: str) -> str:
        return f"ws://127.0.0.1:{self.port}/ocpp/{identity}"


def percentiles(latencies: list[float]) -> tuple[float, float]:
    measured = sorted(latencies)
    if not measured:
        return float("nan"), float("nan")
    return statistics.median(measured) * 1e3, measured[int(len(measured) * 0.99)] * 1e3


def cycle_frames(version: str, station: int) -> list[str]:
    return [
        orjson.dumps([2, f"{station}-{i}", action, payload]).decode()
        for i, (action, payload) in enumerate(station_messages(version))
    ]


async def run_closed(server: Server, name: str, version: str, args: argparse.Namespace) -> Result:
    """``--stations`` connections, each with one CALL in flight all the time."""
    stop = asyncio.Event()
    latencies: list[float] = []
    subprotocol = "ocpp" + version
    tasks = [
        asyncio.create_task(
            run_station(
                server.url(f"CP{s}"), subprotocol, cycle_frames(version, s), stop, latencies
            )
        )
        for s in range(args.stations)
    ]
    await asyncio.sleep(args.warmup)
    latencies.clear()
    cpu_start, wall_start = server.cpu(), time.perf_counter()
    await asyncio.sleep(args.seconds)
    cpu_end, wall_end = server.cpu(), time.perf_counter()
    round_trips = len(latencies)
    p50, p99 = percentiles(latencies)
    stop.set()
    await asyncio.gather(*tasks)
    return Result(
        name,
        version,
        "closed",
        args.stations,
        round_trips,
        wall_end - wall_start,
        (cpu_end - cpu_start) / max(1, round_trips) * 1e6,
        p50,
        p99,
    )


async def paced_station(
    url: str,
    subprotocol: str,
    frames: list[str],
    stop: asyncio.Event,
    latencies: list[float],
    period: float,
    phase: float,
    ready: asyncio.Event,
    connected: list[int],
    total: int,
) -> None:
    async with await open_station(url, subprotocol) as ws:
        connected.append(1)
        if len(connected) == total:
            ready.set()
        await ready.wait()  # start sending once every station is connected
        await asyncio.sleep(phase)
        loop = asyncio.get_running_loop()
        next_send = loop.time()
        for frame in itertools.cycle(frames):
            if stop.is_set():
                break
            started = time.perf_counter()
            await ws.send(frame)
            await ws.recv()
            latencies.append(time.perf_counter() - started)
            next_send += period
            await asyncio.sleep(max(0.0, next_send - loop.time()))


async def run_paced(server: Server, name: str, version: str, args: argparse.Namespace) -> Result:
    """``--paced`` connections sending one CALL per second each, phases spread evenly."""
    stop = asyncio.Event()
    latencies: list[float] = []
    subprotocol = "ocpp" + version
    tasks = []
    ready = asyncio.Event()
    connected: list[int] = []
    for s in range(args.paced):
        url = server.url(f"PACED{s}")
        phase = s / args.paced
        frames = cycle_frames(version, s)
        station = paced_station(
            url, subprotocol, frames, stop, latencies, 1.0, phase, ready, connected, args.paced
        )
        tasks.append(asyncio.create_task(station))
    await ready.wait()
    await asyncio.sleep(args.warmup + 1.0)
    latencies.clear()
    cpu_start, wall_start = server.cpu(), time.perf_counter()
    await asyncio.sleep(args.paced_seconds)
    cpu_end, wall_end = server.cpu(), time.perf_counter()
    round_trips = len(latencies)
    p50, p99 = percentiles(latencies)
    stop.set()
    await asyncio.gather(*tasks)
    return Result(
        name,
        version,
        "paced",
        args.paced,
        round_trips,
        wall_end - wall_start,
        (cpu_end - cpu_start) / max(1, round_trips) * 1e6,
        p50,
        p99,
    )


async def run_idle(
    server: Server, name: str, version: str, args: argparse.Namespace, *, deflate: bool
) -> Result:
    """``--idle`` connections that send one Heartbeat each and then idle: RSS per connection."""
    from websockets.asyncio.client import connect

    subprotocol = "ocpp" + version
    heartbeat = orjson.dumps([2, "1", "Heartbeat", {}]).decode()

    async def open_idle(n: int) -> Any:
        ws = await connect(
            server.url(f"IDLE{n}"),
            subprotocols=[subprotocol],  # type: ignore[list-item]
            compression="deflate" if deflate else None,
            ping_interval=None,
            open_timeout=60,
        )
        if deflate and not ws.protocol.extensions:
            raise RuntimeError(f"{name} did not negotiate permessage-deflate")
        await ws.send(heartbeat)
        await ws.recv()
        return ws

    rss_before = server.rss()
    idle: list[Any] = []
    batch = 100  # connect in parallel batches: 5,000 one by one takes long
    for first in range(0, args.idle, batch):
        count = min(batch, args.idle - first)
        idle.extend(await asyncio.gather(*(open_idle(first + n) for n in range(count))))
    await asyncio.sleep(1.0)
    rss_per_idle = (server.rss() - rss_before) / max(1, args.idle) / 1024
    await asyncio.gather(*(ws.close() for ws in idle))
    scenario = "idle-deflate" if deflate else "idle"
    return Result(name, version, scenario, args.idle, rss_per_idle_kib=rss_per_idle)


async def measure(server_name: str, version: str, args: argparse.Namespace) -> list[Result]:
    """Each scenario in a fresh server process: the paced latency should not pay for the heap
    the closed loop left behind, and memory freed by earlier connections would be reused."""
    results = []
    for scenario in args.scenarios:
        async with Server(server_name, args) as server:
            if scenario == "closed":
                results.append(await run_closed(server, server_name, version, args))
            elif scenario == "paced":
                results.append(await run_paced(server, server_name, version, args))
            else:
                deflate = scenario == "idle-deflate"
                results.append(await run_idle(server, server_name, version, args, deflate=deflate))
    return results


def _ratio(value: float, limit: float) -> str:
    return "" if value != value else f"{value / limit:.2f}"  # NaN: not measured


def report(results: list[Result], args: argparse.Namespace) -> None:
    mode = "default handlers" if args.default_handlers else "minimal handlers"
    print(f"\nOCPP round trips, gateway with {mode}; limits: cpu ≤ 150 µs/rt, paced p99 ≤ 5 ms,")
    print("idle ≤ 48 KiB/connection (≤ 96 KiB with permessage-deflate). ÷ = ratio to the limit.")
    print(
        f"| {'server':<7} | {'ver':<5} | {'scenario':<12} | {'conns':>5} | {'rt/s':>7} | "
        f"{'p50 ms':>6} | {'p99 ms':>6} | {'cpu µs/rt':>9} | {'KiB/conn':>8} | "
        f"{'rt/s ÷ raw':>10} | {'cpu ÷':>5} | {'p99 ÷':>5} | {'KiB ÷':>5} |"
    )
    print("|" + "|".join("-" * w for w in (9, 7, 14, 7, 9, 8, 8, 11, 10, 12, 7, 7, 7)) + "|")
    raw = {(r.version, r.scenario): r for r in results if r.server == "raw"}
    for r in results:
        limit = raw.get((r.version, r.scenario))
        speed = r.per_second / limit.per_second if limit and r.round_trips else float("nan")
        kib_limit = LIMITS["idle_deflate_kib" if r.scenario == "idle-deflate" else "idle_kib"]
        p99_ratio = _ratio(r.p99_ms, LIMITS["p99_ms"]) if r.scenario == "paced" else ""
        print(
            f"| {r.server:<7} | {r.version:<5} | {r.scenario:<12} | {r.connections:>5} | "
            f"{_num(r.per_second, 0):>7} | {_num(r.p50_ms, 2):>6} | {_num(r.p99_ms, 2):>6} | "
            f"{_num(r.cpu_us, 1):>9} | {_num(r.rss_per_idle_kib, 1):>8} | "
            f"{_num(speed, 2):>10} | {_ratio(r.cpu_us, LIMITS['cpu_us']):>5} | "
            f"{p99_ratio:>5} | {_ratio(r.rss_per_idle_kib, kib_limit):>5} |"
        )


def _num(value: float, digits: int) -> str:
    return "" if value != value else f"{value:.{digits}f}"


def raise_open_files_limit(needed: int) -> int:
    """Raise ``RLIMIT_NOFILE`` (inherited by the server processes) to ``needed`` if allowed."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


async def main(args: argparse.Namespace) -> None:
    limit = raise_open_files_limit(max(args.idle, args.paced, args.stations) + 1024)
    if limit < args.idle + 256:
        print(f"open files limited to {limit}: measuring {limit - 256} idle connections")
        args.idle = limit - 256
    results = []
    for version in args.versions:
        for server in args.servers:
            results.extend(await measure(server, version, args))
    report(results, args)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stations", type=int, default=100, help="closed-loop connections")
    parser.add_argument("--paced", type=int, default=500, help="connections at 1 CALL/s")
    parser.add_argument("--paced-seconds", type=float, default=10.0)
    parser.add_argument("--idle", type=int, default=5000, help="idle connections for RSS")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--versions", nargs="+", default=["1.6", "2.0.1"], choices=["1.6", "2.0.1"])
    parser.add_argument("--servers", nargs="+", default=list(SERVERS), choices=SERVERS)
    parser.add_argument("--scenarios", nargs="+", default=list(SCENARIOS), choices=SCENARIOS)
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
