"""Pricing a charging session with the tariff engine.

A 2.2.1 tariff with a start fee, a peak energy price from 17:00 to 21:00 and a parking fee. The
EV charges 22 kWh at 11 kW from 16:00 to 18:00 (Amsterdam time), then stays plugged in for 40
minutes. The engine returns the CDR cost fields and, for a Session PATCH, the cost at 17:30.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ocpp_gw.bridge.tariff_engine import ChargingSession, MeterSample, TariffEngine

TARIFF = {
    "country_code": "NL",
    "party_id": "EXA",
    "id": "peak-evening",
    "currency": "EUR",
    "elements": [
        {"price_components": [{"type": "FLAT", "price": 0.50, "vat": 21.0, "step_size": 1}]},
        {
            "price_components": [{"type": "ENERGY", "price": 0.30, "vat": 21.0, "step_size": 1}],
            "restrictions": {"start_time": "17:00", "end_time": "21:00"},
        },
        {"price_components": [{"type": "ENERGY", "price": 0.22, "vat": 21.0, "step_size": 1}]},
        {
            "price_components": [
                {"type": "PARKING_TIME", "price": 1.20, "vat": 21.0, "step_size": 900}
            ]
        },
    ],
    "last_updated": "2024-05-01T00:00:00Z",
}


def main() -> dict[str, Any]:
    zone = ZoneInfo("Europe/Amsterdam")
    start = datetime(2024, 5, 6, 16, 0, tzinfo=zone)
    unplugged = start + timedelta(hours=2, minutes=40)
    session = ChargingSession(
        start=start,
        end=unplugged,
        time_zone="Europe/Amsterdam",
        samples=[
            MeterSample(start, energy_wh=1_000_000),  # the register's value at the start
            MeterSample(start + timedelta(hours=2), energy_wh=1_022_000),  # 22 kWh later
            MeterSample(unplugged, energy_wh=1_022_000),
        ],
    )
    engine = TariffEngine(TARIFF, version="2.2.1")
    cdr = engine.price(session).cdr_fields()
    running = engine.running_cost(session, start + timedelta(hours=1, minutes=30))
    for name in ("total_cost", "total_fixed_cost", "total_energy_cost", "total_parking_cost"):
        print(f"{name}: {cdr[name]}")
    print(f"at 17:30: {running.session_fields()['total_cost']}")
    return {"cdr": cdr, "running": running.session_fields()}


if __name__ == "__main__":
    main()
