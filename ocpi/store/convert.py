"""Converting OCPI objects between 2.1.1, 2.2.1 and 2.3.0.

The store keeps Locations (with EVSEs and Connectors), Sessions, CDRs, Tariffs and Tokens once, in
the **canonical version** :data:`CANONICAL` (2.3.0, the superset), and serves each partner the
version it speaks::

    doc = to_canonical(ModuleID.locations, location_211, "2.1.1", country_code="NL", party_id="CPO")
    location_221 = from_canonical(ModuleID.locations, doc, "2.2.1")

Conversions step one version at a time (2.1.1 ⇄ 2.2.1 ⇄ 2.3.0) on plain JSON dicts. Fields that
only one version has are dropped going down and left absent going up; what a 2.1.1 writer sent and
the newer versions cannot express is kept under :data:`STASH` inside the stored document and used
again when the object is served in 2.1.1 (it is never shown to a partner). Lossy points:

* 2.1.1 → 2.2.1: ``country_code``/``party_id`` come from the URL (or our settings); ``publish``
  becomes ``true``; a missing ``time_zone`` becomes ``"UTC"``; Location ``type`` maps to
  ``parking_type`` where a value exists; a Session/CDR ``auth_id`` becomes a ``cdr_token`` of type
  ``OTHER`` and its embedded ``location`` a ``location_id``/``evse_uid``/``connector_id``
  (Sessions) or a ``cdr_location`` (CDRs); numeric costs become prices without VAT.
* 2.2.1 → 2.1.1: token types 2.1.1 does not know become ``OTHER``; a Session's ``location`` is
  rebuilt from the stash (or a minimal one from the ids); prices lose their VAT part.
* 2.2.1 ⇄ 2.3.0: ``Price`` ``excl_vat``/``incl_vat`` ⇄ ``before_taxes``/``taxes`` (one ``VAT``
  tax holding the difference); Tariffs get ``tax_included: "NO"`` going up (2.2.1 prices exclude
  VAT); values of 2.3.0 open enums that 2.2.1 lacks are dropped from lists (token types become
  ``OTHER``).

Modules without converters (commands, charging profiles, hub client info, payments, bookings,
credentials) are stored in the version they were written in and served as stored.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Collection
from typing import Any

from ocpi.core.enums import ModuleID
from ocpi.modules.versions.enums import VersionNumber

__all__ = [
    "CANONICAL",
    "CONVERTED_MODULES",
    "STASH",
    "convert",
    "from_canonical",
    "to_canonical",
]

#: The version documents of converted modules are stored in.
CANONICAL = VersionNumber.v_2_3_0.value
#: Key of the stored document holding what a 2.1.1 writer sent that newer versions cannot carry.
STASH = "_ocpi_2_1_1"
CONVERTED_MODULES = frozenset(
    {ModuleID.locations, ModuleID.sessions, ModuleID.cdrs, ModuleID.tariffs, ModuleID.tokens}
)
_ORDER = ("2.1.1", "2.2.1", "2.3.0")

Doc = dict[str, Any]

# -- enum values that only some versions know --------------------------------------------------

_TOKEN_TYPES = {
    "2.1.1": {"RFID", "OTHER"},
    "2.2.1": {"AD_HOC_USER", "APP_USER", "OTHER", "RFID"},
}
_CAPABILITIES_211 = {
    "CHARGING_PROFILE_CAPABLE",
    "CREDIT_CARD_PAYABLE",
    "REMOTE_START_STOP_CAPABLE",
    "RESERVABLE",
    "RFID_READER",
    "UNLOCK_CAPABLE",
}
_FACILITIES_211 = {
    "HOTEL",
    "RESTAURANT",
    "CAFE",
    "MALL",
    "SUPERMARKET",
    "SPORT",
    "RECREATION_AREA",
    "NATURE",
    "MUSEUM",
    "BUS_STOP",
    "TAXI_STAND",
    "TRAIN_STATION",
    "AIRPORT",
    "CARPOOL_PARKING",
    "FUEL_STATION",
    "WIFI",
}
_FACILITIES_221 = _FACILITIES_211 | {
    "BIKE_SHARING",
    "TRAM_STOP",
    "METRO_STATION",
    "PARKING_LOT",
}
_PARKING_RESTRICTIONS_221 = {"EV_ONLY", "PLUGGED", "DISABLED", "CUSTOMERS", "MOTORCYCLES"}
_DIMENSIONS_211 = {"ENERGY", "FLAT", "MAX_CURRENT", "MIN_CURRENT", "PARKING_TIME", "TIME"}
_DIMENSIONS_230_ONLY = {"RESERVATION_EXPIRES", "RESERVATION_OVERTIME"}
_AUTH_METHODS_211 = {"AUTH_REQUEST", "WHITELIST"}
_SESSION_STATUS_211 = {"ACTIVE", "COMPLETED", "INVALID", "PENDING"}
_LOCATION_TYPE_TO_PARKING = {
    "ON_STREET": "ON_STREET",
    "PARKING_GARAGE": "PARKING_GARAGE",
    "UNDERGROUND_GARAGE": "UNDERGROUND_GARAGE",
    "PARKING_LOT": "PARKING_LOT",
}
_PARKING_TO_LOCATION_TYPE = {
    "ON_STREET": "ON_STREET",
    "PARKING_GARAGE": "PARKING_GARAGE",
    "UNDERGROUND_GARAGE": "UNDERGROUND_GARAGE",
    "PARKING_LOT": "PARKING_LOT",
    "ALONG_MOTORWAY": "OTHER",
    "ON_DRIVEWAY": "OTHER",
}
_RESERVATION_221 = {"RESERVATION", "RESERVATION_EXPIRES"}


def _keep(values: Any, allowed: set[str]) -> Any:
    if not isinstance(values, list):
        return values
    return [value for value in values if value in allowed]


def _set_or_drop(doc: Doc, key: str, value: Any) -> None:
    if value is None or value == []:
        doc.pop(key, None)
    else:
        doc[key] = value


def _rename(doc: Doc, old: str, new: str) -> None:
    if old in doc:
        doc[new] = doc.pop(old)


def _drop(doc: Doc, *keys: str) -> None:
    for key in keys:
        doc.pop(key, None)


# -- prices -----------------------------------------------------------------------------------


def _price_221_to_230(price: Any) -> Any:
    if not isinstance(price, dict):
        return price
    result: Doc = {"before_taxes": price.get("excl_vat", 0)}
    incl = price.get("incl_vat")
    if incl is not None:
        result["taxes"] = [{"name": "VAT", "amount": round(incl - result["before_taxes"], 6)}]
    return result


def _price_230_to_221(price: Any) -> Any:
    if not isinstance(price, dict):
        return price
    before = price.get("before_taxes", 0)
    result: Doc = {"excl_vat": before}
    taxes = price.get("taxes")
    if taxes:
        result["incl_vat"] = round(before + sum(t.get("amount", 0) for t in taxes), 6)
    return result


def _limit_221_to_230(price: Any) -> Any:
    if not isinstance(price, dict):
        return price
    result: Doc = {"before_taxes": price.get("excl_vat", 0)}
    if price.get("incl_vat") is not None:
        result["after_taxes"] = price["incl_vat"]
    return result


def _limit_230_to_221(price: Any) -> Any:
    if not isinstance(price, dict):
        return price
    result: Doc = {"excl_vat": price.get("before_taxes", 0)}
    if price.get("after_taxes") is not None:
        result["incl_vat"] = price["after_taxes"]
    return result


def _price_to_number(price: Any) -> Any:
    if isinstance(price, dict):
        return price.get("excl_vat", 0)
    return price


# -- locations --------------------------------------------------------------------------------


def _energy_mix(mix: Any, old: str, new: str) -> Any:
    if isinstance(mix, dict):
        for impact in mix.get("environ_impact") or []:
            _rename(impact, old, new)
    return mix


def _connector_up_211(connector: Doc) -> None:
    _rename(connector, "voltage", "max_voltage")
    _rename(connector, "amperage", "max_amperage")
    tariff_id = connector.pop("tariff_id", None)
    if tariff_id is not None:
        connector["tariff_ids"] = [tariff_id]


def _connector_down_211(connector: Doc) -> None:
    _rename(connector, "max_voltage", "voltage")
    _rename(connector, "max_amperage", "amperage")
    tariff_ids = connector.pop("tariff_ids", None)
    if tariff_ids:
        connector["tariff_id"] = tariff_ids[0]
    _drop(connector, "max_electric_power")


def _location_up_211(doc: Doc, cc: str, pid: str, stash: Doc) -> Doc:
    doc.setdefault("country_code", cc)
    doc.setdefault("party_id", pid)
    doc.setdefault("publish", True)
    if "time_zone" not in doc:
        stash["time_zone"] = None
        doc["time_zone"] = "UTC"
    location_type = doc.pop("type", None)
    if location_type is not None:
        stash["type"] = location_type
        if location_type in _LOCATION_TYPE_TO_PARKING:
            doc["parking_type"] = _LOCATION_TYPE_TO_PARKING[location_type]
    hours = doc.get("opening_times")
    if isinstance(hours, dict) and "twentyfourseven" not in hours:
        hours["twentyfourseven"] = False
    _energy_mix(doc.get("energy_mix"), "source", "category")
    for evse in doc.get("evses") or []:
        for connector in evse.get("connectors") or []:
            _connector_up_211(connector)
    return doc


def _location_down_211(doc: Doc, stash: Doc) -> Doc:
    _drop(doc, "country_code", "party_id", "publish", "publish_allowed_to", "state")
    parking_type = doc.pop("parking_type", None)
    doc["type"] = stash.get("type") or _PARKING_TO_LOCATION_TYPE.get(parking_type or "", "UNKNOWN")
    doc.setdefault("postal_code", "")
    if "time_zone" in stash and stash["time_zone"] is None and doc.get("time_zone") == "UTC":
        doc.pop("time_zone")
    _set_or_drop(doc, "facilities", _keep(doc.get("facilities"), _FACILITIES_211))
    _energy_mix(doc.get("energy_mix"), "category", "source")
    for evse in doc.get("evses") or []:
        _set_or_drop(evse, "capabilities", _keep(evse.get("capabilities"), _CAPABILITIES_211))
        for connector in evse.get("connectors") or []:
            _connector_down_211(connector)
    return doc


def _location_down_221(doc: Doc) -> Doc:
    _drop(doc, "parking_places", "help_phone")
    _set_or_drop(doc, "facilities", _keep(doc.get("facilities"), _FACILITIES_221))
    for evse in doc.get("evses") or []:
        _drop(evse, "parking", "accepted_service_providers")
        _set_or_drop(
            evse,
            "parking_restrictions",
            _keep(evse.get("parking_restrictions"), _PARKING_RESTRICTIONS_221),
        )
        for connector in evse.get("connectors") or []:
            _drop(connector, "capabilities")
    for publish in doc.get("publish_allowed_to") or []:
        if publish.get("type") not in _TOKEN_TYPES["2.2.1"]:
            publish.pop("type", None)
    return doc


# -- tokens -----------------------------------------------------------------------------------


def _token_up_211(doc: Doc, cc: str, pid: str, stash: Doc) -> Doc:
    doc.setdefault("country_code", cc)
    doc.setdefault("party_id", pid)
    _rename(doc, "auth_id", "contract_id")
    return doc


def _token_down_211(doc: Doc, stash: Doc) -> Doc:
    _drop(doc, "country_code", "party_id", "group_id", "default_profile_type", "energy_contract")
    _rename(doc, "contract_id", "auth_id")
    if doc.get("type") not in _TOKEN_TYPES["2.1.1"]:
        doc["type"] = "OTHER"
    return doc


def _token_down_221(doc: Doc) -> Doc:
    if doc.get("type") not in _TOKEN_TYPES["2.2.1"]:
        doc["type"] = "OTHER"
    return doc


# -- tariffs ----------------------------------------------------------------------------------


def _tariff_up_211(doc: Doc, cc: str, pid: str, stash: Doc) -> Doc:
    doc.setdefault("country_code", cc)
    doc.setdefault("party_id", pid)
    _energy_mix(doc.get("energy_mix"), "source", "category")
    return doc


def _tariff_down_211(doc: Doc, stash: Doc) -> Doc:
    _drop(
        doc,
        "country_code",
        "party_id",
        "type",
        "start_date_time",
        "end_date_time",
        "min_price",
        "max_price",
    )
    _energy_mix(doc.get("energy_mix"), "category", "source")
    for element in doc.get("elements") or []:
        for component in element.get("price_components") or []:
            component.pop("vat", None)
        restrictions = element.get("restrictions")
        if isinstance(restrictions, dict):
            _drop(restrictions, "min_current", "max_current", "reservation")
    return doc


def _tariff_up_221(doc: Doc) -> Doc:
    for key in ("min_price", "max_price"):
        if key in doc:
            doc[key] = _limit_221_to_230(doc[key])
    doc.setdefault("tax_included", "NO")
    return doc


def _tariff_down_221(doc: Doc) -> Doc:
    for key in ("min_price", "max_price"):
        if key in doc:
            doc[key] = _limit_230_to_221(doc[key])
    _drop(doc, "tax_included", "preauthorize_amount")
    for element in doc.get("elements") or []:
        restrictions = element.get("restrictions")
        if isinstance(restrictions, dict) and restrictions.get("reservation") not in (
            None,
            *_RESERVATION_221,
        ):
            restrictions.pop("reservation")
    return doc


# -- sessions and CDRs ------------------------------------------------------------------------

_COSTS = (
    "total_cost",
    "total_fixed_cost",
    "total_energy_cost",
    "total_time_cost",
    "total_parking_cost",
    "total_reservation_cost",
)


def _periods(periods: Any, allowed: Collection[str] | None, removed: Collection[str] = ()) -> Any:
    if not isinstance(periods, list):
        return periods
    result = []
    for period in periods:
        dimensions = [
            d
            for d in period.get("dimensions") or []
            if (allowed is None or d.get("type") in allowed) and d.get("type") not in removed
        ]
        if dimensions:
            result.append({**period, "dimensions": dimensions})
    return result


def _token_from_auth_id(auth_id: str, cc: str, pid: str) -> Doc:
    return {
        "country_code": cc,
        "party_id": pid,
        "uid": auth_id,
        "type": "OTHER",
        "contract_id": auth_id,
    }


def _first_evse_connector(location: Doc) -> tuple[Doc, Doc]:
    evses = location.get("evses") or [{}]
    connectors = evses[0].get("connectors") or [{}]
    return evses[0], connectors[0]


def _session_up_211(doc: Doc, cc: str, pid: str, stash: Doc) -> Doc:
    doc.setdefault("country_code", cc)
    doc.setdefault("party_id", pid)
    _rename(doc, "start_datetime", "start_date_time")
    _rename(doc, "end_datetime", "end_date_time")
    auth_id = doc.pop("auth_id", "")
    stash["auth_id"] = auth_id
    doc["cdr_token"] = _token_from_auth_id(auth_id, cc, pid)
    location = doc.pop("location", None) or {}
    stash["location"] = copy.deepcopy(location)
    evse, connector = _first_evse_connector(location)
    doc["location_id"] = location.get("id", "#NA")
    doc["evse_uid"] = evse.get("uid", "#NA")
    doc["connector_id"] = connector.get("id", "#NA")
    if doc.get("total_cost") is not None:
        doc["total_cost"] = {"excl_vat": doc["total_cost"]}
    return doc


def _minimal_location_211(doc: Doc, evse_uid: str | None, connector_id: str | None) -> Doc:
    """A 2.1.1 Location for a Session/CDR whose original location is unknown (ids only)."""
    location: Doc = {
        "id": doc.get("location_id") or "#NA",
        "type": "UNKNOWN",
        "address": "",
        "city": "",
        "postal_code": "",
        "country": "",
        "coordinates": {"latitude": "0", "longitude": "0"},
        "last_updated": doc.get("last_updated"),
    }
    if evse_uid:
        location["evses"] = [
            {
                "uid": evse_uid,
                "status": "UNKNOWN",
                "connectors": [
                    {
                        "id": connector_id or "#NA",
                        "standard": "IEC_62196_T2",
                        "format": "SOCKET",
                        "power_type": "AC_3_PHASE",
                        "voltage": 0,
                        "amperage": 0,
                        "last_updated": doc.get("last_updated"),
                    }
                ],
                "last_updated": doc.get("last_updated"),
            }
        ]
    return location


def _session_down_211(doc: Doc, stash: Doc) -> Doc:
    token = doc.pop("cdr_token", None) or {}
    _drop(doc, "country_code", "party_id", "authorization_reference")
    _rename(doc, "start_date_time", "start_datetime")
    _rename(doc, "end_date_time", "end_datetime")
    doc["auth_id"] = stash.get("auth_id") or token.get("contract_id") or token.get("uid", "")
    location_id = doc.pop("location_id", None)
    evse_uid = doc.pop("evse_uid", None)
    connector_id = doc.pop("connector_id", None)
    stashed = stash.get("location")
    if isinstance(stashed, dict) and stashed.get("id") == location_id:
        doc["location"] = stashed
    else:
        doc["location"] = _minimal_location_211(
            {"location_id": location_id, "last_updated": doc.get("last_updated")},
            evse_uid,
            connector_id,
        )
    if doc.get("auth_method") not in _AUTH_METHODS_211:
        doc["auth_method"] = "AUTH_REQUEST"
    if doc.get("status") not in _SESSION_STATUS_211:
        doc["status"] = "PENDING"
    if "total_cost" in doc:
        doc["total_cost"] = _price_to_number(doc["total_cost"])
    _set_or_drop(doc, "charging_periods", _periods(doc.get("charging_periods"), _DIMENSIONS_211))
    return doc


def _cdr_up_211(doc: Doc, cc: str, pid: str, stash: Doc) -> Doc:
    doc.setdefault("country_code", cc)
    doc.setdefault("party_id", pid)
    _rename(doc, "stop_date_time", "end_date_time")
    auth_id = doc.pop("auth_id", "")
    stash["auth_id"] = auth_id
    doc["cdr_token"] = _token_from_auth_id(auth_id, cc, pid)
    location = doc.pop("location", None) or {}
    stash["location"] = copy.deepcopy(location)
    evse, connector = _first_evse_connector(location)
    cdr_location: Doc = {
        key: location[key]
        for key in ("id", "name", "address", "city", "postal_code", "country", "coordinates")
        if key in location
    }
    cdr_location.update(
        evse_uid=evse.get("uid", "#NA"),
        evse_id=evse.get("evse_id") or evse.get("uid", "#NA"),
        connector_id=connector.get("id", "#NA"),
        connector_standard=connector.get("standard", "IEC_62196_T2"),
        connector_format=connector.get("format", "SOCKET"),
        connector_power_type=connector.get("power_type", "AC_3_PHASE"),
    )
    doc["cdr_location"] = cdr_location
    doc["total_cost"] = {"excl_vat": doc.get("total_cost", 0)}
    if doc.get("tariffs"):
        doc["tariffs"] = [_tariff_up_211(t, cc, pid, {}) for t in doc["tariffs"]]
    return doc


def _cdr_down_211(doc: Doc, stash: Doc) -> Doc:
    token = doc.pop("cdr_token", None) or {}
    _rename(doc, "end_date_time", "stop_date_time")
    doc["auth_id"] = stash.get("auth_id") or token.get("contract_id") or token.get("uid", "")
    cdr_location = doc.pop("cdr_location", None) or {}
    stashed = stash.get("location")
    if isinstance(stashed, dict) and stashed.get("id") == cdr_location.get("id"):
        doc["location"] = stashed
    else:
        location = _minimal_location_211(
            {"location_id": cdr_location.get("id"), "last_updated": doc.get("last_updated")},
            cdr_location.get("evse_uid"),
            cdr_location.get("connector_id"),
        )
        for key in ("name", "address", "city", "postal_code", "country", "coordinates"):
            if key in cdr_location:
                location[key] = cdr_location[key]
        if location.get("evses"):
            evse = location["evses"][0]
            evse["evse_id"] = cdr_location.get("evse_id")
            connector = evse["connectors"][0]
            connector["standard"] = cdr_location.get("connector_standard", connector["standard"])
            connector["format"] = cdr_location.get("connector_format", connector["format"])
            connector["power_type"] = cdr_location.get(
                "connector_power_type", connector["power_type"]
            )
        doc["location"] = location
    _drop(
        doc,
        "country_code",
        "party_id",
        "session_id",
        "authorization_reference",
        "signed_data",
        "invoice_reference_id",
        "credit",
        "credit_reference_id",
        "home_charging_compensation",
        *_COSTS[1:],
    )
    doc["total_cost"] = _price_to_number(doc.get("total_cost", 0))
    if doc.get("auth_method") not in _AUTH_METHODS_211:
        doc["auth_method"] = "AUTH_REQUEST"
    doc["charging_periods"] = _periods(doc.get("charging_periods"), _DIMENSIONS_211) or []
    for period in doc["charging_periods"]:
        period.pop("tariff_id", None)
    if doc.get("tariffs"):
        doc["tariffs"] = [_tariff_down_211(t, {}) for t in doc["tariffs"]]
    return doc


def _costs(doc: Doc, convert_price: Callable[[Any], Any]) -> None:
    for key in _COSTS:
        if key in doc and doc[key] is not None:
            doc[key] = convert_price(doc[key])


def _session_up_221(doc: Doc) -> Doc:
    _costs(doc, _price_221_to_230)
    return doc


def _session_down_221(doc: Doc) -> Doc:
    _costs(doc, _price_230_to_221)
    token = doc.get("cdr_token")
    if isinstance(token, dict) and token.get("type") not in _TOKEN_TYPES["2.2.1"]:
        token["type"] = "OTHER"
    _set_or_drop(
        doc,
        "charging_periods",
        _periods(doc.get("charging_periods"), None, _DIMENSIONS_230_ONLY),
    )
    return doc


def _cdr_up_221(doc: Doc) -> Doc:
    _costs(doc, _price_221_to_230)
    if doc.get("tariffs"):
        doc["tariffs"] = [_tariff_up_221(t) for t in doc["tariffs"]]
    return doc


def _cdr_down_221(doc: Doc) -> Doc:
    _session_down_221(doc)
    doc.pop("booking_id", None)
    doc["charging_periods"] = doc.get("charging_periods") or []
    if doc.get("tariffs"):
        doc["tariffs"] = [_tariff_down_221(t) for t in doc["tariffs"]]
    return doc


# -- the chain --------------------------------------------------------------------------------

Up211 = Callable[[Doc, str, str, Doc], Doc]
Down211 = Callable[[Doc, Doc], Doc]
Step = Callable[[Doc], Doc]


def _same(doc: Doc) -> Doc:
    return doc


_UP_211: dict[ModuleID, Up211] = {
    ModuleID.locations: _location_up_211,
    ModuleID.tokens: _token_up_211,
    ModuleID.tariffs: _tariff_up_211,
    ModuleID.sessions: _session_up_211,
    ModuleID.cdrs: _cdr_up_211,
}
_DOWN_211: dict[ModuleID, Down211] = {
    ModuleID.locations: _location_down_211,
    ModuleID.tokens: _token_down_211,
    ModuleID.tariffs: _tariff_down_211,
    ModuleID.sessions: _session_down_211,
    ModuleID.cdrs: _cdr_down_211,
}
_UP_221: dict[ModuleID, Step] = {
    ModuleID.locations: _same,
    ModuleID.tokens: _same,
    ModuleID.tariffs: _tariff_up_221,
    ModuleID.sessions: _session_up_221,
    ModuleID.cdrs: _cdr_up_221,
}
_DOWN_221: dict[ModuleID, Step] = {
    ModuleID.locations: _location_down_221,
    ModuleID.tokens: _token_down_221,
    ModuleID.tariffs: _tariff_down_221,
    ModuleID.sessions: _session_down_221,
    ModuleID.cdrs: _cdr_down_221,
}


def _version(value: VersionNumber | str) -> str:
    text = value.value if isinstance(value, VersionNumber) else str(value)
    if text not in _ORDER:
        raise ValueError(f"unsupported OCPI version {text!r}")
    return text


def convert(
    module: ModuleID,
    data: Doc,
    source: VersionNumber | str,
    target: VersionNumber | str,
    *,
    country_code: str = "",
    party_id: str = "",
) -> Doc:
    """Convert one object of ``module`` from ``source`` to ``target`` version (a new dict).

    ``country_code``/``party_id`` fill the fields 2.1.1 objects lack when converting up.
    Modules without converters are returned unchanged (copied).
    """
    doc = copy.deepcopy(data)
    if module not in CONVERTED_MODULES:
        return doc
    start, end = _ORDER.index(_version(source)), _ORDER.index(_version(target))
    stash: Doc = doc.pop(STASH, None) or {}
    index = start
    while index < end:
        if index == 0:
            fresh: Doc = {}
            doc = _UP_211[module](doc, country_code, party_id, fresh)
            stash = fresh
        else:
            doc = _UP_221[module](doc)
        index += 1
    while index > end:
        if index == 2:
            doc = _DOWN_221[module](doc)
        else:
            doc = _DOWN_211[module](doc, stash)
            stash = {}
        index -= 1
    if stash and end > 0:
        doc[STASH] = stash
    return doc


def to_canonical(
    module: ModuleID,
    data: Doc,
    version: VersionNumber | str,
    *,
    country_code: str = "",
    party_id: str = "",
) -> Doc:
    """``data`` (written in ``version``) as stored: converted to :data:`CANONICAL`."""
    if _version(version) != CANONICAL:
        data = {key: value for key, value in data.items() if key != STASH}
    return convert(module, data, version, CANONICAL, country_code=country_code, party_id=party_id)


def from_canonical(module: ModuleID, doc: Doc, version: VersionNumber | str) -> Doc:
    """A stored document of ``module`` in ``version`` (the stash never leaves the store)."""
    result = convert(module, doc, CANONICAL, version)
    result.pop(STASH, None)
    return result
