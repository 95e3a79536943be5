"""Token classes of OCPI 2.2.1.

2.3.0 changes the type of ``Token.type`` (an open enum), so the classes that carry a token are
built on bases holding the shared fields: ``TokenBase`` and ``AuthorizationInfoBase``. Each
version narrows ``type`` / ``token`` to its own classes; nothing else is repeated.
"""

from __future__ import annotations

from pydantic import Field

from ocpi.core.data_types import (
    CiString2,
    CiString3,
    CiString36,
    DateTime,
    DisplayText,
    OCPIModel,
    String64,
)
from ocpi.modules.sessions.v_2_2_1.enums import ProfileType
from ocpi.modules.tokens.schemas import String2
from ocpi.modules.tokens.v_2_2_1.enums import AllowedType, TokenType, WhitelistType

__all__ = [
    "AuthorizationInfo",
    "DisplayText",
    "EnergyContract",
    "LocationReferences",
    "Token",
]


class EnergyContract(OCPIModel):
    """The driver's own energy supplier/contract, for charge points that can use it."""

    supplier_name: String64
    contract_id: String64 | None = Field(
        default=None, description="Contract ID at the energy supplier."
    )


class LocationReferences(OCPIModel):
    """The location (and optionally EVSEs) an authorization is about."""

    location_id: CiString36
    evse_uids: list[CiString36] | None = None


class TokenBase(OCPIModel):
    """Fields of ``Token`` shared by 2.2.1 and 2.3.0; each version narrows ``type``."""

    country_code: CiString2 = Field(description="ISO 3166 alpha-2 country of the owning eMSP.")
    party_id: CiString3 = Field(description="Party ID of the owning eMSP.")
    uid: CiString36 = Field(
        description="ID the charge point reads (RFID hidden ID) or an ID made up by the eMSP."
    )
    type: str
    contract_id: CiString36 = Field(description="The driver's contract ID at the eMSP (eMA ID).")
    visual_number: String64 | None = Field(
        default=None, description="Number printed on the card, as the driver sees it."
    )
    issuer: String64 = Field(description="Company that issued the token, not always the eMSP.")
    group_id: CiString36 | None = Field(
        default=None, description="Tokens with the same group ID act as one (OCPP parentId)."
    )
    valid: bool
    whitelist: WhitelistType
    language: String2 | None = Field(
        default=None, description="Driver's preferred language, ISO 639-1."
    )
    default_profile_type: ProfileType | None = Field(
        default=None, description="Charging preference to use when none is set for a session."
    )
    energy_contract: EnergyContract | None = None
    last_updated: DateTime


class Token(TokenBase):
    """A token pushed by an eMSP to CPOs; ``uid`` together with ``type`` identifies it.

    Example::

        Token(country_code="DE", party_id="TNM", uid="bdf21bce", type=TokenType.app_user,
              contract_id="DE8ACC12E46L89", issuer="TheNewMotion", valid=True,
              whitelist=WhitelistType.allowed, last_updated="2018-12-10T17:16:15Z")
    """

    type: TokenType


class AuthorizationInfoBase(OCPIModel):
    """Fields of ``AuthorizationInfo`` shared by 2.2.1 and 2.3.0; each narrows ``token``."""

    allowed: AllowedType
    token: TokenBase
    location: LocationReferences | None = Field(
        default=None, description="Only the EVSEs the driver may use, when a location was sent."
    )
    authorization_reference: CiString36 | None = Field(
        default=None, description="Reference the CPO copies into the Session and CDR."
    )
    info: DisplayText | None = None


class AuthorizationInfo(AuthorizationInfoBase):
    """Answer of an eMSP to a real-time authorization request."""

    token: Token
