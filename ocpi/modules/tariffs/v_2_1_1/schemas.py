"""Tariff of OCPI 2.1.1."""

from __future__ import annotations

from pydantic import Field

from ocpi.core.data_types import URL, DateTime, DisplayText, OCPIModel, String3, String36
from ocpi.modules.locations.v_2_1_1.schemas import EnergyMix
from ocpi.modules.tariffs.schemas import PriceComponentBase, TariffRestrictionsBase

__all__ = ["EnergyMix", "PriceComponent", "Tariff", "TariffElement", "TariffRestrictions"]


class PriceComponent(PriceComponentBase):
    """Price per unit, excluding VAT (2.1.1 has no VAT field)."""


class TariffRestrictions(TariffRestrictionsBase):
    pass


class TariffElement(OCPIModel):
    price_components: list[PriceComponent] = Field(min_length=1)
    restrictions: TariffRestrictions | None = None


class Tariff(OCPIModel):
    id: String36
    currency: String3 = Field(description="ISO 4217 currency code.")
    tariff_alt_text: list[DisplayText] | None = None
    tariff_alt_url: URL | None = None
    elements: list[TariffElement] = Field(min_length=1)
    energy_mix: EnergyMix | None = None
    last_updated: DateTime
