"""Charging profile enums of this version (shared with the other versions)."""

from __future__ import annotations

from ocpi.modules.chargingprofiles.enums import (
    ChargingProfileResponseType,
    ChargingProfileResultType,
    ChargingRateUnit,
)

__all__ = ["ChargingProfileResponseType", "ChargingProfileResultType", "ChargingRateUnit"]
