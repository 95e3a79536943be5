"""Schemas of locations, tariffs, sessions and CDRs in OCPI 2.1.1, 2.2.1 and 2.3.0.

Every spec example of these modules is validated against our models (2.2.1 / 2.3.0 example files,
2.1.1 JSON blocks of the Markdown spec). Examples that the spec itself gets wrong are listed in
``KNOWN_BAD_EXAMPLES`` with the reason, and the test checks they really fail, so a fixed spec or a
too lenient model shows up.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from types import ModuleType, UnionType
from typing import Annotated, Any, Union, get_args, get_origin

import pytest
from pydantic import BaseModel, ValidationError

from ocpi.core.data_types import DisplayText
from ocpi.modules.cdrs.v_2_1_1 import schemas as cdrs_211
from ocpi.modules.cdrs.v_2_2_1 import schemas as cdrs_221
from ocpi.modules.cdrs.v_2_3_0 import schemas as cdrs_230
from ocpi.modules.locations.v_2_1_1 import schemas as locations_211
from ocpi.modules.locations.v_2_2_1 import schemas as locations_221
from ocpi.modules.locations.v_2_3_0 import schemas as locations_230
from ocpi.modules.sessions.v_2_1_1 import schemas as sessions_211
from ocpi.modules.sessions.v_2_2_1 import schemas as sessions_221
from ocpi.modules.sessions.v_2_3_0 import schemas as sessions_230
from ocpi.modules.tariffs.v_2_1_1 import schemas as tariffs_211
from ocpi.modules.tariffs.v_2_2_1 import schemas as tariffs_221
from ocpi.modules.tariffs.v_2_3_0 import schemas as tariffs_230
from tests.ocpi.samples import MINIMAL, TS

SPECS = Path(__file__).resolve().parents[3] / "../shared/specs/ocpi"
needs_specs = pytest.mark.skipif(
    not SPECS.is_dir(), reason=f"OCPI spec folder not found at {SPECS}"
)

MODULES = ("locations", "tariffs", "sessions", "cdrs")
SCHEMAS: dict[str, dict[str, ModuleType]] = {
    "2.1.1": {
        "locations": locations_211,
        "tariffs": tariffs_211,
        "sessions": sessions_211,
        "cdrs": cdrs_211,
    },
    "2.2.1": {
        "locations": locations_221,
        "tariffs": tariffs_221,
        "sessions": sessions_221,
        "cdrs": cdrs_221,
    },
    "2.3.0": {
        "locations": locations_230,
        "tariffs": tariffs_230,
        "sessions": sessions_230,
        "cdrs": cdrs_230,
    },
}
FOLDER = {"2.1.1": "v_2_1_1", "2.2.1": "v_2_2_1", "2.3.0": "v_2_3_0"}

# Spec examples that are not valid against the spec's own object tables: the reason, and the
# smallest change that makes the example valid (the test checks both: as published it fails,
# once mended it passes, so the rest of the example is still checked).
Fix = Callable[[dict[str, Any]], None]
ADD_EVSE_REASON = (
    "the connector lacks the required power_type, max_voltage, max_amperage and last_updated, "
    "and physical_reference is a number instead of a string"
)
TOKEN_REASON = "cdr_token lacks the required country_code and party_id"
MD_LOCATION_REASON = "location type is lower case and the EVSE lacks the required status"


def _fix_add_evse(evse: dict[str, Any]) -> None:
    evse["physical_reference"] = str(evse["physical_reference"])
    evse.setdefault("last_updated", "2019-06-24T12:39:09Z")
    for connector in evse["connectors"]:
        connector.update(power_type="AC_3_PHASE", last_updated=evse["last_updated"])
        if "tariff_ids" in connector:  # 2.2.1 / 2.3.0 names
            connector.update(max_voltage=220, max_amperage=16)
        else:
            connector.update(voltage=220, amperage=16)


def _fix_token(body: dict[str, Any]) -> None:
    body["cdr_token"].update(country_code="NL", party_id="TST")


def _fix_tariff_tax(body: dict[str, Any]) -> None:
    for tariff in body["tariffs"]:
        tariff["tax_included"] = "NO"


def _fix_last_updated(body: dict[str, Any]) -> None:
    body["last_updated"] = "2015-06-29T20:39:09Z"


def _fix_connector_last_updated(location: dict[str, Any]) -> None:
    for evse in location["evses"]:
        for connector in evse["connectors"]:
            connector.setdefault("last_updated", evse["last_updated"])


def _fix_md_location(body: dict[str, Any]) -> None:
    location = body["location"]
    location["type"] = location["type"].upper()
    for evse in location["evses"]:
        evse["status"] = "AVAILABLE"


def _fix_md_session(body: dict[str, Any]) -> None:
    _fix_md_location(body)
    body["auth_method"] = "WHITELIST"
    for period in body.get("charging_periods", []):
        for dimension in period["dimensions"]:
            dimension["type"] = dimension["type"].upper()


def _fix_md_cdr(body: dict[str, Any]) -> None:
    _fix_md_location(body)
    for tariff in body["tariffs"]:
        _fix_last_updated(tariff)


KNOWN_BAD_EXAMPLES: dict[tuple[str, str], tuple[str, Fix]] = {
    ("2.2.1", "location_put_example_add_evse.json"): (ADD_EVSE_REASON, _fix_add_evse),
    ("2.3.0", "location_put_example_add_evse.json"): (ADD_EVSE_REASON, _fix_add_evse),
    ("2.2.1", "tariff_put_example.json"): ("last_updated is missing", _fix_last_updated),
    ("2.3.0", "tariff_put_example.json"): ("last_updated is missing", _fix_last_updated),
    ("2.2.1", "cdr_example.json"): (TOKEN_REASON, _fix_token),
    ("2.2.1", "session_example_1_simple_start.json"): (TOKEN_REASON, _fix_token),
    ("2.2.1", "session_example_2_short_finished.json"): (TOKEN_REASON, _fix_token),
    ("2.3.0", "cdr_example.json"): (
        "the tariff inside the CDR lacks the required tax_included",
        _fix_tariff_tax,
    ),
    ("2.1.1", "mod_locations.md#3"): (
        "the EVSE added by PUT lacks last_updated, its connector lacks power_type, voltage, "
        "amperage and last_updated, and physical_reference is a number",
        _fix_add_evse,
    ),
    ("2.1.1", "mod_locations.md#5"): (
        "the connector of the second EVSE lacks last_updated",
        _fix_connector_last_updated,
    ),
    ("2.1.1", "mod_tariffs.md#0"): ("the tariff PUT lacks last_updated", _fix_last_updated),
    ("2.1.1", "mod_sessions.md#1"): (
        MD_LOCATION_REASON + "; the session lacks the required auth_method",
        _fix_md_session,
    ),
    ("2.1.1", "mod_sessions.md#2"): (
        MD_LOCATION_REASON + "; the session lacks the required auth_method; a dimension type "
        "is lower case",
        _fix_md_session,
    ),
    ("2.1.1", "mod_cdrs.md#0"): (
        MD_LOCATION_REASON + "; the tariff inside the CDR lacks last_updated",
        _fix_md_cdr,
    ),
}

OUR_PREFIXES = ("location_", "tariff_", "tariffrestriction_", "session_", "cdr_")


# --- helpers -------------------------------------------------------------------------------


def _validate_patch(model: type[BaseModel], body: dict[str, Any]) -> None:
    """A PATCH body is valid when every key is a field and every value fits that field."""
    for key, value in body.items():
        assert key in model.model_fields, f"{key!r} is not a field of {model.__name__}"
        # Validates this one field the way assignment on a model instance would.
        model.__pydantic_validator__.validate_assignment(model.model_construct(), key, value)


def _check(kind: str, model: type[BaseModel], body: dict[str, Any]) -> None:
    if kind == "patch":
        _validate_patch(model, body)
        return
    obj = model.model_validate(body)
    dumped = obj.model_dump(mode="json", exclude_none=True)
    assert model.model_validate(dumped).model_dump(mode="json", exclude_none=True) == dumped


def _check_or_mend(
    key: tuple[str, str], kind: str, model: type[BaseModel], body: dict[str, Any]
) -> None:
    if key not in KNOWN_BAD_EXAMPLES:
        _check(kind, model, body)
        return
    with pytest.raises(ValidationError):
        _check(kind, model, body)
    KNOWN_BAD_EXAMPLES[key][1](body)
    _check(kind, model, body)


def _example_target(version: str, name: str) -> tuple[str, type[BaseModel]]:
    """Which model (and full object or PATCH body) a spec example file is meant for."""
    loc, tar, ses, cdr = (SCHEMAS[version][m] for m in MODULES)
    patches: dict[str, type[BaseModel]] = {
        "location_patch_example_location.json": loc.Location,
        "location_patch_example_remove_evse.json": loc.EVSE,
        "location_patch_example_status.json": loc.EVSE,
        "location_patch_example_tariff.json": loc.Connector,
    }
    if name in patches:
        return "patch", patches[name]
    if name == "location_put_example_add_evse.json":
        return "full", loc.EVSE
    # These wrap one Location field in an object, like a PATCH of the Location.
    if name.startswith(("location_energymix_", "location_regularhours_")):
        return "patch", loc.Location
    if name.startswith("location_hours_"):
        return "full", loc.Hours
    if name.startswith("location_example"):
        return "full", loc.Location
    if name.startswith(("tariff_", "tariffrestriction_")):
        return "full", tar.Tariff
    if name.startswith("session_patch_"):
        return "patch", ses.Session
    if name.startswith("session_"):
        return "full", ses.Session
    if name.startswith("cdr_"):
        return "full", cdr.CDR
    if name.startswith("type_displaytext_"):
        return "full", DisplayText
    raise LookupError(f"no model known for example {version}/{name}")


def _example_files() -> list[tuple[str, str]]:
    if not SPECS.is_dir():
        return []
    found = []
    for version in ("2.2.1", "2.3.0"):
        for path in sorted((SPECS / version / "examples").glob("*.json")):
            if path.name.startswith((*OUR_PREFIXES, "type_displaytext_")):
                found.append((version, path.name))
    return found


# --- (a) example files of 2.2.1 and 2.3.0 --------------------------------------------------


@needs_specs
def test_examples_are_found() -> None:
    files = _example_files()
    for version in ("2.2.1", "2.3.0"):
        names = {name for v, name in files if v == version}
        assert "location_example.json" in names
        assert "cdr_example.json" in names
        assert sum(name.startswith("tariff_") for name in names) >= 18


@needs_specs
@pytest.mark.parametrize(("version", "name"), _example_files())
def test_spec_example(version: str, name: str) -> None:
    kind, model = _example_target(version, name)
    body = json.loads((SPECS / version / "examples" / name).read_text(encoding="utf-8"))
    _check_or_mend((version, name), kind, model, body)


# --- (c) JSON blocks of the 2.1.1 Markdown spec --------------------------------------------

_JSON_BLOCK = re.compile(r"```json\n(.*?)```", re.DOTALL)
_URL_LINE = re.compile(r"^\s*(PUT|PATCH) To URL: \S+\s*")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


def _md_blocks(filename: str) -> list[dict[str, Any]]:
    blocks = []
    text = (SPECS / "2.1.1" / filename).read_text(encoding="utf-8")
    for match in _JSON_BLOCK.finditer(text):
        body = _URL_LINE.sub("", match.group(1)).strip()
        if body.startswith('"'):  # a single field shown on its own
            body = "{" + body + "}"
        # The energy mix example has trailing commas, which JSON does not allow.
        body = _TRAILING_COMMA.sub(r"\1", body)
        blocks.append(json.loads(body))
    return blocks


# For every JSON block of the 2.1.1 modules, in document order: PATCH body or full object.
_L211, _T211 = locations_211, tariffs_211
MD_211: dict[str, list[tuple[str, type[BaseModel]]]] = {
    "mod_locations.md": [
        ("patch", _L211.EVSE),
        ("patch", _L211.Location),
        ("patch", _L211.Connector),
        ("full", _L211.EVSE),
        ("patch", _L211.EVSE),
        ("full", _L211.Location),
        ("patch", _L211.Location),  # energy_mix examples
        ("patch", _L211.Location),
        ("patch", _L211.Location),
        ("patch", _L211.Location),  # opening_times example
    ],
    "mod_tariffs.md": [
        ("full", _T211.Tariff),
        ("patch", _T211.Tariff),  # titled PUT, but shown as the PATCH example
        *[("full", _T211.Tariff)] * 5,
    ],
    "mod_sessions.md": [
        ("patch", sessions_211.Session),
        ("full", sessions_211.Session),
        ("full", sessions_211.Session),
    ],
    "mod_cdrs.md": [("full", cdrs_211.CDR)],
}


@needs_specs
@pytest.mark.parametrize("filename", sorted(MD_211))
def test_spec_example_list_211_is_complete(filename: str) -> None:
    assert len(_md_blocks(filename)) == len(MD_211[filename]), "the spec's example list changed"


@needs_specs
@pytest.mark.parametrize(
    ("filename", "index"), [(f, i) for f, targets in MD_211.items() for i in range(len(targets))]
)
def test_spec_example_211(filename: str, index: int) -> None:
    body = _md_blocks(filename)[index]
    kind, model = MD_211[filename][index]
    _check_or_mend(("2.1.1", f"{filename}#{index}"), kind, model, body)


# --- (b) minimal objects -------------------------------------------------------------------

_MODULE_OF = {
    "Connector": "locations",
    "EVSE": "locations",
    "Location": "locations",
    "Tariff": "tariffs",
    "ChargingPreferences": "sessions",
    "Session": "sessions",
    "CDR": "cdrs",
}
MINIMAL_CASES = [(v, name) for v, objects in MINIMAL.items() for name in objects]


def _model(version: str, name: str) -> type[BaseModel]:
    model: type[BaseModel] = getattr(SCHEMAS[version][_MODULE_OF[name]], name)
    return model


@pytest.mark.parametrize(("version", "name"), MINIMAL_CASES)
def test_minimal_object_has_exactly_the_required_fields(version: str, name: str) -> None:
    model, body = _model(version, name), MINIMAL[version][name]
    model.model_validate(body)
    required = {key for key, field in model.model_fields.items() if field.is_required()}
    assert required == set(body)
    for key in body:
        with pytest.raises(ValidationError):
            model.model_validate({k: v for k, v in body.items() if k != key})


@pytest.mark.parametrize(("version", "name"), MINIMAL_CASES)
def test_unknown_fields_are_kept_and_round_trip(version: str, name: str) -> None:
    model = _model(version, name)
    obj = model.model_validate({**MINIMAL[version][name], "x_vendor": {"a": 1}})
    assert obj.model_extra == {"x_vendor": {"a": 1}}
    dumped = obj.model_dump(mode="json", exclude_none=True)
    assert dumped == {**MINIMAL[version][name], "x_vendor": {"a": 1}}
    assert model.model_validate(dumped).model_dump(mode="json", exclude_none=True) == dumped


@pytest.mark.parametrize(
    ("version", "model_name", "field"),
    [
        (v, m, f)
        for v in SCHEMAS
        for m, f in (("EVSE", "connectors"), ("Tariff", "elements"), ("CDR", "charging_periods"))
    ],
)
def test_non_empty_lists_reject_empty(version: str, model_name: str, field: str) -> None:
    with pytest.raises(ValidationError):
        _model(version, model_name).model_validate({**MINIMAL[version][model_name], field: []})


# --- enums: closed in 2.1.1 / 2.2.1, open where 2.3.0 says OpenEnum -----------------------


@pytest.mark.parametrize("version", ["2.1.1", "2.2.1"])
def test_closed_enum_rejects_unknown_value(version: str) -> None:
    connector = {**MINIMAL[version]["Connector"], "standard": "X_VENDOR_PLUG"}
    with pytest.raises(ValidationError):
        _model(version, "Connector").model_validate(connector)


def test_open_enums_of_230_keep_unknown_values() -> None:
    from ocpi.modules.locations.v_2_3_0.enums import ConnectorType, ParkingRestriction

    known = locations_230.Connector.model_validate(MINIMAL["2.3.0"]["Connector"])
    assert known.standard is ConnectorType.iec_62196_t2
    custom = locations_230.Connector.model_validate(
        {**MINIMAL["2.3.0"]["Connector"], "standard": "X_VENDOR_PLUG"}
    )
    assert custom.standard == "X_VENDOR_PLUG"
    assert custom.model_dump(mode="json")["standard"] == "X_VENDOR_PLUG"
    evse = locations_230.EVSE.model_validate(
        {**MINIMAL["2.3.0"]["EVSE"], "parking_restrictions": ["TAXIS", "X_VANS"]}
    )
    assert evse.parking_restrictions == [ParkingRestriction.taxis, "X_VANS"]
    token = {**MINIMAL["2.3.0"]["CDR"]["cdr_token"], "type": "EMAID"}
    assert cdrs_230.CdrToken.model_validate(token).type == "EMAID"


def test_230_evse_parking_accepts_the_bare_id_of_the_spec_examples() -> None:
    evse = locations_230.EVSE.model_validate({**MINIMAL["2.3.0"]["EVSE"], "parking": ["P1"]})
    dumped = evse.model_dump(mode="json", exclude_none=True)
    assert dumped["parking"] == [{"parking_id": "P1"}]


def test_230_money_uses_price_with_taxes() -> None:
    cdr = cdrs_230.CDR.model_validate(
        {
            **MINIMAL["2.3.0"]["CDR"],
            "total_cost": {
                "before_taxes": 10,
                "taxes": [{"name": "VAT", "percentage": 21, "amount": 2.1}],
            },
        }
    )
    assert isinstance(cdr.total_cost, tariffs_230.Price)
    assert cdr.total_cost.taxes is not None
    assert cdr.total_cost.taxes[0].amount == 2.1
    with pytest.raises(ValidationError):  # a 2.2.1 price is not a 2.3.0 price
        cdrs_230.CDR.model_validate({**MINIMAL["2.3.0"]["CDR"], "total_cost": {"excl_vat": 1}})


# --- every field points at its own version's classes ---------------------------------------


def _referenced_types(annotation: Any) -> list[type]:
    found: list[type] = []
    origin = get_origin(annotation)
    if origin is Annotated:
        return _referenced_types(get_args(annotation)[0])
    if origin in (Union, UnionType, list, dict, tuple) or origin is not None:
        for arg in get_args(annotation):
            found.extend(_referenced_types(arg))
        return found
    if isinstance(annotation, type) and issubclass(annotation, BaseModel | Enum):
        found.append(annotation)
    return found


def _version_namespace(version: str) -> dict[str, Any]:
    """Every public class and enum of the four modules in one version, by name."""
    namespace: dict[str, Any] = {}
    for module in SCHEMAS[version].values():
        enums = __import__(module.__name__.rsplit(".", 1)[0] + ".enums", fromlist=["_"])
        for source in (module, enums):
            for name in source.__all__:
                obj = getattr(source, name)
                assert namespace.setdefault(name, obj) is obj, f"{version}: two {name}s"
    return namespace


@pytest.mark.parametrize("version", list(SCHEMAS))
def test_fields_use_their_own_versions_classes(version: str) -> None:
    namespace = _version_namespace(version)
    other_folders = [folder for v, folder in FOLDER.items() if v != version]
    if version == "2.3.0":
        other_folders.remove("v_2_2_1")  # 2.3.0 reuses unchanged 2.2.1 classes on purpose
    models: list[type[BaseModel]] = [
        obj for obj in namespace.values() if isinstance(obj, type) and issubclass(obj, BaseModel)
    ]
    assert {"Location", "EVSE", "Connector", "Tariff", "Session", "CDR"} <= set(namespace)
    for model in models:
        for field_name, field in model.model_fields.items():
            for used in _referenced_types(field.annotation):
                where = f"{version} {model.__name__}.{field_name} -> {used.__module__}"
                assert namespace.get(used.__name__, used) is used, where
                assert not any(f".{folder}." in used.__module__ for folder in other_folders), where


# --- additions of the 2.3.0 bookings extension to these modules ----------------------------


def test_bookings_extension_values_are_accepted_in_230_only() -> None:
    period = {"start_date_time": TS, "dimensions": [{"type": "RESERVATION_OVERTIME", "volume": 1}]}
    cdr_230 = {**MINIMAL["2.3.0"]["CDR"], "charging_periods": [period], "booking_id": "B1"}
    assert cdrs_230.CDR.model_validate(cdr_230).booking_id == "B1"
    session_230 = {**MINIMAL["2.3.0"]["Session"], "charging_periods": [period]}
    sessions_230.Session.model_validate(session_230)
    with pytest.raises(ValidationError):
        cdrs_221.CDR.model_validate({**MINIMAL["2.2.1"]["CDR"], "charging_periods": [period]})

    def tariff(version: str) -> dict[str, Any]:
        element = {
            "price_components": [{"type": "FLAT", "price": 5, "step_size": 1}],
            "restrictions": {"reservation": "RESERVATION_CANCELLATION_FEES"},
        }
        return {**MINIMAL[version]["Tariff"], "elements": [element]}

    tariffs_230.Tariff.model_validate(tariff("2.3.0"))
    with pytest.raises(ValidationError):
        tariffs_221.Tariff.model_validate(tariff("2.2.1"))
