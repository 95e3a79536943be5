"""Connecting chargers: who may connect, and whether a connected station is registered yet.

A gateway on 127.0.0.1 accepts stations with security profile 1 (HTTP Basic over plain ws://;
profile 2 is the same over wss://). The integrator's ``Authenticator.authenticate_charger``
checks the password against a stored hash. A new station is held ``Pending`` at its first boot,
then accepted by the operator with ``gateway.state.set_registration``; the simulated station
boots again and is accepted.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
from typing import Any, ClassVar

import uvicorn

from examples.loopback import free_port, shutdown
from ocpi import Authenticator
from ocpi.core.authentication.authenticator import ChargerCredentials
from ocpp_gw import GatewaySettings, OCPPGateway, SimulatedStation, create_app


def hash_password(password: str, salt: bytes | None = None) -> tuple[bytes, bytes]:
    """``(salt, scrypt hash)``: what the station table keeps instead of the password."""
    salt = salt or os.urandom(16)
    return salt, hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)


class StationAuthenticator(Authenticator):
    """Stations and their password hashes; OCPI tokens are not used by this example."""

    stations: ClassVar[dict[str, tuple[bytes, bytes]]] = {}

    @classmethod
    async def get_valid_token_c(cls) -> list[str]:
        return []

    @classmethod
    async def get_valid_token_a(cls) -> list[str]:
        return []

    @classmethod
    async def authenticate_charger(cls, credentials: ChargerCredentials) -> bool:
        # The gateway already checked the transport (TLS for profile 2, a verified client
        # certificate whose CN is the identity for profile 3) and that the Basic-auth user
        # name is the identity.
        if credentials.security_profile == 3:
            return credentials.charge_point_id in cls.stations
        known = cls.stations.get(credentials.charge_point_id)
        if known is None or credentials.password is None:
            return False
        salt, expected = known
        return hmac.compare_digest(hash_password(credentials.password, salt)[1], expected)


async def start(gateway: OCPPGateway, port: int) -> tuple[uvicorn.Server, asyncio.Task[None]]:
    """Serve the gateway on 127.0.0.1 with its WebSocket options (``uvicorn_options``)."""
    config = uvicorn.Config(
        create_app(gateway=gateway),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        **gateway.uvicorn_options(),
    )
    server = uvicorn.Server(config)
    task = asyncio.get_running_loop().create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn exposes only this flag
        await asyncio.sleep(0.01)
    return server, task


async def main() -> dict[str, Any]:
    StationAuthenticator.stations = {"CP-1": hash_password("s3cret-passw0rd")}
    settings = GatewaySettings(security_profiles=[1, 2, 3], ws_ping_interval=None)
    gateway = OCPPGateway(authenticator=StationAuthenticator, settings=settings)
    # A station the operator has not approved yet: its boots are answered Pending.
    await gateway.state.set_registration("CP-1", "Pending", heartbeat_interval=30)

    port = free_port()
    servers = [await start(gateway, port)]
    url = f"ws://127.0.0.1:{port}/ocpp"
    try:
        refused = False
        try:
            async with SimulatedStation(url, "CP-1", "1.6", password="wrong"):
                pass
        except Exception:  # the handshake is answered HTTP 401
            refused = True

        async with SimulatedStation(url, "CP-1", "1.6", password="s3cret-passw0rd") as station:
            first = await station.boot()
            await gateway.state.set_registration("CP-1", "Accepted")
            second = await station.boot()
            connection = gateway.connection("CP-1")
            assert connection is not None
            record = await gateway.state.get_station("CP-1")
            assert record is not None
            return {
                "wrong_password_refused": refused,
                "security_profile": connection.security_profile,
                "version": connection.version.value,
                "first_boot": first["status"],
                "second_boot": second["status"],
                "vendor": record.vendor,
            }
    finally:
        await shutdown(servers)


if __name__ == "__main__":
    print(asyncio.run(main()))
