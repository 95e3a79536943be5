"""Location classes shared by several OCPI versions (``Image`` and ``BusinessDetails`` are also
used by credentials).

Classes whose fields are identical in 2.1.1, 2.2.1 and 2.3.0 live here, plus ``*Base`` classes
that hold the common fields of a class whose remaining fields differ per version.
"""

from __future__ import annotations

from pydantic import Field

from ocpi.core.data_types import (
    URL,
    CiString4,
    DateTime,
    DisplayText,
    Number,
    OCPIModel,
    String4,
    String5,
    String10,
    String11,
    String16,
    String20,
    String39,
    String45,
    String48,
    String64,
    String100,
)
from ocpi.modules.locations.enums import EnergySourceCategory, ImageCategory, Status

__all__ = [
    "AdditionalGeoLocation",
    "BusinessDetails",
    "EnergyMixBase",
    "EnergySource",
    "ExceptionalPeriod",
    "GeoLocation",
    "HoursBase",
    "Image",
    "RegularHours",
    "StatusSchedule",
    "String4",
    "String10",
    "String11",
    "String16",
    "String20",
    "String39",
    "String45",
    "String48",
]

# String lengths that ``ocpi.core.data_types`` does not define (yet).


class Image(OCPIModel):
    url: URL
    thumbnail: URL | None = None
    category: ImageCategory
    type: CiString4
    width: int | None = None
    height: int | None = None


class BusinessDetails(OCPIModel):
    name: String100
    website: URL | None = None
    logo: Image | None = None


class GeoLocation(OCPIModel):
    """WGS 84 coordinates as decimal-degree strings, e.g. ``"51.047599"``."""

    latitude: String10
    longitude: String11


class AdditionalGeoLocation(OCPIModel):
    """A point near the location that matters to the driver, such as a car park entrance."""

    latitude: String10
    longitude: String11
    name: DisplayText | None = None


class RegularHours(OCPIModel):
    weekday: int = Field(ge=1, le=7, description="1 is Monday, 7 is Sunday.")
    period_begin: String5 = Field(description="Local time, ``HH:MM`` in 24h format.")
    period_end: String5 = Field(description="Local time, ``HH:MM``, later than period_begin.")


class ExceptionalPeriod(OCPIModel):
    period_begin: DateTime
    period_end: DateTime


class HoursBase(OCPIModel):
    """Fields of ``Hours`` common to every version; ``twentyfourseven`` differs in cardinality."""

    regular_hours: list[RegularHours] | None = None
    exceptional_openings: list[ExceptionalPeriod] | None = None
    exceptional_closings: list[ExceptionalPeriod] | None = None


class StatusSchedule(OCPIModel):
    """A planned status of an EVSE; ``period_end`` is absent when the end is unknown."""

    period_begin: DateTime
    period_end: DateTime | None = None
    status: Status


class EnergySource(OCPIModel):
    source: EnergySourceCategory
    percentage: Number = Field(description="Share of this source in the mix, 0 to 100.")


class EnergyMixBase(OCPIModel):
    """Fields of ``EnergyMix`` common to every version; ``environ_impact`` differs."""

    is_green_energy: bool
    energy_sources: list[EnergySource] | None = None
    supplier_name: String64 | None = None
    energy_product_name: String64 | None = None
