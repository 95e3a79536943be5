"""Token classes of OCPI 2.3.0: as 2.2.1, but ``Token.type`` is an open enum."""

from __future__ import annotations

from ocpi.core.data_types import DisplayText
from ocpi.modules.tokens.enums import OpenEnum
from ocpi.modules.tokens.v_2_2_1.schemas import (
    AuthorizationInfoBase,
    EnergyContract,
    LocationReferences,
    TokenBase,
)
from ocpi.modules.tokens.v_2_3_0.enums import TokenType

__all__ = [
    "AuthorizationInfo",
    "DisplayText",
    "EnergyContract",
    "LocationReferences",
    "Token",
]


class Token(TokenBase):
    """A token pushed by an eMSP to CPOs; ``type`` also accepts values outside ``TokenType``.

    Example::

        Token(country_code="DE", party_id="TNM", uid="DE-TNM-C12345678-X", type="EMAID",
              contract_id="DE8ACC12E46L89", issuer="TheNewMotion", valid=True,
              whitelist=WhitelistType.never, last_updated="2024-12-10T17:16:15Z")
    """

    type: OpenEnum[TokenType]


class AuthorizationInfo(AuthorizationInfoBase):
    """Answer of an eMSP to a real-time authorization request."""

    token: Token
