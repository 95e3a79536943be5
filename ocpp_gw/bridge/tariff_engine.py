"""Tariff engine: prices a charging session with an OCPI tariff (2.1.1, 2.2.1 or 2.3.0).

Pure and I/O free. ``TariffEngine(tariff).price(session)`` returns a ``TariffResult`` with the
totals per cost category and the CDR charging periods; ``result.cdr_fields()`` gives the cost
fields of the tariff's OCPI version, ready to merge into a CDR, ``result.session_fields()`` the
ones of a Session. ``TariffEngine.running_cost(session, now)`` prices a session that is still going
on as if it ended ``now`` (for Session PATCHes).

    >>> engine = TariffEngine({"id": "8", "currency": "EUR", "elements": [{"price_components": [
    ...     {"type": "ENERGY", "price": 0.25, "vat": 10, "step_size": 1}]}]}, version="2.2.1")
    >>> t0 = datetime(2024, 5, 6, 9, tzinfo=UTC)
    >>> result = engine.price(ChargingSession(t0, t0 + timedelta(hours=2), "Europe/Berlin",
    ...     samples=(MeterSample(t0, 0), MeterSample(t0 + timedelta(hours=2), 20000))))
    >>> result.cdr_fields()["total_cost"]
    {'excl_vat': 5.0, 'incl_vat': 5.5}

How a tariff is applied (the interpretations are listed in ``docs/tariffs.md``):

* Per segment of the timeline (see ``tariff_session``) and per dimension, the first tariff element
  that has a price component of that dimension and whose restrictions all hold (evaluated at the
  segment's midpoint) prices the segment. ``TIME`` prices charging segments, ``PARKING_TIME``
  parking segments, ``ENERGY`` the energy of any segment.
* ``FLAT`` is owed once per phase: the first segment (in time) for which an element with a
  ``FLAT`` component matches fixes the fee. The reservation and the session are separate phases,
  so a reservation fee and a start fee are both owed.
* Step sizes follow the CDR chapter: applied once per session to the total ``ENERGY``, and once to
  ``TIME`` and ``PARKING_TIME`` together: only the time dimension of the last time-priced segment
  is rounded (its total over the session, with the step size of that last component); the extra
  volume is billed at the last segment's price. Reservation time is rounded on its own.
* Reservation: during the reservation only elements with a ``reservation`` restriction apply
  (``RESERVATION``; when it expired, ``RESERVATION_EXPIRES`` elements first, then ``RESERVATION``
  ones); during the session only elements without it. Bookings-extension values never match.
* ``min_price`` / ``max_price`` clamp the total cost (excl. and incl. VAT / before and after taxes
  independently); the per-category totals stay unclamped.
* VAT: 2.1.1 has none. 2.2.1 (and 2.3.0 with ``tax_included`` ``NO``) adds ``vat`` % on top of the
  price; an omitted ``vat`` means no VAT (incl = excl). 2.3.0 ``YES``: prices contain the tax, a
  given ``vat`` is split out, without ``vat`` the whole amount is reported before taxes with no
  tax line; ``N/A``: no taxes at all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, time
from decimal import ROUND_CEILING, Decimal
from typing import Any

from pydantic import BaseModel

from ocpp_gw.bridge.tariff_cdr import cdr_fields, session_fields
from ocpp_gw.bridge.tariff_model import (
    NormalizedTariff,
    OcpiVersion,
    PriceComponentSpec,
    RestrictionSpec,
    TariffElementSpec,
    normalize_tariff,
)
from ocpp_gw.bridge.tariff_money import Money, TaxLine
from ocpp_gw.bridge.tariff_session import (
    ChargingSession,
    ChargingState,
    MeterSample,
    ReservationInfo,
    Segment,
    StateChange,
    split_reservation,
    split_session,
)

__all__ = [
    "ChargingSession",
    "ChargingState",
    "MeterSample",
    "Money",
    "PeriodCost",
    "ReservationInfo",
    "StateChange",
    "TariffEngine",
    "TariffResult",
    "TaxLine",
    "compute_cdr_costs",
    "compute_running_cost",
]

_HOUR = Decimal(3600)
_TIME_DIMENSIONS = ("TIME", "PARKING_TIME")
_RESOLUTION = Decimal("1e-9")  # of Wh and seconds, before step sizes are applied
# Step units per price unit: Wh per kWh, seconds per hour. Volumes stay in step units until the
# price is applied, so that e.g. 10 min at 2.40/h is exactly 0.40.
_UNITS = {"ENERGY": Decimal(1000), "TIME": _HOUR, "PARKING_TIME": _HOUR, "FLAT": Decimal(1)}


@dataclass(frozen=True)
class PeriodCost:
    """One CDR charging period: consecutive segments priced by the same components.

    ``volumes`` are measured CDR dimensions (``ENERGY`` kWh, ``TIME`` / ``PARKING_TIME`` /
    ``RESERVATION_TIME`` hours); ``billed`` the tariff-dimension volumes billed in this period
    (including any step-size extra); ``elements`` the index of the tariff element per dimension.
    """

    start_date_time: datetime
    state: str
    volumes: Mapping[str, Decimal]
    billed: Mapping[str, Decimal]
    cost: Money
    elements: Mapping[str, int]


@dataclass(frozen=True)
class TariffResult:
    """Unrounded cost breakdown of a session; ``cdr_fields()`` rounds for the wire.

    Volumes: ``total_*_kwh`` / ``*_hours`` are measured, ``billed_*`` after step sizes.
    """

    version: OcpiVersion
    tariff_id: str
    currency: str
    total_cost: Money
    total_cost_before_limits: Money
    total_fixed_cost: Money | None
    total_energy_cost: Money | None
    total_time_cost: Money | None
    total_parking_cost: Money | None
    total_reservation_cost: Money | None
    total_energy_kwh: Decimal
    total_time_hours: Decimal
    total_parking_hours: Decimal
    total_reservation_hours: Decimal
    billed_energy_kwh: Decimal
    billed_time_hours: Decimal
    billed_parking_hours: Decimal
    billed_reservation_hours: Decimal
    periods: tuple[PeriodCost, ...] = field(default=())

    @property
    def total_charging_hours(self) -> Decimal:
        return self.total_time_hours - self.total_parking_hours

    def cdr_fields(self) -> dict[str, Any]:
        """``currency``, ``charging_periods``, ``total_*`` of a CDR of this result's version."""
        return cdr_fields(self)

    def session_fields(self) -> dict[str, Any]:
        """``currency``, ``kwh``, ``charging_periods``, ``total_cost`` of a Session."""
        return session_fields(self)


