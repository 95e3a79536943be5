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
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from gw_support import (
    RunningServer,
    StationPKI,
    issue_certificate,
    make_ca,
    simple_tables,
)

from ocpp_gw import GatewaySettings, OCPPGateway, create_app
from ocpp_gw.handlers.base import HandlerTable, OCPPVersion


def bound_socket() -> socket.socket:
    """A listening-ready socket on a free loopback port (bound now, so no port race)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


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
        settings.setdefault("precompile_schemas", False)  # schemas compile lazily: fast tests
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


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> StationPKI:
    """Generated with the ``openssl`` command (the ``cryptography`` package is not installed)."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to generate test certificates")
    directory = tmp_path_factory.mktemp("pki")
    make_ca(directory, "ca")
    make_ca(directory, "rogue-ca")
    issue_certificate(
        directory, "server", "/CN=127.0.0.1", "ca",
        "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
    )  # fmt: skip
    issue_certificate(
        directory, "client", "/O=Acme Charging/CN=CP-TLS", "ca", "extendedKeyUsage=clientAuth\n"
    )
    issue_certificate(
        directory, "rogue", "/O=Acme Charging/CN=CP-TLS", "rogue-ca",
        "extendedKeyUsage=clientAuth\n",
    )  # fmt: skip
    return StationPKI(
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
def station_certificate(pki: StationPKI) -> tuple[str, str]:
    """``(pem, path)`` of the station certificate with subject ``O=Acme Charging, CN=CP-TLS``."""
    return pki.client_cert.read_text(), str(pki.client_cert)
