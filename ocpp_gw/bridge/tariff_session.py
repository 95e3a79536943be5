"""The session timeline the tariff engine prices, and its cutting into homogeneous segments.

The input (``ChargingSession``) knows nothing about OCPP: start and end, the IANA time zone of the
location, meter samples, optional charging-state marks and an optional reservation.

``split_session`` cuts a phase (the reservation, or the charging session) into segments at every
instant where a tariff restriction can change its verdict: meter samples and state marks, local
clock times named by ``start_time`` / ``end_time`` and local midnights (dates, days of week),
``min_duration`` / ``max_duration`` instants and the instants where the session energy crosses a
``min_kwh`` / ``max_kwh`` value. Inside one segment every restriction holds or fails throughout,
so the engine evaluates restrictions once per segment, at its midpoint.

Interpretations (see also ``docs/tariffs.md``):

* The energy register of the first sample is the session's meter start; between samples energy
  grows linearly (constant power), after the last sample it stays constant.
* A segment is *charging* when energy flows in it or the latest ``StateChange`` marks the EV as
  charging; otherwise it is *parking*. After the last sample, with no mark, the segment keeps the
  state of the last sampled interval (a running session has no future samples yet).
* Power and current of an interval are the ``power_w`` / ``current_a`` of the sample opening it
  (the value holds until the next sample); without ``power_w`` the average power of the interval
  (energy / time) is used. An unknown current or power matches no current / power restriction.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from itertools import pairwise
from zoneinfo import ZoneInfo

from ocpp_gw.bridge.tariff_model import NormalizedTariff

__all__ = [
    "ChargingSession",
    "ChargingState",
    "MeterSample",
    "ReservationInfo",
    "Segment",
    "StateChange",
    "split_reservation",
    "split_session",
]

_MICRO = Decimal(1_000_000)
_HOUR = Decimal(3600)


class ChargingState(str, Enum):
    CHARGING = "CHARGING"
    PARKING = "PARKING"


@dataclass(frozen=True)
class MeterSample:
    """A meter reading: energy register in Wh, optionally power (W) and current (A, all phases)."""

    timestamp: datetime
    energy_wh: Decimal | int | float
    power_w: Decimal | int | float | None = None
    current_a: Decimal | int | float | None = None


@dataclass(frozen=True)
class StateChange:
    """From ``timestamp`` on, the EV is marked as ``state`` (e.g. from OCPP ``ChargingState``)."""

    timestamp: datetime
    state: ChargingState


@dataclass(frozen=True)
class ReservationInfo:
    """A reservation made at ``start`` that lapses at ``expiry`` (ReserveNow ``expiry_date``)."""

    start: datetime
    expiry: datetime


@dataclass(frozen=True)
class ChargingSession:
    """One charging session (and the reservation before it, if any) to be priced.

    ``started=False`` means the reservation expired without a session: only the reservation is
    priced and ``start`` / ``end`` / ``samples`` are ignored.

        t0 = datetime(2024, 1, 1, 9, tzinfo=UTC)
        session = ChargingSession(
            t0, t0 + timedelta(hours=1), "Europe/Berlin",
            samples=(MeterSample(t0, 0), MeterSample(t0 + timedelta(hours=1), 11000)),
        )
    """

    start: datetime
    end: datetime
    time_zone: str
    samples: Sequence[MeterSample] = ()
    states: Sequence[StateChange] = ()
    reservation: ReservationInfo | None = None
    started: bool = True

    @property
    def reservation_expired(self) -> bool:
        """True when the reservation lapsed before a session started on it."""
        res = self.reservation
        return res is not None and (not self.started or self.start > res.expiry)


@dataclass(frozen=True)
class Segment:
    """A stretch of a phase in which nothing relevant to the tariff changes.

    ``start`` / ``end`` are seconds since the phase began; ``energy_wh`` is the energy of the
    segment, ``energy_before_wh`` the session energy before it.
    """

    start: Decimal
    end: Decimal
    start_at: datetime
    state: str  # "CHARGING", "PARKING" or "RESERVATION"
    energy_wh: Decimal
    energy_before_wh: Decimal
    power_kw: Decimal | None
    current_a: Decimal | None
    mid_local: datetime

    @property
    def seconds(self) -> Decimal:
        return self.end - self.start

    @property
    def hours(self) -> Decimal:
        return self.seconds / _HOUR

    @property
    def mid_seconds(self) -> Decimal:
        return (self.start + self.end) / 2

    @property
    def mid_kwh(self) -> Decimal:
        return (self.energy_before_wh + self.energy_wh / 2) / 1000


def _d(value: Decimal | int | float) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return moment.astimezone(UTC)


class _Clock:
    """Converts between datetimes and Decimal seconds since a phase's origin."""

    def __init__(self, origin: datetime, zone: ZoneInfo) -> None:
        self.origin = _utc(origin)
        self.zone = zone

    def offset(self, moment: datetime) -> Decimal:
        return Decimal((_utc(moment) - self.origin) // timedelta(microseconds=1)) / _MICRO

    def moment(self, offset: Decimal) -> datetime:
        micros = int((offset * _MICRO).to_integral_value())
        return self.origin + timedelta(microseconds=micros)

    def local(self, offset: Decimal) -> datetime:
        return self.moment(offset).astimezone(self.zone)

    def clock_boundaries(self, end: Decimal, times: Iterable[time]) -> list[Decimal]:
        """Offsets of the given local clock times (and local midnights) within [0, end]."""
        first = self.local(Decimal(0)).date() - timedelta(days=1)
        last = self.local(end).date() + timedelta(days=1)
        wanted = {time(0), *times}
        found: list[Decimal] = []
        day: date = first
        while day <= last:
            for clock in wanted:
                offset = self.offset(datetime.combine(day, clock, tzinfo=self.zone))
                if 0 < offset < end:
                    found.append(offset)
            day += timedelta(days=1)
        return found


def _tariff_clock_times(tariff: NormalizedTariff) -> set[time]:
    times: set[time] = set()
    for element in tariff.elements:
        r = element.restrictions
        times.update(t for t in (r.start_time, r.end_time) if t is not None)
    return times


def _duration_marks(tariff: NormalizedTariff) -> set[Decimal]:
    marks: set[Decimal] = set()
    for element in tariff.elements:
        r = element.restrictions
        marks.update(Decimal(v) for v in (r.min_duration, r.max_duration) if v is not None)
    return marks


class _Meter:
    """Session energy as a piecewise-linear function of the offset, plus interval readings."""

    def __init__(self, clock: _Clock, samples: Sequence[MeterSample]) -> None:
        ordered = sorted(samples, key=lambda s: _utc(s.timestamp))
        self.samples = ordered
        base = _d(ordered[0].energy_wh) if ordered else Decimal(0)
        self.points = [(clock.offset(s.timestamp), _d(s.energy_wh) - base) for s in ordered]
        self.offsets = [t for t, _ in self.points]
        self.exact: dict[Decimal, Decimal] = {}

    def energy(self, offset: Decimal) -> Decimal:
        if offset in self.exact:
            return self.exact[offset]
        points = self.points
        if not points or offset <= points[0][0]:
            return Decimal(0)
        i = bisect_left(self.offsets, offset)
        if i == len(points):
            return points[-1][1]
        (t0, e0), (t1, e1) = points[i - 1], points[i]
        return e0 if t1 == t0 else e0 + (e1 - e0) * (offset - t0) / (t1 - t0)

    def crossing(self, wh: Decimal) -> Decimal | None:
        """First offset at which the session energy reaches ``wh``; remembered exactly."""
        for (t0, e0), (t1, e1) in pairwise(self.points):
            if e0 < wh <= e1:
                offset = t0 + (wh - e0) * (t1 - t0) / (e1 - e0)
                self.exact[offset] = wh
                return offset
        return None

    def _interval(self, offset: Decimal) -> int | None:
        """Index of the sample opening the interval that contains ``offset``."""
        index = bisect_right(self.offsets, offset) - 1
        return None if index < 0 else index

    def _average_kw(self, i: int) -> Decimal | None:
        if i + 1 >= len(self.points):
            return None
        (t0, e0), (t1, e1) = self.points[i], self.points[i + 1]
        return None if t1 == t0 else (e1 - e0) / ((t1 - t0) / _HOUR) / 1000

    def readings(self, offset: Decimal) -> tuple[Decimal | None, Decimal | None]:
        """(power kW, current A) in force at ``offset``."""
        i = self._interval(offset)
        if i is None:
            return None, None
        sample = self.samples[i]
        current = None if sample.current_a is None else _d(sample.current_a)
        if sample.power_w is not None:
            return _d(sample.power_w) / 1000, current
        average = self._average_kw(i)
        if average is None and i > 0:  # after the last sample: the last interval's average
            average = self._average_kw(i - 1)
        return average, current

    def flowing_after_last_sample(self) -> bool:
        return len(self.points) >= 2 and self.points[-1][1] > self.points[-2][1]


def split_session(session: ChargingSession, tariff: NormalizedTariff) -> list[Segment]:
    """Segments of the charging session (none when it never started)."""
    if not session.started:
        return []
    clock = _Clock(session.start, ZoneInfo(session.time_zone))
    end = clock.offset(session.end)
    if end <= 0:  # a session of no length still owes its FLAT fee: one empty segment
        zero = Decimal(0)
        local = clock.local(zero)
        return [Segment(zero, zero, clock.origin, "PARKING", zero, zero, None, None, local)]
    meter = _Meter(clock, session.samples)
    marks = sorted(
        ((clock.offset(c.timestamp), c.state) for c in session.states), key=lambda m: m[0]
    )
    mark_offsets = [t for t, _ in marks]
    cuts: set[Decimal] = {Decimal(0), end}
    cuts.update(t for t, _ in meter.points)
    cuts.update(t for t, _ in marks)
    cuts.update(_duration_marks(tariff))
    cuts.update(clock.clock_boundaries(end, _tariff_clock_times(tariff)))
    for element in tariff.elements:
        for kwh in (element.restrictions.min_kwh, element.restrictions.max_kwh):
            if kwh is not None:
                crossing = meter.crossing(kwh * 1000)
                if crossing is not None:
                    cuts.add(crossing)
    bounds = sorted(c for c in cuts if 0 <= c <= end)
    last_sample = meter.points[-1][0] if meter.points else None
    segments = []
    for a, b in pairwise(bounds):
        before, after = meter.energy(a), meter.energy(b)
        mid = (a + b) / 2
        latest = bisect_right(mark_offsets, mid) - 1
        mark = marks[latest][1] if latest >= 0 else None
        if after > before or mark == ChargingState.CHARGING:
            state = ChargingState.CHARGING
        elif mark is None and last_sample is not None and a >= last_sample:
            flowing = meter.flowing_after_last_sample()
            state = ChargingState.CHARGING if flowing else ChargingState.PARKING
        else:
            state = ChargingState.PARKING
        power, current = meter.readings(a)
        segments.append(
            Segment(
                start=a,
                end=b,
                start_at=clock.moment(a),
                state=state.value,
                energy_wh=after - before,
                energy_before_wh=before,
                power_kw=power,
                current_a=current,
                mid_local=clock.local(mid),
            )
        )
    return segments


def split_reservation(
    session: ChargingSession, tariff: NormalizedTariff, stop: datetime
) -> list[Segment]:
    """Segments of the reservation, from its start until ``stop``.

    ``stop`` is when the session started on it, when it expired, or now for a running estimate.
    """
    res = session.reservation
    if res is None:
        return []
    clock = _Clock(res.start, ZoneInfo(session.time_zone))
    end = clock.offset(stop)
    if end <= 0:
        return []
    cuts = {Decimal(0), end, *_duration_marks(tariff)}
    cuts.update(clock.clock_boundaries(end, _tariff_clock_times(tariff)))
    bounds = sorted(c for c in cuts if 0 <= c <= end)
    return [
        Segment(
            start=a,
            end=b,
            start_at=clock.moment(a),
            state="RESERVATION",
            energy_wh=Decimal(0),
            energy_before_wh=Decimal(0),
            power_kw=None,
            current_a=None,
            mid_local=clock.local((a + b) / 2),
        )
        for a, b in pairwise(bounds)
    ]
