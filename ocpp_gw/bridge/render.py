"""OCPI documents the bridge builds, one shape per version, validated before they leave.

The Location written to the store is a *superset* valid in every version (2.2.1 fields plus the
2.1.1 ``type``/``voltage``/``amperage``/``tariff_id``), so the CPO's Sender serves it to partners
of any version; pushes are cut to the partner's version with :func:`location_for`. Sessions and
CDRs differ too much between versions (2.1.1 ``total_cost`` is a number, 2.2.1 a ``Price``) and
are built per version from a :class:`SessionRecord`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ocpi.core.data_types import format_datetime
from ocpi.core.utils import get_module_model, version_module_name
from ocpp_gw.bridge.mapping import StationMap
from ocpp_gw.bridge.settings import BridgeSettings
from ocpp_gw.bridge.tables import evse_status

__all__ = [
    "SessionRecord",
    "TokenRef",
    "cdr_for",
    "evse_for",
    "location_document",
    "location_for",
    "session_for",
    "validated",
]

_ONLY_211_LOCATION = ("type",)
_ONLY_22X_LOCATION = ("country_code", "party_id", "publish", "parking_type", "state")
_ONLY_211_CONNECTOR = ("voltage", "amperage", "tariff_id")
_ONLY_22X_CONNECTOR = ("max_voltage", "max_amperage", "max_electric_power", "tariff_ids")


def validated(module: str, class_name: str, version: str, document: Mapping[str, Any]) -> Any:
    """``document`` checked against the version's model and dumped back (strict out).

    Raises ``pydantic.ValidationError`` when the document is not valid in ``version``.
    """
    model = get_module_model(class_name, module, version_module_name(version))
    return model.model_validate(dict(document)).model_dump(mode="json", exclude_none=True)


def _stamp(value: datetime) -> str:
    return format_datetime(value)


def location_document(
    stations: StationMap, charge_point_id: str, settings: BridgeSettings, now: datetime
) -> dict[str, Any]:
    """The station's Location as stored (valid in 2.1.1, 2.2.1 and 2.3.0)."""
    config = stations.config(charge_point_id)
    defaults = settings.default_location
    state = stations.states.get(charge_point_id)
    stamp = _stamp(now)
    evses = []
    for number in sorted(state.evses if state else ()):
        evses.append(evse_document(stations, charge_point_id, number, settings, now))
    document: dict[str, Any] = {
        "country_code": stations.country_code,
        "party_id": stations.party_id,
        "id": stations.location_id(charge_point_id),
        "publish": config.publish,
        "type": defaults.location_type,
        "address": config.address or defaults.address,
        "city": config.city or defaults.city,
        "postal_code": config.postal_code or defaults.postal_code,
        "country": config.country or defaults.country,
        "coordinates": {
            "latitude": config.latitude or defaults.latitude,
            "longitude": config.longitude or defaults.longitude,
        },
        "time_zone": config.time_zone or defaults.time_zone,
        "evses": evses,
        "last_updated": stamp,
    }
    name = config.name or defaults.name
    if name:
        document["name"] = name
    parking_type = config.parking_type or defaults.parking_type
    if parking_type:
        document["parking_type"] = parking_type
    return document


def evse_status_of(stations: StationMap, charge_point_id: str, number: int, offline: str) -> str:
    """The OCPI status of EVSE ``number`` now (``offline`` while the station is silent)."""
    state = stations.states.get(charge_point_id)
    if state is None or number not in state.evses:
        return "UNKNOWN"
    if state.offline:
        return offline
    if state.station_status in ("Unavailable", "Faulted"):
        return evse_status(state.version, [state.station_status])
    return evse_status(state.version, state.evses[number].connectors.values())


def evse_document(
    stations: StationMap,
    charge_point_id: str,
    number: int,
    settings: BridgeSettings,
    now: datetime,
) -> dict[str, Any]:
    config = stations.config(charge_point_id)
    own = config.evses.get(number)
    state = stations.states[charge_point_id]
    evse = state.evses[number]
    updated = _stamp(evse.last_updated or now)
    connectors = []
    for connector in sorted(evse.connectors or {1: "Available"}):
        connectors.append(
            connector_document(stations, charge_point_id, number, connector, settings, updated)
        )
    document: dict[str, Any] = {
        "uid": stations.evse_uid(charge_point_id, number),
        "evse_id": stations.evse_id(charge_point_id, number),
        "status": evse_status_of(stations, charge_point_id, number, settings.offline_status),
        "capabilities": ["REMOTE_START_STOP_CAPABLE", "RESERVABLE", "UNLOCK_CAPABLE"],
        "connectors": connectors,
        "last_updated": updated,
    }
    if own is not None and own.physical_reference:
        document["physical_reference"] = own.physical_reference
    return document


