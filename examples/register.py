"""Registering with a partner: the credentials handshake over real HTTP.

Two platforms run on 127.0.0.1 — a CPO and an eMSP, both on the in-memory reference backend. The
CPO's operator creates a token A and gives it, with the CPO's versions URL, to the eMSP; the eMSP
registers, both sides end up with each other's endpoints and tokens, and finally the eMSP
unregisters again.
"""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import uvicorn

from examples.memory_backend import create_app
from ocpi import OCPIClient, RoleEnum, Settings, VersionNumber


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def serve(app: Any, port: int) -> tuple[uvicorn.Server, asyncio.Task[None]]:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.get_running_loop().create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn exposes only this flag
        await asyncio.sleep(0.01)
    return server, task


async def main() -> dict[str, Any]:
    cpo_port, emsp_port = free_port(), free_port()
    cpo_app, cpo = create_app(
        Settings(
            OCPI_HOST=f"127.0.0.1:{cpo_port}", PROTOCOL="http", COUNTRY_CODE="NL", PARTY_ID="CPO"
        ),
        [RoleEnum.cpo],
    )
    emsp_app, emsp = create_app(
        Settings(
            OCPI_HOST=f"127.0.0.1:{emsp_port}", PROTOCOL="http", COUNTRY_CODE="DE", PARTY_ID="MSP"
        ),
        [RoleEnum.emsp],
        [VersionNumber.v_2_2_1],
    )
    servers = [await serve(cpo_app, cpo_port), await serve(emsp_app, emsp_port)]
    try:
        # On the CPO: create a token A and send it to the eMSP with the versions URL.
        token_a = cpo.new_token_a()
        versions_url = f"http://127.0.0.1:{cpo_port}/ocpi/versions"

        # On the eMSP: register. Under the hood: GET versions and details with token A, POST our
        # credentials (token B) — the CPO then calls our versions/details with token B — and
        # receive the CPO's credentials with token C, which the eMSP uses from now on.
        partner = await emsp.register_with(versions_url, token_a)
        print("registered, OCPI", partner.version)
        print("CPO endpoints:", sorted({e["identifier"] for e in partner.endpoints}))

        # Later: unregister with token C.
        async with OCPIClient() as client:
            await client.unregister(
                emsp.credentials_url(partner), partner.token_out, VersionNumber(partner.version)
            )
        print("unregistered; partners left at the CPO:", len(cpo.partners))
        return {"version": partner.version, "cpo_partners_after": len(cpo.partners)}
    finally:
        for server, _ in servers:
            server.should_exit = True
        await asyncio.gather(*(task for _, task in servers))


if __name__ == "__main__":
    asyncio.run(main())
