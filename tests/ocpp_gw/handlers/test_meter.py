"""Meter value normalisation across versions."""

from __future__ import annotations

from typing import Any

import pytest

from ocpp_gw.events import MeterSample
from ocpp_gw.handlers.base import OCPPVersion
from ocpp_gw.handlers.common import parse_timestamp
from ocpp_gw.handlers.meter import (
    energy_register_wh,
    meter_value_records,
    normalise_sampled_value,
)


@pytest.mark.parametrize(
    ("sampled", "expected"),
    [
        ({"value": "12.5"}, ("Energy.Active.Import.Register", 12.5, "Wh")),
        ({"value": "0.25", "unit": "kWh"}, ("Energy.Active.Import.Register", 250.0, "Wh")),
        (
            {"value": "11", "unit": "kW", "measurand": "Power.Active.Import"},
            ("Power.Active.Import", 11000.0, "W"),
        ),
        (
            {"value": "2", "unit": "kvarh", "measurand": "Energy.Reactive.Import.Register"},
            ("Energy.Reactive.Import.Register", 2000.0, "varh"),
        ),
        ({"value": "80", "unit": "Percent", "measurand": "SoC"}, ("SoC", 80.0, "Percent")),
    ],
)
def test_16_values(sampled: dict[str, Any], expected: tuple[str, float, str]) -> None:
    sample = normalise_sampled_value(sampled, OCPPVersion.v16)
    assert sample is not None
    assert (sample.measurand, sample.value, sample.unit) == expected


@pytest.mark.parametrize(
    "sampled", [{"value": "n/a"}, {"value": "AB", "format": "SignedData"}, {"value": "nan"}]
)
def test_16_unreadable_values_are_skipped(sampled: dict[str, Any]) -> None:
    assert normalise_sampled_value(sampled, OCPPVersion.v16) is None


@pytest.mark.parametrize(
    ("uom", "value", "expected"),
    [
        (None, 5, (5.0, "Wh")),
        ({"unit": "kWh", "multiplier": 0}, 1.5, (1500.0, "Wh")),
        ({"unit": "Wh", "multiplier": 3}, 2, (2000.0, "Wh")),
        ({"unit": "kWh", "multiplier": -1}, 15, (1500.0, "Wh")),
        ({"unit": "A"}, 16, (16.0, "A")),
    ],
)
def test_2x_values(uom: dict[str, Any] | None, value: float, expected: tuple[float, str]) -> None:
    sampled: dict[str, Any] = {"value": value}
    if uom is not None:
        sampled["unitOfMeasure"] = uom
    sample = normalise_sampled_value(sampled, OCPPVersion.v201)
    assert sample is not None
    assert sample.value == pytest.approx(expected[0]) and sample.unit == expected[1]


def test_energy_register_prefers_the_whole_meter_and_latest_reading() -> None:
    element = {
        "timestamp": "2026-01-01T10:00:00+01:00",
        "sampledValue": [
            {"value": "100", "phase": "L1"},
            {"value": "300", "location": "Inlet"},
            {"value": "250", "context": "Sample.Periodic"},
        ],
    }
    later = {"timestamp": "2026-01-01T09:05:00Z", "sampledValue": [{"value": "0.4", "unit": "kWh"}]}
    records = meter_value_records([element, later], OCPPVersion.v16, connector_id=1)
    assert records[0].timestamp == parse_timestamp("2026-01-01T09:00:00Z")
    assert energy_register_wh(records) == 400.0
    assert energy_register_wh(records[:1]) == 250.0
    assert energy_register_wh(records, context="Sample.Periodic") == 250.0
    assert energy_register_wh(records, context="Transaction.End") is None


def test_power_is_not_an_energy_register() -> None:
    element = {
        "timestamp": "2026-01-01T10:00:00Z",
        "sampledValue": [
            {"value": 7.4, "measurand": "Power.Active.Import", "unitOfMeasure": {"unit": "kW"}}
        ],
    }
    records = meter_value_records([element], OCPPVersion.v201, evse_id=1, transaction_id="t")
    assert records[0].samples == (
        MeterSample(measurand="Power.Active.Import", value=7400.0, unit="W"),
    )
    assert (records[0].evse_id, records[0].transaction_id) == (1, "t")
    assert energy_register_wh(records) is None


def test_bad_timestamps_fall_back_to_now() -> None:
    assert parse_timestamp("yesterday").tzinfo is not None
    assert parse_timestamp("2026-01-01T12:00:00").isoformat() == "2026-01-01T12:00:00+00:00"
