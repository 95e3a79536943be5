"""The integrator's authenticator.

Subclass :class:`Authenticator` and pass the class (or an instance) to :func:`ocpi.get_application`.
The two list methods are the established contract; override :meth:`Authenticator.lookup_token` to
answer a single lookup instead (one database query rather than loading every token), and
:meth:`Authenticator.authenticate_charger` to let OCPP charging stations in::

    class MyAuthenticator(Authenticator):
        @classmethod
        async def get_valid_token_c(cls) -> list[str]:
            return await db.tokens_c()

        @classmethod
        async def get_valid_token_a(cls) -> list[str]:
            return await db.tokens_a()

        @classmethod
        async def lookup_token(cls, token: str) -> TokenOwner | None:
            row = await db.find_token(token)
            return TokenOwner(row.kind, partner_id=row.partner_id) if row else None
"""

from __future__ import annotations

import hmac
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from enum import Enum

from ocpi.core.exceptions import AuthorizationOCPIError

__all__ = [
    "Authenticator",
    "ChargerCertificate",
    "ChargerCredentials",
    "TokenKind",
    "TokenOwner",
    "tokens_match",
]


class TokenKind(str, Enum):
    """Which credentials token a request carries (OCPI ``CREDENTIALS_TOKEN_A`` / ``_C``)."""

    A = "A"
    C = "C"


@dataclass(frozen=True, slots=True)
class TokenOwner:
    """Who a credentials token belongs to.

    ``parties`` lists the ``(country_code, party_id)`` pairs the partner may act for; an empty tuple
    means "not known", and ownership checks on client-owned objects are then left to the Crud.
    """

    kind: TokenKind
    partner_id: str | None = None
    parties: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class ChargerCertificate:
    """The TLS client certificate a charging station presented (security profile 3)."""

    subject_cn: str | None
    subject_o: str | None
    #: ``True`` when the TLS layer (or a trusted proxy) verified the chain against the CA.
    verified: bool
    pem: str | None = None


@dataclass(frozen=True, slots=True)
class ChargerCredentials:
    """What a charging station presented when it opened its WebSocket."""

    charge_point_id: str
    #: Security profile the connection qualifies for:
    #: 0 (none), 1 (Basic), 2 (TLS + Basic), 3 (client certificate).
    security_profile: int
    username: str | None = None
    password: str | None = None
    certificate: ChargerCertificate | None = None
    remote_address: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def tokens_match(candidate: str, tokens: list[str]) -> bool:
    """Constant-time membership test (no early exit on the first match)."""
    probe = candidate.encode()
    found = False
    for token in tokens:
        found |= hmac.compare_digest(probe, token.encode())
    return found


class Authenticator(ABC):
    """Verifies OCPI credentials tokens (and, optionally, OCPP charging stations)."""

    @classmethod
    async def authenticate(cls, auth_token: str) -> None:
        """Raise :class:`AuthorizationOCPIError` unless ``auth_token`` is a valid token C."""
        if not tokens_match(auth_token, await cls.get_valid_token_c()):
            raise AuthorizationOCPIError

    @classmethod
    async def authenticate_credentials(cls, auth_token: str) -> str | dict[str, str] | None:
        """Classify a token used on the credentials module.

        Returns ``{}`` for a token A (not registered yet), the token itself for a token C
        (registered) and ``None`` for an unknown token.
        """
        if not auth_token:
            return None
        if tokens_match(auth_token, await cls.get_valid_token_a()):
            return {}
        if tokens_match(auth_token, await cls.get_valid_token_c()):
            return auth_token
        return None

    @classmethod
    @abstractmethod
    async def get_valid_token_c(cls) -> list[str]:
        """All tokens C (tokens issued to registered partners)."""

    @classmethod
    @abstractmethod
    async def get_valid_token_a(cls) -> list[str]:
        """All tokens A (one-time registration tokens not used yet)."""

    @classmethod
    async def lookup_token(cls, token: str) -> TokenOwner | None:
        """Optional fast path: return the owner of ``token`` or ``None`` if it is unknown.

        The default implementation is not used by the library (it falls back to the list methods);
        override it to answer from an index.
        """
        raise NotImplementedError

    @classmethod
    async def authenticate_charger(cls, credentials: ChargerCredentials) -> bool:
        """Decide whether an OCPP charging station may connect. Default: nobody.

        Return ``True`` to accept. The gateway has already checked the security profile's transport
        requirements (TLS for 2 and 3, a verified certificate for 3); compare the password or the
        certificate's subject here.
        """
        return False
