"""Running an ASGI app on 127.0.0.1 inside the current event loop (for the runnable examples)."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import uvicorn


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def serve(app: Any, port: int) -> tuple[uvicorn.Server, asyncio.Task[None]]:
    """Start ``app`` on ``port``; returns the server and its task (see :func:`shutdown`)."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.get_running_loop().create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn exposes only this flag
        await asyncio.sleep(0.01)
    return server, task


async def shutdown(servers: list[tuple[uvicorn.Server, asyncio.Task[None]]]) -> None:
    for server, _ in servers:
        server.should_exit = True
    await asyncio.gather(*(task for _, task in servers))
