"""Token enums of OCPI 2.1.1."""

from __future__ import annotations

from enum import Enum

from ocpi.modules.tokens.enums import AllowedType, WhitelistType

__all__ = ["Allowed", "AllowedType", "TokenType", "WhitelistType"]

Allowed = AllowedType
"""The 2.1.1 name of :class:`AllowedType` (same values)."""


class TokenType(str, Enum):
    other = "OTHER"
    rfid = "RFID"
