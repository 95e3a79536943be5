"""Which OCPI Location, EVSE and connector a charging station's parts are: :class:`StationMap`.

A station that boots for the first time gets a mapping made of defaults: the location id is the
station identity, EVSE ``n`` gets uid ``{identity}-{n}`` and an eMI3-style ``evse_id``
(``NL*CPO*E{identity}*{n}``), connectors appear as the station reports their status, and the
address, coordinates and time zone come from :class:`~ocpp_gw.bridge.settings.LocationDefaults`.
Every field can be edited (Python: ``Bridge.configure``; REST: ``PUT
/api/bridge/stations/{id}``)::

    await bridge.configure("CP1", StationConfig(
        location_id="LOC-UTRECHT-1", name="Station Square", address="Stationsplein 1",
        city="Utrecht", postal_code="3511", latitude="52.0894", longitude="5.1101",
    ))

1.6 has no EVSE level: connector ``n`` of a 1.6 charge point becomes EVSE ``n`` with one
connector ``1``. In 2.x EVSE ``n`` connector ``m`` is EVSE ``n``'s connector ``m``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

if TYPE_CHECKING:
    from ocpp_gw.bridge.settings import BridgeSettings

__all__ = [
    "ConnectorConfig",
    "EvseConfig",
    "EvseState",
    "StationConfig",
    "StationMap",
    "StationState",
    "config_from_location",
]


class ConnectorConfig(BaseModel):
    """Overrides of one connector's OCPI data (``None``: the default)."""

    id: str | None = None
    standard: str | None = None
    format: str | None = None
    power_type: str | None = None
    max_voltage: int | None = None
    max_amperage: int | None = None
    max_electric_power: int | None = None
    tariff_ids: list[str] | None = None


class EvseConfig(BaseModel):
    """Overrides of one EVSE (OCPP 2.x EVSE / 1.6 connector number)."""

    uid: str | None = None
    evse_id: str | None = None
    physical_reference: str | None = None
    tariff_ids: list[str] | None = None
    connectors: dict[int, ConnectorConfig] = Field(default_factory=dict)


class StationConfig(BaseModel):
    """How a station appears in OCPI; every field is optional (``None``: the default)."""

    location_id: str | None = None
    name: str | None = None
    address: str | None = None
    city: str | None = None
    postal_code: str | None = None
    country: str | None = None
    latitude: str | None = None
    longitude: str | None = None
    time_zone: str | None = None
    parking_type: str | None = None
    publish: bool = True
    #: Tariffs of every connector of the station unless an EVSE/connector names its own.
    tariff_ids: list[str] | None = None
    evses: dict[int, EvseConfig] = Field(default_factory=dict)


@dataclass
class EvseState:
    """What the bridge knows about an EVSE right now."""

    number: int
    #: Connector number → the station's own status word.
    connectors: dict[int, str] = field(default_factory=dict)
    last_updated: datetime | None = None


@dataclass
class StationState:
    """A station as the bridge tracks it: its OCPP version, EVSEs and whether it is silent."""

    charge_point_id: str
    version: str
    evses: dict[int, EvseState] = field(default_factory=dict)
    offline: bool = False
    #: Station-wide status (1.6 connector 0 / 2.x without EVSE) overriding every EVSE.
    station_status: str | None = None
    last_updated: datetime | None = None


_UNSAFE = re.compile(r"[^A-Za-z0-9]")


class StationMap:
    """Station configurations (edited by people) and states (reported by stations).

    Kept in memory and in the Locations the bridge writes: at start the bridge reads the
    configurations back from the stored Locations (:func:`config_from_location`); mappings it
    cannot tell from their Location are loaded with ``Bridge.configure`` at start-up.
    """

    def __init__(self, country_code: str = "", party_id: str = "") -> None:
        self.country_code = country_code
        self.party_id = party_id
        self.configs: dict[str, StationConfig] = {}
        self.states: dict[str, StationState] = {}

    # -- configuration ------------------------------------------------------------------------

    def config(self, charge_point_id: str) -> StationConfig:
        return self.configs.get(charge_point_id) or StationConfig()

    def set_config(self, charge_point_id: str, config: StationConfig) -> None:
        self.configs[charge_point_id] = config

    # -- identifiers --------------------------------------------------------------------------

    def location_id(self, charge_point_id: str) -> str:
        return self.config(charge_point_id).location_id or charge_point_id[:36]

    def evse_uid(self, charge_point_id: str, evse: int) -> str:
        own = self.config(charge_point_id).evses.get(evse)
        if own is not None and own.uid:
            return own.uid
        return f"{charge_point_id}-{evse}"[:36]

    def evse_id(self, charge_point_id: str, evse: int) -> str:
        own = self.config(charge_point_id).evses.get(evse)
        if own is not None and own.evse_id:
            return own.evse_id
        station = _UNSAFE.sub("", charge_point_id).upper() or "STATION"
        return f"{self.country_code}*{self.party_id}*E{station}*{evse}"[:48]

    def connector_id(self, charge_point_id: str, evse: int, connector: int) -> str:
        own = self.config(charge_point_id).evses.get(evse)
        if own is not None:
            item = own.connectors.get(connector)
            if item is not None and item.id:
                return item.id
        return str(connector)

    # -- reverse lookups ----------------------------------------------------------------------

    def station_of_location(self, location_id: str) -> str | None:
        for charge_point_id in self.states.keys() | self.configs.keys():
            if self.location_id(charge_point_id) == location_id:
                return charge_point_id
        return None

    def evse_number(self, charge_point_id: str, evse_uid: str) -> int | None:
        state = self.states.get(charge_point_id)
        numbers = set(self.config(charge_point_id).evses)
        if state is not None:
            numbers |= set(state.evses)
        for number in sorted(numbers):
            if self.evse_uid(charge_point_id, number) == evse_uid:
                return number
        return None

    def connector_number(self, charge_point_id: str, evse: int, connector_id: str) -> int | None:
        state = self.states.get(charge_point_id)
        numbers = set((self.config(charge_point_id).evses.get(evse) or EvseConfig()).connectors)
        if state is not None and evse in state.evses:
            numbers |= set(state.evses[evse].connectors)
        for number in sorted(numbers):
            if self.connector_id(charge_point_id, evse, number) == connector_id:
                return number
        return None


