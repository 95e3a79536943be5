"""CDR enums of OCPI 2.1.1."""

from __future__ import annotations

from enum import Enum

__all__ = ["AuthMethod", "CdrDimensionType"]


class AuthMethod(str, Enum):
    auth_request = "AUTH_REQUEST"
    whitelist = "WHITELIST"


class CdrDimensionType(str, Enum):
    energy = "ENERGY"
    flat = "FLAT"
    max_current = "MAX_CURRENT"
    min_current = "MIN_CURRENT"
    parking_time = "PARKING_TIME"
    time = "TIME"
