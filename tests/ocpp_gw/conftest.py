"""Loopback fixtures for gateway tests: a uvicorn server on a free port and a gateway factory.

::

    async def test_heartbeat(make_gateway, serve):
        gateway = make_gateway(handlers={OCPPVersion.v16: table})
        server = await serve(gateway)
        async with websockets.connect(server.ws_url("CP1"), subprotocols=["ocpp1.6"]) as ws:
            ...

The server runs in the test's own event loop, so tests can look at the gateway directly.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

from ocpi.core.authentication.authenticator import Authenticator, ChargerCredentials
from ocpp_gw import GatewaySettings, OCPPGateway, create_app
from ocpp_gw.handlers.base import HandlerTable, OCPPVersion


def bound_socket() -> socket.socket:
    """A listening-ready socket on a free loopback port (bound now, so no port race)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


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


@pytest.fixture
def make_gateway() -> Callable[..., OCPPGateway]:
    """Build a gateway; settings keywords override test defaults (unknown stations accepted)."""

    def factory(
        *,
        authenticator: Any = None,
        handlers: dict[OCPPVersion, HandlerTable] | None = None,
        **settings: Any,
    ) -> OCPPGateway:
        settings.setdefault("accept_unknown_chargers", authenticator is None)
        settings.setdefault("call_timeout", 5.0)
        settings.setdefault("ws_ping_interval", None)
        return OCPPGateway(
            authenticator=authenticator,
            settings=GatewaySettings(**settings),
            handlers=handlers if handlers is not None else simple_tables(),
        )

    return factory


@pytest.fixture
async def serve() -> AsyncIterator[Callable[..., Any]]:
    """``await serve(gateway_or_app, **uvicorn_options)`` → :class:`RunningServer`; stopped after
    the test (which runs the app's lifespan shutdown)."""
    started: list[tuple[uvicorn.Server, asyncio.Task[None], socket.socket]] = []

    async def start(target: OCPPGateway | FastAPI, **options: Any) -> RunningServer:
        if isinstance(target, OCPPGateway):
            app = create_app(gateway=target)
            options = {**target.uvicorn_options(), **options}
        else:
            app = target
        sock = bound_socket()
        port = int(sock.getsockname()[1])
        config = uvicorn.Config(app, log_level="warning", lifespan="on", **options)
        server = uvicorn.Server(config)
        task = asyncio.create_task(server.serve(sockets=[sock]))
        started.append((server, task, sock))
        for _ in range(500):
            if server.started:
                break
            if task.done():
                task.result()
            await asyncio.sleep(0.01)
        scheme = "wss" if options.get("ssl_certfile") else "ws"
        return RunningServer(app, port, server, scheme)

    yield start
    for server, _, _ in started:
        server.should_exit = True
    for server, task, sock in started:
        try:
            await asyncio.wait_for(asyncio.shield(task), 10)
        except TimeoutError:
            server.force_exit = True
            await task
        sock.close()


@dataclass(frozen=True)
class TestPKI:
    """A throwaway CA with a server certificate for 127.0.0.1 and station certificates."""

    directory: Path
    ca_cert: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path
    rogue_cert: Path
    rogue_key: Path


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def _issue(directory: Path, name: str, subject: str, ca: str, extensions: str) -> None:
    ext = directory / f"{name}.ext"
    ext.write_text(extensions)
    _openssl(
        "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", subject, cwd=directory,
    )  # fmt: skip
    _openssl(
        "x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}.key",
        "-CAcreateserial", "-out", f"{name}.pem", "-days", "2", "-extfile", ext.name,
        cwd=directory,
    )  # fmt: skip


def _make_ca(directory: Path, name: str) -> None:
    _openssl(
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", f"{name}.key", "-out", f"{name}.pem", "-days", "2", "-subj", f"/CN={name}",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=directory,
    )  # fmt: skip


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> TestPKI:
    """Generated with the ``openssl`` command (the ``cryptography`` package is not installed)."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to generate test certificates")
    directory = tmp_path_factory.mktemp("pki")
    _make_ca(directory, "ca")
    _make_ca(directory, "rogue-ca")
    _issue(
        directory, "server", "/CN=127.0.0.1", "ca",
        "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
    )  # fmt: skip
    _issue(directory, "client", "/O=Acme Charging/CN=CP-TLS", "ca", "extendedKeyUsage=clientAuth\n")
    _issue(
        directory, "rogue", "/O=Acme Charging/CN=CP-TLS", "rogue-ca",
        "extendedKeyUsage=clientAuth\n",
    )  # fmt: skip
    return TestPKI(
        directory,
        directory / "ca.pem",
        directory / "server.pem",
        directory / "server.key",
        directory / "client.pem",
        directory / "client.key",
        directory / "rogue.pem",
        directory / "rogue.key",
    )


@pytest.fixture(scope="session")
def station_certificate(pki: TestPKI) -> tuple[str, str]:
    """``(pem, path)`` of the station certificate with subject ``O=Acme Charging, CN=CP-TLS``."""
    return pki.client_cert.read_text(), str(pki.client_cert)
