"""OCPP-J RPC error codes, per version, as data — and the exceptions that carry them.

Each OCPP-J edition has its own table of valid ``errorCode`` strings. OCPP 1.6 keeps two
misspelt codes (``FormationViolation``, ``OccurenceConstraintViolation``) that its errata refuse
to fix, and lacks ``MessageTypeNotSupported`` and ``RpcFrameworkError``. The gateway thinks in
version-neutral :class:`ErrorCode` members and only turns them into wire strings through
:data:`ERROR_RULES` at the edge.

Handlers raise one of the :class:`OCPPCallError` subclasses to answer with a CALLERROR; the same
classes are raised by :meth:`ocpp_gw.OCPPGateway.call` when a station answers with a CALLERROR::

    raise NotSupportedError("Only Soft reset is possible", details={"requested": "Hard"})

    try:
        await gateway.call("CP1", "Reset", {"type": "Hard"})
    except NotSupportedError as exc:
        print(exc.code, exc.description, exc.details)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import Any, ClassVar

from ocpp_gw.handlers.base import OCPPVersion

__all__ = [
    "ERROR_RULES",
    "ErrorCode",
    "ErrorRules",
    "FormatViolationError",
    "GenericError",
    "InternalError",
    "MessageTypeNotSupportedError",
    "NotImplementedCallError",
    "NotSupportedError",
    "OCPPCallError",
    "OCPPError",
    "OccurrenceConstraintViolationError",
    "PropertyConstraintViolationError",
    "ProtocolError",
    "RpcFrameworkError",
    "SecurityError",
    "TypeConstraintViolationError",
    "error_class",
    "error_from_wire",
]


class ErrorCode(str, Enum):
    """Version-neutral RPC error codes (values use the 2.x spelling)."""

    FORMAT_VIOLATION = "FormatViolation"
    GENERIC_ERROR = "GenericError"
    INTERNAL_ERROR = "InternalError"
    MESSAGE_TYPE_NOT_SUPPORTED = "MessageTypeNotSupported"
    NOT_IMPLEMENTED = "NotImplemented"
    NOT_SUPPORTED = "NotSupported"
    OCCURRENCE_CONSTRAINT_VIOLATION = "OccurrenceConstraintViolation"
    PROPERTY_CONSTRAINT_VIOLATION = "PropertyConstraintViolation"
    PROTOCOL_ERROR = "ProtocolError"
    RPC_FRAMEWORK_ERROR = "RpcFrameworkError"
    SECURITY_ERROR = "SecurityError"
    TYPE_CONSTRAINT_VIOLATION = "TypeConstraintViolation"


# JSON-schema keyword that failed → error code. The same reading of the tables for every version:
# a wrong JSON type is a type constraint; a missing field or wrong number of array items breaks an
# occurrence (cardinality) constraint; a bad value of the right type breaks a property constraint;
# anything that does not fit the message structure at all (unknown fields, payload not an object,
# combinators) is a format violation.
_SCHEMA_RULES: Mapping[str, ErrorCode] = MappingProxyType(
    {
        "type": ErrorCode.TYPE_CONSTRAINT_VIOLATION,
        "required": ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION,
        "minItems": ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION,
        "maxItems": ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION,
        "minProperties": ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION,
        "maxProperties": ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION,
        "enum": ErrorCode.PROPERTY_CONSTRAINT_VIOLATION,
        "const": ErrorCode.PROPERTY_CONSTRAINT_VIOLATION,
        "maxLength": ErrorCode.PROPERTY_CONSTRAINT_VIOLATION,
        "minLength": ErrorCode.PROPERTY_CONSTRAINT_VIOLATION,
        "pattern": ErrorCode.PROPERTY_CONSTRAINT_VIOLATION,
        "format": ErrorCode.PROPERTY_CONSTRAINT_VIOLATION,
        "minimum": ErrorCode.PROPERTY_CONSTRAINT_VIOLATION,
        "maximum": ErrorCode.PROPERTY_CONSTRAINT_VIOLATION,
        "exclusiveMinimum": ErrorCode.PROPERTY_CONSTRAINT_VIOLATION,
        "exclusiveMaximum": ErrorCode.PROPERTY_CONSTRAINT_VIOLATION,
        "multipleOf": ErrorCode.PROPERTY_CONSTRAINT_VIOLATION,
        "uniqueItems": ErrorCode.PROPERTY_CONSTRAINT_VIOLATION,
        "additionalProperties": ErrorCode.FORMAT_VIOLATION,
    }
)


@dataclass(frozen=True, slots=True)
class ErrorRules:
    """How one OCPP-J edition reports RPC errors.

    ``codes`` holds the valid wire strings; a code missing from it is reported as
    ``GenericError``. The situation fields say which code answers which framing problem;
    ``unknown_message_type`` is ``None`` when the edition says to ignore such frames silently.
    """

    version: OCPPVersion
    codes: Mapping[ErrorCode, str]
    unreadable_frame: ErrorCode
    malformed_frame: ErrorCode
    duplicate_message_id: ErrorCode
    too_many_calls: ErrorCode
    unknown_message_type: ErrorCode | None
    schema_rules: Mapping[str, ErrorCode] = field(default_factory=lambda: _SCHEMA_RULES)

    def wire(self, code: ErrorCode) -> str:
        """The ``errorCode`` string to send for ``code`` in this edition."""
        return self.codes.get(code) or self.codes[ErrorCode.GENERIC_ERROR]

    def schema_violation(self, keyword: str) -> ErrorCode:
        return self.schema_rules.get(keyword, ErrorCode.FORMAT_VIOLATION)


_V16_CODES: Mapping[ErrorCode, str] = MappingProxyType(
    {
        ErrorCode.NOT_IMPLEMENTED: "NotImplemented",
        ErrorCode.NOT_SUPPORTED: "NotSupported",
        ErrorCode.INTERNAL_ERROR: "InternalError",
        ErrorCode.PROTOCOL_ERROR: "ProtocolError",
        ErrorCode.SECURITY_ERROR: "SecurityError",
        ErrorCode.FORMAT_VIOLATION: "FormationViolation",
        ErrorCode.PROPERTY_CONSTRAINT_VIOLATION: "PropertyConstraintViolation",
        ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION: "OccurenceConstraintViolation",
        ErrorCode.TYPE_CONSTRAINT_VIOLATION: "TypeConstraintViolation",
        ErrorCode.GENERIC_ERROR: "GenericError",
    }
)

_V2_CODES: Mapping[ErrorCode, str] = MappingProxyType({code: code.value for code in ErrorCode})

#: The RPC error rules of each OCPP-J edition.
ERROR_RULES: Mapping[OCPPVersion, ErrorRules] = MappingProxyType(
    {
        OCPPVersion.v16: ErrorRules(
            version=OCPPVersion.v16,
            codes=_V16_CODES,
            # 1.6 has no RPC-level code: an unreadable frame is "syntactically incorrect", a frame
            # with a readable id but missing/wrong elements is "incomplete".
            unreadable_frame=ErrorCode.FORMAT_VIOLATION,
            malformed_frame=ErrorCode.PROTOCOL_ERROR,
            duplicate_message_id=ErrorCode.PROTOCOL_ERROR,
            too_many_calls=ErrorCode.PROTOCOL_ERROR,
            unknown_message_type=None,
        ),
        OCPPVersion.v201: ErrorRules(
            version=OCPPVersion.v201,
            codes=_V2_CODES,
            unreadable_frame=ErrorCode.RPC_FRAMEWORK_ERROR,
            malformed_frame=ErrorCode.RPC_FRAMEWORK_ERROR,
            duplicate_message_id=ErrorCode.RPC_FRAMEWORK_ERROR,
            too_many_calls=ErrorCode.RPC_FRAMEWORK_ERROR,
            unknown_message_type=ErrorCode.MESSAGE_TYPE_NOT_SUPPORTED,
        ),
        OCPPVersion.v21: ErrorRules(
            version=OCPPVersion.v21,
            codes=_V2_CODES,
            unreadable_frame=ErrorCode.RPC_FRAMEWORK_ERROR,
            malformed_frame=ErrorCode.RPC_FRAMEWORK_ERROR,
            duplicate_message_id=ErrorCode.RPC_FRAMEWORK_ERROR,
            too_many_calls=ErrorCode.RPC_FRAMEWORK_ERROR,
            unknown_message_type=ErrorCode.MESSAGE_TYPE_NOT_SUPPORTED,
        ),
    }
)

# Wire string → code, accepting either spelling from any edition (stations get them wrong too).
_FROM_WIRE: Mapping[str, ErrorCode] = MappingProxyType(
    {
        **{code.value: code for code in ErrorCode},
        "FormationViolation": ErrorCode.FORMAT_VIOLATION,
        "OccurenceConstraintViolation": ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION,
    }
)


class OCPPError(Exception):
    """Root of every exception the gateway raises (see :mod:`ocpp_gw.exceptions`)."""


class OCPPCallError(OCPPError):
    """A CALLERROR: raised by handlers to answer with one, raised by calls that received one.

    ``error_code`` is the version-neutral code; ``code`` the wire string (as received, or what
    the 2.x spelling would be when raised locally).
    """

    error_code: ClassVar[ErrorCode] = ErrorCode.GENERIC_ERROR

    def __init__(
        self,
        description: str = "",
        details: dict[str, Any] | None = None,
        *,
        code: str | None = None,
    ) -> None:
        super().__init__(description or self.error_code.value)
        self.description = description
        self.details: dict[str, Any] = details if details is not None else {}
        self.code = code or self.error_code.value

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, description={self.description!r})"


class FormatViolationError(OCPPCallError):
    error_code = ErrorCode.FORMAT_VIOLATION


class GenericError(OCPPCallError):
    error_code = ErrorCode.GENERIC_ERROR


class InternalError(OCPPCallError):
    error_code = ErrorCode.INTERNAL_ERROR


class MessageTypeNotSupportedError(OCPPCallError):
    error_code = ErrorCode.MESSAGE_TYPE_NOT_SUPPORTED


class NotImplementedCallError(OCPPCallError):
    """``NotImplemented``: the action is not known (named so as not to shadow the builtin)."""

    error_code = ErrorCode.NOT_IMPLEMENTED


class NotSupportedError(OCPPCallError):
    error_code = ErrorCode.NOT_SUPPORTED


class OccurrenceConstraintViolationError(OCPPCallError):
    error_code = ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION


class PropertyConstraintViolationError(OCPPCallError):
    error_code = ErrorCode.PROPERTY_CONSTRAINT_VIOLATION


class ProtocolError(OCPPCallError):
    error_code = ErrorCode.PROTOCOL_ERROR


class RpcFrameworkError(OCPPCallError):
    error_code = ErrorCode.RPC_FRAMEWORK_ERROR


class SecurityError(OCPPCallError):
    error_code = ErrorCode.SECURITY_ERROR


class TypeConstraintViolationError(OCPPCallError):
    error_code = ErrorCode.TYPE_CONSTRAINT_VIOLATION


_CLASSES: Mapping[ErrorCode, type[OCPPCallError]] = MappingProxyType(
    {
        cls.error_code: cls
        for cls in (
            FormatViolationError,
            GenericError,
            InternalError,
            MessageTypeNotSupportedError,
            NotImplementedCallError,
            NotSupportedError,
            OccurrenceConstraintViolationError,
            PropertyConstraintViolationError,
            ProtocolError,
            RpcFrameworkError,
            SecurityError,
            TypeConstraintViolationError,
        )
    }
)


def error_class(code: ErrorCode) -> type[OCPPCallError]:
    """The exception class for ``code``."""
    return _CLASSES[code]


def error_from_wire(code: str, description: str, details: dict[str, Any]) -> OCPPCallError:
    """Build the typed exception for a received CALLERROR; unknown codes become ``GenericError``."""
    cls = _CLASSES[_FROM_WIRE.get(code, ErrorCode.GENERIC_ERROR)]
    return cls(description, details, code=code)