def connector_document(
    stations: StationMap,
    charge_point_id: str,
    evse: int,
    connector: int,
    settings: BridgeSettings,
    last_updated: str,
) -> dict[str, Any]:
    config = stations.config(charge_point_id)
    own_evse = config.evses.get(evse)
    own = own_evse.connectors.get(connector) if own_evse is not None else None
    defaults = settings.default_connector
    tariff_ids = (
        (own.tariff_ids if own else None)
        or (own_evse.tariff_ids if own_evse else None)
        or config.tariff_ids
    )
    voltage = (own.max_voltage if own else None) or defaults.max_voltage
    amperage = (own.max_amperage if own else None) or defaults.max_amperage
    document: dict[str, Any] = {
        "id": stations.connector_id(charge_point_id, evse, connector),
        "standard": (own.standard if own else None) or defaults.standard,
        "format": (own.format if own else None) or defaults.format,
        "power_type": (own.power_type if own else None) or defaults.power_type,
        "max_voltage": voltage,
        "max_amperage": amperage,
        "voltage": voltage,
        "amperage": amperage,
        "last_updated": last_updated,
    }
    power = (own.max_electric_power if own else None) or defaults.max_electric_power
    if power:
        document["max_electric_power"] = power
    if tariff_ids:
        document["tariff_ids"] = list(tariff_ids)
        document["tariff_id"] = tariff_ids[0]
    return document


