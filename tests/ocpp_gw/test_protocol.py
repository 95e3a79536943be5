"""The protocol layer without sockets: framing, error tables, validation, RPC decisions."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from ocpp_gw.exceptions import (
    FormatViolationError,
    InvalidResponseError,
    NotImplementedCallError,
    NotSupportedError,
    OccurrenceConstraintViolationError,
    PropertyConstraintViolationError,
    TypeConstraintViolationError,
)
from ocpp_gw.handlers.base import CallContext, HandlerTable, OCPPVersion
from ocpp_gw.protocol import (
    ERROR_RULES,
    Answer,
    Call,
    CallError,
    CallResult,
    Dispatch,
    ErrorCode,
    FrameError,
    Ignore,
    Reply,
    RpcSession,
    Send,
    parse_frame,
    schema_set,
)
from ocpp_gw.protocol.errors import error_from_wire
from ocpp_gw.protocol.framing import UnknownMessageType, encode_call_error

V16, V201, V21 = OCPPVersion.v16, OCPPVersion.v201, OCPPVersion.v21

# -- error tables -----------------------------------------------------------------------------


def test_16_table_keeps_the_misspelt_codes() -> None:
    rules = ERROR_RULES[V16]
    assert rules.wire(ErrorCode.FORMAT_VIOLATION) == "FormationViolation"
    assert rules.wire(ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION) == "OccurenceConstraintViolation"
    # codes 1.6 does not have fall back to GenericError
    assert rules.wire(ErrorCode.RPC_FRAMEWORK_ERROR) == "GenericError"
    assert rules.wire(ErrorCode.MESSAGE_TYPE_NOT_SUPPORTED) == "GenericError"
    assert set(rules.codes.values()) == {
        "NotImplemented",
        "NotSupported",
        "InternalError",
        "ProtocolError",
        "SecurityError",
        "FormationViolation",
        "PropertyConstraintViolation",
        "OccurenceConstraintViolation",
        "TypeConstraintViolation",
        "GenericError",
    }


@pytest.mark.parametrize("version", [V201, V21])
def test_2x_table_has_the_twelve_codes(version: OCPPVersion) -> None:
    rules = ERROR_RULES[version]
    assert set(rules.codes.values()) == {
        "FormatViolation",
        "GenericError",
        "InternalError",
        "MessageTypeNotSupported",
        "NotImplemented",
        "NotSupported",
        "OccurrenceConstraintViolation",
        "PropertyConstraintViolation",
        "ProtocolError",
        "RpcFrameworkError",
        "SecurityError",
        "TypeConstraintViolation",
    }
    assert rules.unreadable_frame is ErrorCode.RPC_FRAMEWORK_ERROR
    assert rules.unknown_message_type is ErrorCode.MESSAGE_TYPE_NOT_SUPPORTED


def test_received_error_codes_become_typed_exceptions_in_either_spelling() -> None:
    exc = error_from_wire("OccurenceConstraintViolation", "missing", {"f": 1})
    assert isinstance(exc, OccurrenceConstraintViolationError)
    assert (exc.code, exc.description, exc.details) == (
        "OccurenceConstraintViolation",
        "missing",
        {"f": 1},
    )
    assert isinstance(error_from_wire("FormationViolation", "", {}), FormatViolationError)
    unknown = error_from_wire("SomethingElse", "x", {})
    assert unknown.error_code is ErrorCode.GENERIC_ERROR and unknown.code == "SomethingElse"


# -- framing ----------------------------------------------------------------------------------


def test_parse_each_message_type() -> None:
    assert parse_frame('[2,"a","Heartbeat",{}]', V16) == Call("a", "Heartbeat", {})
    assert parse_frame('[2,"a","Heartbeat",null]', V16) == Call("a", "Heartbeat", {})
    assert parse_frame('[3,"a",{"x":1}]', V16) == CallResult("a", {"x": 1})
    assert parse_frame('[4,"a","NotSupported","no",{}]', V16) == CallError(
        "a", "NotSupported", "no", {}
    )
    assert parse_frame(b'[6,"a","NotifyPeriodicEventStream",{}]', V21) == Send(
        "a", "NotifyPeriodicEventStream", {}
    )
    # SEND and CALLRESULTERROR do not exist before 2.1
    assert parse_frame('[6,"a","X",{}]', V201) == UnknownMessageType("a", 6)


@pytest.mark.parametrize(
    ("version", "frame", "unique_id", "code"),
    [
        (V16, "not json", "-1", "FormationViolation"),
        (V201, "not json", "-1", "RpcFrameworkError"),
        (V21, '{"a": 1}', "-1", "RpcFrameworkError"),
        (V201, '[2, 5, "Heartbeat", {}]', "-1", "RpcFrameworkError"),
        (V201, "[2]", "-1", "RpcFrameworkError"),
        (V201, f'[2, "{"x" * 37}", "Heartbeat", {{}}]', "x" * 37, "RpcFrameworkError"),
        (V16, '[2, "7", "Heartbeat"]', "7", "ProtocolError"),
        (V201, '[2, "7", 12, {}]', "7", "RpcFrameworkError"),
        (V201, '["2", "7", "Heartbeat", {}]', "7", "RpcFrameworkError"),
        (V201, '[2, "7", "Heartbeat", [1]]', "7", "FormatViolation"),
        (V16, '[2, "7", "Heartbeat", [1]]', "7", "FormationViolation"),
    ],
)
def test_bad_frames(version: OCPPVersion, frame: str, unique_id: str, code: str) -> None:
    with pytest.raises(FrameError) as info:
        parse_frame(frame, version)
    assert info.value.unique_id == unique_id
    assert ERROR_RULES[version].wire(info.value.error) == code


def test_error_description_is_cut_to_255_characters() -> None:
    frame = orjson.loads(encode_call_error("1", "GenericError", "x" * 300))
    assert frame == [4, "1", "GenericError", "x" * 255, {}]


# -- validation -------------------------------------------------------------------------------


_VM = {"chargePointVendor": "v", "chargePointModel": "m"}
_CS = {"model": "m", "vendorName": "v"}
_OCCURRENCE = OccurrenceConstraintViolationError
_PROPERTY = PropertyConstraintViolationError
_TYPE = TypeConstraintViolationError


@pytest.mark.parametrize(
    ("version", "action", "payload", "error"),
    [
        (V16, "BootNotification", {"chargePointVendor": "v"}, _OCCURRENCE),
        (V16, "BootNotification", {**_VM, "chargePointVendor": 1}, _TYPE),
        (V16, "BootNotification", {**_VM, "chargePointVendor": "v" * 21}, _PROPERTY),
        (V16, "Heartbeat", {"unexpected": 1}, FormatViolationError),
        (
            V16,
            "StatusNotification",
            {"connectorId": 1, "errorCode": "Oops", "status": "Available"},
            _PROPERTY,
        ),
        (V201, "BootNotification", {"reason": "PowerUp"}, _OCCURRENCE),
        (V201, "BootNotification", {"reason": "Nope", "chargingStation": _CS}, _PROPERTY),
        (V201, "Heartbeat", {"x": 1}, FormatViolationError),
        (V21, "Heartbeat", {"x": 1}, FormatViolationError),
        (
            V21,
            "BootNotification",
            {"reason": "PowerUp", "chargingStation": {**_CS, "model": 5}},
            _TYPE,
        ),
    ],
)
def test_schema_violations_map_to_codes(
    version: OCPPVersion, action: str, payload: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error) as info:
        schema_set(version).validate_request(action, payload)
    assert info.value.details["path"].startswith("payload")  # type: ignore[attr-defined]


@pytest.mark.parametrize("version", list(OCPPVersion))
def test_schema_sets_know_both_directions(version: OCPPVersion) -> None:
    schemas = schema_set(version)
    assert {"BootNotification", "Heartbeat", "Authorize", "DataTransfer"} <= schemas.actions
    reset = {"type": "Soft"} if version is V16 else {"type": "Immediate"}
    schemas.validate_request("Reset", reset)
    schemas.validate_response("Reset", {"status": "Accepted"})
    assert (version is V21) == ("NotifyPeriodicEventStream" in schemas.send_actions)


@pytest.mark.parametrize("version", list(OCPPVersion))
def test_every_official_schema_compiles(version: OCPPVersion) -> None:
    """draft-04 (1.6) and draft-06 (2.x) schemas, with their definitions and $refs."""
    schemas = schema_set(version)
    schemas.compile_all()
    for action in schemas.actions:
        assert schemas.request_validator(action) is not None


def test_validation_never_writes_defaults_into_the_payload() -> None:
    payload: dict[str, Any] = {"chargePointVendor": "v", "chargePointModel": "m"}
    schema_set(V16).validate_request("BootNotification", payload)
    assert payload == {"chargePointVendor": "v", "chargePointModel": "m"}


# -- RPC session ------------------------------------------------------------------------------


async def _heartbeat(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    return {"currentTime": "2024-01-01T00:00:00Z"}


def _session(version: OCPPVersion, **kwargs: Any) -> RpcSession:
    table = HandlerTable(version)
    table.on("Heartbeat")(_heartbeat)
    if version is V21:
        table.on("NotifyPeriodicEventStream")(_heartbeat)
    return RpcSession(version, schema_set(version), table, **kwargs)


@pytest.mark.parametrize("version", list(OCPPVersion))
def test_call_dispatch_and_reply(version: OCPPVersion) -> None:
    session = _session(version)
    decision = session.receive('[2,"1","Heartbeat",{}]')
    assert isinstance(decision, Dispatch)
    # a second CALL with the same id while the first is in progress is refused
    duplicate = session.receive('[2,"1","Heartbeat",{}]')
    assert isinstance(duplicate, Reply)
    assert orjson.loads(duplicate.text)[:3] == [
        4,
        "1",
        ERROR_RULES[version].wire(ERROR_RULES[version].duplicate_message_id),
    ]
    text = session.complete(decision.call, {"currentTime": "2024-01-01T00:00:00Z"})
    assert orjson.loads(text or "") == [3, "1", {"currentTime": "2024-01-01T00:00:00Z"}]
    # once answered, the id may be used again
    assert isinstance(session.receive('[2,"1","Heartbeat",{}]'), Dispatch)


@pytest.mark.parametrize("version", list(OCPPVersion))
def test_unknown_and_unsupported_actions(version: OCPPVersion) -> None:
    session = _session(version)
    unknown = session.receive('[2,"1","MakeCoffee",{}]')
    assert isinstance(unknown, Reply) and not unknown.bad
    assert orjson.loads(unknown.text)[2] == "NotImplemented"
    unsupported = session.receive('[2,"2","Authorize",{}]')
    assert isinstance(unsupported, Reply)
    assert orjson.loads(unsupported.text)[2] == "NotSupported"


def test_invalid_handler_result_becomes_internal_error() -> None:
    session = _session(V201)
    decision = session.receive('[2,"9","Heartbeat",{}]')
    assert isinstance(decision, Dispatch)
    text = session.complete(decision.call, {"currentTime": 42})
    assert orjson.loads(text or "")[:3] == [4, "9", "InternalError"]
    unchecked = _session(V201, validate_responses=False)
    decision = unchecked.receive('[2,"9","Heartbeat",{}]')
    assert isinstance(decision, Dispatch)
    assert orjson.loads(unchecked.complete(decision.call, {"currentTime": 42}) or "")[0] == 3


def test_handler_exceptions_are_encoded_per_version() -> None:
    session = _session(V16)
    decision = session.receive('[2,"3","Heartbeat",{}]')
    assert isinstance(decision, Dispatch)
    text = session.fail(decision.call, FormatViolationError("bad", {"k": "v"}))
    assert orjson.loads(text or "") == [4, "3", "FormationViolation", "bad", {"k": "v"}]
    decision = session.receive('[2,"4","Heartbeat",{}]')
    assert isinstance(decision, Dispatch)
    text = session.fail(decision.call, ValueError("secret internals"))
    assert orjson.loads(text or "")[2:4] == ["InternalError", "An internal error occurred"]


def test_unknown_message_type_per_version() -> None:
    ignored = _session(V16).receive('[7,"1","X",{}]')
    assert isinstance(ignored, Ignore) and ignored.bad
    for version in (V201, V21):
        reply = _session(version).receive('[7,"1","X",{}]')
        assert isinstance(reply, Reply)
        assert orjson.loads(reply.text)[:3] == [4, "1", "MessageTypeNotSupported"]


def test_send_is_dispatched_but_never_answered() -> None:
    session = _session(V21)
    payload = {
        "id": 1,
        "pending": 0,
        "basetime": "2024-01-01T00:00:00Z",
        "data": [{"t": 0, "v": "1"}],
    }
    decision = session.receive(orjson.dumps([6, "5", "NotifyPeriodicEventStream", payload]))
    assert isinstance(decision, Dispatch) and isinstance(decision.call, Send)
    assert session.complete(decision.call, {}) is None
    invalid = session.receive('[6,"6","NotifyPeriodicEventStream",{}]')
    assert isinstance(invalid, Ignore)


@pytest.mark.parametrize("version", list(OCPPVersion))
def test_outbound_call_bookkeeping(version: OCPPVersion) -> None:
    session = _session(version)
    payload = {"type": "Soft"} if version is V16 else {"type": "OnIdle"}
    unique_id, text = session.prepare_call("Reset", payload)
    assert orjson.loads(text) == [2, unique_id, "Reset", payload]
    session.begin(unique_id, "Reset")
    # a result for another id is ignored
    assert isinstance(session.receive('[3,"other",{"status":"Accepted"}]'), Ignore)
    answer = session.receive(f'[3,"{unique_id}",{{"status":"Accepted"}}]')
    assert isinstance(answer, Answer) and answer.payload == {"status": "Accepted"}
    assert session.pending_id is None
    # ids are unique
    assert session.prepare_call("Reset", payload)[0] != unique_id


def test_outbound_call_rejects_bad_payload_and_unknown_action() -> None:
    session = _session(V16)
    with pytest.raises(PropertyConstraintViolationError):
        session.prepare_call("Reset", {"type": "Sideways"})
    with pytest.raises(NotImplementedCallError):
        session.prepare_call("RequestStartTransaction", {})


def test_callerror_answer_and_invalid_result() -> None:
    session = _session(V21)
    unique_id, _ = session.prepare_call("Reset", {"type": "Immediate"})
    session.begin(unique_id, "Reset")
    answer = session.receive(f'[4,"{unique_id}","NotSupported","nope",{{}}]')
    assert isinstance(answer, Answer) and isinstance(answer.error, NotSupportedError)
    unique_id, _ = session.prepare_call("Reset", {"type": "Immediate"})
    session.begin(unique_id, "Reset")
    answer = session.receive(f'[3,"{unique_id}",{{"status":"Maybe"}}]')
    assert isinstance(answer, Answer) and isinstance(answer.error, InvalidResponseError)
    # 2.1 tells the station its CALLRESULT was not acceptable
    assert answer.reply is not None
    assert orjson.loads(answer.reply)[:3] == [5, unique_id, "PropertyConstraintViolation"]


def test_too_many_calls_in_progress_are_refused() -> None:
    session = _session(V201, max_in_progress=2)
    first = session.receive('[2,"1","Heartbeat",{}]')
    assert isinstance(session.receive('[2,"2","Heartbeat",{}]'), Dispatch)
    refused = session.receive('[2,"3","Heartbeat",{}]')
    assert isinstance(refused, Reply) and refused.bad
    assert orjson.loads(refused.text)[:3] == [4, "3", "RpcFrameworkError"]
    assert isinstance(first, Dispatch)
    session.complete(first.call, {"currentTime": "2024-01-01T00:00:00Z"})
    assert isinstance(session.receive('[2,"3","Heartbeat",{}]'), Dispatch)


def test_errors_about_our_own_frames_are_ignored() -> None:
    session = _session(V21)
    # the station could not process one of our CALLRESULTs (2.1), or could not read a frame
    rejected = session.receive('[5,"x","FormatViolation","bad result",{}]')
    assert isinstance(rejected, Ignore) and not rejected.bad
    unreadable = session.receive('[4,"-1","RpcFrameworkError","unreadable",{}]')
    assert isinstance(unreadable, Ignore) and not unreadable.bad
    # CALLERROR without the details element is accepted leniently
    unique_id, _ = session.prepare_call("Reset", {"type": "Immediate"})
    session.begin(unique_id, "Reset")
    answer = session.receive(f'[4,"{unique_id}","GenericError","oops"]')
    assert isinstance(answer, Answer) and answer.error is not None
    assert answer.error.details == {}


def test_docstring_examples_run() -> None:
    import doctest

    from ocpp_gw.protocol import framing, security

    for module in (framing, security):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__
