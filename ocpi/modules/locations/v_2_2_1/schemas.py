"""Location, EVSE and Connector of OCPI 2.2.1.

The ``*Base`` classes hold the fields 2.2.1 and 2.3.0 share; 2.3.0 builds its classes on them
because several field types become open enums there.
"""

from __future__ import annotations

from pydantic import Field

from ocpi.core.data_types import (
    URL,
    CiString2,
    CiString3,
    CiString36,
    CiString48,
    DateTime,
    DisplayText,
    Number,
    OCPIModel,
    String3,
    String64,
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
    String20,
    String45,
)
from ocpi.modules.locations.v_2_2_1.enums import (
    Capability,
    ConnectorFormat,
    ConnectorType,
    EnvironmentalImpactCategory,
    Facility,
    ParkingRestriction,
    ParkingType,
    PowerType,
    Status,
)
from ocpi.modules.tokens.v_2_2_1.enums import TokenType

__all__ = [
    "EVSE",
    "AdditionalGeoLocation",
    "BusinessDetails",
    "Connector",
    "ConnectorBase",
    "EVSEBase",
    "EnergyMix",
    "EnergySource",
    "EnvironmentalImpact",
    "ExceptionalPeriod",
    "GeoLocation",
    "Hours",
    "Image",
    "Location",
    "LocationBase",
    "PublishTokenType",
    "PublishTokenTypeBase",
    "RegularHours",
    "StatusSchedule",
]


class EnvironmentalImpact(OCPIModel):
    category: EnvironmentalImpactCategory
    amount: Number = Field(description="Grams per kWh.")


class EnergyMix(EnergyMixBase):
    environ_impact: list[EnvironmentalImpact] | None = None


class Hours(HoursBase):
    """Opening hours; ``regular_hours`` is only meaningful when ``twentyfourseven`` is false."""

    twentyfourseven: bool


class PublishTokenTypeBase(OCPIModel):
    """A token (or group) that may see an unpublished location; at least one field is set."""

    uid: CiString36 | None = None
    visual_number: String64 | None = None
    issuer: String64 | None = None
    group_id: CiString36 | None = None


class PublishTokenType(PublishTokenTypeBase):
    type: TokenType | None = None


class ConnectorBase(OCPIModel):
    id: CiString36
    format: ConnectorFormat
    power_type: PowerType
    max_voltage: int = Field(description="Volt, line to neutral for AC_3_PHASE.")
    max_amperage: int = Field(description="Ampere.")
    max_electric_power: int | None = Field(default=None, description="Watt.")
    tariff_ids: list[CiString36] | None = None
    terms_and_conditions: URL | None = None
    last_updated: DateTime


class Connector(ConnectorBase):
    standard: ConnectorType


class EVSEBase(OCPIModel):
    uid: CiString36 = Field(description="Technical id of the EVSE in the CPO platform.")
    evse_id: CiString48 | None = Field(default=None, description="EVSE ID shown to humans.")
    status: Status
    status_schedule: list[StatusSchedule] | None = None
    floor_level: String4 | None = None
    coordinates: GeoLocation | None = None
    physical_reference: String16 | None = None
    directions: list[DisplayText] | None = None
    last_updated: DateTime


class EVSE(EVSEBase):
    capabilities: list[Capability] | None = None
    connectors: list[Connector] = Field(min_length=1)
    parking_restrictions: list[ParkingRestriction] | None = None
    images: list[Image] | None = None


class LocationBase(OCPIModel):
    country_code: CiString2
    party_id: CiString3
    id: CiString36
    publish: bool
    name: String255 | None = None
    address: String45
    city: String45
    postal_code: String10 | None = None
    state: String20 | None = None
    country: String3 = Field(description="ISO 3166-1 alpha-3 country code.")
    coordinates: GeoLocation
    related_locations: list[AdditionalGeoLocation] | None = None
    directions: list[DisplayText] | None = None
    time_zone: String255 = Field(description="IANA zone, e.g. Europe/Oslo.")
    opening_times: Hours | None = None
    charging_when_closed: bool | None = None
    last_updated: DateTime


class Location(LocationBase):
    publish_allowed_to: list[PublishTokenType] | None = None
    parking_type: ParkingType | None = None
    evses: list[EVSE] | None = None
    operator: BusinessDetails | None = None
    suboperator: BusinessDetails | None = None
    owner: BusinessDetails | None = None
    facilities: list[Facility] | None = None
    images: list[Image] | None = None
    energy_mix: EnergyMix | None = None
