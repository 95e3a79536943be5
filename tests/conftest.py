"""Shared fixtures: real servers on the loopback interface and OCPI settings factories."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import uvicorn

from ocpi.core.config import Settings


class LoopbackServer:
    """A uvicorn server on 127.0.0.1 running in the test's event loop.

    The socket is bound before the app exists, so the app's settings can carry the real port.
    """

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port: int = self.sock.getsockname()[1]
        self.host = f"127.0.0.1:{self.port}"
        self.url = f"http://{self.host}"
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None

    def settings(self, **overrides: Any) -> Settings:
        values: dict[str, Any] = {"OCPI_HOST": self.host, "PROTOCOL": "http"}
        values.update(overrides)
        return Settings(**values)

    async def start(self, app: Any, **config: Any) -> None:
        cfg = uvicorn.Config(app, log_level="warning", lifespan="on", **config)
        self._server = uvicorn.Server(cfg)
        self._task = asyncio.create_task(self._server.serve(sockets=[self.sock]))
        for _ in range(500):
            if self._server.started:
                return
            if self._task.done():
                self._task.result()
            await asyncio.sleep(0.01)
        raise TimeoutError("uvicorn did not start")

    async def stop(self) -> None:
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await self._task
        self.sock.close()


@pytest.fixture
async def loopback() -> AsyncIterator[Callable[[], LoopbackServer]]:
    """Factory of :class:`LoopbackServer`; every server made is stopped after the test."""
    servers: list[LoopbackServer] = []

    def make() -> LoopbackServer:
        server = LoopbackServer()
        servers.append(server)
        return server

    yield make
    for server in reversed(servers):
        with contextlib.suppress(Exception):
            await server.stop()


@pytest.fixture
def settings_factory() -> Callable[..., Settings]:
    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "OCPI_HOST": "testserver",
            "PROTOCOL": "http",
            "COUNTRY_CODE": "NL",
            "PARTY_ID": "CPO",
        }
        values.update(overrides)
        return Settings(**values)

    return make
