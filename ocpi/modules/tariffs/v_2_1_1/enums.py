"""Tariff enums of OCPI 2.1.1."""

from __future__ import annotations

from ocpi.modules.tariffs.enums import DayOfWeek, TariffDimensionType

__all__ = ["DayOfWeek", "TariffDimensionType"]
