"""Configuration of the OCPP → OCPI bridge.

Everything has a default that works for a first try; a CPO sets at least its party and the
location defaults new stations start with::

    settings = BridgeSettings(
        country_code="NL",
        party_id="CPO",
        default_location=LocationDefaults(city="Utrecht", country="NLD"),
    )
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["BridgeSettings", "ConnectorDefaults", "LocationDefaults"]


@dataclass(frozen=True)
class LocationDefaults:
    """Address, coordinates and time zone of a station's location until someone edits them."""

    name: str | None = None
    address: str = "Unknown"
    city: str = "Unknown"
    postal_code: str = "0000"
    country: str = "NLD"
    latitude: str = "52.090737"
    longitude: str = "5.121420"
    time_zone: str = "Europe/Amsterdam"
    #: 2.2.1+ ``parking_type`` (absent when ``None``); 2.1.1 gets ``type`` from ``location_type``.
    parking_type: str | None = None
    location_type: str = "UNKNOWN"


@dataclass(frozen=True)
class ConnectorDefaults:
    """The technical data of a connector the station did not describe (OCPP does not say)."""

    standard: str = "IEC_62196_T2"
    format: str = "SOCKET"
    power_type: str = "AC_3_PHASE"
    max_voltage: int = 230
    max_amperage: int = 16
    max_electric_power: int | None = 11000


@dataclass(frozen=True)
class BridgeSettings:
    """How the bridge maps, times and pushes.

    ``country_code``/``party_id``: our CPO party (``None``: taken from the OCPI app's settings at
    :meth:`~ocpp_gw.bridge.Bridge.attach`). Times are seconds.
    """

    country_code: str | None = None
    party_id: str | None = None
    default_location: LocationDefaults = field(default_factory=LocationDefaults)
    default_connector: ConnectorDefaults = field(default_factory=ConnectorDefaults)
    #: A tariff (OCPI dict, in ``default_tariff_version``) for connectors without ``tariff_ids``.
    default_tariff: dict[str, Any] | None = None
    default_tariff_version: str = "2.2.1"
    #: Currency of sessions priced by no tariff.
    currency: str = "EUR"
    #: The OCPI version of the Sessions and CDRs written to the store (the CPO's Sender serves
    #: them as stored); Locations are stored in a shape valid in every version.
    store_version: str = "2.2.1"
    #: A station silent for this long is shown ``offline_status`` (None: never).
    offline_after: float | None = 600.0
    offline_status: str = "UNKNOWN"
    #: At most one Session PATCH per session per this many seconds (the last one is kept).
    session_patch_interval: float = 60.0
    #: Time budget of a real-time authorization at the eMSP (stations wait ~ 30 s at most).
    authorization_budget: float = 5.0
    #: Timeout of CSMS calls made for OCPI commands and charging profiles.
    station_call_timeout: float = 15.0
    #: The ``timeout`` advertised in CommandResponses for START/STOP_SESSION results.
    command_result_timeout: int = 60
    #: The ``timeout`` advertised in ChargingProfileResponses.
    charging_profile_timeout: int = 30
    #: Outbox: first retry after ``retry_initial``, doubling up to ``retry_max``; an update
    #: failing for ``retry_give_up`` seconds is dropped (None: retried forever).
    retry_initial: float = 1.0
    retry_max: float = 300.0
    retry_give_up: float | None = 24 * 3600.0
    #: Timeout of one push request.
    push_timeout: float = 10.0
    #: On a graceful stop, seconds the outbox has to deliver what is queued.
    drain_timeout: float = 5.0
    #: Finished sessions kept in memory (served in each caller's version, see ``BridgeCrud``).
    keep_finished_sessions: int = 10_000
