"""Session and ChargingPreferences of OCPI 2.2.1.

``SessionBase`` holds the fields 2.2.1 and 2.3.0 share; 2.3.0 changes the token type and the
price.
"""

from __future__ import annotations

from pydantic import Field

from ocpi.core.data_types import (
    CiString2,
    CiString3,
    CiString36,
    DateTime,
    Number,
    OCPIModel,
    Price,
    String3,
    String255,
)
from ocpi.modules.cdrs.v_2_2_1.schemas import CdrDimension, CdrToken, ChargingPeriod
from ocpi.modules.sessions.v_2_2_1.enums import AuthMethod, ProfileType, SessionStatus

__all__ = [
    "CdrDimension",
    "CdrToken",
    "ChargingPeriod",
    "ChargingPreferences",
    "Price",
    "Session",
    "SessionBase",
]


class ChargingPreferences(OCPIModel):
    """What the driver wants from a session: speed or price, departure time, energy."""

    profile_type: ProfileType
    departure_time: DateTime | None = None
    energy_need: Number | None = Field(default=None, description="kWh the driver wants.")
    discharge_allowed: bool | None = Field(
        default=None, description="Whether the EV may be discharged meanwhile; false if absent."
    )


class SessionBase(OCPIModel):
    country_code: CiString2
    party_id: CiString3
    id: CiString36
    start_date_time: DateTime
    end_date_time: DateTime | None = None
    kwh: Number
    auth_method: AuthMethod
    authorization_reference: CiString36 | None = None
    location_id: CiString36
    evse_uid: CiString36 = Field(description="``#NA`` while the EVSE is not known yet.")
    connector_id: CiString36 = Field(description="``#NA`` while the connector is not known yet.")
    meter_id: String255 | None = None
    currency: String3 = Field(description="ISO 4217 currency code.")
    status: SessionStatus
    last_updated: DateTime


class Session(SessionBase):
    cdr_token: CdrToken
    charging_periods: list[ChargingPeriod] | None = None
    total_cost: Price | None = Field(
        default=None, description="Cost so far; absent means no price information."
    )
