"""Token verification: the fast lookup hook, the contract's list methods, both token forms."""

from __future__ import annotations

import httpx
import pytest

from examples.memory_backend import Partner, create_app
from ocpi import Authenticator, RoleEnum, Settings, TokenKind, TokenOwner, VersionNumber
from ocpi.core.authentication.authenticator import tokens_match
from ocpi.core.authentication.verifier import TokenVerifier, token_candidates
from ocpi.core.exceptions import AuthorizationOCPIError
from ocpi.core.utils import encode_string_base64


class ListsOnly(Authenticator):
    """Written the way the established library's integrators write it."""

    @classmethod
    async def get_valid_token_c(cls) -> list[str]:
        return ["token-c"]

    @classmethod
    async def get_valid_token_a(cls) -> list[str]:
        return ["token-a"]


class IndexOnly(Authenticator):
    """Only the fast hook is usable: the list methods must not be called."""

    lookups: list[str] = []

    @classmethod
    async def get_valid_token_c(cls) -> list[str]:
        raise AssertionError("list method called although lookup_token exists")

    @classmethod
    async def get_valid_token_a(cls) -> list[str]:
        raise AssertionError("list method called although lookup_token exists")

    @classmethod
    async def lookup_token(cls, token: str) -> TokenOwner | None:
        cls.lookups.append(token)
        if token == "token-c":
            return TokenOwner(TokenKind.C, partner_id="p1", parties=(("DE", "MSP"),))
        return None


@pytest.mark.parametrize("authenticator", [ListsOnly, ListsOnly(), IndexOnly])
async def test_verifier_classifies_tokens(authenticator: object) -> None:
    verifier = TokenVerifier(authenticator)
    token, owner = await verifier.verify(
        "Token " + encode_string_base64("token-c"), "2.2.1", allow_token_a=False
    )
    assert token == "token-c"
    assert owner.kind is TokenKind.C
    with pytest.raises(AuthorizationOCPIError):
        await verifier.verify("Token nope", "2.2.1", allow_token_a=True)
    with pytest.raises(AuthorizationOCPIError):
        await verifier.verify(None, "2.2.1", allow_token_a=True)


async def test_token_a_rejected_outside_registration() -> None:
    verifier = TokenVerifier(ListsOnly)
    _, owner = await verifier.verify("Token token-a", "2.1.1", allow_token_a=True)
    assert owner.kind is TokenKind.A
    with pytest.raises(AuthorizationOCPIError):
        await verifier.verify("Token token-a", "2.1.1", allow_token_a=False)


async def test_fast_hook_is_used_over_http() -> None:
    IndexOnly.lookups.clear()
    app, _ = create_app(Settings(), [RoleEnum.cpo], [VersionNumber.v_2_2_1])
    app.state.ocpi.verifier.authenticator = IndexOnly
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        ok = await c.get(
            "/ocpi/versions", headers={"Authorization": "Token " + encode_string_base64("token-c")}
        )
        denied = await c.get("/ocpi/versions", headers={"Authorization": "Token other"})
    assert ok.status_code == 200
    assert denied.status_code == 401
    assert IndexOnly.lookups[0] == "token-c"


async def test_contract_methods_still_work() -> None:
    assert await ListsOnly.authenticate_credentials("token-a") == {}
    assert await ListsOnly.authenticate_credentials("token-c") == "token-c"
    assert await ListsOnly.authenticate_credentials("x") is None
    await ListsOnly.authenticate("token-c")
    with pytest.raises(AuthorizationOCPIError):
        await ListsOnly.authenticate("token-a")


def test_token_candidates_prefer_the_versions_form() -> None:
    encoded = encode_string_base64("abc-123")
    assert token_candidates(f"Token {encoded}", "2.2.1") == ["abc-123", encoded]
    assert token_candidates(f"Token {encoded}", "2.1.1") == [encoded, "abc-123"]
    assert token_candidates("Token plain!", "2.2.1") == ["plain!"]
    assert token_candidates("Basic abc", "2.2.1") == []
    assert token_candidates("Token ", "2.2.1") == []


def test_tokens_match_is_exact() -> None:
    assert tokens_match("a", ["b", "a"])
    assert not tokens_match("a", ["ab", "A", ""])
    assert not tokens_match("a", [])


async def test_no_auth_setting_lets_requests_without_header_in() -> None:
    app, store = create_app(Settings(NO_AUTH=True), [RoleEnum.cpo], [VersionNumber.v_2_2_1])
    store.partners["x"] = Partner("x", "y", "2.2.1", {}, [])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        assert (await c.get("/ocpi/versions")).status_code == 200
        # A wrong token is still wrong.
        assert (
            await c.get("/ocpi/versions", headers={"Authorization": "Token bad"})
        ).status_code == 401
