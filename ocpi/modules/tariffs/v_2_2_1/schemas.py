"""Tariff of OCPI 2.2.1.

``TariffBase`` holds the fields 2.2.1 and 2.3.0 share; 2.3.0 changes the price limits, adds
tax fields and (bookings extension) reservation restriction values.
"""

from __future__ import annotations

from pydantic import Field

from ocpi.core.data_types import (
    URL,
    CiString2,
    CiString3,
    CiString36,
    DateTime,
    DisplayText,
    Number,
    OCPIModel,
    Price,
    String3,
)
from ocpi.modules.locations.v_2_2_1.schemas import EnergyMix
from ocpi.modules.tariffs.schemas import PriceComponentBase, TariffRestrictionsBase
from ocpi.modules.tariffs.v_2_2_1.enums import ReservationRestrictionType, TariffType

__all__ = [
    "EnergyMix",
    "Price",
    "PriceComponent",
    "Tariff",
    "TariffBase",
    "TariffElement",
    "TariffRestrictions",
]


class PriceComponent(PriceComponentBase):
    vat: Number | None = Field(
        default=None, description="VAT percentage; absent means no VAT applies (unlike 0)."
    )


class TariffRestrictions(TariffRestrictionsBase):
    min_current: Number | None = Field(default=None, description="Ampere, sum over phases.")
    max_current: Number | None = Field(default=None, description="Ampere, sum over phases.")
    reservation: ReservationRestrictionType | None = None


class TariffElement(OCPIModel):
    price_components: list[PriceComponent] = Field(min_length=1)
    restrictions: TariffRestrictions | None = None


class TariffBase(OCPIModel):
    country_code: CiString2
    party_id: CiString3
    id: CiString36
    currency: String3 = Field(description="ISO 4217 currency code.")
    type: TariffType | None = None
    tariff_alt_text: list[DisplayText] | None = None
    tariff_alt_url: URL | None = None
    start_date_time: DateTime | None = None
    end_date_time: DateTime | None = None
    last_updated: DateTime


class Tariff(TariffBase):
    elements: list[TariffElement] = Field(min_length=1)
    min_price: Price | None = None
    max_price: Price | None = None
    energy_mix: EnergyMix | None = None
