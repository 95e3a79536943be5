"""Tariff enums of OCPI 2.3.0."""

from __future__ import annotations

from enum import Enum

from ocpi.modules.tariffs.enums import DayOfWeek, TariffDimensionType
from ocpi.modules.tariffs.v_2_2_1.enums import ReservationRestrictionType, TariffType

__all__ = [
    "DayOfWeek",
    "ReservationRestrictionType",
    "TariffDimensionType",
    "TariffType",
    "TaxIncluded",
]


class TaxIncluded(str, Enum):
    """Whether the prices of a tariff already contain taxes (new in 2.3.0)."""

    yes = "YES"
    no = "NO"
    not_applicable = "N/A"
