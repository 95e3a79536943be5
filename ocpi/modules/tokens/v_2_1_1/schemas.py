"""Token classes of OCPI 2.1.1."""

from __future__ import annotations

from pydantic import Field

from ocpi.core.data_types import DateTime, DisplayText, OCPIModel, String36, String64
from ocpi.modules.locations.schemas import String39
from ocpi.modules.tokens.schemas import String2
from ocpi.modules.tokens.v_2_1_1.enums import AllowedType, TokenType, WhitelistType

__all__ = [
    "AuthorizationInfo",
    "DisplayText",
    "LocationReferences",
    "Token",
]


class Token(OCPIModel):
    """A token pushed by an eMSP to CPOs; ``uid`` together with ``type`` identifies it.

    Example::

        Token(uid="012345678", type=TokenType.rfid, auth_id="DE8ACC12E46L89",
              issuer="TheNewMotion", valid=True, whitelist=WhitelistType.allowed,
              last_updated="2015-06-29T22:39:09Z")
    """

    uid: String36 = Field(description="ID the charge point reads, e.g. the RFID hidden ID.")
    type: TokenType
    auth_id: String36 = Field(description="The driver's contract ID at the eMSP (eMA ID).")
    visual_number: String64 | None = Field(
        default=None, description="Number printed on the card, as the driver sees it."
    )
    issuer: String64 = Field(description="Company that issued the token, not always the eMSP.")
    valid: bool
    whitelist: WhitelistType
    language: String2 | None = Field(
        default=None, description="Driver's preferred language, ISO 639-1."
    )
    last_updated: DateTime


class LocationReferences(OCPIModel):
    """The location (and optionally EVSEs and connectors) an authorization is about."""

    location_id: String39
    evse_uids: list[String39] | None = None
    connector_ids: list[String36] | None = None


class AuthorizationInfo(OCPIModel):
    """Answer of an eMSP to a real-time authorization request."""

    allowed: AllowedType
    location: LocationReferences | None = Field(
        default=None, description="Only the EVSEs/connectors the driver may use, when asked."
    )
    info: DisplayText | None = None
