"""Location, EVSE and Connector of OCPI 2.1.1."""

from __future__ import annotations

from pydantic import Field

from ocpi.core.data_types import (
    URL,
    DateTime,
    DisplayText,
    Number,
    OCPIModel,
    String3,
    String36,
    String255,
)
from ocpi.modules.locations.schemas import (
    AdditionalGeoLocation,
    BusinessDetails,
    EnergyMixBase,
    EnergySource,
    ExceptionalPeriod,
    GeoLocation,
    HoursBase,
    Image,
    RegularHours,
    StatusSchedule,
    String4,
    String10,
    String16,
    String39,
    String45,
    String48,
)
from ocpi.modules.locations.v_2_1_1.enums import (
    Capability,
    ConnectorFormat,
    ConnectorType,
    EnvironmentalImpactCategory,
    Facility,
    LocationType,
    ParkingRestriction,
    PowerType,
    Status,
)

__all__ = [
    "EVSE",
    "AdditionalGeoLocation",
    "BusinessDetails",
    "Connector",
    "EnergyMix",
    "EnergySource",
    "EnvironmentalImpact",
    "ExceptionalPeriod",
    "GeoLocation",
    "Hours",
    "Image",
    "Location",
    "RegularHours",
    "StatusSchedule",
]


class EnvironmentalImpact(OCPIModel):
    """Waste or emission per kWh; the category field is called ``source`` in 2.1.1."""

    source: EnvironmentalImpactCategory
    amount: Number = Field(description="Grams per kWh.")


class EnergyMix(EnergyMixBase):
    environ_impact: list[EnvironmentalImpact] | None = None


class Hours(HoursBase):
    """Opening hours: either ``regular_hours`` or ``twentyfourseven`` is meant to be given."""

    twentyfourseven: bool | None = None


class Connector(OCPIModel):
    id: String36
    standard: ConnectorType
    format: ConnectorFormat
    power_type: PowerType
    voltage: int = Field(description="Volt, line to neutral for AC_3_PHASE.")
    amperage: int = Field(description="Maximum current in ampere.")
    tariff_id: String36 | None = None
    terms_and_conditions: URL | None = None
    last_updated: DateTime


class EVSE(OCPIModel):
    uid: String39 = Field(description="Technical id of the EVSE in the CPO platform.")
    evse_id: String48 | None = Field(default=None, description="eMI3 EVSE ID shown to humans.")
    status: Status
    status_schedule: list[StatusSchedule] | None = None
    capabilities: list[Capability] | None = None
    connectors: list[Connector] = Field(min_length=1)
    floor_level: String4 | None = None
    coordinates: GeoLocation | None = None
    physical_reference: String16 | None = None
    directions: list[DisplayText] | None = None
    parking_restrictions: list[ParkingRestriction] | None = None
    images: list[Image] | None = None
    last_updated: DateTime


class Location(OCPIModel):
    id: String39
    type: LocationType
    name: String255 | None = None
    address: String45
    city: String45
    postal_code: String10
    country: String3 = Field(description="ISO 3166-1 alpha-3 country code.")
    coordinates: GeoLocation
    related_locations: list[AdditionalGeoLocation] | None = None
    evses: list[EVSE] | None = None
    directions: list[DisplayText] | None = None
    operator: BusinessDetails | None = None
    suboperator: BusinessDetails | None = None
    owner: BusinessDetails | None = None
    facilities: list[Facility] | None = None
    time_zone: String255 | None = Field(default=None, description="IANA zone, e.g. Europe/Oslo.")
    opening_times: Hours | None = None
    charging_when_closed: bool | None = None
    images: list[Image] | None = None
    energy_mix: EnergyMix | None = None
    last_updated: DateTime
