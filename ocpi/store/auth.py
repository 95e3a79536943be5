"""``SQLAuthenticator``: credentials tokens checked against the partner table.

Each check is one indexed lookup of the token's SHA-256 hash (:meth:`lookup_token`), which the
library prefers over the list methods. The list methods of the contract cannot be answered — the
store never keeps the tokens partners present in plain text — and return empty lists.
"""

from __future__ import annotations

from typing import ClassVar

from ocpi.core.authentication.authenticator import Authenticator, TokenKind, TokenOwner
from ocpi.core.exceptions import AuthorizationOCPIError
from ocpi.store.partners import PartnerRepository

__all__ = ["SQLAuthenticator"]


class SQLAuthenticator(Authenticator):
    """The store's Authenticator. Use the class returned by :meth:`bind`
    (``store.authenticator``)."""

    partners: ClassVar[PartnerRepository]

    @classmethod
    def bind(cls, partners: PartnerRepository) -> type[SQLAuthenticator]:
        """A subclass working on ``partners`` (one per store)."""
        bound: type[SQLAuthenticator] = type(f"Bound{cls.__name__}", (cls,), {"partners": partners})
        return bound

    @classmethod
    async def lookup_token(cls, token: str) -> TokenOwner | None:
        return await cls.partners.lookup(token)

    @classmethod
    async def authenticate(cls, auth_token: str) -> None:
        owner = await cls.lookup_token(auth_token)
        if owner is None or owner.kind is not TokenKind.C:
            raise AuthorizationOCPIError

    @classmethod
    async def authenticate_credentials(cls, auth_token: str) -> str | dict[str, str] | None:
        owner = await cls.lookup_token(auth_token)
        if owner is None:
            return None
        return {} if owner.kind is TokenKind.A else auth_token

    @classmethod
    async def get_valid_token_c(cls) -> list[str]:
        """Always empty: only hashes are stored (see :meth:`lookup_token`)."""
        return []

    @classmethod
    async def get_valid_token_a(cls) -> list[str]:
        """Always empty: only hashes are stored (see :meth:`lookup_token`)."""
        return []
