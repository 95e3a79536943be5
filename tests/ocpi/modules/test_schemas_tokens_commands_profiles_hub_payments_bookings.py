"""Schemas of tokens, commands, chargingprofiles, hubclientinfo, payments and bookings.

(a) every spec example file of these modules validates against the model of its version, or
    is listed in ``KNOWN_INVALID`` with the reason: it must then fail as published and
    validate once exactly the listed mistakes are corrected;
(b) a minimal spec-valid object of each main class validates, loses nothing on a JSON
    round-trip, keeps unknown fields and fails without a required field;
(c) 2.1.1 has no example files: its examples are built here from the spec's inline JSON
    (tokens) and tables (commands);
(d) no field of a version's model points at another version's class by accident.
"""

from __future__ import annotations

import importlib
import json
import typing
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from ocpi.modules.bookings.v_2_3_0 import schemas as bk
from ocpi.modules.chargingprofiles import schemas as cp
from ocpi.modules.commands.v_2_1_1 import schemas as cmd211
from ocpi.modules.commands.v_2_2_1 import schemas as cmd221
from ocpi.modules.commands.v_2_3_0 import schemas as cmd230
from ocpi.modules.hubclientinfo import schemas as hub
from ocpi.modules.payments.v_2_3_0 import schemas as pay
from ocpi.modules.tokens.enums import WhitelistType
from ocpi.modules.tokens.v_2_1_1 import schemas as tok211
from ocpi.modules.tokens.v_2_2_1 import schemas as tok221
from ocpi.modules.tokens.v_2_3_0 import schemas as tok230
from ocpi.modules.tokens.v_2_3_0.enums import TokenType as TokenType230

SPECS = (Path(__file__).resolve().parents[3] / "../shared/specs/ocpi").resolve()
needs_specs = pytest.mark.skipif(
    not SPECS.is_dir(), reason=f"spec examples not found at {SPECS} (shared/ folder absent)"
)

# ---------------------------------------------------------------------------------------------
# (a) spec example files
# ---------------------------------------------------------------------------------------------

OBJECT, ENVELOPE, ENVELOPE_LIST, PATCH = "object", "envelope", "envelope list", "patch"

# Patterns of the example files this test owns, in every version folder.
OWNED_PATTERNS = ("token_*", "transport_and_format_get_token*", "payment_*", "booking_*")

_TOKEN_EXAMPLES: dict[str, str] = {
    "token_example_1_app_user.json": OBJECT,
    "token_example_2_full_rfid.json": OBJECT,
    "token_put_example.json": OBJECT,
    "token_patch_example.json": PATCH,
    "transport_and_format_get_token_example.json": ENVELOPE,
    "transport_and_format_get_token_list_example.json": ENVELOPE_LIST,
}