@dataclass
class _Line:
    """A priced piece: one dimension of one segment (or the FLAT fee of a phase)."""

    segment: int
    dimension: str
    element: TariffElementSpec
    component: PriceComponentSpec
    volume: Decimal  # in step units: Wh, seconds, or 1 for FLAT
    extra: Decimal = Decimal(0)  # step-size rounding, same unit

    @property
    def billed(self) -> Decimal:
        """Billed volume in the price's unit (kWh, hours, or 1 for FLAT)."""
        return (self.volume + self.extra) / _UNITS[self.dimension]


class TariffEngine:
    """Prices sessions with one tariff; see the module docstring for the rules.

    ``tariff`` is a ``Tariff`` model of any supported version or a dict; for a dict without
    ``tax_included``, pass ``version``.
    """

    def __init__(
        self, tariff: BaseModel | Mapping[str, Any], *, version: OcpiVersion | None = None
    ) -> None:
        self.tariff = normalize_tariff(tariff, version)

    def price(self, session: ChargingSession) -> TariffResult:
        """The final cost of a finished session (and its reservation), for a CDR."""
        res = session.reservation
        stop = None
        if res is not None:
            expired = session.reservation_expired
            stop = res.expiry if expired else min(session.start, res.expiry)
        return self._price(session, stop, session.reservation_expired)

    def running_cost(self, session: ChargingSession, now: datetime) -> TariffResult:
        """The cost of an ongoing session as if it ended at ``now`` (step sizes and limits
        included); for a reservation not yet used, the reservation cost so far."""
        res = session.reservation
        if not session.started:
            if res is None:
                return self._price(replace(session, end=session.start), None, False)
            expired = now >= res.expiry
            return self._price(session, min(now, res.expiry), expired)
        current = replace(session, end=max(session.start, min(now, session.end)))
        return self.price(current)

    # -- internals -------------------------------------------------------------------------

    def _price(
        self, session: ChargingSession, reservation_stop: datetime | None, expired: bool
    ) -> TariffResult:
        tariff = self.tariff
        reservation_segments: list[Segment] = []
        if session.reservation is not None and reservation_stop is not None:
            reservation_segments = split_reservation(session, tariff, reservation_stop)
        session_segments = split_session(session, tariff)
        reserved = _candidates(tariff, "expired" if expired else "reservation")
        reservation_lines = _price_phase(reservation_segments, reserved, reservation=True)
        session_lines = _price_phase(session_segments, _candidates(tariff, "session"), False)
        _apply_step_sizes(reservation_lines, session_lines)

        def cost(lines: Sequence[_Line], *dims: str) -> Money | None:
            chosen = [line for line in lines if line.dimension in dims]
            return Money.sum(_line_cost(tariff, line) for line in chosen) if chosen else None

        parts = {
            "fixed": cost(session_lines, "FLAT"),
            "energy": cost(session_lines, "ENERGY"),
            "time": cost(session_lines, "TIME"),
            "parking": cost(session_lines, "PARKING_TIME"),
            "reservation": cost(reservation_lines, "FLAT", "TIME"),
        }
        subtotal = Money.sum(part for part in parts.values() if part is not None)
        parking = [s for s in session_segments if s.state == ChargingState.PARKING.value]

        def billed(lines: Sequence[_Line], dim: str) -> Decimal:
            return sum((line.billed for line in lines if line.dimension == dim), Decimal(0))

        periods = _periods(tariff, reservation_segments, reservation_lines) + _periods(
            tariff, session_segments, session_lines
        )
        return TariffResult(
            version=tariff.version,
            tariff_id=tariff.id,
            currency=tariff.currency,
            total_cost=_apply_limits(tariff, subtotal),
            total_cost_before_limits=subtotal,
            total_fixed_cost=parts["fixed"],
            total_energy_cost=parts["energy"],
            total_time_cost=parts["time"],
            total_parking_cost=parts["parking"],
            total_reservation_cost=parts["reservation"],
            total_energy_kwh=sum((s.energy_wh for s in session_segments), Decimal(0)) / 1000,
            total_time_hours=sum((s.hours for s in session_segments), Decimal(0)),
            total_parking_hours=sum((s.hours for s in parking), Decimal(0)),
            total_reservation_hours=sum((s.hours for s in reservation_segments), Decimal(0)),
            billed_energy_kwh=billed(session_lines, "ENERGY"),
            billed_time_hours=billed(session_lines, "TIME"),
            billed_parking_hours=billed(session_lines, "PARKING_TIME"),
            billed_reservation_hours=billed(reservation_lines, "TIME"),
            periods=tuple(periods),
        )


