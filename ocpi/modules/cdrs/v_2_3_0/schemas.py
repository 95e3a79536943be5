"""CDR of OCPI 2.3.0.

Same fields as 2.2.1, but the token and connector types are open enums, money is the 2.3.0
``Price`` with taxes, and the tariffs are 2.3.0 tariffs.
"""

from __future__ import annotations

from ocpi.modules.cdrs.v_2_2_1.schemas import (
    CDRBase,
    CdrDimension,
    CdrLocationBase,
    CdrTokenBase,
    ChargingPeriod,
    GeoLocation,
    SignedData,
    SignedValue,
)
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


class CDR(CDRBase):
    cdr_token: CdrToken
    cdr_location: CdrLocation
    tariffs: list[Tariff] | None = None
    total_cost: Price
    total_fixed_cost: Price | None = None
    total_energy_cost: Price | None = None
    total_time_cost: Price | None = None
    total_parking_cost: Price | None = None
    total_reservation_cost: Price | None = None
