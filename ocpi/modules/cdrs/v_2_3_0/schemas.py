"""CDR of OCPI 2.3.0.

Same fields as 2.2.1, but the token and connector types are open enums, money is the 2.3.0
``Price`` with taxes, and the tariffs are 2.3.0 tariffs. From the 2.3.0 bookings extension come
``CDR.booking_id`` and two reservation dimension types.
"""

from __future__ import annotations

from pydantic import Field

from ocpi.core.data_types import CiString36, DateTime, Number, OCPIModel
from ocpi.modules.cdrs.v_2_2_1.schemas import (
    CDRBase,
    CdrLocationBase,
    CdrTokenBase,
    GeoLocation,
    SignedData,
    SignedValue,
)
from ocpi.modules.cdrs.v_2_3_0.enums import CdrDimensionType
from ocpi.modules.locations.v_2_3_0.enums import ConnectorType
from ocpi.modules.tariffs.v_2_3_0.schemas import Price, Tariff, TaxAmount
from ocpi.modules.tokens.enums import OpenEnum
from ocpi.modules.tokens.v_2_3_0.enums import TokenType

__all__ = [
    "CDR",
    "CdrDimension",
    "CdrLocation",
    "CdrToken",
    "ChargingPeriod",
    "GeoLocation",
    "Price",
    "SignedData",
    "SignedValue",
    "Tariff",
    "TaxAmount",
]


class CdrToken(CdrTokenBase):
    type: OpenEnum[TokenType]


class CdrLocation(CdrLocationBase):
    connector_standard: OpenEnum[ConnectorType]


class CdrDimension(OCPIModel):
    type: CdrDimensionType
    volume: Number


class ChargingPeriod(OCPIModel):
    """A stretch of a session; it lasts until the next period starts or the session ends."""

    start_date_time: DateTime
    dimensions: list[CdrDimension] = Field(min_length=1)
    tariff_id: CiString36 | None = Field(
        default=None, description="Tariff that applies in this period; absent if none."
    )


class CDR(CDRBase):
    cdr_token: CdrToken
    charging_periods: list[ChargingPeriod] = Field(min_length=1)
    booking_id: CiString36 | None = Field(
        default=None, description="Booking this CDR belongs to (bookings extension)."
    )
    cdr_location: CdrLocation
    tariffs: list[Tariff] | None = None
    total_cost: Price
    total_fixed_cost: Price | None = None
    total_energy_cost: Price | None = None
    total_time_cost: Price | None = None
    total_parking_cost: Price | None = None
    total_reservation_cost: Price | None = None