def compute_cdr_costs(
    tariff: BaseModel | Mapping[str, Any],
    session: ChargingSession,
    *,
    version: OcpiVersion | None = None,
) -> TariffResult:
    """Shortcut for ``TariffEngine(tariff, version=version).price(session)``."""
    return TariffEngine(tariff, version=version).price(session)


def compute_running_cost(
    tariff: BaseModel | Mapping[str, Any],
    session: ChargingSession,
    now: datetime,
    *,
    version: OcpiVersion | None = None,
) -> TariffResult:
    """Shortcut for ``TariffEngine(tariff, version=version).running_cost(session, now)``."""
    return TariffEngine(tariff, version=version).running_cost(session, now)


def _candidates(tariff: NormalizedTariff, phase: str) -> list[TariffElementSpec]:
    """Elements that may apply in a phase, in the order they are to be tried."""
    elements = tariff.elements
    if phase == "session":
        return [e for e in elements if e.restrictions.reservation is None]
    reserved = [e for e in elements if e.restrictions.reservation == "RESERVATION"]
    if phase == "expired":
        expiring = [e for e in elements if e.restrictions.reservation == "RESERVATION_EXPIRES"]
        return expiring + reserved
    return reserved


def _in_window(r: RestrictionSpec, clock: time) -> bool:
    start = r.start_time or time(0)
    if r.end_time is None:
        return clock >= start  # no end, or an end of 00:00 meaning midnight
    if r.end_time > start:
        return start <= clock < r.end_time
    return clock >= start or clock < r.end_time  # wraps past midnight (equal: all day)


