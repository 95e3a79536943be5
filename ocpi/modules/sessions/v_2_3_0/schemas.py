"""Session of OCPI 2.3.0: the 2.2.1 fields with an open token type and the 2.3.0 ``Price``."""

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
    total_cost: Price | None = Field(
        default=None, description="Cost so far; absent means no price information."
    )