# (folder, file) -> (model, kind)
EXAMPLES: dict[tuple[str, str], tuple[type[BaseModel], str]] = {
    **{("2.2.1", name): (tok221.Token, kind) for name, kind in _TOKEN_EXAMPLES.items()},
    **{("2.3.0", name): (tok230.Token, kind) for name, kind in _TOKEN_EXAMPLES.items()},
    # The bookings extension is built on 2.3.0 and repeats its token examples.
    **{("2.3.0-bookings", name): (tok230.Token, kind) for name, kind in _TOKEN_EXAMPLES.items()},
    ("2.3.0", "payment_terminal_activate.json"): (pay.TerminalActivation, OBJECT),
    ("2.3.0", "payment_terminal_create.json"): (pay.Terminal, OBJECT),
    ("2.3.0", "payment_terminal_create_minimal.json"): (pay.Terminal, OBJECT),
    ("2.3.0", "payment_terminal_example_assigned_locations.json"): (pay.Terminal, OBJECT),
    ("2.3.0", "payment_terminal_example_assigned_locations_assigned_evses.json"): (
        pay.Terminal,
        OBJECT,
    ),
    ("2.3.0", "payment_terminal_example_newly_created.json"): (pay.Terminal, OBJECT),
    ("2.3.0", "payment_terminal_location_assignment.json"): (pay.Terminal, PATCH),
    ("2.3.0", "payment_terminal_put_update.json"): (pay.Terminal, OBJECT),
    ("2.3.0", "payment_financial_advice_confirmation_create.json"): (
        pay.FinancialAdviceConfirmation,
        OBJECT,
    ),
    ("2.3.0", "payment_financial_advice_confirmation_example_success.json"): (
        pay.FinancialAdviceConfirmation,
        OBJECT,
    ),
    ("2.3.0", "payment_financial_advice_confirmation_example_failure.json"): (
        pay.FinancialAdviceConfirmation,
        OBJECT,
    ),
    ("2.3.0-bookings", "booking_example.json"): (bk.Booking, OBJECT),
    ("2.3.0-bookings", "booking_location_example.json"): (bk.BookingLocation, OBJECT),
    ("2.3.0-bookings", "booking_location_patch_example_calendar.json"): (bk.Calendar, PATCH),
    ("2.3.0-bookings", "booking_location_patch_example_terms.json"): (bk.BookingLocation, PATCH),
    ("2.3.0-bookings", "booking_patch_example_evse_uid.json"): (bk.Booking, PATCH),
    ("2.3.0-bookings", "booking_patch_example_status_update.json"): (bk.Booking, PATCH),
    ("2.3.0-bookings", "booking_request_patch_example_timeslot.json"): (bk.BookingRequest, PATCH),
    ("2.3.0-bookings", "booking_request_patch_example_tokens.json"): (bk.BookingRequest, PATCH),
}


def _price_2_3_0(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "total_costs": {"before_taxes": data["total_costs"]["excl_vat"]}}


def _fix_booking(data: dict[str, Any]) -> dict[str, Any]:
    fixed = {k: v for k, v in data.items() if k != "bookable_parking_option"}
    fixed.update(parking_id="22314", location_id="1234", evse_uid="3256")
    fixed["booking_terms"] = {**data["booking_terms"], "supported_access_methods": ["TOKEN"]}
    fixed["booking_requests"] = [
        {
            **status,
            "booking_request": {
                **status["booking_request"],
                "country_code": "NL",
                "party_id": "INF",
                "location_id": "1234",
                "evse_uid": "3256",
            },
        }
        for status in data["booking_requests"]
    ]
    return fixed


_TERMS_REQUIRED = {
    "supported_access_methods": ["TOKEN"],
    "change_until_minutes": 200,
    "cancel_until_minutes": 600,
}


def _fix_timeslots(data: dict[str, Any]) -> dict[str, Any]:
    slots = [{**t, "end_before": "2025-03-23T08:59:59Z"} for t in data["available_timeslots"]]
    return {**data, "available_timeslots": slots}


def _fix_request_timeslot(data: dict[str, Any]) -> dict[str, Any]:
    return {"period": {**data["timeslot"], "end_before": "2025-03-23T08:59:59Z"}}


