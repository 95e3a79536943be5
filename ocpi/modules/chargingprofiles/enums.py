"""Charging profile enums (the same in 2.2.1 and 2.3.0)."""

from __future__ import annotations

from enum import Enum

__all__ = ["ChargingProfileResponseType", "ChargingProfileResultType", "ChargingRateUnit"]


class ChargingRateUnit(str, Enum):
    """Unit of a profile's limits: total power in watts, or current per phase in amperes."""

    w = "W"
    a = "A"


class ChargingProfileResponseType(str, Enum):
    """The CPO's synchronous answer to a charging profile request."""

    accepted = "ACCEPTED"
    not_supported = "NOT_SUPPORTED"
    rejected = "REJECTED"
    too_often = "TOO_OFTEN"
    unknown_session = "UNKNOWN_SESSION"


class ChargingProfileResultType(str, Enum):
    """What the EVSE did with the request, posted later to ``response_url``."""

    accepted = "ACCEPTED"
    rejected = "REJECTED"
    unknown = "UNKNOWN"
