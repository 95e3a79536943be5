"""Session of OCPI 2.1.1."""

from __future__ import annotations

from pydantic import Field

from ocpi.core.data_types import DateTime, Number, OCPIModel, String3, String36, String255
from ocpi.modules.cdrs.v_2_1_1.schemas import CdrDimension, ChargingPeriod
from ocpi.modules.locations.v_2_1_1.schemas import Location
from ocpi.modules.sessions.v_2_1_1.enums import AuthMethod, SessionStatus

__all__ = ["CdrDimension", "ChargingPeriod", "Location", "Session"]


class Session(OCPIModel):
    id: String36
    start_datetime: DateTime
    end_datetime: DateTime | None = None
    kwh: Number
    auth_id: String36 = Field(description="The ``auth_id`` of the token used.")
    auth_method: AuthMethod
    location: Location = Field(description="The location with only the EVSE and connector used.")
    meter_id: String255 | None = None
    currency: String3 = Field(description="ISO 4217 currency code.")
    charging_periods: list[ChargingPeriod] | None = None
    total_cost: Number | None = Field(default=None, description="Excluding VAT.")
    status: SessionStatus
    last_updated: DateTime
