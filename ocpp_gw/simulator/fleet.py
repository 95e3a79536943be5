"""Running many simulated stations at once, and the ``python -m ocpp_gw.simulator`` command."""

from __future__ import annotations

import argparse
import asyncio
import logging
import ssl
from collections.abc import Sequence

from websockets.exceptions import InvalidHandshake

from ocpp_gw.handlers.base import OCPPVersion
from ocpp_gw.protocol.errors import OCPPCallError
from ocpp_gw.simulator.station import SimulatedStation

logger = logging.getLogger(__name__)

__all__ = ["main", "run_stations", "station_ids", "tls_context"]


def station_ids(identity: str, count: int) -> list[str]:
    """``[identity]`` for one station, ``identity-1 … identity-N`` for several."""
    if count <= 1:
        return [identity]
    return [f"{identity}-{n}" for n in range(1, count + 1)]


def tls_context(
    cafile: str | None = None, certfile: str | None = None, keyfile: str | None = None
) -> ssl.SSLContext:
    """Client TLS for ``wss://``: trust ``cafile`` (default: system CAs), and present
    ``certfile``/``keyfile`` as the station certificate (security profile 3)."""
    context = ssl.create_default_context(cafile=cafile)
    if certfile is not None:
        context.load_cert_chain(certfile, keyfile)
    return context


async def run_stations(
    url: str,
    identities: Sequence[str],
    version: OCPPVersion | str = OCPPVersion.v16,
    *,
    password: str | None = None,
    id_token: str | None = None,
    duration: float | None = None,
    connectors: int = 1,
    power_w: float = 11000.0,
    time_scale: float = 1.0,
    meter_interval: float = 60.0,
    ssl_context: ssl.SSLContext | None = None,
) -> list[SimulatedStation]:
    """Connect and boot every station, optionally charge on connector 1, run for ``duration``.

    With ``id_token`` each station starts a transaction after booting and stops it at the end.
    ``duration=None`` runs until cancelled. Returns the (closed) stations for inspection.
    """
    stations = [
        SimulatedStation(
            url,
            identity,
            version,
            password,
            connectors=connectors,
            power_w=power_w,
            time_scale=time_scale,
            meter_interval=meter_interval,
            ssl_context=ssl_context,
        )
        for identity in identities
    ]

    async def bring_up(station: SimulatedStation) -> None:
        await station.connect()
        answer = await station.boot()
        if answer["status"] == "Accepted" and id_token is not None:
            await station.start_transaction(id_token, 1)

    try:
        await asyncio.gather(*(bring_up(s) for s in stations))
        logger.info("%d stations up", len(stations))
        stop = asyncio.Event()
        runners = asyncio.gather(*(s.run(stop) for s in stations))
        if duration is None:
            await runners
        else:
            await asyncio.sleep(duration)
            stop.set()
            await runners
        for station in stations:
            if station.connected:
                for connector in station.connectors.values():
                    if connector.charging:
                        await station.stop_transaction(connector.id)
    finally:
        await asyncio.gather(*(s.close() for s in stations), return_exceptions=True)
    return stations


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ocpp_gw.simulator", description="Simulated OCPP charging stations."
    )
    parser.add_argument("--url", default="ws://127.0.0.1:9000/ocpp", help="CSMS URL (no id)")
    parser.add_argument("--id", default="SIM", dest="identity", help="station identity")
    parser.add_argument(
        "--version", default="1.6", choices=[v.value for v in OCPPVersion], help="OCPP version"
    )
    parser.add_argument("--count", type=int, default=1, help="number of stations")
    parser.add_argument("--password", help="Basic auth password (security profile 1/2)")
    parser.add_argument("--token", help="start a transaction with this id token after boot")
    parser.add_argument("--connectors", type=int, default=1)
    parser.add_argument("--power", type=float, default=11000.0, help="charging power in W")
    parser.add_argument("--meter-interval", type=float, default=60.0, help="seconds")
    parser.add_argument("--time-scale", type=float, default=1.0, help="meter speed-up factor")
    parser.add_argument("--duration", type=float, help="seconds to run (default: until Ctrl-C)")
    parser.add_argument("--cafile", help="CA bundle trusted for wss:// (default: system CAs)")
    parser.add_argument("--certfile", help="station certificate (PEM) for security profile 3")
    parser.add_argument("--keyfile", help="private key of --certfile")
    parser.add_argument("--log-level", default="INFO")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the process exit status."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    context = None
    if args.url.startswith("wss://") or args.cafile or args.certfile:
        context = tls_context(args.cafile, args.certfile, args.keyfile)
    try:
        asyncio.run(
            run_stations(
                args.url,
                station_ids(args.identity, args.count),
                args.version,
                password=args.password,
                id_token=args.token,
                duration=args.duration,
                connectors=args.connectors,
                power_w=args.power,
                time_scale=args.time_scale,
                meter_interval=args.meter_interval,
                ssl_context=context,
            )
        )
    except KeyboardInterrupt:
        pass
    except (OSError, InvalidHandshake, OCPPCallError) as exc:
        # Refused connection, failed handshake (wrong password ...), CALLERROR from the CSMS.
        logger.error("simulation failed: %s: %s", type(exc).__name__, exc)
        return 1
    return 0
