"""A CPO with the bridge and an eMSP, both ours, over real HTTP; stations over real WebSockets.

The CPO runs the OCPP gateway and the bridge on the in-memory backend; the eMSP is a second
in-memory platform that registers with the CPO by the credentials handshake.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import SecretStr

from examples.memory_backend import (
    ALL_VERSIONS,
    MemoryPartnerDirectory,
    MemoryStore,
    create_app,
    make_authenticator,
    make_crud,
)
from ocpi import ModuleID, OCPIClient, PartnerClient, RoleEnum, VersionNumber
from ocpi.core.data_types import format_datetime
from ocpp_gw import GatewaySettings, OCPPGateway
from ocpp_gw.bridge.bridge import Bridge
from ocpp_gw.bridge.settings import BridgeSettings
from tests.conftest import LoopbackServer

API_TOKEN = "bridge-api-token"
#: Headers of the gateway's (and the bridge's) REST API.
API_HEADERS = {"Authorization": f"Bearer {API_TOKEN}"}

MODULES = [
    ModuleID.locations,
    ModuleID.sessions,
    ModuleID.cdrs,
    ModuleID.tariffs,
    ModuleID.tokens,
    ModuleID.commands,
    ModuleID.charging_profile,
]

#: 0.25/kWh (10 % VAT) plus a start fee of 1.00 (10 % VAT).
TARIFF = {
    "country_code": "NL",
    "party_id": "CPO",
    "id": "T1",
    "currency": "EUR",
    "elements": [
        {
            "price_components": [
                {"type": "FLAT", "price": 1.00, "vat": 10.0, "step_size": 1},
                {"type": "ENERGY", "price": 0.25, "vat": 10.0, "step_size": 1},
            ]
        }
    ],
    "last_updated": "2026-01-01T00:00:00Z",
}


def now_text() -> str:
    return format_datetime(datetime.now(UTC))


def token(uid: str, version: str, whitelist: str = "ALLOWED") -> dict[str, Any]:
    """A token of the eMSP DE*MSP in ``version``'s shape."""
    if version == "2.1.1":
        return {
            "uid": uid,
            "type": "RFID",
            "auth_id": f"DE-MSP-{uid}",
            "issuer": "MSP",
            "valid": True,
            "whitelist": whitelist,
            "last_updated": now_text(),
        }
    return {
        "country_code": "DE",
        "party_id": "MSP",
        "uid": uid,
        "type": "RFID",
        "contract_id": f"DE-MSP-{uid}",
        "issuer": "MSP",
        "valid": True,
        "whitelist": whitelist,
        "last_updated": now_text(),
    }


async def eventually(check: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait until ``check()`` holds (the bridge works in the background)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        if check():
            return
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


@dataclass
class Box:
    cpo: LoopbackServer
    cpo_app: Any
    cpo_store: MemoryStore
    bridge: Bridge
    emsp: LoopbackServer
    emsp_app: Any
    emsp_store: MemoryStore
    #: The eMSP's client of the CPO.
    to_cpo: PartnerClient
    version: str

    @property
    def gateway(self) -> OCPPGateway:
        return self.bridge.gateway

    @property
    def ws_url(self) -> str:
        return f"ws://{self.cpo.host}/ocpp"

    async def received(
        self,
        module: ModuleID,
        key: str,
        check: Callable[[dict[str, Any]], bool] = lambda _: True,
        timeout: float = 5.0,
    ) -> dict[str, Any]:
        """What the eMSP stored under ``key`` once ``check`` holds for it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            found = self.emsp_store.objects.get((module, key))
            if found is not None and check(found):
                return found
            if loop.time() > deadline:
                raise AssertionError(f"the eMSP has no {module.value} {key} as expected: {found}")
            await asyncio.sleep(0.02)

    async def restart_emsp(self) -> None:
        """Bring the eMSP back on its port after :meth:`LoopbackServer.stop`."""
        port = self.emsp.port
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
        self.emsp.sock = sock
        await self.emsp.start(self.emsp_app, timeout_graceful_shutdown=1)


def bridge_settings(**overrides: Any) -> BridgeSettings:
    values: dict[str, Any] = {
        "session_patch_interval": 0.2,
        "authorization_budget": 2.0,
        "station_call_timeout": 5.0,
        "command_result_timeout": 10,
        "retry_initial": 0.1,
        "retry_max": 0.5,
        "offline_after": None,
    }
    values.update(overrides)
    return BridgeSettings(**values)


@contextlib.asynccontextmanager
async def started_box(
    loopback: Callable[[], LoopbackServer],
    version: str,
    crud: Callable[[MemoryStore], Any] = make_crud,
    **settings: Any,
) -> AsyncIterator[Box]:
    cpo, emsp = loopback(), loopback()
    cpo_settings = cpo.settings(COUNTRY_CODE="NL", PARTY_ID="CPO")
    cpo_store = MemoryStore(cpo_settings, [RoleEnum.cpo], list(ALL_VERSIONS))
    gateway = OCPPGateway(
        settings=GatewaySettings(
            accept_unknown_chargers=True,
            precompile_schemas=False,
            api_token=SecretStr(API_TOKEN),
        )
    )
    bridge = Bridge(
        gateway=gateway,
        crud=crud(cpo_store),
        directory=MemoryPartnerDirectory(cpo_store),
        settings=bridge_settings(**settings),
    )
    cpo_app = bridge.application(
        version_numbers=list(ALL_VERSIONS),
        modules=MODULES,
        authenticator=make_authenticator(cpo_store),
        settings=cpo_settings,
    )
    cpo_store.objects[(ModuleID.tariffs, "T1")] = dict(TARIFF)
    emsp_app, emsp_store = create_app(
        emsp.settings(COUNTRY_CODE="DE", PARTY_ID="MSP"),
        [RoleEnum.emsp],
        [VersionNumber(version)],
        modules=MODULES,
    )
    await cpo.start(cpo_app, **gateway.uvicorn_options())
    await emsp.start(emsp_app, timeout_graceful_shutdown=1)
    partner = await emsp_store.register_with(f"{cpo.url}/ocpi/versions", cpo_store.new_token_a())
    async with OCPIClient(settings=emsp.settings()) as client:
        yield Box(
            cpo,
            cpo_app,
            cpo_store,
            bridge,
            emsp,
            emsp_app,
            emsp_store,
            PartnerClient(client, partner.version, partner.endpoints, partner.token_out),
            version,
        )
