"""The credentials handshake between two of our applications, both on the store, over real HTTP
(uvicorn on 127.0.0.1): register, rotate, unregister — in every version, on SQLite and
PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from sqlalchemy import select

from ocpi import ModuleID, OCPIClient, RoleEnum, VersionNumber, get_application
from ocpi.core.client import OCPIHTTPError
from ocpi.core.utils import encode_string_base64
from ocpi.store import Store
from ocpi.store.models import PartnerRow
from tests.conftest import LoopbackServer
from tests.store.conftest import Backend

ALL = [VersionNumber.v_2_1_1, VersionNumber.v_2_2_1, VersionNumber.v_2_3_0]


def auth(token: str, version: VersionNumber) -> dict[str, str]:
    if version == VersionNumber.v_2_1_1:
        return {"Authorization": f"Token {token}"}
    return {"Authorization": f"Token {encode_string_base64(token)}"}


async def serve(
    backend: Backend,
    server: LoopbackServer,
    role: RoleEnum,
    versions: list[VersionNumber],
    party: str,
) -> Store:
    settings = server.settings(COUNTRY_CODE="NL", PARTY_ID=party)
    store = await backend.separate_store(settings, roles=[role], versions=versions)
    app = get_application(
        version_numbers=versions,
        roles=[role],
        crud=store.crud,
        modules=[ModuleID.locations],
        authenticator=store.authenticator,
        settings=settings,
    )
    await server.start(app)
    return store


# Every version on SQLite; PostgreSQL once (the handshake does not depend on the database, the
# partner table does), which keeps the file fast.
CASES = [("sqlite", v) for v in ALL] + [("postgresql", VersionNumber.v_2_2_1)]


@pytest.mark.parametrize(
    ("backend", "version"), CASES, indirect=["backend"], ids=[f"{b}-{v.value}" for b, v in CASES]
)
async def test_register_rotate_unregister(
    backend: Backend, loopback: Callable[[], LoopbackServer], version: VersionNumber
) -> None:
    cpo_server, emsp_server = loopback(), loopback()
    cpo = await serve(backend, cpo_server, RoleEnum.cpo, [version], "CPO")
    emsp = await serve(backend, emsp_server, RoleEnum.emsp, [version], "MSP")
    versions_url = f"{cpo_server.url}/ocpi/versions"

    issued = await cpo.partners.create_token_a(name="the eMSP")
    partner = await emsp.partners.register(versions_url, issued.token, name="the CPO")

    assert partner.status == "registered"
    assert partner.version == version.value
    assert partner.parties == (("NL", "CPO"),)
    assert partner.endpoint(ModuleID.locations) is not None
    (seen_by_cpo,) = await cpo.partners.list()
    assert seen_by_cpo.id == issued.partner_id
    assert seen_by_cpo.status == "registered"
    assert seen_by_cpo.name == "the eMSP"
    assert seen_by_cpo.parties == (("NL", "MSP"),)
    assert seen_by_cpo.version == version.value
    token_c = partner.token_out
    assert token_c is not None

    async with httpx.AsyncClient() as http:
        # Token A was single use.
        gone = await http.get(versions_url, headers=auth(issued.token, version))
        assert gone.status_code == 401
        # Each side reaches the other with the token it was given.
        assert seen_by_cpo.token_out is not None
        back = await http.get(
            f"{emsp_server.url}/ocpi/versions", headers=auth(seen_by_cpo.token_out, version)
        )
        assert back.status_code == 200
        there = await http.get(versions_url, headers=auth(token_c, version))
        assert there.status_code == 200

    credentials_url = partner.endpoint(ModuleID.credentials_and_registration)
    assert credentials_url is not None
    async with OCPIClient(settings=emsp_server.settings()) as client:
        ours = await client.get_credentials(credentials_url, token_c, version)
        assert ours.token == token_c

        # Rotation from the operator API: new token B for the CPO, new token C for us.
        rotated = await emsp.partners.update(partner.id)
        assert rotated.token_out not in (None, token_c)
        with pytest.raises(OCPIHTTPError) as old:
            await client.get_credentials(credentials_url, token_c, version)
        assert old.value.http_status == 401
        (cpo_view,) = await cpo.partners.list()
        assert cpo_view.token_out is not None and cpo_view.token_out != seen_by_cpo.token_out
        async with httpx.AsyncClient() as http:
            back = await http.get(
                f"{emsp_server.url}/ocpi/versions", headers=auth(cpo_view.token_out, version)
            )
            assert back.status_code == 200

    # Unregistration: the CPO forgets us, the new token C stops working.
    assert await emsp.partners.unregister(partner.id)
    assert await cpo.partners.list() == []
    assert [p.status for p in await cpo.partners.list(include_unregistered=True)] == [
        "unregistered"
    ]
    async with OCPIClient(settings=emsp_server.settings()) as client:
        with pytest.raises(OCPIHTTPError) as after:
            await client.get_credentials(credentials_url, str(rotated.token_out), version)
        assert after.value.http_status == 401

    # A failed registration keeps nothing (the partner refuses an unknown token A).
    with pytest.raises(Exception, match="Unable to read the versions"):
        await emsp.partners.register(versions_url, "not-a-token-a")
    assert [p.id for p in await emsp.partners.list(include_unregistered=True)] == [partner.id]

    # Neither side's tables hold a token its partner presents in plain text.
    for store, secret in ((cpo, str(rotated.token_out)), (cpo, issued.token), (emsp, token_c)):
        async with store.db.read() as session:
            rows = list(await session.scalars(select(PartnerRow)))
        assert all(secret not in str(vars(row)) for row in rows)
