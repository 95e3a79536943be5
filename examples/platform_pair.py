"""Two OCPI platforms on the in-memory backend, served by uvicorn on 127.0.0.1 and registered with
each other: the setting of the hubclientinfo, payments and bookings examples.

Platform B registers with platform A (the credentials handshake over real HTTP); each then calls
the other through a :class:`~ocpi.PartnerClient` built from the endpoints it learned::

    async with running_pair((RoleEnum.hub, "HUB"), (RoleEnum.cpo, "CPO"), modules) as pair:
        await pair.to_b.get(...)
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

import uvicorn

from examples.memory_backend import MemoryStore, create_app
from ocpi import ModuleID, OCPIClient, PartnerClient, RoleEnum, Settings, VersionNumber

__all__ = ["Pair", "running_pair"]


@dataclass
class Pair:
    a: MemoryStore
    b: MemoryStore
    #: A's client of B's endpoints.
    to_b: PartnerClient
    #: B's client of A's endpoints.
    to_a: PartnerClient


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.asynccontextmanager
async def running_pair(
    a: tuple[RoleEnum, str],
    b: tuple[RoleEnum, str],
    modules: Sequence[ModuleID],
    version: VersionNumber = VersionNumber.v_2_3_0,
) -> AsyncIterator[Pair]:
    """Start platforms A and B (``(role, party_id)``, country NL), let B register with A."""
    stores: list[MemoryStore] = []
    servers: list[tuple[uvicorn.Server, asyncio.Task[None]]] = []
    ports: list[int] = []
    try:
        for role, party in (a, b):
            port = _free_port()
            settings = Settings(
                OCPI_HOST=f"127.0.0.1:{port}", PROTOCOL="http", COUNTRY_CODE="NL", PARTY_ID=party
            )
            app, store = create_app(settings, [role], [version], list(modules))
            config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
            server = uvicorn.Server(config)
            task = asyncio.get_running_loop().create_task(server.serve())
            servers.append((server, task))
            while not server.started:
                if task.done():
                    task.result()
                await asyncio.sleep(0.01)
            stores.append(store)
            ports.append(port)
        store_a, store_b = stores
        b_view = await store_b.register_with(
            f"http://127.0.0.1:{ports[0]}/ocpi/versions", store_a.new_token_a()
        )
        (a_view,) = store_a.partners.values()
        async with OCPIClient() as client:
            yield Pair(
                store_a,
                store_b,
                to_b=PartnerClient(client, version, a_view.endpoints, a_view.token_out),
                to_a=PartnerClient(client, version, b_view.endpoints, b_view.token_out),
            )
    finally:
        for server, task in reversed(servers):
            server.should_exit = True
            await task
