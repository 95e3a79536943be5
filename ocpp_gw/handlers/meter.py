"""Meter values of every OCPP version turned into normalised :class:`MeterSample` records.

1.6 sends ``value`` as a string with a ``unit`` (``Wh``, ``kWh``, ``kW`` ...); 2.x sends a number
with ``unitOfMeasure`` (``unit`` + decimal ``multiplier``). Both become a float in the base unit
(``kWh`` → ``Wh``, ``kW`` → ``W``, ``kvarh`` → ``varh`` ...), so consumers never convert again.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ocpp_gw.events import MeterSample
from ocpp_gw.handlers.base import OCPPVersion
from ocpp_gw.handlers.common import parse_timestamp
from ocpp_gw.state import MeterValueRecord

logger = logging.getLogger(__name__)

__all__ = [
    "ENERGY_REGISTER",
    "energy_register_wh",
    "meter_value_records",
    "normalise_sampled_value",
]

ENERGY_REGISTER = "Energy.Active.Import.Register"

# Kilo units and the base unit they scale to.
_KILO_UNITS = {"kWh": "Wh", "kW": "W", "kvarh": "varh", "kvar": "var", "kVA": "VA", "kVAh": "VAh"}


def _scale(value: float, unit: str | None) -> tuple[float, str | None]:
    base = _KILO_UNITS.get(unit or "")
    if base is None:
        return value, unit
    return value * 1000, base


def normalise_sampled_value(sampled: Mapping[str, Any], version: OCPPVersion) -> MeterSample | None:
    """One ``sampledValue`` as a :class:`MeterSample`; ``None`` when it carries no number.

    1.6 ``SignedData`` values (and anything else that is not a decimal) are skipped: their
    payload is opaque to the CSMS and stays in the raw message.
    """
    measurand = str(sampled.get("measurand", ENERGY_REGISTER))
    if version is OCPPVersion.v16:
        if sampled.get("format") == "SignedData":
            return None
        try:
            raw = float(sampled["value"])
        except (KeyError, TypeError, ValueError):
            logger.info("ignoring non-numeric 1.6 sampled value %r", sampled.get("value"))
            return None
        # 1.6 defaults the unit to Wh for every measurand; only energy registers are really Wh,
        # but the station's own default is what the number means.
        unit: str | None = sampled.get("unit", "Wh")
    else:
        raw = float(sampled["value"])
        uom = sampled.get("unitOfMeasure") or {}
        unit = uom.get("unit", "Wh")
        raw *= 10.0 ** int(uom.get("multiplier", 0))
    if not math.isfinite(raw):
        return None
    value, unit = _scale(raw, unit)
    return MeterSample(
        measurand=measurand,
        value=value,
        unit=unit,
        phase=sampled.get("phase"),
        context=sampled.get("context"),
        location=sampled.get("location"),
    )


def meter_value_records(
    meter_values: Iterable[Mapping[str, Any]],
    version: OCPPVersion,
    *,
    evse_id: int | None = None,
    connector_id: int | None = None,
    transaction_id: str | None = None,
) -> list[MeterValueRecord]:
    """Every ``meterValue`` element as a :class:`MeterValueRecord` with normalised samples."""
    records = []
    for element in meter_values:
        samples = (normalise_sampled_value(sampled, version) for sampled in element["sampledValue"])
        records.append(
            MeterValueRecord(
                timestamp=parse_timestamp(element.get("timestamp")),
                samples=tuple(s for s in samples if s is not None),
                evse_id=evse_id,
                connector_id=connector_id,
                transaction_id=transaction_id,
            )
        )
    return records


def energy_register_wh(
    records: Sequence[MeterValueRecord], *, context: str | None = None
) -> float | None:
    """The latest total imported-energy reading in Wh (optionally only of one ``context``).

    The whole-meter value (no phase, measured at the outlet or unspecified) wins over per-phase
    or inlet readings of the same moment.
    """
    for record in reversed(records):
        candidates = [
            s
            for s in record.samples
            if s.measurand == ENERGY_REGISTER
            and s.unit == "Wh"
            and (context is None or s.context == context)
        ]
        if not candidates:
            continue
        candidates.sort(key=lambda s: (s.phase is not None, s.location not in (None, "Outlet")))
        return candidates[0].value
    return None
