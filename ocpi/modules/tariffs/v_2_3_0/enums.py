"""Tariff enums of OCPI 2.3.0."""

from __future__ import annotations

from enum import Enum

from ocpi.modules.tariffs.enums import DayOfWeek, TariffDimensionType
from ocpi.modules.tariffs.v_2_2_1.enums import TariffType

__all__ = [
    "DayOfWeek",
    "ReservationRestrictionType",
    "TariffDimensionType",
    "TariffType",
    "TaxIncluded",
]


class ReservationRestrictionType(str, Enum):
    """Marks a tariff element as a price of a reservation.

    The last two values come from the 2.3.0 bookings extension; accepting them costs plain 2.3.0
    peers nothing and lets tariffs of peers that implement bookings validate.
    """

    reservation = "RESERVATION"
    reservation_expires = "RESERVATION_EXPIRES"
    reservation_cancellation_fees = "RESERVATION_CANCELLATION_FEES"
    reservation_overtime = "RESERVATION_OVERTIME"


class TaxIncluded(str, Enum):
    """Whether the prices of a tariff already contain taxes (new in 2.3.0)."""

    yes = "YES"
    no = "NO"
    not_applicable = "N/A"
