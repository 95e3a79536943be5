"""Amounts of money for the tariff engine: a net amount plus itemised taxes, in ``Decimal``.

Rounding rule: every computation runs on unrounded ``Decimal`` values; only the figures that leave
the engine (CDR / Session fields) are rounded, each on its own, to the minor unit of the currency
with ``ROUND_HALF_UP`` (the rounding the OCPI examples use, e.g. 5.125 -> 5.13). Because each figure
is rounded separately, a rounded total can differ by one minor unit from the sum of its rounded
parts; the total is the authoritative figure.

    >>> Money(Decimal("5.125")).rounded("EUR").net
    Decimal('5.13')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["Money", "TaxLine", "minor_unit_exponent", "round_money"]

# ISO 4217 currencies whose minor unit is not 1/100; every other code rounds to two decimals.
_MINOR_UNITS: dict[str, int] = {
    "BIF": 0,
    "CLP": 0,
    "DJF": 0,
    "GNF": 0,
    "ISK": 0,
    "JPY": 0,
    "KMF": 0,
    "KRW": 0,
    "PYG": 0,
    "RWF": 0,
    "UGX": 0,
    "VND": 0,
    "VUV": 0,
    "XAF": 0,
    "XOF": 0,
    "XPF": 0,
    "BHD": 3,
    "IQD": 3,
    "JOD": 3,
    "KWD": 3,
    "LYD": 3,
    "OMR": 3,
    "TND": 3,
}


def minor_unit_exponent(currency: str) -> int:
    """Number of decimals of the currency's minor unit (``EUR`` -> 2, ``JPY`` -> 0)."""
    return _MINOR_UNITS.get(currency.upper(), 2)


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Round ``amount`` half-up to the minor unit of ``currency``."""
    quantum = Decimal(1).scaleb(-minor_unit_exponent(currency))
    return amount.quantize(quantum, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class TaxLine:
    """One tax on an amount: ``percentage`` is ``None`` when only the amount is known."""

    amount: Decimal
    percentage: Decimal | None = None
    name: str = "VAT"


@dataclass(frozen=True)
class Money:
    """A net amount (excl. VAT / before taxes) and the taxes known to apply to it.

    ``gross`` (incl. VAT / after taxes) is ``net`` plus all tax lines. Tax lines with the same
    name and percentage are merged when amounts are added.
    """

    net: Decimal = Decimal(0)
    taxes: tuple[TaxLine, ...] = field(default=())

    @property
    def tax(self) -> Decimal:
        return sum((line.amount for line in self.taxes), Decimal(0))

    @property
    def gross(self) -> Decimal:
        return self.net + self.tax

    def __add__(self, other: Money) -> Money:
        return Money(self.net + other.net, _merge(self.taxes + other.taxes))

    @classmethod
    def sum(cls, items: Iterable[Money]) -> Money:
        total = cls()
        for item in items:
            total = total + item
        return total

    def with_totals(self, net: Decimal, gross: Decimal) -> Money:
        """This amount moved to ``net`` / ``gross``, the tax lines scaled to fit.

        Used by the min/max price limits, which fix totals without saying how taxes split.
        """
        tax = gross - net
        if tax == self.tax:
            return Money(net, self.taxes)
        if not self.taxes or self.tax == 0:
            lines = (TaxLine(tax, None, "Tax"),) if tax else ()
            return Money(net, lines)
        factor = tax / self.tax
        scaled = tuple(TaxLine(t.amount * factor, t.percentage, t.name) for t in self.taxes)
        return Money(net, scaled)

    def rounded(self, currency: str) -> Money:
        """Net and every tax line rounded to the currency's minor unit."""
        return Money(
            round_money(self.net, currency),
            tuple(
                TaxLine(round_money(t.amount, currency), t.percentage, t.name) for t in self.taxes
            ),
        )


def _merge(lines: tuple[TaxLine, ...]) -> tuple[TaxLine, ...]:
    merged: dict[tuple[str, Decimal | None], Decimal] = {}
    for line in lines:
        key = (line.name, line.percentage)
        merged[key] = merged.get(key, Decimal(0)) + line.amount
    return tuple(TaxLine(amount, pct, name) for (name, pct), amount in merged.items())
