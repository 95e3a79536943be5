"""Registering with a partner: the credentials handshake over real HTTP.

Two platforms run on 127.0.0.1 — a CPO and an eMSP, both on the in-memory reference backend. The
CPO's operator creates a token A and gives it, with the CPO's versions URL, to the eMSP; the eMSP
registers, both sides end up with each other's endpoints and tokens, and finally the eMSP
unregisters again.
"""

from __future__ import annotations

import asyncio
from typing import Any

from examples.loopback import free_port, serve, shutdown
from examples.memory_backend import create_app
from ocpi import OCPIClient, RoleEnum, Settings, VersionNumber


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
        await shutdown(servers)


if __name__ == "__main__":
    asyncio.run(main())
