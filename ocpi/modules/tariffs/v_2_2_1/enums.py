"""Tariff enums of OCPI 2.2.1."""

from __future__ import annotations

from enum import Enum

from ocpi.modules.tariffs.enums import DayOfWeek, TariffDimensionType

__all__ = ["DayOfWeek", "ReservationRestrictionType", "TariffDimensionType", "TariffType"]


class ReservationRestrictionType(str, Enum):
    """Marks a tariff element as the price of a reservation (or of one that expired)."""

    reservation = "RESERVATION"
    reservation_expires = "RESERVATION_EXPIRES"


class TariffType(str, Enum):
    """Which kind of session a tariff is for (payment method or charging preference)."""

    ad_hoc_payment = "AD_HOC_PAYMENT"
    profile_cheap = "PROFILE_CHEAP"
    profile_fast = "PROFILE_FAST"
    profile_green = "PROFILE_GREEN"
    regular = "REGULAR"
