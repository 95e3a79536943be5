"""Table tests of the tariff engine's invariants (hypothesis is not installed, so the inputs
are enumerated), running costs, the version renderings and input handling."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta
from decimal import ROUND_CEILING, Decimal
from pathlib import Path
from typing import Any

import pytest

from ocpi.modules.cdrs.v_2_1_1.schemas import ChargingPeriod as ChargingPeriod211
from ocpi.modules.cdrs.v_2_2_1.schemas import ChargingPeriod as ChargingPeriod221
from ocpi.modules.cdrs.v_2_2_1.schemas import Price as Price221
from ocpi.modules.cdrs.v_2_3_0.schemas import ChargingPeriod as ChargingPeriod230
from ocpi.modules.cdrs.v_2_3_0.schemas import Price as Price230
from ocpi.modules.tariffs.v_2_1_1.schemas import Tariff as Tariff211
from ocpi.modules.tariffs.v_2_2_1.schemas import Tariff as Tariff221
from ocpi.modules.tariffs.v_2_3_0.schemas import Tariff as Tariff230
from ocpp_gw.bridge.tariff_engine import (
    ChargingSession,
    ChargingState,
    MeterSample,
    ReservationInfo,
    StateChange,
    TariffEngine,
)
from ocpp_gw.bridge.tariff_money import Money, TaxLine, minor_unit_exponent, round_money

D = Decimal
T0 = datetime(2024, 5, 6, 8, 0, tzinfo=UTC)  # Monday 10:00 in Amsterdam
SPECS = Path("/work/shared/specs/ocpi")


def load(relative: str) -> Any:
    path = SPECS / relative
    if not path.exists():
        pytest.skip(f"spec example {path} not available")
    return json.loads(path.read_text())


def energy_tariff(price: str, step: int, **extra: Any) -> dict[str, Any]:
    component = {"type": "ENERGY", "price": float(price), "vat": 10.0, "step_size": step}
    return {"id": "e", "currency": "EUR", "elements": [{"price_components": [component]}], **extra}


def linear_session(kwh: str, minutes: int, pieces: int = 1) -> ChargingSession:
    """``kwh`` charged at constant power over ``minutes``, reported in ``pieces`` samples."""
    samples = [
        MeterSample(T0 + timedelta(minutes=minutes) * i / pieces, D(kwh) * 1000 * i / pieces)
        for i in range(pieces + 1)
    ]
    return ChargingSession(T0, T0 + timedelta(minutes=minutes), "Europe/Amsterdam", samples)


KWH = ["0", "0.001", "0.0999", "0.1", "0.1001", "1", "1.5", "7.25", "20", "50.0004"]


@pytest.mark.parametrize("step", [1, 25, 100, 500])
def test_energy_cost_is_monotonic_and_follows_step(step: int) -> None:
    engine = TariffEngine(energy_tariff("0.25", step), version="2.2.1")
    costs = []
    for kwh in KWH:
        cost = engine.price(linear_session(kwh, 60)).total_cost.net
        wh = D(kwh) * 1000
        billed = (wh / step).to_integral_value(rounding=ROUND_CEILING) * step
        assert cost == billed / 1000 * D("0.25"), kwh
        costs.append(cost)
    assert costs == sorted(costs)


@pytest.mark.parametrize(
    ("kwh", "pieces"), list(itertools.product(["3.3", "20", "41.7"], [2, 5, 12]))
)
def test_more_samples_on_the_same_curve_change_nothing(kwh: str, pieces: int) -> None:
    tariff = load("2.2.1/examples/tariff_14_step_size.json")
    engine = TariffEngine(energy_tariff("0.31", 10), version="2.2.1")
    # (equal up to the 1e-12 residue of dividing 20 kWh into 12 samples)
    one = engine.price(linear_session(kwh, 90)).total_cost.gross
    many = engine.price(linear_session(kwh, 90, pieces)).total_cost.gross
    assert abs(one - many) < D("1e-12")
    timed = TariffEngine(tariff, version="2.2.1")
    one = timed.price(linear_session(kwh, 90)).total_cost.gross
    many = timed.price(linear_session(kwh, 90, pieces)).total_cost.gross
    assert abs(one - many) < D("1e-12")


@pytest.mark.parametrize("kwh", KWH)
def test_min_and_max_price_bound_the_total(kwh: str) -> None:
    tariff = energy_tariff(
        "0.25",
        1,
        min_price={"excl_vat": 1.0, "incl_vat": 1.1},
        max_price={"excl_vat": 5.0, "incl_vat": 5.5},
    )
    result = TariffEngine(tariff, version="2.2.1").price(linear_session(kwh, 60))
    # unclamped: kWh * 0.25 excl, * 1.1 incl; clamped into [1.00, 5.00] / [1.10, 5.50]
    raw = D(kwh) * D("0.25")
    assert result.total_cost.net == min(max(raw, D("1.0")), D("5.0"))
    assert result.total_cost.gross == min(max(raw * D("1.1"), D("1.1")), D("5.5"))


def test_running_cost_grows_to_the_final_cost() -> None:
    tariff = load("2.2.1/examples/tariff_10_025kwh_parking_start.json")
    engine = TariffEngine(tariff, version="2.2.1")
    end = T0 + timedelta(minutes=100)
    session = ChargingSession(
        T0,
        end,
        "Europe/Amsterdam",
        [
            MeterSample(T0, 0),
            MeterSample(T0 + timedelta(minutes=60), 10000),
            MeterSample(end, 10000),
        ],
    )
    seen = [
        engine.running_cost(session, T0 + timedelta(minutes=m)).total_cost.net
        for m in range(0, 101, 5)
    ]
    assert seen == sorted(seen)
    assert seen[-1] == engine.price(session).total_cost.net
    # at minute 30: FLAT 0.50 + 5 kWh * 0.25 = 1.25 -> 1.75 (charging, no parking yet)
    assert seen[6] == D("1.75")
    # at minute 100: 0.50 + 2.50 + parking 40 -> 45 min * 2.00/h = 1.50 -> 4.50
    assert seen[-1] == D("4.50")


def test_running_cost_after_the_last_sample_keeps_charging() -> None:
    tariff = load("2.2.1/examples/tariff_13_simple_3hour_5parking.json")
    engine = TariffEngine(tariff, version="2.2.1")
    samples = [MeterSample(T0, 0), MeterSample(T0 + timedelta(minutes=30), 5000)]
    session = ChargingSession(T0, T0 + timedelta(hours=5), "Europe/Amsterdam", samples)
    result = engine.running_cost(session, T0 + timedelta(minutes=60))
    # still charging after the last sample: 60 min TIME * 3.00/h = 3.00, no parking
    assert result.total_cost.net == D("3.00")
    assert result.total_parking_hours == 0


def test_running_cost_of_a_pending_reservation() -> None:
    tariff = load("2.2.1/examples/tariff_17_reservation_with_expire_fee.json")
    engine = TariffEngine(tariff, version="2.2.1")
    reservation = ReservationInfo(T0, T0 + timedelta(hours=1))
    pending = ChargingSession(T0, T0, "Europe/Amsterdam", reservation=reservation, started=False)
    # 25 min in: 25 -> 30 min (step 600) * 2.00/h = 1.00, no expiry fee yet
    assert engine.running_cost(pending, T0 + timedelta(minutes=25)).total_cost.net == D("1.00")
    # after expiry: 4.00 fee + 60 min * 2.00/h = 6.00
    assert engine.running_cost(pending, T0 + timedelta(hours=2)).total_cost.net == D("6.00")


def test_charging_mark_without_energy_bills_time() -> None:
    tariff = load("2.2.1/examples/tariff_13_simple_3hour_5parking.json")
    end = T0 + timedelta(minutes=20)
    session = ChargingSession(
        T0,
        end,
        "Europe/Amsterdam",
        [MeterSample(T0, 0), MeterSample(end, 0)],
        [StateChange(T0, ChargingState.CHARGING)],
    )
    result = TariffEngine(tariff, version="2.2.1").price(session)
    # marked charging for 20 min: 20 min * 3.00/h = 1.00 TIME, no parking
    assert result.total_cost.net == D("1.00")


def test_zero_length_session_still_owes_the_flat_fee() -> None:
    tariff = load("2.2.1/examples/tariff_9_025kwh_start.json")
    session = ChargingSession(T0, T0, "Europe/Amsterdam", [MeterSample(T0, 0)])
    assert TariffEngine(tariff, version="2.2.1").price(session).total_cost.net == D("0.50")


def test_unknown_current_matches_no_current_restriction() -> None:
    tariff = load("2.2.1/examples/tariff_4_complex.json")
    result = TariffEngine(tariff, version="2.2.1").price(linear_session("10", 60))
    # no current reported: no TIME element applies; only FLAT 2.50
    assert result.total_cost.net == D("2.50")


# -- renderings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "model", "period_model", "price_model"),
    [
        ("2.1.1", Tariff211, ChargingPeriod211, None),
        ("2.2.1", Tariff221, ChargingPeriod221, Price221),
        ("2.3.0", Tariff230, ChargingPeriod230, Price230),
    ],
)
def test_fields_validate_against_the_version_models(
    version: str, model: Any, period_model: Any, price_model: Any
) -> None:
    data = load("2.2.1/examples/tariff_10_025kwh_parking_start.json")
    if version == "2.1.1":
        data = {k: v for k, v in data.items() if k not in ("country_code", "party_id")}
        for component in data["elements"][0]["price_components"]:
            component.pop("vat")
    if version == "2.3.0":
        data["tax_included"] = "NO"
    tariff = model.model_validate(data)
    end = T0 + timedelta(minutes=90)
    session = ChargingSession(
        T0,
        end,
        "Europe/Amsterdam",
        [
            MeterSample(T0, 0),
            MeterSample(T0 + timedelta(minutes=60), 20000),
            MeterSample(end, 20000),
        ],
        reservation=ReservationInfo(T0 - timedelta(minutes=10), T0 + timedelta(minutes=50)),
    )
    fields = TariffEngine(tariff).price(session).cdr_fields()
    periods = [period_model.model_validate(p) for p in fields["charging_periods"]]
    # 2.1.1 has no reservation dimension: charging + parking; later versions add the reservation
    assert len(periods) == (2 if version == "2.1.1" else 3)
    assert fields["total_energy"] == 20.0
    assert fields["total_time"] == 1.5
    assert fields["total_parking_time"] == 0.5
    if price_model is None:
        # 0.50 + 20 * 0.25 + 30 min * 2.00/h = 6.50 (no VAT in 2.1.1)
        assert fields["total_cost"] == 6.5
    else:
        for name in ("total_cost", "total_fixed_cost", "total_energy_cost", "total_parking_cost"):
            price_model.model_validate(fields[name])
        assert "total_time_cost" not in fields
    session_fields = TariffEngine(tariff).price(session).session_fields()
    assert session_fields["kwh"] == 20.0 and session_fields["currency"] == "EUR"


def test_reservation_period_in_cdr() -> None:
    data = load("2.2.1/examples/tariff_15_reservation_5_euro_per_hour.json")
    end = T0 + timedelta(minutes=60)
    session = ChargingSession(
        T0,
        end,
        "Europe/Amsterdam",
        [MeterSample(T0, 0), MeterSample(end, 10000)],
        reservation=ReservationInfo(T0 - timedelta(minutes=12), T0 + timedelta(minutes=48)),
    )
    fields = TariffEngine(data, version="2.2.1").price(session).cdr_fields()
    first = fields["charging_periods"][0]
    assert first["start_date_time"] == T0 - timedelta(minutes=12)
    assert first["dimensions"] == [{"type": "RESERVATION_TIME", "volume": 0.2}]  # 12 min
    # 12 -> 12 min (step 60) * 5.00/h = 1.00 reservation
    assert fields["total_reservation_cost"] == {"excl_vat": 1.0, "incl_vat": 1.2}


# -- inputs and money ---------------------------------------------------------------------


def test_dict_without_version_is_refused() -> None:
    with pytest.raises(ValueError, match="version"):
        TariffEngine(energy_tariff("0.25", 1))


def test_dict_with_tax_included_is_230() -> None:
    assert TariffEngine(energy_tariff("0.25", 1, tax_included="NO")).tariff.version == "2.3.0"


@pytest.mark.parametrize(
    ("currency", "amount", "expected"),
    [
        ("EUR", "5.125", "5.13"),
        ("EUR", "5.124999", "5.12"),
        ("EUR", "12.375", "12.38"),
        ("JPY", "1234.5", "1235"),
        ("KWD", "1.23450", "1.235"),
        ("eur", "0.005", "0.01"),
    ],
)
def test_round_money(currency: str, amount: str, expected: str) -> None:
    assert round_money(D(amount), currency) == D(expected)
    assert str(round_money(D(amount), currency)) == expected
    assert minor_unit_exponent(currency) == len(expected.partition(".")[2])


def test_money_merges_tax_lines_and_scales_them() -> None:
    a = Money(D("1.00"), (TaxLine(D("0.20"), D(20)),))
    b = Money(D("2.00"), (TaxLine(D("0.40"), D(20)), TaxLine(D("0.20"), D(10))))
    total = a + b
    assert total.net == D("3.00") and total.gross == D("3.80")
    assert len(total.taxes) == 2
    scaled = total.with_totals(D("2.00"), D("2.40"))
    assert scaled.gross == D("2.40")
    assert Money(D(1)).with_totals(D(2), D("2.5")).taxes == (TaxLine(D("0.5"), None, "Tax"),)


def test_every_spec_tariff_example_is_covered() -> None:
    """Guards the promise of ``test_tariff_engine.py``: one scenario per example file."""
    source = (Path(__file__).parent / "test_tariff_engine.py").read_text()
    for version in ("2.2.1", "2.3.0"):
        folder = SPECS / version / "examples"
        if not folder.exists():
            pytest.skip(f"{folder} not available")
        for path in sorted(folder.glob("tariff*.json")):
            assert path.name in source, f"no scenario for {version}/{path.name}"


def test_daylight_saving_change_counts_real_hours() -> None:
    tariff = {
        "id": "dst",
        "currency": "EUR",
        "elements": [
            {
                "price_components": [{"type": "TIME", "price": 2.00, "step_size": 1}],
                "restrictions": {"start_time": "04:00", "end_time": "00:00"},
            },
            {"price_components": [{"type": "TIME", "price": 1.00, "step_size": 1}]},
        ],
    }
    # 2024-03-31 00:00 to 06:00 in Amsterdam: clocks jump from 02:00 to 03:00, 5 real hours
    start = datetime(2024, 3, 30, 23, 0, tzinfo=UTC)
    end = start + timedelta(hours=5)
    session = ChargingSession(
        start, end, "Europe/Amsterdam", [MeterSample(start, 0), MeterSample(end, 5000)]
    )
    result = TariffEngine(tariff, version="2.2.1").price(session)
    # 00:00-04:00 local = 3 real hours * 1.00 = 3.00; 04:00-06:00 = 2 h * 2.00 = 4.00 -> 7.00
    assert result.total_cost.net == D("7.00")
    assert result.total_time_hours == 5


def test_a_day_of_ten_second_samples() -> None:
    tariff = load("2.2.1/examples/tariff_4_complex.json")
    n = 8640  # 24 h of samples every 10 s, Monday 10:00 to Tuesday 10:00
    samples = [
        MeterSample(T0 + timedelta(seconds=10 * i), 30 * i, current_a=40 if i % 100 < 50 else 16)
        for i in range(n + 1)
    ]
    session = ChargingSession(T0, samples[-1].timestamp, "Europe/Amsterdam", samples)
    result = TariffEngine(tariff, version="2.2.1").price(session)
    # intervals opened by samples 0..8639; 40 A when i % 100 < 50: 86 * 50 + 40 = 4340 of them
    # 4340 * 10 s = 43400 s * 2.00/h + 4300 * 10 s = 43000 s * 1.00/h = 129800/3600
    # = 36.0555...; TIME total 86400 s is a multiple of the last step (600) -> no extra;
    # + FLAT 2.50
    expected = D("2.50") + D(129800) / D(3600)
    assert abs(result.total_cost.net - expected) < D("1e-20")
    # a new period at each of the 172 switches of current (every 50 samples)
    assert len(result.periods) == 173


def test_a_falling_register_is_not_billed() -> None:
    end = T0 + timedelta(hours=2)
    samples = [
        MeterSample(T0, 5000),
        MeterSample(T0 + timedelta(hours=1), 9000),  # +4 kWh
        MeterSample(end, 8000),  # -1 kWh fed back
    ]
    session = ChargingSession(T0, end, "Europe/Amsterdam", samples)
    result = TariffEngine(energy_tariff("0.25", 1), version="2.2.1").price(session)
    # only the 4 kWh charged are billed: 4 * 0.25 = 1.00; the measured total is 3 kWh
    assert result.total_cost.net == D("1.00")
    assert result.total_energy_kwh == 3


def test_public_names_are_sorted_and_importable() -> None:
    from ocpp_gw.bridge import tariff_engine

    names = list(tariff_engine.__all__)
    assert names == sorted(names)
    assert all(getattr(tariff_engine, name) is not None for name in names)
