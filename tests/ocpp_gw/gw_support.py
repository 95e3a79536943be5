"""Helpers shared by the gateway tests (imported by ``conftest.py`` and test modules)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

from ocpi.core.authentication.authenticator import Authenticator, ChargerCredentials
from ocpp_gw import OCPPGateway
from ocpp_gw.handlers.base import HandlerTable, OCPPVersion

__all__ = [
    "PasswordAuthenticator",
    "RunningServer",
    "StationPKI",
    "issue_certificate",
    "make_ca",
    "simple_tables",
]


@dataclass
class RunningServer:
    """A uvicorn server started by :func:`serve`."""

    app: FastAPI
    port: int
    server: uvicorn.Server
    scheme: str = "ws"

    @property
    def base_url(self) -> str:
        http = "https" if self.scheme == "wss" else "http"
        return f"{http}://127.0.0.1:{self.port}"

    def ws_url(self, charge_point_id: str, prefix: str = "/ocpp") -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}{prefix}/{charge_point_id}"

    @property
    def gateway(self) -> OCPPGateway:
        gateway: OCPPGateway = self.app.state.ocpp_gateway
        return gateway


class PasswordAuthenticator(Authenticator):
    """Test authenticator: stations and their passwords in a dict; certificates by CN."""

    def __init__(self, passwords: dict[str, str] | None = None, certified: set[str] | None = None):
        self.passwords = passwords or {}
        self.certified = certified or set()
        self.seen: list[ChargerCredentials] = []

    @classmethod
    async def get_valid_token_c(cls) -> list[str]:
        return []

    @classmethod
    async def get_valid_token_a(cls) -> list[str]:
        return []

    async def authenticate_charger(self, credentials: ChargerCredentials) -> bool:  # type: ignore[override]
        self.seen.append(credentials)
        if credentials.security_profile == 3:
            return credentials.charge_point_id in self.certified
        expected = self.passwords.get(credentials.charge_point_id)
        return expected is not None and credentials.password == expected


def simple_tables(
    register: Callable[[HandlerTable], None] | None = None,
) -> dict[OCPPVersion, HandlerTable]:
    """Minimal handler tables for the three versions (Heartbeat, BootNotification)."""
    tables = {}
    for version in OCPPVersion:
        table = HandlerTable(version)

        @table.on("Heartbeat")
        async def heartbeat(ctx: Any, payload: dict[str, Any]) -> dict[str, Any]:
            return {"currentTime": "2024-01-01T00:00:00Z"}

        @table.on("BootNotification")
        async def boot(ctx: Any, payload: dict[str, Any]) -> dict[str, Any]:
            return {"status": "Accepted", "currentTime": "2024-01-01T00:00:00Z", "interval": 300}

        if register is not None:
            register(table)
        tables[version] = table
    return tables


@dataclass(frozen=True)
class StationPKI:
    """A throwaway CA with a server certificate for 127.0.0.1 and station certificates."""

    directory: Path
    ca_cert: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path
    rogue_cert: Path
    rogue_key: Path


def openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def issue_certificate(directory: Path, name: str, subject: str, ca: str, extensions: str) -> None:
    ext = directory / f"{name}.ext"
    ext.write_text(extensions)
    openssl(
        "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", subject, cwd=directory,
    )  # fmt: skip
    openssl(
        "x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}.key",
        "-CAcreateserial", "-out", f"{name}.pem", "-days", "2", "-extfile", ext.name,
        cwd=directory,
    )  # fmt: skip


def make_ca(directory: Path, name: str) -> None:
    openssl(
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", f"{name}.key", "-out", f"{name}.pem", "-days", "2", "-subj", f"/CN={name}",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=directory,
    )  # fmt: skip


async def station_moves_to_another_node(
    node_a: OCPPGateway, node_b: OCPPGateway, serve: Callable[..., Any]
) -> None:
    """A station on node A reconnects to node B: A closes its stale socket, B holds the station
    in the registry, and a call made on A reaches it through B."""
    import asyncio

    import orjson
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed
    from websockets.typing import Subprotocol

    server_a, server_b = await serve(node_a), await serve(node_b)
    subprotocols = [Subprotocol("ocpp1.6")]
    async with connect(server_a.ws_url("CP1"), subprotocols=subprotocols) as old:
        for _ in range(200):  # until node A's claim is in the registry
            claimed = await node_a.registry.lookup("CP1")
            if claimed is not None and claimed.node_id == node_a.node_id:
                break
            await asyncio.sleep(0.01)
        async with connect(server_b.ws_url("CP1"), subprotocols=subprotocols) as new:
            try:
                async with asyncio.timeout(5):
                    await old.recv()
                raise AssertionError("the old connection stayed open")
            except ConnectionClosed:
                pass
            assert old.close_code == 1000
            assert old.close_reason == "Replaced by a connection to another node"
            for _ in range(200):
                if node_a.connection("CP1") is None:
                    break
                await asyncio.sleep(0.01)
            location = await node_a.registry.lookup("CP1")
            assert location is not None and location.node_id == node_b.node_id
            pending = asyncio.create_task(node_a.call("CP1", "ClearCache", {}))
            async with asyncio.timeout(5):
                frame = orjson.loads(await new.recv())
            assert frame[2] == "ClearCache"
            await new.send(orjson.dumps([3, frame[1], {"status": "Accepted"}]).decode())
            assert await pending == {"status": "Accepted"}
