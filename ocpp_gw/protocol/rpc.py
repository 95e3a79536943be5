"""The RPC rules of one OCPP-J link, without I/O.

:class:`RpcSession` turns every received frame into one decision for the transport
(:class:`Dispatch`, :class:`Reply`, :class:`Answer` or :class:`Ignore`) and encodes what goes back.
It applies the rules in the order the specifications imply: frame structure, duplicate message id,
known action (``NotImplemented``), handler present (``NotSupported``), schema validation — so a
handler only ever sees a valid payload. The transport (``ocpp_gw.connection``) owns sockets, tasks
and timers::

    session = RpcSession(OCPPVersion.v16, schema_set(OCPPVersion.v16), table)
    decision = session.receive('[2, "42", "Heartbeat", {}]')
    if isinstance(decision, Dispatch):
        result = await decision.handler(ctx, decision.call.payload)
        text = session.complete(decision.call, result)
"""

from __future__ import annotations

import itertools
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from ocpp_gw.handlers.base import Handler, HandlerTable, OCPPVersion
from ocpp_gw.protocol.errors import (
    ERROR_RULES,
    ErrorCode,
    InternalError,
    OCPPCallError,
    error_class,
    error_from_wire,
)
from ocpp_gw.protocol.framing import (
    Call,
    CallError,
    CallResult,
    CallResultError,
    FrameError,
    MessageType,
    Send,
    encode_call,
    encode_call_error,
    encode_call_result,
    encode_send,
    parse_frame,
)
from ocpp_gw.protocol.validation import SchemaSet

__all__ = [
    "Answer",
    "Decision",
    "Dispatch",
    "Ignore",
    "InvalidResponseError",
    "Reply",
    "RpcSession",
]

logger = logging.getLogger(__name__)


class InvalidResponseError(OCPPCallError):
    """The station's CALLRESULT to our CALL does not match the response schema.

    Carries the schema violation it found (``violation``) so callers can tell why.
    """

    error_code = ErrorCode.FORMAT_VIOLATION

    def __init__(self, violation: OCPPCallError) -> None:
        super().__init__(f"Invalid response: {violation.description}", violation.details)
        self.violation = violation
        self.error_code_found = violation.error_code


@dataclass(slots=True)
class Dispatch:
    """Run ``handler`` for a valid CALL (or 2.1 SEND: ``call`` is a :class:`Send`)."""

    call: Call | Send
    handler: Handler


@dataclass(slots=True)
class Reply:
    """Send ``text`` (an error frame) back at once; ``bad`` counts against the budget."""

    text: str
    reason: str
    bad: bool = True


@dataclass(slots=True)
class Answer:
    """The reply to our own CALL arrived: ``payload`` or ``error`` is set.

    ``reply`` is a frame to send back (2.1 CALLRESULTERROR for an invalid result), if any.
    """

    unique_id: str
    payload: dict[str, Any] | None
    error: OCPPCallError | None
    reply: str | None = None


@dataclass(slots=True)
class Ignore:
    reason: str
    bad: bool


Decision = Dispatch | Reply | Answer | Ignore


