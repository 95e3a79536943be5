"""Token enums of OCPI 2.2.1."""

from __future__ import annotations

from enum import Enum

from ocpi.modules.tokens.enums import AllowedType, WhitelistType

__all__ = ["AllowedType", "TokenType", "WhitelistType"]


class TokenType(str, Enum):
    ad_hoc_user = "AD_HOC_USER"
    app_user = "APP_USER"
    other = "OTHER"
    rfid = "RFID"
