"""CDR enums of OCPI 2.3.0."""

from __future__ import annotations

from enum import Enum

from ocpi.modules.cdrs.v_2_2_1.enums import AuthMethod

__all__ = ["AuthMethod", "CdrDimensionType"]


class CdrDimensionType(str, Enum):
    """The 2.2.1 dimensions plus the two reservation ones of the 2.3.0 bookings extension."""

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
    # Bookings extension: reserved time not used, and use beyond the reserved slot.
    reservation_expires = "RESERVATION_EXPIRES"
    reservation_overtime = "RESERVATION_OVERTIME"
    state_of_charge = "STATE_OF_CHARGE"
    time = "TIME"
