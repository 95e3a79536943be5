"""The three ways to run the application — standalone under uvicorn, mounted as a sub-app, and
included as a router — plus two applications with different settings in one process."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

import httpx
from fastapi import FastAPI

from examples.memory_backend import MemoryStore, Partner, create_app, make_authenticator, make_crud
from ocpi import ModuleID, RoleEnum, VersionNumber, get_router, mount, ocpi_lifespan
from ocpi.core.utils import encode_string_base64
from tests.conftest import LoopbackServer
from tests.ocpi.support import registry

V = VersionNumber.v_2_2_1


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Token {encode_string_base64(token)}"}


def seed(store: MemoryStore) -> None:
    store.partners["token-c"] = Partner("token-c", "b", "2.2.1", {}, [])
    for index in range(3):
        store.objects[(ModuleID.locations, f"L{index}")] = {
            "id": f"L{index}",
            "last_updated": datetime(2024, 1, 1, index, tzinfo=UTC),
        }


async def test_standalone_under_uvicorn(loopback: Callable[[], LoopbackServer]) -> None:
    server = loopback()
    app, store = create_app(server.settings(), [RoleEnum.cpo], [V])
    seed(store)
    ctx = app.state.ocpi
    assert ctx.started is False
    await server.start(app)
    assert ctx.started is True  # the lifespan ran
    async with httpx.AsyncClient() as http:
        response = await http.get(f"{server.url}/ocpi/versions", headers=auth("token-c"))
    assert response.json()["data"][0]["url"] == f"{server.url}/ocpi/2.2.1/details/"
    await server.stop()
    assert ctx.started is False
    assert "http_client" not in ctx.client_options  # pooled client closed and dropped


async def test_mounted_sub_app_runs_its_lifespan_and_knows_its_prefix(
    loopback: Callable[[], LoopbackServer],
) -> None:
    server = loopback()
    host_started: list[bool] = []

    @contextlib.asynccontextmanager
    async def host_lifespan(app: FastAPI) -> AsyncIterator[None]:
        host_started.append(True)
        yield

    host = FastAPI(lifespan=host_lifespan)

    @host.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    ocpi_app, store = create_app(
        server.settings(PAGINATION_MAX_LIMIT=2),
        [RoleEnum.cpo],
        [V],
        [ModuleID.locations],
        registry=registry(),
    )
    seed(store)
    mount(host, "/roaming", ocpi_app)
    await server.start(host)
    assert host_started == [True]
    assert ocpi_app.state.ocpi.started is True
    async with httpx.AsyncClient() as http:
        assert (await http.get(f"{server.url}/health")).json() == {"status": "ok"}
        versions = await http.get(f"{server.url}/roaming/ocpi/versions", headers=auth("token-c"))
        assert versions.json()["data"][0]["url"] == f"{server.url}/roaming/ocpi/2.2.1/details/"
        details = await http.get(
            f"{server.url}/roaming/ocpi/2.2.1/details", headers=auth("token-c")
        )
        urls = {e["url"] for e in details.json()["data"]["endpoints"]}
        assert f"{server.url}/roaming/ocpi/cpo/2.2.1/locations/" in urls
        page = await http.get(
            f"{server.url}/roaming/ocpi/cpo/2.2.1/locations", headers=auth("token-c")
        )
        assert page.headers["link"].startswith(f"<{server.url}/roaming/ocpi/cpo/2.2.1/locations?")
        missing = await http.get(f"{server.url}/roaming/ocpi/nope", headers=auth("token-c"))
        assert missing.status_code == 404
        assert missing.json()["status_code"] == 2000
    await server.stop()
    assert ocpi_app.state.ocpi.started is False


async def test_router_included_in_host_app(loopback: Callable[[], LoopbackServer]) -> None:
    server = loopback()
    store = MemoryStore(server.settings(), [RoleEnum.cpo], [V])
    seed(store)
    router = get_router(
        [V],
        [RoleEnum.cpo],
        make_crud(store),
        [ModuleID.locations],
        make_authenticator(store),
        settings=store.settings,
        registry=registry(),
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with ocpi_lifespan(router.ocpi_context):  # type: ignore[attr-defined]
            yield

    host = FastAPI(lifespan=lifespan)  # no OCPI exception handlers on the host
    host.include_router(router, prefix="/api")
    await server.start(host)
    assert router.ocpi_context.started is True  # type: ignore[attr-defined]
    async with httpx.AsyncClient() as http:
        details = await http.get(f"{server.url}/api/ocpi/2.2.1/details", headers=auth("token-c"))
        urls = {e["url"] for e in details.json()["data"]["endpoints"]}
        assert f"{server.url}/api/ocpi/2.2.1/credentials/" in urls
        unknown = await http.get(
            f"{server.url}/api/ocpi/cpo/2.2.1/locations/NOPE", headers=auth("token-c")
        )
        assert unknown.status_code == 404
        assert unknown.json()["status_code"] == 2000
        unauthorised = await http.get(f"{server.url}/api/ocpi/cpo/2.2.1/locations")
        assert unauthorised.status_code == 401
        assert unauthorised.json()["status_code"] == 2000
        bad = await http.post(
            f"{server.url}/api/ocpi/2.2.1/credentials",
            content=b"[",
            headers={**auth("token-c"), "content-type": "application/json"},
        )
        assert bad.status_code == 400
        assert bad.json()["status_code"] == 2000


async def test_two_apps_with_different_parties_in_one_process() -> None:
    from ocpi import Settings

    first, first_store = create_app(
        Settings(OCPI_HOST="one.example.com", COUNTRY_CODE="NL", PARTY_ID="ONE"),
        [RoleEnum.cpo],
        [V],
    )
    second, second_store = create_app(
        Settings(OCPI_HOST="two.example.com", COUNTRY_CODE="DE", PARTY_ID="TWO", OCPI_PREFIX="x"),
        [RoleEnum.emsp],
        [V],
    )
    seed(first_store)
    seed(second_store)
    results = []
    for app, prefix in ((first, "ocpi"), (second, "x")):
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t"
        ) as http:
            versions = await http.get(f"/{prefix}/versions", headers=auth("token-c"))
            credentials = await http.get(f"/{prefix}/2.2.1/credentials", headers=auth("token-c"))
        results.append((versions.json()["data"][0]["url"], credentials.json()["data"]["roles"][0]))
    assert results[0][0] == "https://one.example.com/ocpi/2.2.1/details/"
    assert results[1][0] == "https://two.example.com/x/2.2.1/details/"
    assert (results[0][1]["party_id"], results[0][1]["role"]) == ("ONE", "CPO")
    assert (results[1][1]["party_id"], results[1][1]["role"]) == ("TWO", "EMSP")
