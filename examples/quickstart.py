"""Quickstart: an OCPI CPO platform on the in-memory reference backend.

Run the server::

    uvicorn examples.quickstart:app

or run this file to see a partner's first two calls answered::

    python -m examples.quickstart
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from examples.memory_backend import create_app
from ocpi import RoleEnum, Settings, VersionNumber

settings = Settings(
    OCPI_HOST="127.0.0.1:8000",
    PROTOCOL="http",
    COUNTRY_CODE="NL",
    PARTY_ID="EXA",
    PROJECT_NAME="Example CPO",
)
app, store = create_app(settings, [RoleEnum.cpo], [VersionNumber.v_2_2_1, VersionNumber.v_2_3_0])


async def main() -> dict[str, Any]:
    token_a = store.new_token_a()  # hand this to the partner, with the versions URL
    headers = {"Authorization": f"Token {token_a}"}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as client:
        versions = (await client.get("/ocpi/versions", headers=headers)).json()
        details = (await client.get("/ocpi/2.3.0/details", headers=headers)).json()
    print("versions:", [v["version"] for v in versions["data"]])
    print("2.3.0 endpoints:", [(e["identifier"], e["role"]) for e in details["data"]["endpoints"]])
    return {"versions": versions, "details": details}


if __name__ == "__main__":
    asyncio.run(main())
