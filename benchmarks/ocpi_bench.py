"""OCPI list benchmark: ``GET /ocpi/cpo/2.2.1/locations?offset=0&limit=50`` over 1000 realistic
locations (~3.5 KB each), 32 concurrent keep-alive connections.

Two servers run in the same invocation, each in its own uvicorn subprocess:

* ``ours``  — ``ocpi.get_application`` (CPO, locations Sender) on a Crud that hands back stored
  dicts (what the built-in store does) and an Authenticator with the fast token lookup;
* ``limit`` — a bare Starlette route returning the same page, pre-serialised, with the same headers.

Reported per server: requests/s, p50/p99 latency and server CPU µs per request (utime+stime of the
server process from /proc, the steadiest figure on a shared 2-core machine), and ours/limit ratios.

    python benchmarks/ocpi_bench.py            # default: 4000 requests per server
    python benchmarks/ocpi_bench.py --requests 20000
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import time
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKEN = "bench-token"
PATH = "/ocpi/cpo/2.2.1/locations?offset=0&limit=50"


def location(index: int) -> dict[str, Any]:
    """A realistic 2.2.1 Location: three EVSEs with two connectors each."""

    def connector(number: int) -> dict[str, Any]:
        return {
            "id": str(number),
            "standard": "IEC_62196_T2",
            "format": "SOCKET",
            "power_type": "AC_3_PHASE",
            "max_voltage": 230,
            "max_amperage": 32,
            "max_electric_power": 22000,
            "tariff_ids": ["T1", "T2"],
            "terms_and_conditions": "https://example.com/terms",
            "last_updated": "2024-05-02T14:15:01Z",
        }

    def evse(number: int) -> dict[str, Any]:
        return {
            "uid": f"LOC{index:05d}-E{number}",
            "evse_id": f"NL*CPO*E{index:05d}{number}",
            "status": "AVAILABLE",
            "capabilities": ["RFID_READER", "REMOTE_START_STOP_CAPABLE"],
            "connectors": [connector(1), connector(2)],
            "floor_level": "-1",
            "coordinates": {"latitude": "52.370216", "longitude": "4.895168"},
            "physical_reference": str(number),
            "parking_restrictions": ["EV_ONLY"],
            "last_updated": "2024-05-02T14:15:01Z",
        }

    return {
        "country_code": "NL",
        "party_id": "CPO",
        "id": f"LOC{index:05d}",
        "publish": True,
        "name": f"Garage {index}",
        "address": f"Street {index}",
        "city": "Amsterdam",
        "postal_code": "1012AB",
        "state": "Noord-Holland",
        "country": "NLD",
        "coordinates": {"latitude": "52.370216", "longitude": "4.895168"},
        "parking_type": "PARKING_GARAGE",
        "evses": [evse(1), evse(2), evse(3)],
        "directions": [{"language": "en", "text": "Take the second entrance on the left."}],
        "operator": {"name": "Example CPO", "website": "https://example.com"},
        "facilities": ["HOTEL", "RESTAURANT"],
        "time_zone": "Europe/Amsterdam",
        "opening_times": {"twentyfourseven": True},
        "charging_when_closed": True,
        "energy_mix": {"is_green_energy": True},
        "last_updated": f"2024-05-02T14:{index // 60 % 60:02d}:{index % 60:02d}Z",
    }


LOCATIONS = [location(i) for i in range(1000)]


def ours_app() -> Any:
    from ocpi import (
        Authenticator,
        Crud,
        ModuleID,
        RoleEnum,
        Settings,
        TokenKind,
        TokenOwner,
        VersionNumber,
        get_application,
    )

    class BenchCrud(Crud):
        @classmethod
        async def list(
            cls, module: Any, role: Any, filters: dict[str, Any], *a: Any, **k: Any
        ) -> Any:
            start, end = filters["offset"], filters["offset"] + filters["limit"]
            return LOCATIONS[start:end], len(LOCATIONS), end >= len(LOCATIONS)

        @classmethod
        async def get(cls, *a: Any, **k: Any) -> Any:
            return None

        @classmethod
        async def create(cls, *a: Any, **k: Any) -> Any:
            return None

        @classmethod
        async def update(cls, *a: Any, **k: Any) -> Any:
            return None

        @classmethod
        async def delete(cls, *a: Any, **k: Any) -> Any:
            return None

        @classmethod
        async def do(cls, *a: Any, **k: Any) -> Any:
            return None

    class BenchAuthenticator(Authenticator):
        @classmethod
        async def get_valid_token_c(cls) -> list[str]:
            return [TOKEN]

        @classmethod
        async def get_valid_token_a(cls) -> list[str]:
            return []

        @classmethod
        async def lookup_token(cls, token: str) -> TokenOwner | None:
            return TokenOwner(TokenKind.C) if token == TOKEN else None

    return get_application(
        [VersionNumber.v_2_2_1],
        [RoleEnum.cpo],
        BenchCrud,
        [ModuleID.locations],
        BenchAuthenticator,
        settings=Settings(OCPI_HOST="bench.example.com", PAGINATION_MAX_LIMIT=50),
    )


def limit_app() -> Any:
    import orjson
    from starlette.applications import Starlette
    from starlette.responses import Response
    from starlette.routing import Route

    body = orjson.dumps(
        {
            "data": LOCATIONS[:50],
            "status_code": 1000,
            "status_message": "Generic success code",
            "timestamp": "2024-05-02T14:15:01Z",
        }
    )
    headers = {
        "X-Total-Count": "1000",
        "X-Limit": "50",
        "Link": '<https://bench.example.com/ocpi/cpo/2.2.1/locations?offset=50&limit=50>; rel="next"',
    }

    async def page(request: Any) -> Response:
        return Response(body, media_type="application/json", headers=headers)

    return Starlette(routes=[Route("/ocpi/cpo/2.2.1/locations", page)])


def serve(kind: str, port: int) -> None:
    import uvicorn

    app = ours_app() if kind == "ours" else limit_app()
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


# -- load generator: a minimal keep-alive HTTP/1.1 client on asyncio streams --------------------


async def connection(port: int, count: int, latencies: list[float]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    encoded = TOKEN.encode()
    import base64

    request = (
        f"GET {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Token {base64.b64encode(encoded).decode()}\r\n\r\n"
    ).encode()
    for _ in range(count):
        started = time.perf_counter()
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        body = await reader.readexactly(length)
        if not head.startswith(b"HTTP/1.1 200") or b'"status_code":1000' not in body:
            raise RuntimeError(f"unexpected answer: {head[:60]!r}")
        latencies.append(time.perf_counter() - started)
    writer.close()


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


async def wait_listening(port: int, process: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError("server exited")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        except OSError:
            await asyncio.sleep(0.05)
    raise RuntimeError("server did not start")


async def measure(kind: str, requests: int, concurrency: int) -> dict[str, float]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(  # noqa: ASYNC220 - started once, before measuring
        [sys.executable, __file__, "--serve", kind, "--port", str(port)], cwd=ROOT
    )
    try:
        await wait_listening(port, process)
        warm: list[float] = []
        await asyncio.gather(*(connection(port, 20, warm) for _ in range(concurrency)))
        latencies: list[float] = []
        cpu_before, wall_before = cpu_seconds(process.pid), time.perf_counter()
        per_connection = max(1, requests // concurrency)
        await asyncio.gather(
            *(connection(port, per_connection, latencies) for _ in range(concurrency))
        )
        wall = time.perf_counter() - wall_before
        cpu = cpu_seconds(process.pid) - cpu_before
    finally:
        process.terminate()
        process.wait(timeout=10)
    latencies.sort()
    done = len(latencies)
    return {
        "rps": done / wall,
        "p50_ms": latencies[done // 2] * 1000,
        "p99_ms": latencies[int(done * 0.99) - 1] * 1000,
        "cpu_us": cpu / done * 1e6,
    }


async def run(requests: int, concurrency: int) -> None:
    page = len(__import__("orjson").dumps(LOCATIONS[0]))
    print(f"1000 locations of ~{page} bytes; {requests} requests, {concurrency} connections\n")
    results = {kind: await measure(kind, requests, concurrency) for kind in ("limit", "ours")}
    limit, ours = results["limit"], results["ours"]
    print(f"{'':10}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'CPU µs/req':>13}")
    for kind, row in results.items():
        print(
            f"{kind:10}{row['rps']:>10.0f}{row['p50_ms']:>10.2f}{row['p99_ms']:>10.2f}"
            f"{row['cpu_us']:>13.0f}"
        )
    print(
        f"{'ratio':10}{ours['rps'] / limit['rps']:>10.2f}{ours['p50_ms'] / limit['p50_ms']:>10.2f}"
        f"{ours['p99_ms'] / limit['p99_ms']:>10.2f}{ours['cpu_us'] / limit['cpu_us']:>13.2f}"
    )
    print(
        f"\ntarget: ours ≤ 1300 µs per request — {'met' if ours['cpu_us'] <= 1300 else 'NOT met'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--serve", choices=["ours", "limit"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        sys.path.insert(0, ROOT)
        serve(args.serve, args.port)
        return
    asyncio.run(run(args.requests, args.concurrency))


if __name__ == "__main__":
    main()
