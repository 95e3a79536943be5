"""Charging profile classes of this version (shared with the other versions)."""

from __future__ import annotations

from ocpi.modules.chargingprofiles.schemas import (
    ActiveChargingProfile,
    ActiveChargingProfileResult,
    ChargingProfile,
    ChargingProfilePeriod,
    ChargingProfileResponse,
    ChargingProfileResult,
    ClearProfileResult,
    SetChargingProfile,
)

__all__ = [
    "ActiveChargingProfile",
    "ActiveChargingProfileResult",
    "ChargingProfile",
    "ChargingProfilePeriod",
    "ChargingProfileResponse",
    "ChargingProfileResult",
    "ClearProfileResult",
    "SetChargingProfile",
]
