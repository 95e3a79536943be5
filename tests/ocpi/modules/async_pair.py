"""A CPO app and an eMSP (or SCSP) app on the in-memory backend, registered with each other over
real HTTP, for the commands and charging profiles tests."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from examples.memory_backend import ALL_VERSIONS, MemoryStore, create_app
from ocpi import ModuleID, OCPIClient, PartnerClient, RoleEnum, VersionNumber
from tests.conftest import LoopbackServer

MODULES = [ModuleID.commands, ModuleID.charging_profile, ModuleID.locations, ModuleID.sessions]


@dataclass
class Pair:
    cpo_app: Any
    cpo_store: MemoryStore
    cpo: LoopbackServer
    emsp_app: Any
    emsp_store: MemoryStore
    emsp: LoopbackServer
    #: The eMSP's client of the CPO.
    to_cpo: PartnerClient
    #: The CPO's client of the eMSP.
    to_emsp: PartnerClient

    def cpo_request(self, module: ModuleID, response_url: str) -> dict[str, Any]:
        """What the CPO's Crud received for the request answered at ``response_url``."""
        return self.cpo_store.objects[(module, response_url)]

    async def received(self, module: ModuleID, key: str, timeout: float = 3.0) -> dict[str, Any]:
        """What the eMSP's Crud stored under ``key``, waiting until it is there."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (module, key) not in self.emsp_store.objects:
            if loop.time() > deadline:
                raise AssertionError(f"the eMSP never received {module.value} {key}")
            await asyncio.sleep(0.01)
        return self.emsp_store.objects[(module, key)]


@contextlib.asynccontextmanager
async def started_pair(
    loopback: Callable[[], LoopbackServer],
    version: VersionNumber,
    requester_role: RoleEnum = RoleEnum.emsp,
) -> AsyncIterator[Pair]:
    cpo, emsp = loopback(), loopback()
    cpo_app, cpo_store = create_app(
        cpo.settings(COUNTRY_CODE="NL", PARTY_ID="CPO"),
        [RoleEnum.cpo],
        list(ALL_VERSIONS),
        modules=MODULES,
    )
    emsp_app, emsp_store = create_app(
        emsp.settings(COUNTRY_CODE="DE", PARTY_ID="MSP"),
        [requester_role],
        [version],
        modules=MODULES,
    )
    await cpo.start(cpo_app)
    await emsp.start(emsp_app)
    partner = await emsp_store.register_with(f"{cpo.url}/ocpi/versions", cpo_store.new_token_a())
    (cpo_view,) = cpo_store.partners.values()
    async with (
        OCPIClient(settings=emsp.settings()) as emsp_client,
        OCPIClient(settings=cpo.settings()) as cpo_client,
    ):
        yield Pair(
            cpo_app,
            cpo_store,
            cpo,
            emsp_app,
            emsp_store,
            emsp,
            PartnerClient(emsp_client, partner.version, partner.endpoints, partner.token_out),
            PartnerClient(cpo_client, cpo_view.version, cpo_view.endpoints, cpo_view.token_out),
        )
