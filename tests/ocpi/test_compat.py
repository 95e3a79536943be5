"""Code written for the established library keeps working: legacy names and identifiers."""

from __future__ import annotations

import httpx

from examples.memory_backend import create_app
from ocpi import ModuleID, RoleEnum, Settings, VersionNumber


async def test_legacy_clientinfo_module_id_serves_hubclientinfo() -> None:
    app, _ = create_app(
        Settings(VERSIONS_REQUIRE_AUTH=False),
        [RoleEnum.cpo],
        [VersionNumber.v_2_2_1],
        [ModuleID.client_info],
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        details = (await c.get("/ocpi/2.2.1/details")).json()["data"]["endpoints"]
    assert {e["identifier"] for e in details} == {"credentials", "hubclientinfo"}