def _between(value: Decimal | None, low: Decimal | None, high: Decimal | None) -> bool:
    if low is None and high is None:
        return True
    if value is None:
        return False
    return (low is None or value >= low) and (high is None or value < high)


def _matches(r: RestrictionSpec, segment: Segment) -> bool:
    local = segment.mid_local
    if (r.start_time or r.end_time or r.end_at_midnight) and not _in_window(r, local.time()):
        return False
    if r.start_date is not None and local.date() < r.start_date:
        return False
    if r.end_date is not None and local.date() >= r.end_date:
        return False
    if r.day_of_week is not None and local.weekday() not in r.day_of_week:
        return False
    min_d = None if r.min_duration is None else Decimal(r.min_duration)
    max_d = None if r.max_duration is None else Decimal(r.max_duration)
    return (
        _between(segment.mid_kwh, r.min_kwh, r.max_kwh)
        and _between(segment.current_a, r.min_current, r.max_current)
        and _between(segment.power_kw, r.min_power, r.max_power)
        and _between(segment.mid_seconds, min_d, max_d)
    )


def _select(
    candidates: Sequence[TariffElementSpec], dimension: str, segment: Segment
) -> tuple[TariffElementSpec, PriceComponentSpec] | None:
    for element in candidates:
        component = element.component(dimension)
        if component is not None and _matches(element.restrictions, segment):
            return element, component
    return None


def _price_phase(
    segments: Sequence[Segment], candidates: Sequence[TariffElementSpec], reservation: bool
) -> list[_Line]:
    lines: list[_Line] = []
    flat_owed = True
    for index, segment in enumerate(segments):
        if flat_owed:
            flat = _select(candidates, "FLAT", segment)
            if flat is not None:
                lines.append(_Line(index, "FLAT", flat[0], flat[1], Decimal(1)))
                flat_owed = False
        if reservation:
            dims = [("TIME", segment.seconds)]
        else:
            time_dim = "TIME" if segment.state == ChargingState.CHARGING.value else "PARKING_TIME"
            # A falling register (energy fed back) is not billed, neither up nor down.
            energy = max(segment.energy_wh, Decimal(0))
            dims = [("ENERGY", energy), (time_dim, segment.seconds)]
        for dimension, volume in dims:
            chosen = _select(candidates, dimension, segment)
            if chosen is not None:
                lines.append(_Line(index, dimension, chosen[0], chosen[1], volume))
    return lines


def _round_up(lines: Sequence[_Line], dimension: str) -> None:
    """Round the total of ``dimension`` up to the step size of its last billed line."""
    used = [line for line in lines if line.dimension == dimension and line.volume > 0]
    if not used:
        return
    step = used[-1].component.step_size
    # Interpolated cut points leave 1e-25-sized residues; they must not cost a whole step.
    total = sum((line.volume for line in used), Decimal(0)).quantize(_RESOLUTION)
    if step <= 0:
        return
    rounded = (total / step).to_integral_value(rounding=ROUND_CEILING) * step
    used[-1].extra = rounded - sum((line.volume for line in used), Decimal(0))


