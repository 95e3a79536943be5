"""Rendering of a ``TariffResult`` as the cost fields of a CDR or Session of its OCPI version.

Money is rounded here, each figure on its own, to the currency's minor unit (half-up); volumes
(kWh, hours) to 4 decimals, the precision OCPI numbers use. Per-category totals appear only when
the tariff priced that category in this session.

* 2.1.1: ``total_cost`` is a number (excl. VAT); no per-category costs, no ``tariff_id``.
* 2.2.1: ``Price`` objects ``{"excl_vat", "incl_vat"}``; ``incl_vat`` is the rounded gross.
* 2.3.0: ``Price`` objects ``{"before_taxes", "taxes": [TaxAmount]}``, one ``TaxAmount`` per tax
  rate; ``taxes`` is left out when no tax is known.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from ocpp_gw.bridge.tariff_money import Money, round_money

if TYPE_CHECKING:
    from ocpp_gw.bridge.tariff_engine import TariffResult

__all__ = ["cdr_fields", "session_fields"]

_VOLUME = Decimal("0.0001")
_CATEGORIES = (
    "total_fixed_cost",
    "total_energy_cost",
    "total_time_cost",
    "total_parking_cost",
    "total_reservation_cost",
)


def _volume(value: Decimal) -> float:
    return float(value.quantize(_VOLUME, rounding=ROUND_HALF_UP))


def price_field(result: TariffResult, money: Money) -> Any:
    """``money`` as the version's price representation, rounded."""
    currency = result.currency
    if result.version == "2.1.1":
        return float(round_money(money.net, currency))
    if result.version == "2.2.1":
        return {
            "excl_vat": float(round_money(money.net, currency)),
            "incl_vat": float(round_money(money.gross, currency)),
        }
    price: dict[str, Any] = {"before_taxes": float(round_money(money.net, currency))}
    if money.taxes:
        price["taxes"] = [
            {
                "name": line.name,
                **({"percentage": float(line.percentage)} if line.percentage is not None else {}),
                "amount": float(round_money(line.amount, currency)),
            }
            for line in money.taxes
        ]
    return price


def charging_periods(result: TariffResult) -> list[dict[str, Any]]:
    periods = []
    for period in result.periods:
        item: dict[str, Any] = {
            "start_date_time": period.start_date_time,
            "dimensions": [
                {"type": dimension, "volume": _volume(volume)}
                for dimension, volume in sorted(period.volumes.items())
                # 2.1.1 has no reservation dimension.
                if not (result.version == "2.1.1" and dimension == "RESERVATION_TIME")
            ],
        }
        if result.version != "2.1.1":
            item["tariff_id"] = result.tariff_id
        if item["dimensions"]:
            periods.append(item)
    return periods


def cdr_fields(result: TariffResult) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "currency": result.currency,
        "charging_periods": charging_periods(result),
        "total_cost": price_field(result, result.total_cost),
        "total_energy": _volume(result.total_energy_kwh),
        "total_time": _volume(result.total_time_hours),
        "total_parking_time": _volume(result.total_parking_hours),
    }
    if result.version != "2.1.1":
        for name in _CATEGORIES:
            money = getattr(result, name)
            if money is not None:
                fields[name] = price_field(result, money)
    return fields


def session_fields(result: TariffResult) -> dict[str, Any]:
    return {
        "currency": result.currency,
        "kwh": _volume(result.total_energy_kwh),
        "charging_periods": charging_periods(result),
        "total_cost": price_field(result, result.total_cost),
    }
