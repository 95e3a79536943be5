"""Location, EVSE, Connector and Parking of OCPI 2.3.0.

Built on the 2.2.1 ``*Base`` classes. Fields typed with an open enum accept any string; ``Image``,
``BusinessDetails`` and ``EnergyMix`` are redefined here because their category fields became
open enums::

    connector = Connector.model_validate({..., "standard": "IEC_62196_T2"})
    connector.standard          # ConnectorType.iec_62196_t2
    Connector.model_validate({..., "standard": "X_VENDOR_PLUG"}).standard  # 'X_VENDOR_PLUG'
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from ocpi.core.data_types import (
    URL,
    CiString4,
    CiString25,
    CiString36,
    Number,
    OCPIModel,
    String12,
    String50,
    String100,
)
from ocpi.modules.locations.schemas import (
    AdditionalGeoLocation,
    EnergyMixBase,
    EnergySource,
    ExceptionalPeriod,
    GeoLocation,
    RegularHours,
    StatusSchedule,
)
from ocpi.modules.locations.v_2_2_1.schemas import (
    ConnectorBase,
    EVSEBase,
    Hours,
    LocationBase,
    PublishTokenTypeBase,
)
from ocpi.modules.locations.v_2_3_0.enums import (
    Capability,
    ConnectorCapability,
    ConnectorType,
    EnvironmentalImpactCategory,
    EVSEPosition,
    Facility,
    ImageCategory,
    ParkingDirection,
    ParkingRestriction,
    ParkingType,
    VehicleType,
)
from ocpi.modules.tokens.enums import OpenEnum
from ocpi.modules.tokens.v_2_3_0.enums import TokenType

__all__ = [
    "EVSE",
    "AdditionalGeoLocation",
    "BusinessDetails",
    "CiString25",
    "Connector",
    "EVSEParking",
    "EnergyMix",
    "EnergySource",
    "EnvironmentalImpact",
    "ExceptionalPeriod",
    "GeoLocation",
    "Hours",
    "Image",
    "Location",
    "Parking",
    "PublishTokenType",
    "RegularHours",
    "StatusSchedule",
    "String12",
    "String50",
]

# String lengths that ``ocpi.core.data_types`` does not define (yet).


class Image(OCPIModel):
    url: URL
    thumbnail: URL | None = None
    category: OpenEnum[ImageCategory]
    type: CiString4
    width: int | None = None
    height: int | None = None


class BusinessDetails(OCPIModel):
    name: String100
    website: URL | None = None
    logo: Image | None = None


class EnvironmentalImpact(OCPIModel):
    category: OpenEnum[EnvironmentalImpactCategory]
    amount: Number = Field(description="Grams per kWh.")


class EnergyMix(EnergyMixBase):
    environ_impact: list[EnvironmentalImpact] | None = None


class PublishTokenType(PublishTokenTypeBase):
    type: OpenEnum[TokenType] | None = None


class Connector(ConnectorBase):
    standard: OpenEnum[ConnectorType]
    capabilities: list[OpenEnum[ConnectorCapability]] | None = None


class EVSEParking(OCPIModel):
    """Links an EVSE to a ``Parking`` of its location by the parking's ``id``."""

    parking_id: CiString36
    evse_position: EVSEPosition | None = None

    @model_validator(mode="before")
    @classmethod
    def _accept_bare_id(cls, data: Any) -> Any:
        # The spec's own examples send a bare parking id instead of the object its table
        # defines; peers copying them should still be understood. Output is always the object.
        if isinstance(data, str):
            return {"parking_id": data}
        return data


class EVSE(EVSEBase):
    capabilities: list[OpenEnum[Capability]] | None = None
    connectors: list[Connector] = Field(min_length=1)
    parking_restrictions: list[OpenEnum[ParkingRestriction]] | None = None
    parking: list[EVSEParking] | None = None
    images: list[Image] | None = None
    accepted_service_providers: list[String50] | None = Field(
        default=None, description="Names of eMSPs whose contracts are accepted here."
    )


class Parking(OCPIModel):
    """A parking space (or stretch of kerb) usable while charging (new in 2.3.0, for AFIR).

    Lengths are in centimetres, weights in kilograms, ``time_limit`` in minutes.
    """

    id: CiString36
    physical_reference: String12 | None = None
    vehicle_types: list[OpenEnum[VehicleType]] = Field(min_length=1)
    max_vehicle_weight: Number | None = None
    max_vehicle_height: Number | None = None
    max_vehicle_length: Number | None = None
    max_vehicle_width: Number | None = None
    parking_space_length: Number | None = None
    parking_space_width: Number | None = None
    dangerous_goods_allowed: bool | None = None
    direction: ParkingDirection | None = None
    drive_through: bool | None = None
    restricted_to_type: bool
    reservation_required: bool
    time_limit: Number | None = None
    roofed: bool | None = None
    images: list[Image] | None = None
    lighting: bool | None = None
    refrigeration_outlet: bool | None = None
    standards: list[CiString36] | None = None
    apds_reference: str | None = Field(
        default=None, description="Reference to an Alliance for Parking Data Standards element."
    )


class Location(LocationBase):
    publish_allowed_to: list[PublishTokenType] | None = None
    parking_type: OpenEnum[ParkingType] | None = None
    evses: list[EVSE] | None = None
    parking_places: list[Parking] | None = None
    operator: BusinessDetails | None = None
    suboperator: BusinessDetails | None = None
    owner: BusinessDetails | None = None
    facilities: list[OpenEnum[Facility]] | None = None
    help_phone: CiString25 | None = None
    images: list[Image] | None = None
    energy_mix: EnergyMix | None = None