# (folder, file) -> (why the spec's own example contradicts the spec's tables, and a fix of
# exactly those mistakes). The test checks that the example fails and that the fix validates.
KNOWN_INVALID: dict[tuple[str, str], tuple[str, Callable[[dict[str, Any]], dict[str, Any]]]] = {
    ("2.3.0", "payment_financial_advice_confirmation_create.json"): (
        "total_costs uses the 2.2.1 Price (excl_vat/incl_vat); 2.3.0's Price has before_taxes",
        _price_2_3_0,
    ),
    ("2.3.0", "payment_financial_advice_confirmation_example_success.json"): (
        "total_costs uses the 2.2.1 Price (excl_vat/incl_vat); 2.3.0's Price has before_taxes",
        _price_2_3_0,
    ),
    ("2.3.0", "payment_financial_advice_confirmation_example_failure.json"): (
        "2.2.1 Price shape in total_costs, and eft_data (cardinality +) is missing",
        lambda d: {**_price_2_3_0(d), "eft_data": ["Capture failed"]},
    ),
    ("2.3.0", "payment_terminal_create_minimal.json"): (
        "only terminal_id, but last_updated is required (cardinality 1)",
        lambda d: {**d, "last_updated": "2018-12-10T17:16:15Z"},
    ),
    ("2.3.0", "payment_terminal_put_update.json"): (
        "a PUT body must be a full Terminal; terminal_id (required) is missing",
        lambda d: {**d, "terminal_id": "55719888-ed09-4cca-82cc-803bdb77bf26"},
    ),
    ("2.3.0-bookings", "booking_example.json"): (
        "bookable_parking_option is {} (lacks vehicle_types, format, restricted_to_type); "
        "parking_id, location_id, evse_uid are numbers, not strings; supported_access_methods "
        "holds empty strings; the booking_request objects lack country_code and party_id "
        "(also: booking_token and green_power_support are misspelled, kept as unknown fields)",
        _fix_booking,
    ),
    ("2.3.0-bookings", "booking_location_example.json"): (
        "booking_terms is one object, the table says a list (cardinality *); the keys "
        "booking_required, tariffs and calenders are misspellings, kept as unknown fields",
        lambda d: {**d, "booking_terms": [d["booking_terms"]]},
    ),
    ("2.3.0-bookings", "booking_location_patch_example_calendar.json"): (
        "end_before '2025-03-23T08:59:99Z' is not a valid time",
        _fix_timeslots,
    ),
    ("2.3.0-bookings", "booking_location_patch_example_terms.json"): (
        "booking_terms is one object instead of a list, and lacks the required "
        "supported_access_methods, change_until_minutes and cancel_until_minutes",
        lambda d: {**d, "booking_terms": [{**d["booking_terms"], **_TERMS_REQUIRED}]},
    ),
    ("2.3.0-bookings", "booking_request_patch_example_timeslot.json"): (
        "BookingRequest has no timeslot (it is period) and no last_updated; "
        "end_before '2025-03-23T08:59:99Z' is not a valid time",
        _fix_request_timeslot,
    ),
    ("2.3.0-bookings", "booking_request_patch_example_tokens.json"): (
        "BookingRequest has no last_updated field",
        lambda d: {k: v for k, v in d.items() if k != "last_updated"},
    ),
}


