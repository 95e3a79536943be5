"""Tariff of OCPI 2.3.0, and the 2.3.0 ``Price`` with itemised taxes.

``Price`` and ``TaxAmount`` belong to the 2.3.0 ``types`` chapter; they live here so that every
2.3.0 module that carries money (sessions, CDRs, payments) imports them from one place::

    Price(before_taxes=10, taxes=[TaxAmount(name="VAT", percentage=21, amount=2.1)])
"""

from __future__ import annotations

from pydantic import Field

from ocpi.core.data_types import Number, OCPIModel
from ocpi.modules.locations.v_2_3_0.schemas import EnergyMix
from ocpi.modules.tariffs.schemas import TariffRestrictionsBase
from ocpi.modules.tariffs.v_2_2_1.schemas import PriceComponent, TariffBase
from ocpi.modules.tariffs.v_2_3_0.enums import ReservationRestrictionType, TaxIncluded

__all__ = [
    "EnergyMix",
    "Price",
    "PriceComponent",
    "PriceLimit",
    "Tariff",
    "TariffElement",
    "TariffRestrictions",
    "TaxAmount",
]


class TaxAmount(OCPIModel):
    """One tax on a price, e.g. ``VAT`` or a Canadian ``QST``."""

    name: str
    account_number: str | None = Field(
        default=None, description="Tax account number of the party remitting the tax."
    )
    percentage: Number | None = None
    amount: Number


class Price(OCPIModel):
    """An amount of money before taxes, with the taxes that apply listed separately."""

    before_taxes: Number
    taxes: list[TaxAmount] | None = None


class PriceLimit(OCPIModel):
    """A minimum or maximum session cost, before and (optionally) after taxes."""

    before_taxes: Number
    after_taxes: Number | None = None


class TariffRestrictions(TariffRestrictionsBase):
    """As in 2.2.1, with the reservation values of the bookings extension accepted."""

    min_current: Number | None = Field(default=None, description="Ampere, sum over phases.")
    max_current: Number | None = Field(default=None, description="Ampere, sum over phases.")
    reservation: ReservationRestrictionType | None = None


class TariffElement(OCPIModel):
    price_components: list[PriceComponent] = Field(min_length=1)
    restrictions: TariffRestrictions | None = None


class Tariff(TariffBase):
    elements: list[TariffElement] = Field(min_length=1)
    min_price: PriceLimit | None = None
    max_price: PriceLimit | None = None
    preauthorize_amount: Number | None = Field(
        default=None, description="Amount a payment terminal should hold for a session."
    )
    tax_included: TaxIncluded
    energy_mix: EnergyMix | None = None