def _apply_step_sizes(reservation_lines: list[_Line], session_lines: list[_Line]) -> None:
    _round_up(session_lines, "ENERGY")
    timed = [line for line in session_lines if line.dimension in _TIME_DIMENSIONS]
    timed = [line for line in timed if line.volume > 0]
    if timed:  # TIME and PARKING_TIME together: only the last one used is rounded
        _round_up(session_lines, timed[-1].dimension)
    _round_up(reservation_lines, "TIME")


def _line_cost(tariff: NormalizedTariff, line: _Line) -> Money:
    amount = line.component.price * (line.volume + line.extra) / _UNITS[line.dimension]
    vat = line.component.vat
    if tariff.version == "2.1.1" or tariff.tax_included == "N/A" or vat is None:
        return Money(amount)
    if tariff.tax_included == "YES":
        net = amount / (1 + vat / 100)
        return Money(net, (TaxLine(amount - net, vat),))
    return Money(amount, (TaxLine(amount * vat / 100, vat),))


def _apply_limits(tariff: NormalizedTariff, total: Money) -> Money:
    low, high = tariff.min_price, tariff.max_price
    if low is None and high is None:
        return total
    net = total.net
    if low is not None:
        net = max(net, low.net)
    if high is not None:
        net = min(net, high.net)
    gross = total.gross
    if net != total.net:  # keep the VAT ratio of the session where the limit gives no gross
        gross = gross * net / total.net if total.net else net
    if low is not None and low.gross is not None:
        gross = max(gross, low.gross)
    if high is not None and high.gross is not None:
        gross = min(gross, high.gross)
    return total.with_totals(net, gross)


def _periods(
    tariff: NormalizedTariff, segments: Sequence[Segment], lines: Sequence[_Line]
) -> list[PeriodCost]:
    by_segment: dict[int, list[_Line]] = {}
    for line in lines:
        by_segment.setdefault(line.segment, []).append(line)
    periods: list[PeriodCost] = []
    last_key: tuple[Any, ...] | None = None
    for index, segment in enumerate(segments):
        seg_lines = [line for line in by_segment.get(index, []) if line.dimension != "FLAT"]
        elements = {line.dimension: line.element.index for line in seg_lines}
        key = (segment.state, tuple(sorted(elements.items())))
        volumes = _volumes(segment)
        billed = {line.dimension: line.billed for line in by_segment.get(index, [])}
        cost = Money.sum(_line_cost(tariff, line) for line in by_segment.get(index, []))
        if key == last_key and periods:
            previous = periods[-1]
            periods[-1] = PeriodCost(
                previous.start_date_time,
                previous.state,
                _add(previous.volumes, volumes),
                _add(previous.billed, billed),
                previous.cost + cost,
                previous.elements,
            )
        else:
            periods.append(
                PeriodCost(segment.start_at, segment.state, volumes, billed, cost, elements)
            )
        last_key = key
    return periods


def _volumes(segment: Segment) -> dict[str, Decimal]:
    if segment.state == "RESERVATION":
        return {"RESERVATION_TIME": segment.hours}
    if segment.state == ChargingState.CHARGING.value:
        return {"ENERGY": segment.energy_wh / 1000, "TIME": segment.hours}
    volumes = {"PARKING_TIME": segment.hours}
    if segment.energy_wh:
        volumes["ENERGY"] = segment.energy_wh / 1000
    return volumes


def _add(a: Mapping[str, Decimal], b: Mapping[str, Decimal]) -> dict[str, Decimal]:
    merged = dict(a)
    for key, value in b.items():
        merged[key] = merged.get(key, Decimal(0)) + value
    return merged
