"""Tariff enums that are the same in every OCPI version."""

from __future__ import annotations

from enum import Enum

__all__ = ["DayOfWeek", "TariffDimensionType"]


class DayOfWeek(str, Enum):
    monday = "MONDAY"
    tuesday = "TUESDAY"
    wednesday = "WEDNESDAY"
    thursday = "THURSDAY"
    friday = "FRIDAY"
    saturday = "SATURDAY"
    sunday = "SUNDAY"


class TariffDimensionType(str, Enum):
    """What a price component charges for; ``step_size`` is in Wh or seconds."""

    energy = "ENERGY"
    flat = "FLAT"
    parking_time = "PARKING_TIME"
    time = "TIME"
