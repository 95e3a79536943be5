"""``examples/tariff_example.py`` runs and prints the costs worked out by hand below."""

from __future__ import annotations

import pytest

from examples import tariff_example


def test_tariff_example(capsys: pytest.CaptureFixture[str]) -> None:
    result = tariff_example.main()
    cdr = result["cdr"]
    # FLAT 0.50; energy 16-17h 11 kWh * 0.22 = 2.42, 17-18h 11 kWh * 0.30 = 3.30 -> 5.72;
    # parking 40 -> 45 min (step 900 s) * 1.20/h = 0.90; total 7.12 excl,
    # incl. 21 % VAT: 7.12 * 1.21 = 8.6152 -> 8.62
    assert cdr["total_cost"] == {"excl_vat": 7.12, "incl_vat": 8.62}
    assert cdr["total_energy_cost"] == {"excl_vat": 5.72, "incl_vat": 6.92}  # 6.9212
    assert cdr["total_parking_cost"] == {"excl_vat": 0.9, "incl_vat": 1.09}  # 1.089
    assert cdr["total_energy"] == 22.0 and cdr["total_parking_time"] == 0.6667  # 40 min
    # three periods: off-peak charging, peak charging, parking
    assert [len(p["dimensions"]) for p in cdr["charging_periods"]] == [2, 2, 1]
    # at 17:30: 0.50 + 2.42 + 5.5 kWh * 0.30 = 1.65 -> 4.57 excl; * 1.21 = 5.5297 -> 5.53
    assert result["running"]["total_cost"] == {"excl_vat": 4.57, "incl_vat": 5.53}
    assert "at 17:30" in capsys.readouterr().out
