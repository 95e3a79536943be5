"""A tariff of any OCPI version reduced to what the tariff engine needs.

``normalize_tariff`` accepts a ``Tariff`` model of 2.1.1, 2.2.1 or 2.3.0, or a plain dict (e.g. a
spec example file; ``last_updated`` may be missing), and returns a ``NormalizedTariff`` whose
numbers are ``Decimal`` and whose times are parsed. The version of a dict is taken from the
``version`` argument, else 2.3.0 when it has ``tax_included``; otherwise the caller must say.

    >>> t = normalize_tariff({"id": "1", "currency": "EUR", "elements": [
    ...     {"price_components": [{"type": "ENERGY", "price": 0.25, "step_size": 1}]}]},
    ...     version="2.1.1")
    >>> t.elements[0].components[0].price
    Decimal('0.25')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel

__all__ = [
    "DIMENSIONS",
    "NormalizedTariff",
    "OcpiVersion",
    "PriceComponentSpec",
    "PriceLimitSpec",
    "RestrictionSpec",
    "TariffElementSpec",
    "normalize_tariff",
]

OcpiVersion = Literal["2.1.1", "2.2.1", "2.3.0"]
VERSIONS: tuple[OcpiVersion, ...] = ("2.1.1", "2.2.1", "2.3.0")
DIMENSIONS = ("ENERGY", "FLAT", "PARKING_TIME", "TIME")
_DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


@dataclass(frozen=True)
class PriceComponentSpec:
    dimension: str
    price: Decimal
    step_size: int
    vat: Decimal | None = None


@dataclass(frozen=True)
class RestrictionSpec:
    """Parsed ``TariffRestrictions``; ``end_time`` 00:00 is kept as ``None`` + ``end_at_midnight``."""

    start_time: time | None = None
    end_time: time | None = None
    end_at_midnight: bool = False
    start_date: date | None = None
    end_date: date | None = None
    min_kwh: Decimal | None = None
    max_kwh: Decimal | None = None
    min_current: Decimal | None = None
    max_current: Decimal | None = None
    min_power: Decimal | None = None
    max_power: Decimal | None = None
    min_duration: int | None = None
    max_duration: int | None = None
    day_of_week: frozenset[int] | None = None  # 0 = Monday, as ``date.weekday()``
    reservation: str | None = None


@dataclass(frozen=True)
class TariffElementSpec:
    index: int
    components: tuple[PriceComponentSpec, ...]
    restrictions: RestrictionSpec

    def component(self, dimension: str) -> PriceComponentSpec | None:
        """The first price component of ``dimension`` in this element, if any."""
        for component in self.components:
            if component.dimension == dimension:
                return component
        return None


@dataclass(frozen=True)
class PriceLimitSpec:
    """``min_price`` / ``max_price``: excl. VAT / before taxes, and optionally incl. / after."""

    net: Decimal
    gross: Decimal | None = None


@dataclass(frozen=True)
class NormalizedTariff:
    version: OcpiVersion
    id: str
    currency: str
    elements: tuple[TariffElementSpec, ...]
    min_price: PriceLimitSpec | None = None
    max_price: PriceLimitSpec | None = None
    tax_included: str | None = None  # 2.3.0 only: "YES", "NO" or "N/A"


def normalize_tariff(
    tariff: BaseModel | Mapping[str, Any], version: OcpiVersion | None = None
) -> NormalizedTariff:
    """Parse ``tariff`` (model or dict) into a ``NormalizedTariff``; see the module docstring."""
    if isinstance(tariff, BaseModel):
        version = version or _version_of_model(tariff)
        data: Mapping[str, Any] = tariff.model_dump(mode="json", exclude_none=True)
    else:
        data = tariff
        if version is None and "tax_included" in data:
            version = "2.3.0"
    if version not in VERSIONS:
        raise ValueError("pass version='2.1.1', '2.2.1' or '2.3.0' for a tariff given as a dict")
    elements = tuple(
        _element(index, element, version) for index, element in enumerate(data["elements"])
    )
    if not elements:
        raise ValueError("a tariff needs at least one element")
    limits = {name: _limit(data.get(name), version) for name in ("min_price", "max_price")}
    tax_included = _text(data.get("tax_included")) if version == "2.3.0" else None
    return NormalizedTariff(
        version=version,
        id=str(data["id"]),
        currency=str(data["currency"]),
        elements=elements,
        min_price=limits["min_price"],
        max_price=limits["max_price"],
        tax_included=tax_included or ("NO" if version == "2.3.0" else None),
    )


def _version_of_model(model: BaseModel) -> OcpiVersion:
    module = type(model).__module__
    for version in VERSIONS:
        if f"v_{version.replace('.', '_')}" in module:
            return version
    raise ValueError(f"cannot tell the OCPI version of {type(model).__qualname__}; pass version=")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return str(value.value if isinstance(value, Enum) else value)


def _decimal(value: Any) -> Decimal | None:
    # str() first: a float such as 0.1 must become Decimal("0.1"), not its binary expansion.
    return None if value is None else Decimal(str(value))


def _element(index: int, data: Mapping[str, Any], version: OcpiVersion) -> TariffElementSpec:
    components = tuple(
        PriceComponentSpec(
            dimension=str(_text(c["type"])),
            price=Decimal(str(c["price"])),
            step_size=int(c.get("step_size") or 0),
            # 2.1.1 prices carry no VAT; ignore a stray field rather than invent one.
            vat=_decimal(c.get("vat")) if version != "2.1.1" else None,
        )
        for c in data["price_components"]
    )
    return TariffElementSpec(index, components, _restrictions(data.get("restrictions") or {}))


def _clock(value: Any) -> time | None:
    if value is None:
        return None
    hours, minutes = str(value).split(":")
    return time(int(hours), int(minutes))


def _restrictions(data: Mapping[str, Any]) -> RestrictionSpec:
    end_time = _clock(data.get("end_time"))
    days = data.get("day_of_week")
    return RestrictionSpec(
        start_time=_clock(data.get("start_time")),
        end_time=None if end_time == time(0) else end_time,
        end_at_midnight=end_time == time(0),
        start_date=date.fromisoformat(data["start_date"]) if data.get("start_date") else None,
        end_date=date.fromisoformat(data["end_date"]) if data.get("end_date") else None,
        min_kwh=_decimal(data.get("min_kwh")),
        max_kwh=_decimal(data.get("max_kwh")),
        min_current=_decimal(data.get("min_current")),
        max_current=_decimal(data.get("max_current")),
        min_power=_decimal(data.get("min_power")),
        max_power=_decimal(data.get("max_power")),
        min_duration=None if data.get("min_duration") is None else int(data["min_duration"]),
        max_duration=None if data.get("max_duration") is None else int(data["max_duration"]),
        day_of_week=(frozenset(_DAYS.index(str(_text(day))) for day in days) if days else None),
        reservation=_text(data.get("reservation")),
    )


def _limit(value: Any, version: OcpiVersion) -> PriceLimitSpec | None:
    if not value:
        return None
    if version == "2.3.0":
        return PriceLimitSpec(
            Decimal(str(value["before_taxes"])), _decimal(value.get("after_taxes"))
        )
    return PriceLimitSpec(Decimal(str(value["excl_vat"])), _decimal(value.get("incl_vat")))