class RpcSession:
    """Per-connection RPC state: inbound ids in progress and the one outbound CALL in flight."""

    __slots__ = (
        "_counter",
        "_in_progress",
        "_max_in_progress",
        "_prefix",
        "handlers",
        "pending_action",
        "pending_id",
        "rules",
        "schemas",
        "validate_responses",
        "version",
    )

    def __init__(
        self,
        version: OCPPVersion,
        schemas: SchemaSet,
        handlers: HandlerTable,
        *,
        validate_responses: bool = True,
        max_in_progress: int = 8,
    ) -> None:
        self.version = version
        self.schemas = schemas
        self.handlers = handlers
        self.rules = ERROR_RULES[version]
        self.validate_responses = validate_responses
        self._in_progress: set[str] = set()
        self._max_in_progress = max_in_progress
        # Ids must not repeat across connections of the same station (2.1): random prefix + counter.
        self._prefix = uuid.uuid4().hex[:12]
        self._counter = itertools.count(1)
        self.pending_id: str | None = None
        self.pending_action: str | None = None

    # -- inbound -------------------------------------------------------------------------------

    def receive(self, data: str | bytes) -> Decision:
        """Decide what to do with one received frame."""
        try:
            message = parse_frame(data, self.version)
        except FrameError as exc:
            return self._error_reply(exc.unique_id, exc.error, exc.description)
        if isinstance(message, (Call, Send)):
            return self._receive_call(message)
        if isinstance(message, CallResult):
            return self._receive_result(message)
        if isinstance(message, CallError):
            return self._receive_error(message)
        if isinstance(message, CallResultError):
            # 2.1: the station could not process one of our CALLRESULTs; nothing to answer.
            return Ignore(f"station rejected our CALLRESULT: {message}", bad=False)
        code = self.rules.unknown_message_type
        if code is None:
            return Ignore(f"unknown message type {message.message_type}", bad=True)
        return self._error_reply(
            message.unique_id, code, f"Message type {message.message_type} is not supported"
        )

    def _receive_call(self, call: Call | Send) -> Decision:
        is_send = type(call) is Send
        if call.action not in self.schemas:
            if is_send:
                return Ignore(f"unknown SEND action {call.action!r}", bad=True)
            return self._error_reply(
                call.unique_id,
                ErrorCode.NOT_IMPLEMENTED,
                f"Unknown action {call.action!r}",
                bad=False,
            )
        if not is_send and call.action in self.schemas.send_actions:
            # 2.1 unconfirmed messages have no response schema: a CALL of one cannot be answered.
            return self._error_reply(
                call.unique_id,
                ErrorCode.PROTOCOL_ERROR,
                f"{call.action} is an unconfirmed message; send it as SEND (6)",
            )
        if not is_send and call.unique_id in self._in_progress:
            return self._error_reply(
                call.unique_id,
                self.rules.duplicate_message_id,
                "A message with this id is still being processed",
            )
        if not is_send and len(self._in_progress) >= self._max_in_progress:
            return self._error_reply(
                call.unique_id,
                self.rules.too_many_calls,
                "Too many CALLs in progress; wait for the answers",
            )
        handler = self.handlers.get(call.action)
        if handler is None:
            if is_send:
                return Ignore(f"no handler for SEND {call.action!r}", bad=False)
            return self._error_reply(
                call.unique_id,
                ErrorCode.NOT_SUPPORTED,
                f"{call.action} is not supported",
                bad=False,
            )
        try:
            self.schemas.validate_request(call.action, call.payload)
        except OCPPCallError as exc:
            if is_send:
                return Ignore(f"invalid SEND {call.action}: {exc.description}", bad=True)
            return self._error_reply(call.unique_id, exc.error_code, exc.description, exc.details)
        if not is_send:
            self._in_progress.add(call.unique_id)
        return Dispatch(call, handler)

    def complete(self, call: Call | Send, result: dict[str, Any]) -> str | None:
        """Encode the handler's ``result`` for ``call`` (``None`` for a SEND: no reply)."""
        self._in_progress.discard(call.unique_id)
        if type(call) is Send:
            return None
        if self.validate_responses:
            try:
                self.schemas.validate_response(call.action, result)
            except OCPPCallError as exc:
                logger.error(
                    "handler for %s returned an invalid %s response: %s",
                    call.action,
                    self.version.value,
                    exc.description,
                )
                return self.encode_error(
                    call.unique_id, InternalError("Handler returned an invalid response")
                )
        return encode_call_result(call.unique_id, result)

    def fail(self, call: Call | Send, exc: BaseException) -> str | None:
        """Encode the CALLERROR answering ``call`` whose handler raised ``exc``."""
        self._in_progress.discard(call.unique_id)
        if type(call) is Send:
            return None
        if not isinstance(exc, OCPPCallError):
            exc = InternalError("An internal error occurred")
        return self.encode_error(call.unique_id, exc)

    def encode_error(self, unique_id: str, exc: OCPPCallError) -> str:
        return encode_call_error(
            unique_id, self.rules.wire(exc.error_code), exc.description, exc.details
        )

    def _error_reply(
        self,
        unique_id: str,
        code: ErrorCode,
        description: str,
        details: dict[str, Any] | None = None,
        *,
        bad: bool = True,
    ) -> Reply:
        text = encode_call_error(unique_id, self.rules.wire(code), description, details)
        return Reply(text, description, bad)

    # -- outbound ------------------------------------------------------------------------------

    def new_id(self) -> str:
        return f"{self._prefix}-{next(self._counter)}"

    def prepare_call(self, action: str, payload: dict[str, Any]) -> tuple[str, str]:
        """Validate an outbound CALL and encode it; returns ``(unique_id, text)``.

        Raises :class:`OCPPCallError` subclasses (``NotImplementedCallError`` for an action the
        version does not have, a constraint error for a bad payload) before anything is sent.
        """
        if action not in self.schemas or action in self.schemas.send_actions:
            raise error_class(ErrorCode.NOT_IMPLEMENTED)(
                f"OCPP {self.version.value} has no CALL {action!r}"
            )
        self.schemas.validate_request(action, payload)
        unique_id = self.new_id()
        return unique_id, encode_call(unique_id, action, payload)

    def prepare_send(self, action: str, payload: dict[str, Any]) -> str:
        """Validate and encode a 2.1 SEND (unconfirmed message)."""
        if self.version is not OCPPVersion.v21 or action not in self.schemas:
            raise error_class(ErrorCode.NOT_IMPLEMENTED)(
                f"OCPP {self.version.value} has no SEND {action!r}"
            )
        self.schemas.validate_request(action, payload)
        return encode_send(self.new_id(), action, payload)

    def begin(self, unique_id: str, action: str) -> None:
        """Mark ``unique_id`` as the CALL in flight."""
        self.pending_id = unique_id
        self.pending_action = action

    def end(self, unique_id: str) -> None:
        """Forget the CALL in flight (answered, timed out or cancelled)."""
        if self.pending_id == unique_id:
            self.pending_id = None
            self.pending_action = None

    def _receive_result(self, result: CallResult) -> Decision:
        if result.unique_id != self.pending_id:
            return Ignore(f"CALLRESULT for unknown or expired id {result.unique_id!r}", bad=False)
        action = self.pending_action
        assert action is not None
        self.end(result.unique_id)
        try:
            self.schemas.validate_response(action, result.payload)
        except OCPPCallError as exc:
            reply = None
            if self.version is OCPPVersion.v21:
                reply = encode_call_error(
                    result.unique_id,
                    self.rules.wire(exc.error_code),
                    exc.description,
                    exc.details,
                    message_type=MessageType.CALLRESULTERROR,
                )
            return Answer(result.unique_id, None, InvalidResponseError(exc), reply)
        return Answer(result.unique_id, result.payload, None)

    def _receive_error(self, error: CallError) -> Decision:
        if error.unique_id != self.pending_id:
            # A CALLERROR with id "-1" is the station telling us a frame of ours was unreadable.
            return Ignore(
                f"CALLERROR {error.code} for unknown id {error.unique_id!r}: {error.description}",
                bad=False,
            )
        self.end(error.unique_id)
        exc = error_from_wire(error.code, error.description, error.details)
        return Answer(error.unique_id, None, exc)
