"""CDR enums of OCPI 2.2.1."""

from __future__ import annotations

from enum import Enum

__all__ = ["AuthMethod", "CdrDimensionType"]


class AuthMethod(str, Enum):
    auth_request = "AUTH_REQUEST"
    command = "COMMAND"
    whitelist = "WHITELIST"


class CdrDimensionType(str, Enum):
    """Measured quantities of a charging period; some are meant for sessions only."""

    current = "CURRENT"
    energy = "ENERGY"
    energy_export = "ENERGY_EXPORT"
    energy_import = "ENERGY_IMPORT"
    max_current = "MAX_CURRENT"
    min_current = "MIN_CURRENT"
    max_power = "MAX_POWER"
    min_power = "MIN_POWER"
    parking_time = "PARKING_TIME"
    power = "POWER"
    reservation_time = "RESERVATION_TIME"
    state_of_charge = "STATE_OF_CHARGE"
    time = "TIME"
