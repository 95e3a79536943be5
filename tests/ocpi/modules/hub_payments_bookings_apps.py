"""Apps on the in-memory backend for the hubclientinfo, payments and bookings tests: one app
behind an httpx ASGI transport, or two apps registered with each other over real HTTP."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from examples.memory_backend import MemoryStore, Partner, create_app
from ocpi import ModuleID, OCPIClient, PartnerClient, RoleEnum, Settings, VersionNumber
from ocpi.core.utils import encode_string_base64
from tests.conftest import LoopbackServer

TS = "2025-03-01T10:00:00Z"


@dataclass
class Platform:
    http: httpx.AsyncClient
    store: MemoryStore
    version: str

    def headers(self, token: str = "partner") -> dict[str, str]:
        return {"Authorization": f"Token {encode_string_base64(token)}"}

    def url(self, role: str, module: str, *parts: str) -> str:
        return "/".join([f"/ocpi/{role}/{self.version}/{module}", *parts])

    async def call(
        self,
        method: str,
        role: str,
        module: str,
        *parts: str,
        body: Any = None,
        params: dict[str, Any] | None = None,
    ) -> httpx.Response:
        return await self.http.request(
            method,
            self.url(role, module, *parts),
            json=body,
            params=params,
            headers=self.headers(),
        )

    def put_object(self, module: ModuleID, key: str, obj: dict[str, Any]) -> None:
        self.store.objects[(module, key)] = obj


@contextlib.asynccontextmanager
async def platform(
    roles: Sequence[RoleEnum],
    modules: Sequence[ModuleID],
    version: str = "2.3.0",
    caller_roles: Sequence[tuple[str, str, str]] = (("NL", "MSP", "EMSP"),),
    **settings: Any,
) -> AsyncIterator[Platform]:
    """One app; the calling partner (token ``partner``) acts for ``caller_roles``."""
    values: dict[str, Any] = {"OCPI_HOST": "p.example.com", "COUNTRY_CODE": "NL", "PARTY_ID": "ME"}
    values.update(settings)
    app, store = create_app(
        Settings(**values), list(roles), [VersionNumber(version)], list(modules)
    )
    creds = {
        "roles": [
            {"country_code": cc, "party_id": pid, "role": role} for cc, pid, role in caller_roles
        ]
    }
    store.partners["partner"] = Partner("partner", "b", version, creds, [])
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as http:
        yield Platform(http, store, version)


@dataclass
class Pair:
    a_store: MemoryStore
    b_store: MemoryStore
    #: A's client of B and B's client of A.
    to_b: PartnerClient
    to_a: PartnerClient


@contextlib.asynccontextmanager
async def registered_pair(
    loopback: Callable[[], LoopbackServer],
    a: tuple[RoleEnum, str],
    b: tuple[RoleEnum, str],
    modules: Sequence[ModuleID],
    version: VersionNumber = VersionNumber.v_2_3_0,
) -> AsyncIterator[Pair]:
    """Two apps under uvicorn; B registers with A (credentials handshake over HTTP)."""
    server_a, server_b = loopback(), loopback()
    app_a, store_a = create_app(
        server_a.settings(COUNTRY_CODE="NL", PARTY_ID=a[1]), [a[0]], [version], list(modules)
    )
    app_b, store_b = create_app(
        server_b.settings(COUNTRY_CODE="NL", PARTY_ID=b[1]), [b[0]], [version], list(modules)
    )
    await server_a.start(app_a)
    await server_b.start(app_b)
    b_view = await store_b.register_with(f"{server_a.url}/ocpi/versions", store_a.new_token_a())
    (a_view,) = store_a.partners.values()
    async with OCPIClient(retries=0) as client:
        yield Pair(
            store_a,
            store_b,
            PartnerClient(client, version, a_view.endpoints, a_view.token_out),
            PartnerClient(client, version, b_view.endpoints, b_view.token_out),
        )
