"""Token enums of OCPI 2.3.0."""

from __future__ import annotations

from enum import Enum

from ocpi.modules.tokens.enums import AllowedType, WhitelistType

__all__ = ["AllowedType", "TokenType", "WhitelistType"]


class TokenType(str, Enum):
    """Open enum in 2.3.0: fields typed ``OpenEnum[TokenType]`` accept other strings too."""

    ad_hoc_user = "AD_HOC_USER"
    app_user = "APP_USER"
    emaid = "EMAID"
    # Added by the bookings extension of 2.3.0 (a licence plate used to claim a booking).
    license_plate = "LICENSE_PLATE"
    other = "OTHER"
    rfid = "RFID"
