"""OCPP-J message frames: parse text into typed messages and encode messages into text.

No I/O and no validation of payloads (see :mod:`ocpp_gw.protocol.validation`); this module only
knows the RPC envelope shared by all editions::

    [2, "<id>", "<action>", {payload}]                       CALL
    [3, "<id>", {payload}]                                   CALLRESULT
    [4, "<id>", "<code>", "<description>", {details}]        CALLERROR
    [5, "<id>", "<code>", "<description>", {details}]        CALLRESULTERROR (2.1)
    [6, "<id>", "<action>", {payload}]                       SEND (2.1)

>>> parse_frame('[2, "1", "Heartbeat", {}]', OCPPVersion.v16)
Call(unique_id='1', action='Heartbeat', payload={})
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import orjson

from ocpp_gw.handlers.base import OCPPVersion
from ocpp_gw.protocol.errors import ERROR_RULES, ErrorCode

__all__ = [
    "MAX_MESSAGE_ID_LENGTH",
    "UNREADABLE_ID",
    "Call",
    "CallError",
    "CallResult",
    "CallResultError",
    "FrameError",
    "Message",
    "MessageType",
    "Send",
    "UnknownMessageType",
    "encode_call",
    "encode_call_error",
    "encode_call_result",
    "encode_send",
    "parse_frame",
]

#: Message ids are at most 36 characters (room for a UUID) in every edition.
MAX_MESSAGE_ID_LENGTH = 36
#: The id to answer with when the received frame's id cannot be read.
UNREADABLE_ID = "-1"


class MessageType(IntEnum):
    CALL = 2
    CALLRESULT = 3
    CALLERROR = 4
    CALLRESULTERROR = 5
    SEND = 6


_TYPES_BY_VERSION: dict[OCPPVersion, frozenset[int]] = {
    OCPPVersion.v16: frozenset({2, 3, 4}),
    OCPPVersion.v201: frozenset({2, 3, 4}),
    OCPPVersion.v21: frozenset({2, 3, 4, 5, 6}),
}


@dataclass(slots=True)
class Call:
    unique_id: str
    action: str
    payload: dict[str, Any]


@dataclass(slots=True)
class Send:
    """2.1 unconfirmed message: processed like a CALL, never answered."""

    unique_id: str
    action: str
    payload: dict[str, Any]


@dataclass(slots=True)
class CallResult:
    unique_id: str
    payload: dict[str, Any]


@dataclass(slots=True)
class CallError:
    unique_id: str
    code: str
    description: str
    details: dict[str, Any]


@dataclass(slots=True)
class CallResultError:
    """2.1: the peer could not process a CALLRESULT we sent."""

    unique_id: str
    code: str
    description: str
    details: dict[str, Any]


@dataclass(slots=True)
class UnknownMessageType:
    """A well-formed frame whose message type number this edition does not know."""

    unique_id: str
    message_type: int


Message = Call | Send | CallResult | CallError | CallResultError | UnknownMessageType


class FrameError(Exception):
    """The frame is not a valid RPC message.

    ``unique_id`` is the id to answer with (``"-1"`` when it could not be read) and ``error`` the
    version-neutral code; the caller decides whether and how to answer.
    """

    def __init__(self, unique_id: str, error: ErrorCode, description: str) -> None:
        super().__init__(description)
        self.unique_id = unique_id
        self.error = error
        self.description = description


def parse_frame(data: str | bytes, version: OCPPVersion) -> Message:
    """Decode one WebSocket text frame; raise :class:`FrameError` when it is not an RPC message."""
    rules = ERROR_RULES[version]
    try:
        frame = orjson.loads(data)
    except orjson.JSONDecodeError:
        raise FrameError(UNREADABLE_ID, rules.unreadable_frame, "Frame is not valid JSON") from None
    if type(frame) is not list or len(frame) < 3:
        raise FrameError(
            UNREADABLE_ID, rules.unreadable_frame, "Frame is not an array of 3 or more elements"
        )
    unique_id = frame[1]
    if type(unique_id) is not str or not unique_id:
        raise FrameError(UNREADABLE_ID, rules.unreadable_frame, "MessageId is not a string")
    if len(unique_id) > MAX_MESSAGE_ID_LENGTH:
        raise FrameError(unique_id, rules.malformed_frame, "MessageId is longer than 36 characters")
    message_type = frame[0]
    if type(message_type) is not int:
        raise FrameError(unique_id, rules.malformed_frame, "MessageTypeId is not an integer")
    if message_type not in _TYPES_BY_VERSION[version]:
        return UnknownMessageType(unique_id, message_type)
    size = len(frame)
    if message_type == 2 or message_type == 6:
        if size != 4:
            raise FrameError(unique_id, rules.malformed_frame, "CALL must have 4 elements")
        action, payload = frame[2], frame[3]
        if type(action) is not str or not action:
            raise FrameError(unique_id, rules.malformed_frame, "Action is not a string")
        if payload is None:  # the spec allows null for "no payload"
            payload = {}
        elif type(payload) is not dict:
            raise FrameError(unique_id, ErrorCode.FORMAT_VIOLATION, "Payload is not an object")
        return (
            Call(unique_id, action, payload)
            if message_type == 2
            else Send(unique_id, action, payload)
        )
    if message_type == 3:
        if size != 3:
            raise FrameError(unique_id, rules.malformed_frame, "CALLRESULT must have 3 elements")
        payload = frame[2]
        if payload is None:
            payload = {}
        elif type(payload) is not dict:
            raise FrameError(unique_id, rules.malformed_frame, "Payload is not an object")
        return CallResult(unique_id, payload)
    # CALLERROR / CALLRESULTERROR; be lenient with a missing details element.
    if size not in (4, 5):
        raise FrameError(unique_id, rules.malformed_frame, "CALLERROR must have 5 elements")
    code, description = frame[2], frame[3]
    details = frame[4] if size == 5 else {}
    if type(code) is not str or type(description) is not str:
        raise FrameError(unique_id, rules.malformed_frame, "Error code/description not strings")
    if type(details) is not dict:
        details = {"details": details}
    if message_type == 4:
        return CallError(unique_id, code, description, details)
    return CallResultError(unique_id, code, description, details)


def _dumps(frame: list[Any]) -> str:
    return orjson.dumps(frame).decode()


def encode_call(unique_id: str, action: str, payload: dict[str, Any]) -> str:
    return _dumps([2, unique_id, action, payload])


def encode_send(unique_id: str, action: str, payload: dict[str, Any]) -> str:
    return _dumps([6, unique_id, action, payload])


def encode_call_result(unique_id: str, payload: dict[str, Any]) -> str:
    return _dumps([3, unique_id, payload])


def encode_call_error(
    unique_id: str,
    code: str,
    description: str = "",
    details: dict[str, Any] | None = None,
    *,
    message_type: MessageType = MessageType.CALLERROR,
) -> str:
    """Encode a CALLERROR (or 2.1 CALLRESULTERROR); the description is cut to 255 characters."""
    return _dumps([int(message_type), unique_id, code, description[:255], details or {}])
