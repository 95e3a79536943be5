"""Embedding OCPI into an existing FastAPI service, two ways.

1. Mount the OCPI application under a prefix with :func:`ocpi.mount`, which also runs its lifespan
   (Starlette alone would not).
2. Include the OCPI routes as a router with :func:`ocpi.get_router` and enter
   :func:`ocpi.ocpi_lifespan` in the host's own lifespan.

Either way the OCPI routes keep their envelopes and error rules, and the URLs they advertise
contain the host's prefix.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
from fastapi import FastAPI

from examples.memory_backend import MemoryStore, create_app, make_authenticator, make_crud
from ocpi import RoleEnum, Settings, VersionNumber, get_router, mount, ocpi_lifespan

settings = Settings(OCPI_HOST="service.example.com", COUNTRY_CODE="NL", PARTY_ID="EXA")

# -- 1. mounted sub-application ------------------------------------------------------------------
mounted_host = FastAPI(title="My charging service")


@mounted_host.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


ocpi_app, mounted_store = create_app(settings, [RoleEnum.cpo], [VersionNumber.v_2_2_1])
mount(mounted_host, "/roaming", ocpi_app)

# -- 2. included router --------------------------------------------------------------------------
included_store = MemoryStore(settings, [RoleEnum.cpo], [VersionNumber.v_2_2_1])
router = get_router(
    version_numbers=[VersionNumber.v_2_2_1],
    roles=[RoleEnum.cpo],
    crud=make_crud(included_store),
    modules=[],
    authenticator=make_authenticator(included_store),
    settings=settings,
)


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    async with ocpi_lifespan(router.ocpi_context):  # type: ignore[attr-defined]
        yield


included_host = FastAPI(title="My charging service", lifespan=lifespan)
included_host.include_router(router, prefix="/partners")


async def versions_url_of(host: FastAPI, store: MemoryStore, path: str) -> str:
    headers = {"Authorization": f"Token {store.new_token_a()}"}
    async with host.router.lifespan_context(host):  # what uvicorn does at startup
        transport = httpx.ASGITransport(app=host)
        async with httpx.AsyncClient(transport=transport, base_url="http://internal") as client:
            body: dict[str, Any] = (await client.get(path, headers=headers)).json()
    url: str = body["data"][0]["url"]
    return url


async def main() -> tuple[str, str]:
    mounted = await versions_url_of(mounted_host, mounted_store, "/roaming/ocpi/versions")
    included = await versions_url_of(included_host, included_store, "/partners/ocpi/versions")
    print("mounted:", mounted)
    print("included:", included)
    return mounted, included


if __name__ == "__main__":
    asyncio.run(main())
