"""Session enums of OCPI 2.2.1."""

from __future__ import annotations

from enum import Enum

from ocpi.modules.cdrs.v_2_2_1.enums import AuthMethod, CdrDimensionType

__all__ = [
    "AuthMethod",
    "CdrDimensionType",
    "ChargingPreferencesResponse",
    "ProfileType",
    "SessionStatus",
]


class ChargingPreferencesResponse(str, Enum):
    """The CPO's answer to new charging preferences."""

    accepted = "ACCEPTED"
    departure_required = "DEPARTURE_REQUIRED"
    energy_need_required = "ENERGY_NEED_REQUIRED"
    not_possible = "NOT_POSSIBLE"
    profile_type_not_supported = "PROFILE_TYPE_NOT_SUPPORTED"


class ProfileType(str, Enum):
    """The kind of smart charging a driver asks for."""

    cheap = "CHEAP"
    fast = "FAST"
    green = "GREEN"
    regular = "REGULAR"


class SessionStatus(str, Enum):
    active = "ACTIVE"
    completed = "COMPLETED"
    invalid = "INVALID"
    pending = "PENDING"
    reservation = "RESERVATION"