def _strip(document: Mapping[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key not in names}


def evse_for(evse: Mapping[str, Any], version: str) -> dict[str, Any]:
    """An EVSE of the stored Location in ``version``'s shape (validated)."""
    drop = _ONLY_22X_CONNECTOR if version == "2.1.1" else _ONLY_211_CONNECTOR
    document = dict(evse)
    document["connectors"] = [_strip(c, drop) for c in evse.get("connectors", [])]
    result: dict[str, Any] = validated("locations", "EVSE", version, document)
    return result


def location_for(location: Mapping[str, Any], version: str) -> dict[str, Any]:
    """The stored Location in ``version``'s shape (validated)."""
    drop = _ONLY_22X_LOCATION if version == "2.1.1" else _ONLY_211_LOCATION
    document = _strip(location, drop)
    document["evses"] = [evse_for(evse, version) for evse in location.get("evses") or []]
    result: dict[str, Any] = validated("locations", "Location", version, document)
    return result


@dataclass(frozen=True)
class TokenRef:
    """The token a session is charged to, whichever version it was pushed in."""

    uid: str
    type: str
    contract_id: str
    country_code: str
    party_id: str


@dataclass
class SessionRecord:
    """Everything needed to render a Session or CDR in any version."""

    id: str
    charge_point_id: str
    transaction_id: str
    token: TokenRef
    auth_method: str
    location: dict[str, Any]
    evse_uid: str
    connector_id: str
    start: datetime
    currency: str
    authorization_reference: str | None = None
    end: datetime | None = None
    kwh: float = 0.0
    status: str = "ACTIVE"
    last_updated: datetime | None = None
    #: Partner key of the eMSP receiving it.
    partner_key: str | None = None
    partner_version: str | None = None
    meter_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def evse(self) -> dict[str, Any]:
        for evse in self.location.get("evses") or []:
            if evse.get("uid") == self.evse_uid:
                found: dict[str, Any] = evse
                return found
        raise LookupError(f"EVSE {self.evse_uid} is not in location {self.location.get('id')}")

    def connector(self) -> dict[str, Any]:
        for connector in self.evse().get("connectors", []):
            if connector.get("id") == self.connector_id:
                found: dict[str, Any] = connector
                return found
        raise LookupError(f"connector {self.connector_id} is not in EVSE {self.evse_uid}")


def _location_211(record: SessionRecord) -> dict[str, Any]:
    """2.1.1 sessions and CDRs embed the location with only the EVSE and connector used."""
    evse = dict(record.evse())
    evse["connectors"] = [record.connector()]
    location = dict(record.location)
    location["evses"] = [evse]
    return location_for(location, "2.1.1")


def session_for(
    record: SessionRecord, version: str, costs: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The Session in ``version``'s shape; ``costs`` from ``TariffResult.session_fields()``."""
    stamp = _stamp(record.last_updated or record.start)
    document: dict[str, Any] = {
        "id": record.id,
        "kwh": record.kwh,
        "auth_method": record.auth_method,
        "currency": record.currency,
        "status": record.status,
        "last_updated": stamp,
    }
    if record.meter_id:
        document["meter_id"] = record.meter_id
    if costs:
        document.update({k: v for k, v in costs.items() if k != "kwh"})
        document["currency"] = costs.get("currency", record.currency)
    if version == "2.1.1":
        document["auth_method"] = _auth_method_211(record.auth_method)
        document["start_datetime"] = _stamp(record.start)
        if record.end is not None:
            document["end_datetime"] = _stamp(record.end)
        document["auth_id"] = record.token.contract_id
        document["location"] = _location_211(record)
    else:
        document["country_code"] = record.location["country_code"]
        document["party_id"] = record.location["party_id"]
        document["start_date_time"] = _stamp(record.start)
        if record.end is not None:
            document["end_date_time"] = _stamp(record.end)
        document["cdr_token"] = _cdr_token(record.token)
        if record.authorization_reference:
            document["authorization_reference"] = record.authorization_reference
        document["location_id"] = record.location["id"]
        document["evse_uid"] = record.evse_uid
        document["connector_id"] = record.connector_id
    result: dict[str, Any] = validated("sessions", "Session", version, document)
    return result


def _auth_method_211(method: str) -> str:
    # 2.1.1 has no COMMAND: a remote start is authorized by the eMSP that sent it.
    return "AUTH_REQUEST" if method == "COMMAND" else method


def _cdr_token(token: TokenRef) -> dict[str, Any]:
    return {
        "country_code": token.country_code,
        "party_id": token.party_id,
        "uid": token.uid,
        "type": token.type,
        "contract_id": token.contract_id,
    }


def cdr_for(record: SessionRecord, version: str, costs: Mapping[str, Any]) -> dict[str, Any]:
    """The CDR in ``version``'s shape; ``costs`` from ``TariffResult.cdr_fields()``."""
    assert record.end is not None, "a CDR needs the end of the session"
    document: dict[str, Any] = {
        "id": record.id,
        "start_date_time": _stamp(record.start),
        "auth_method": record.auth_method,
        "last_updated": _stamp(record.last_updated or record.end),
        **costs,
    }
    if not document.get("charging_periods"):
        # A session without energy or time still has its start as one (empty) period.
        document["charging_periods"] = [
            {
                "start_date_time": _stamp(record.start),
                "dimensions": [{"type": "ENERGY", "volume": 0}],
            }
        ]
    if record.meter_id:
        document["meter_id"] = record.meter_id
    if version == "2.1.1":
        document["auth_method"] = _auth_method_211(record.auth_method)
        document["stop_date_time"] = _stamp(record.end)
        document["auth_id"] = record.token.contract_id
        document["location"] = _location_211(record)
    else:
        evse, connector = record.evse(), record.connector()
        location = record.location
        document["country_code"] = location["country_code"]
        document["party_id"] = location["party_id"]
        document["end_date_time"] = _stamp(record.end)
        document["session_id"] = record.id
        document["cdr_token"] = _cdr_token(record.token)
        if record.authorization_reference:
            document["authorization_reference"] = record.authorization_reference
        cdr_location: dict[str, Any] = {
            "id": location["id"],
            "address": location["address"],
            "city": location["city"],
            "country": location["country"],
            "coordinates": location["coordinates"],
            "evse_uid": record.evse_uid,
            "evse_id": evse.get("evse_id") or record.evse_uid,
            "connector_id": record.connector_id,
            "connector_standard": connector["standard"],
            "connector_format": connector["format"],
            "connector_power_type": connector["power_type"],
        }
        for optional in ("name", "postal_code"):
            if location.get(optional):
                cdr_location[optional] = location[optional]
        document["cdr_location"] = cdr_location
    result: dict[str, Any] = validated("cdrs", "CDR", version, document)
    return result