def _owned_files() -> list[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for folder in ("2.2.1", "2.3.0", "2.3.0-bookings"):
        for pattern in OWNED_PATTERNS:
            found.update((folder, p.name) for p in (SPECS / folder / "examples").glob(pattern))
    return sorted(found)


def _validate_example(model: type[BaseModel], kind: str, data: Any) -> None:
    if kind == OBJECT:
        model.model_validate(data)
    elif kind == ENVELOPE:
        model.model_validate(data["data"])
    elif kind == ENVELOPE_LIST:
        TypeAdapter(list[model]).validate_python(data["data"])  # type: ignore[valid-type]
    else:
        unknown = set(data) - set(model.model_fields)
        assert not unknown, f"not fields of {model.__name__}: {sorted(unknown)}"
        for key, value in data.items():
            TypeAdapter(model.model_fields[key].rebuild_annotation()).validate_python(value)


@needs_specs
def test_every_owned_example_file_is_listed() -> None:
    missing = [f for f in _owned_files() if f not in EXAMPLES]
    assert not missing, f"example files without a model in EXAMPLES: {missing}"
    stale = [f for f in EXAMPLES if f not in _owned_files()]
    assert not stale, f"listed examples that do not exist: {stale}"
    assert set(KNOWN_INVALID) <= set(EXAMPLES)


@needs_specs
@pytest.mark.parametrize(
    ("folder", "name"), sorted(EXAMPLES), ids=[f"{f}/{n}" for f, n in sorted(EXAMPLES)]
)
def test_spec_example(folder: str, name: str) -> None:
    model, kind = EXAMPLES[folder, name]
    data = json.loads((SPECS / folder / "examples" / name).read_text(encoding="utf-8"))
    if (folder, name) in KNOWN_INVALID:
        _reason, fix = KNOWN_INVALID[folder, name]
        with pytest.raises((ValidationError, AssertionError)):
            _validate_example(model, kind, data)
        _validate_example(model, kind, fix(data))
    else:
        _validate_example(model, kind, data)


# ---------------------------------------------------------------------------------------------
# (b) minimal objects of the main classes, and (c) 2.1.1 examples built from the spec text
# ---------------------------------------------------------------------------------------------

TS = "2015-06-29T22:39:09Z"

TOKEN_211 = {  # the Token example of the 2.1.1 tokens chapter
    "uid": "012345678",
    "type": "RFID",
    "auth_id": "DE8ACC12E46L89",
    "visual_number": "DF000-2001-8999",
    "issuer": "TheNewMotion",
    "valid": True,
    "whitelist": "ALLOWED",
    "last_updated": TS,
}
TOKEN_221 = {
    "country_code": "DE",
    "party_id": "TNM",
    "uid": "bdf21bce",
    "type": "APP_USER",
    "contract_id": "DE8ACC12E46L89",
    "issuer": "TheNewMotion",
    "valid": True,
    "whitelist": "NEVER",
    "last_updated": TS,
}
TOKEN_230 = {**TOKEN_221, "type": "EMAID"}
URL = "https://msp.example.com/ocpi/commands/42"
PROFILE = {"charging_rate_unit": "W"}
SLOT = {"start_from": "2025-03-23T12:00:00Z", "end_before": "2025-03-23T13:00:00Z"}
TERMS = {
    "supported_access_methods": ["TOKEN"],
    "change_until_minutes": 60,
    "cancel_until_minutes": 30,
}
PARKING_OPTION = {"vehicle_types": ["VAN"], "format": "CABLE", "restricted_to_type": False}
BOOKING_REQUEST = {
    "country_code": "SE",
    "party_id": "VOL",
    "request_id": "RE1222",
    "location_id": "LOC1",
    "period": SLOT,
    "authorization_reference": "pp-100100-1948213567",
}

# (model, minimal valid data); each dict holds exactly the required fields.
MINIMAL: list[tuple[type[BaseModel], dict[str, Any]]] = [
    (tok211.Token, {k: v for k, v in TOKEN_211.items() if k != "visual_number"}),
    (tok211.LocationReferences, {"location_id": "LOC1"}),
    (tok211.AuthorizationInfo, {"allowed": "ALLOWED"}),
    (tok221.Token, TOKEN_221),
    (tok221.EnergyContract, {"supplier_name": "Greenpeace Energy eG"}),
    (tok221.LocationReferences, {"location_id": "LOC1"}),
    (tok221.AuthorizationInfo, {"allowed": "BLOCKED", "token": TOKEN_221}),
    (tok230.Token, TOKEN_230),
    (tok230.AuthorizationInfo, {"allowed": "NO_CREDIT", "token": TOKEN_230}),
    (cmd211.CommandResponse, {"result": "TIMEOUT"}),
    (
        cmd211.ReserveNow,
        {
            "response_url": URL,
            "token": TOKEN_211,
            "expiry_date": TS,
            "reservation_id": 7,
            "location_id": "LOC1",
        },
    ),
    (cmd211.StartSession, {"response_url": URL, "token": TOKEN_211, "location_id": "LOC1"}),
    (cmd211.StopSession, {"response_url": URL, "session_id": "S1"}),
    (
        cmd211.UnlockConnector,
        {"response_url": URL, "location_id": "LOC1", "evse_uid": "E1", "connector_id": "1"},
    ),
    (cmd221.CancelReservation, {"response_url": URL, "reservation_id": "R1"}),
    (cmd221.CommandResponse, {"result": "ACCEPTED", "timeout": 30}),
    (cmd221.CommandResult, {"result": "EVSE_OCCUPIED"}),
    (
        cmd221.ReserveNow,
        {
            "response_url": URL,
            "token": TOKEN_221,
            "expiry_date": TS,
            "reservation_id": "R1",
            "location_id": "LOC1",
        },
    ),
    (cmd221.StartSession, {"response_url": URL, "token": TOKEN_221, "location_id": "LOC1"}),
    (cmd221.StopSession, {"response_url": URL, "session_id": "S1"}),
    (
        cmd221.UnlockConnector,
        {"response_url": URL, "location_id": "LOC1", "evse_uid": "E1", "connector_id": "1"},
    ),
    (
        cmd230.ReserveNow,
        {
            "response_url": URL,
            "token": TOKEN_230,
            "expiry_date": TS,
            "reservation_id": "R1",
            "location_id": "LOC1",
        },
    ),
    (cmd230.StartSession, {"response_url": URL, "token": TOKEN_230, "location_id": "LOC1"}),
    (cp.ChargingProfilePeriod, {"start_period": 0, "limit": 11.5}),
    (cp.ChargingProfile, PROFILE),
    (cp.ActiveChargingProfile, {"start_date_time": TS, "charging_profile": PROFILE}),
    (cp.SetChargingProfile, {"charging_profile": PROFILE, "response_url": URL}),
    (cp.ChargingProfileResponse, {"result": "TOO_OFTEN", "timeout": 10}),
    (cp.ActiveChargingProfileResult, {"result": "UNKNOWN"}),
    (cp.ChargingProfileResult, {"result": "ACCEPTED"}),
    (cp.ClearProfileResult, {"result": "REJECTED"}),
    (
        hub.ClientInfo,
        {
            "party_id": "ALL",
            "country_code": "NL",
            "role": "CPO",
            "status": "PLANNED",
            "last_updated": TS,
        },
    ),
    (pay.TerminalActivation, {"last_updated": TS}),
    (pay.Terminal, {"terminal_id": "452cf8a1", "last_updated": TS}),
    (
        pay.FinancialAdviceConfirmation,
        {
            "id": "452cf8a1",
            "authorization_reference": "pp-100100-1948213567",
            "total_costs": {"before_taxes": 4.0},
            "currency": "EUR",
            "eft_data": ["Mastercard"],
            "capture_status_code": "PARTIAL_SUCCESS",
            "last_updated": TS,
        },
    ),
    (bk.Timeslot, SLOT),
    (
        bk.Calendar,
        {
            "id": "CA1",
            "begin_from": "2025-03-23T00:00:00Z",
            "end_before": "2025-03-24T00:00:00Z",
            "available_timeslots": [SLOT],
            "last_updated": TS,
        },
    ),
    (bk.BookingTerms, TERMS),
    (bk.BookableParkingOptions, PARKING_OPTION),
    (bk.Bookable, {"reservation_required": True}),
    (
        bk.BookingToken,
        {"country_code": "NL", "party_id": "INF", "uid": "a1", "type": "RFID", "contract_id": "C1"},
    ),
    (bk.Cancellation, {"cancellation_reason": "TRAFFIC", "who_canceled": "EMSP"}),
    (bk.AccessMethod, {"location_access": "OPEN"}),
    (bk.BookingRequest, BOOKING_REQUEST),
    (
        bk.BookingRequestStatus,
        {"request_status": "PENDING", "booking_request": BOOKING_REQUEST, "request_received": TS},
    ),
    (
        bk.Booking,
        {
            "id": "B1",
            "country_code": "NL",
            "party_id": "INF",
            "request_id": "RE1222",
            "location_id": "LOC1",
            "period": SLOT,
            "reservation_status": "RESERVED",
            "authorization_reference": "pp-100100-1948213567",
            "booking_terms": TERMS,
            "booking_requests": [
                {
                    "request_status": "ACCEPTED",
                    "booking_request": BOOKING_REQUEST,
                    "request_received": TS,
                }
            ],
            "last_updated": TS,
        },
    ),
]


MINIMAL_BY_MODEL = {model: data for model, data in MINIMAL}


def _ids(case: tuple[type[BaseModel], dict[str, Any]]) -> str:
    return f"{case[0].__module__.rsplit('.', 2)[-2]}.{case[0].__name__}"


@pytest.mark.parametrize("case", MINIMAL, ids=[_ids(c) for c in MINIMAL])
def test_minimal_object_round_trips(case: tuple[type[BaseModel], dict[str, Any]]) -> None:
    model, data = case
    obj = model.model_validate(data)
    dumped = obj.model_dump(mode="json", exclude_none=True)
    assert dumped == data
    assert model.model_validate_json(obj.model_dump_json(exclude_none=True)) == obj


@pytest.mark.parametrize("case", MINIMAL, ids=[_ids(c) for c in MINIMAL])
def test_each_required_field_is_required(case: tuple[type[BaseModel], dict[str, Any]]) -> None:
    model, data = case
    required = [name for name, field in model.model_fields.items() if field.is_required()]
    assert sorted(required) == sorted(data), "MINIMAL must hold exactly the required fields"
    for name in required:
        with pytest.raises(ValidationError, match=name):
            model.model_validate({k: v for k, v in data.items() if k != name})


@pytest.mark.parametrize("case", MINIMAL, ids=[_ids(c) for c in MINIMAL])
def test_unknown_fields_are_kept(case: tuple[type[BaseModel], dict[str, Any]]) -> None:
    model, data = case
    obj = model.model_validate({**data, "x_vendor_field": {"a": 1}})
    assert obj.model_dump(mode="json", exclude_none=True)["x_vendor_field"] == {"a": 1}


def test_2_1_1_token_examples_from_the_spec_text() -> None:
    token = tok211.Token.model_validate(TOKEN_211)
    assert token.whitelist == WhitelistType.allowed
    # PUT example of the 2.1.1 tokens chapter, and its PATCH example ({"valid": false}).
    put = tok211.Token.model_validate({**TOKEN_211, "whitelist": "ALWAYS"})
    patched = put.model_copy(update={"valid": False})
    assert tok211.Token.model_validate(patched.model_dump()).valid is False
    with pytest.raises(ValidationError):
        tok211.Token.model_validate({**TOKEN_211, "type": "APP_USER"})  # 2.2.1+ value


def test_2_1_1_authorization_and_commands() -> None:
    info = tok211.AuthorizationInfo.model_validate(
        {
            "allowed": "ALLOWED",
            "location": {"location_id": "LOC1", "evse_uids": ["BE-BEC-E041503001"]},
            "info": {"language": "en", "text": "Charging allowed"},
        }
    )
    assert info.location is not None and info.location.evse_uids == ["BE-BEC-E041503001"]
    with pytest.raises(ValidationError):  # location ids are string(39) in 2.1.1
        tok211.LocationReferences.model_validate({"location_id": "L" * 40})
    reserve = cmd211.ReserveNow.model_validate(
        {
            "response_url": URL,
            "token": TOKEN_211,
            "expiry_date": "2015-06-29T23:09:09+01:00",
            "reservation_id": 1,
            "location_id": "L" * 39,
            "evse_uid": "BE-BEC-E041503001",
        }
    )
    assert reserve.expiry_date.isoformat() == "2015-06-29T22:09:09+00:00"
    assert cmd211.CommandResponse.model_validate({"result": "TIMEOUT"}).result == "TIMEOUT"


def test_2_3_0_token_type_is_open() -> None:
    known = tok230.Token.model_validate(TOKEN_230)
    assert known.type is TokenType230.emaid
    custom = tok230.Token.model_validate({**TOKEN_230, "type": "X_PLATE"})
    assert custom.type == "X_PLATE"
    assert custom.model_dump(mode="json")["type"] == "X_PLATE"
    with pytest.raises(ValidationError):
        tok221.Token.model_validate({**TOKEN_221, "type": "EMAID"})
    command = cmd230.StartSession.model_validate(
        {"response_url": URL, "token": {**TOKEN_230, "type": "LICENSE_PLATE"}, "location_id": "L"}
    )
    assert isinstance(command.token, tok230.Token)
    assert command.token.type is TokenType230.license_plate


def test_closed_enums_reject_unknown_values() -> None:
    with pytest.raises(ValidationError):
        cmd221.CommandResult.model_validate({"result": "MAYBE"})
    with pytest.raises(ValidationError):
        cp.ChargingProfile.model_validate({"charging_rate_unit": "kW"})
    with pytest.raises(ValidationError):
        hub.ClientInfo.model_validate(
            {
                "party_id": "ALL",
                "country_code": "NL",
                "role": "CPO",
                "status": "GONE",
                "last_updated": TS,
            }
        )


def test_string_lengths_and_case_insensitive_ascii() -> None:
    with pytest.raises(ValidationError):
        tok221.Token.model_validate({**TOKEN_221, "uid": "x" * 37})
    with pytest.raises(ValidationError):
        tok221.Token.model_validate({**TOKEN_221, "party_id": "TNMX"})
    with pytest.raises(ValidationError):
        tok221.Token.model_validate({**TOKEN_221, "contract_id": "DE8ÄCC12"})


def test_2_1_1_command_result_is_the_command_response() -> None:
    assert cmd211.CommandResult is cmd211.CommandResponse
    assert cmd211.CommandResult.model_validate({"result": "UNKNOWN_SESSION"}).result == (
        "UNKNOWN_SESSION"
    )


def test_payment_lists_and_ascii_strings() -> None:
    base = dict(MINIMAL_BY_MODEL[pay.FinancialAdviceConfirmation])
    for bad in ([], [""], ["é"], ["x" * 256]):
        with pytest.raises(ValidationError):
            pay.FinancialAdviceConfirmation.model_validate({**base, "eft_data": bad})
    with pytest.raises(ValidationError):  # 2.3.0 Price, not 2.2.1's
        pay.FinancialAdviceConfirmation.model_validate(
            {**base, "total_costs": {"excl_vat": 4.0, "incl_vat": 4.4}}
        )
    terminal = pay.Terminal.model_validate(
        {"terminal_id": "T1", "address": "a" * 45, "postal_code": "1010", "last_updated": TS}
    )
    assert isinstance(terminal, pay.TerminalActivation)
    for field, value in (("address", "a" * 46), ("postal_code", "12345678901"), ("city", "Wién")):
        with pytest.raises(ValidationError):
            pay.Terminal.model_validate({"terminal_id": "T1", field: value, "last_updated": TS})


def test_booking_location_needs_evse_or_parking_options() -> None:
    owner = {"country_code": "NL", "party_id": "IHO", "id": "BL1", "location_id": "L1"}
    with pytest.raises(ValidationError, match="evse_uid or bookable_parking_options"):
        bk.BookingLocation.model_validate({**owner, "last_updated": TS})
    with pytest.raises(ValidationError):
        bk.BookingLocation.model_validate(
            {**owner, "bookable_parking_options": [], "last_updated": TS}
        )
    by_evse = bk.BookingLocation.model_validate({**owner, "evse_uid": "#NA", "last_updated": TS})
    by_option = bk.BookingLocation.model_validate(
        {**owner, "bookable_parking_options": [PARKING_OPTION], "last_updated": TS}
    )
    assert by_evse.evse_uid == "#NA"
    assert by_option.bookable_parking_options is not None
    assert by_option.bookable_parking_options[0].format == "CABLE"


def test_booking_enums_and_open_values() -> None:
    option = bk.BookableParkingOptions.model_validate(
        {**PARKING_OPTION, "vehicle_types": ["BUS", "X_CARGO_BIKE"]}
    )
    assert option.vehicle_types == ["BUS", "X_CARGO_BIKE"]
    by_interface = bk.Cancellation.model_validate(
        {"cancellation_reason": "POWER_OUTAGE", "who_canceled": "SENDER"}
    )
    assert by_interface.who_canceled == "SENDER"
    with pytest.raises(ValidationError):
        bk.Cancellation.model_validate({"cancellation_reason": "BORED", "who_canceled": "CPO"})
    with pytest.raises(ValidationError):
        bk.BookingTerms.model_validate({**TERMS, "supported_access_methods": []})
    with pytest.raises(ValidationError):
        bk.Calendar.model_validate(
            {
                "id": "C",
                "begin_from": TS,
                "end_before": TS,
                "available_timeslots": [],
                "last_updated": TS,
            }
        )
    terms = bk.BookingTerms.model_validate({**TERMS, "RFID_auth_required": True})
    assert terms.model_dump(exclude_none=True)["RFID_auth_required"] is True


def test_charging_profile_with_periods() -> None:
    result = cp.ActiveChargingProfileResult.model_validate(
        {
            "result": "ACCEPTED",
            "profile": {
                "start_date_time": "2018-12-10T17:16:15Z",
                "charging_profile": {
                    "start_date_time": "2018-12-10T17:16:15Z",
                    "duration": 900,
                    "charging_rate_unit": "A",
                    "min_charging_rate": 6.1,
                    "charging_profile_period": [
                        {"start_period": 0, "limit": 32},
                        {"start_period": 600, "limit": 16},
                    ],
                },
            },
        }
    )
    assert result.profile is not None
    periods = result.profile.charging_profile.charging_profile_period
    assert periods is not None and [p.limit for p in periods] == [32, 16]


# ---------------------------------------------------------------------------------------------
# (d) fields point at classes of their own version
# ---------------------------------------------------------------------------------------------

VERSION_MODULES = [
    "ocpi.modules.tokens.v_2_1_1",
    "ocpi.modules.tokens.v_2_2_1",
    "ocpi.modules.tokens.v_2_3_0",
    "ocpi.modules.commands.v_2_1_1",
    "ocpi.modules.commands.v_2_2_1",
    "ocpi.modules.commands.v_2_3_0",
    "ocpi.modules.chargingprofiles.v_2_2_1",
    "ocpi.modules.chargingprofiles.v_2_3_0",
    "ocpi.modules.hubclientinfo.v_2_2_1",
    "ocpi.modules.hubclientinfo.v_2_3_0",
    "ocpi.modules.payments.v_2_3_0",
    "ocpi.modules.bookings.v_2_3_0",
]


def _referenced_classes(annotation: Any) -> set[type]:
    found: set[type] = set()
    if isinstance(annotation, type) and issubclass(annotation, BaseModel | Enum):
        found.add(annotation)
    for arg in typing.get_args(annotation):
        found |= _referenced_classes(arg)
    return found


def _exported(module_path: str) -> dict[str, Any]:
    names: dict[str, Any] = {}
    for part in ("schemas", "enums"):
        module: ModuleType = importlib.import_module(f"{module_path}.{part}")
        names.update({name: getattr(module, name) for name in module.__all__})
    return names


def _belongs_to(cls: type, version: str) -> bool:
    """A class fits a version when it is version-neutral, of that version, or re-exported by it."""
    module = cls.__module__
    if ".v_" not in module:
        return True
    package, _, rest = module.partition(".v_")
    if rest.startswith(version.removeprefix("v_")):
        return True
    try:
        same_version = _exported(f"{package}.{version}")
    except ModuleNotFoundError:
        return False
    return same_version.get(cls.__name__) is cls


@pytest.mark.parametrize("module_path", VERSION_MODULES)
def test_fields_point_at_classes_of_the_same_version(module_path: str) -> None:
    version = module_path.rsplit(".", 1)[-1]
    exported = _exported(module_path)
    models = [c for c in exported.values() if isinstance(c, type) and issubclass(c, BaseModel)]
    assert models, f"{module_path} exports no models"
    seen: set[type] = set()
    todo = list(models)
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, field in model.model_fields.items():
            for cls in _referenced_classes(field.annotation):
                assert _belongs_to(cls, version), (
                    f"{module_path}: {model.__name__}.{name} uses {cls.__module__}.{cls.__name__}"
                )
                if issubclass(cls, BaseModel):
                    todo.append(cls)
