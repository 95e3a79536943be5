"""Session of OCPI 2.3.0: the 2.2.1 fields with an open token type, the 2.3.0 ``Price`` and
charging periods that allow the dimension types of the bookings extension."""

from __future__ import annotations

from pydantic import Field

from ocpi.modules.cdrs.v_2_3_0.schemas import CdrDimension, CdrToken, ChargingPeriod
from ocpi.modules.sessions.v_2_2_1.schemas import ChargingPreferences, SessionBase
from ocpi.modules.tariffs.v_2_3_0.schemas import Price, TaxAmount

__all__ = [
    "CdrDimension",
    "CdrToken",
    "ChargingPeriod",
    "ChargingPreferences",
    "Price",
    "Session",
    "TaxAmount",
]


class Session(SessionBase):
    cdr_token: CdrToken
    charging_periods: list[ChargingPeriod] | None = None
    total_cost: Price | None = Field(
        default=None, description="Cost so far; absent means no price information."
    )