def _number(text: Any, prefix: str) -> int | None:
    """``n`` of ``{prefix}{n}``."""
    if isinstance(text, str) and text.startswith(prefix) and text[len(prefix) :].isdigit():
        return int(text[len(prefix) :])
    return None


def config_from_location(
    stations: StationMap,
    charge_point_id: str,
    location: Mapping[str, Any],
    settings: BridgeSettings,
    numbers: list[int] | None = None,
) -> StationConfig:
    """The mapping a stored Location says a station has (after a restart: the Location is the
    source of truth). Values equal to the defaults are left out, as if never edited.

    EVSE numbers come from a default uid (``{station}-{n}``) or EVSE ID (``...*E{station}*{n}``),
    else from the order of the EVSEs (the bridge writes them by number) against ``numbers``, the
    EVSE numbers the station reported; connector numbers from a numeric connector id, else the
    order. Tariffs shared by every connector become the station's; others stay on their
    connectors (an EVSE's own ``tariff_ids`` come back on its connectors).
    """
    defaults = StationMap(stations.country_code, stations.party_id)
    place = settings.default_location
    plug = settings.default_connector
    coordinates = location.get("coordinates") or {}

    def own(value: Any, default: Any) -> Any:
        return None if value is None or value == default else value

    evses: dict[int, EvseConfig] = {}
    uid_prefix = f"{charge_point_id}-"
    station = _UNSAFE.sub("", charge_point_id).upper() or "STATION"
    evse_id_prefix = f"{stations.country_code}*{stations.party_id}*E{station}*"
    spare = sorted(numbers or [])
    items = [e for e in location.get("evses") or [] if e.get("status") != "REMOVED"]
    for position, evse in enumerate(items):
        number = _number(evse.get("uid"), uid_prefix) or _number(
            evse.get("evse_id"), evse_id_prefix
        )
        if number is None:
            free = [n for n in spare if n not in evses]
            number = free[0] if free else max([*evses, *spare, position]) + 1
        connectors: dict[int, ConnectorConfig] = {}
        for index, connector in enumerate(evse.get("connectors") or [], start=1):
            text = str(connector.get("id") or index)
            m = int(text) if text.isdigit() else index
            connectors[m] = ConnectorConfig(
                id=own(text, str(m)),
                standard=own(connector.get("standard"), plug.standard),
                format=own(connector.get("format"), plug.format),
                power_type=own(connector.get("power_type"), plug.power_type),
                max_voltage=own(connector.get("max_voltage"), plug.max_voltage),
                max_amperage=own(connector.get("max_amperage"), plug.max_amperage),
                max_electric_power=own(
                    connector.get("max_electric_power"), plug.max_electric_power
                ),
                tariff_ids=list(connector.get("tariff_ids") or []) or None,
            )
        evses[number] = EvseConfig(
            uid=own(evse.get("uid"), defaults.evse_uid(charge_point_id, number)),
            evse_id=own(evse.get("evse_id"), defaults.evse_id(charge_point_id, number)),
            physical_reference=evse.get("physical_reference"),
            connectors=connectors,
        )
    # Tariffs every connector shares were (most likely) the station's: lifted back to it, so
    # a connector reported later gets them too.
    shared: list[str] | None = None
    every = [c.tariff_ids for e in evses.values() for c in e.connectors.values()]
    if every and every[0] and all(t == every[0] for t in every):
        shared = every[0]
        for evse_config in evses.values():
            for number, connector_config in list(evse_config.connectors.items()):
                evse_config.connectors[number] = connector_config.model_copy(
                    update={"tariff_ids": None}
                )
    for evse_config in evses.values():
        evse_config.connectors = {
            m: c for m, c in evse_config.connectors.items() if c != ConnectorConfig()
        }
    return StationConfig(
        location_id=own(location.get("id"), charge_point_id[:36]),
        tariff_ids=shared,
        name=own(location.get("name"), place.name),
        address=own(location.get("address"), place.address),
        city=own(location.get("city"), place.city),
        postal_code=own(location.get("postal_code"), place.postal_code),
        country=own(location.get("country"), place.country),
        latitude=own(coordinates.get("latitude"), place.latitude),
        longitude=own(coordinates.get("longitude"), place.longitude),
        time_zone=own(location.get("time_zone"), place.time_zone),
        parking_type=own(location.get("parking_type"), place.parking_type),
        publish=bool(location.get("publish", True)),
        evses={n: e for n, e in evses.items() if e != EvseConfig()},
    )
