"""Reading and checking the ``Authorization: Token ...`` header.

OCPI 2.2+ sends the credentials token base64-encoded, 2.1.1 sends it as is; real partners send both
forms in both versions, so both are tried (the version's own form first). Comparisons are constant
time and tokens are never logged.
"""

from __future__ import annotations

import logging
from typing import Any

from ocpi.core.authentication.authenticator import TokenKind, TokenOwner, tokens_match
from ocpi.core.exceptions import AuthorizationOCPIError
from ocpi.core.spec import transport_spec
from ocpi.core.utils import decode_string_base64

__all__ = ["TokenVerifier", "token_candidates"]

logger = logging.getLogger(__name__)


def token_candidates(authorization: str | None, version: str | None) -> list[str]:
    """The tokens an ``Authorization`` header may carry, most likely first."""
    if not authorization:
        return []
    scheme, _, raw = authorization.strip().partition(" ")
    raw = raw.strip()
    if scheme.lower() != "token" or not raw:
        return []
    try:
        decoded: str | None = decode_string_base64(raw)
    except ValueError:
        decoded = None
    if decoded is not None and (not decoded.isprintable() or not decoded):
        decoded = None
    base64_first = True
    if version is not None:
        try:
            base64_first = transport_spec(version).base64_tokens
        except ValueError:
            base64_first = True
    ordered = [decoded, raw] if base64_first else [raw, decoded]
    return [token for token in dict.fromkeys(ordered) if token]


class TokenVerifier:
    """Identifies the partner behind a credentials token using the integrator's Authenticator.

    Uses ``Authenticator.lookup_token`` when the integrator implements it, and the contract's
    ``get_valid_token_a`` / ``get_valid_token_c`` lists otherwise.
    """

    def __init__(self, authenticator: Any, *, no_auth: bool = False) -> None:
        self.authenticator = authenticator
        self.no_auth = no_auth
        self._has_lookup = True

    async def lookup(self, token: str) -> TokenOwner | None:
        if self._has_lookup:
            try:
                owner: TokenOwner | None = await self.authenticator.lookup_token(token)
                return owner
            except NotImplementedError:
                self._has_lookup = False
        if tokens_match(token, list(await self.authenticator.get_valid_token_c())):
            return TokenOwner(TokenKind.C)
        if tokens_match(token, list(await self.authenticator.get_valid_token_a())):
            return TokenOwner(TokenKind.A)
        return None

    async def verify(
        self, authorization: str | None, version: str | None, *, allow_token_a: bool
    ) -> tuple[str, TokenOwner]:
        """Return ``(token, owner)`` or raise :class:`AuthorizationOCPIError` (HTTP 401).

        ``allow_token_a`` is true only on the versions and credentials modules.
        """
        candidates = token_candidates(authorization, version)
        if not candidates and self.no_auth:
            return "", TokenOwner(TokenKind.C)
        for token in candidates:
            owner = await self.lookup(token)
            if owner is None:
                continue
            if owner.kind is TokenKind.A and not allow_token_a:
                raise AuthorizationOCPIError("Token A may only be used for registration")
            return token, owner
        if candidates:
            logger.info("rejected a request with an unknown credentials token")
        raise AuthorizationOCPIError(
            "Missing or unknown credentials token" if candidates or authorization else None
        )
