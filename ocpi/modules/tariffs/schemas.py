"""Tariff base classes shared by several OCPI versions.

Each holds the fields that a class has in 2.1.1; the version folders add the rest.
"""

from __future__ import annotations

from pydantic import Field

from ocpi.core.data_types import Number, OCPIModel, String5, String10
from ocpi.modules.tariffs.enums import DayOfWeek, TariffDimensionType

__all__ = ["PriceComponentBase", "String10", "TariffRestrictionsBase"]

# A length that ``ocpi.core.data_types`` does not define (yet).


class PriceComponentBase(OCPIModel):
    type: TariffDimensionType
    price: Number = Field(description="Price per unit of the dimension.")
    step_size: int = Field(description="Billing granularity in Wh, seconds, or 1 for FLAT.")


class TariffRestrictionsBase(OCPIModel):
    """Conditions under which a tariff element applies; all given ones must hold."""

    start_time: String5 | None = Field(default=None, description="Local ``HH:MM``.")
    end_time: String5 | None = Field(default=None, description="Local ``HH:MM``.")
    start_date: String10 | None = Field(default=None, description="Local ``YYYY-MM-DD``.")
    end_date: String10 | None = Field(default=None, description="Local ``YYYY-MM-DD``.")
    min_kwh: Number | None = None
    max_kwh: Number | None = None
    min_power: Number | None = Field(default=None, description="kW.")
    max_power: Number | None = Field(default=None, description="kW.")
    min_duration: int | None = Field(default=None, description="Seconds.")
    max_duration: int | None = Field(default=None, description="Seconds.")
    day_of_week: list[DayOfWeek] | None = None
