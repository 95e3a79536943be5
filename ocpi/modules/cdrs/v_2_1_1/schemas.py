"""CDR of OCPI 2.1.1 (also ``ChargingPeriod``, which sessions use)."""

from __future__ import annotations

from pydantic import Field

from ocpi.core.data_types import (
    CiString36,
    DateTime,
    Number,
    OCPIModel,
    String3,
    String36,
    String255,
)
from ocpi.modules.cdrs.v_2_1_1.enums import AuthMethod, CdrDimensionType
from ocpi.modules.locations.v_2_1_1.schemas import Location
from ocpi.modules.tariffs.v_2_1_1.schemas import Tariff

__all__ = ["CDR", "CdrDimension", "ChargingPeriod", "Location", "Tariff"]


class CdrDimension(OCPIModel):
    type: CdrDimensionType
    volume: Number


class ChargingPeriod(OCPIModel):
    """A stretch of a session; it lasts until the next period starts or the session ends."""

    start_date_time: DateTime
    dimensions: list[CdrDimension] = Field(min_length=1)


class CDR(OCPIModel):
    id: CiString36
    start_date_time: DateTime
    stop_date_time: DateTime
    auth_id: String36 = Field(description="The ``auth_id`` of the token used.")
    auth_method: AuthMethod
    location: Location = Field(description="The location with only the EVSE and connector used.")
    meter_id: String255 | None = None
    currency: String3 = Field(description="ISO 4217 currency code.")
    tariffs: list[Tariff] | None = None
    charging_periods: list[ChargingPeriod] = Field(min_length=1)
    total_cost: Number = Field(description="Excluding VAT.")
    total_energy: Number = Field(description="kWh.")
    total_time: Number = Field(description="Hours, charging and not charging.")
    total_parking_time: Number | None = Field(default=None, description="Hours not charging.")
    remark: String255 | None = None
    last_updated: DateTime
