"""Every exception the gateway raises, as one tree::

    OCPPError
    ├── OCPPCallError                     a CALLERROR (raised by handlers, or received)
    │   ├── FormatViolationError          1.6 "FormationViolation"
    │   │   └── InvalidResponseError      the station's CALLRESULT failed the response schema
    │   ├── GenericError
    │   ├── InternalError
    │   ├── MessageTypeNotSupportedError  2.x only
    │   ├── NotImplementedCallError       "NotImplemented": unknown action
    │   ├── NotSupportedError
    │   ├── OccurrenceConstraintViolationError   1.6 "OccurenceConstraintViolation"
    │   ├── PropertyConstraintViolationError
    │   ├── ProtocolError
    │   ├── RpcFrameworkError             2.x only
    │   ├── SecurityError
    │   └── TypeConstraintViolationError
    └── OCPPGatewayError                  the gateway could not complete a call
        ├── ChargerNotConnected           no node holds the station
        ├── CallTimeoutError              no answer in time (also a ``TimeoutError``)
        ├── ConnectionClosedError         the link dropped while the call waited
        ├── InvalidCallError              unknown action or invalid payload; nothing was sent
        └── UnsupportedVersionError       the station's version has no such action/helper

``InvalidCallError.violation`` holds the constraint error (``TypeConstraintViolationError`` ...)
that describes a bad outbound payload.
"""

from __future__ import annotations

from ocpp_gw.protocol.errors import (
    FormatViolationError,
    GenericError,
    InternalError,
    MessageTypeNotSupportedError,
    NotImplementedCallError,
    NotSupportedError,
    OccurrenceConstraintViolationError,
    OCPPCallError,
    OCPPError,
    PropertyConstraintViolationError,
    ProtocolError,
    RpcFrameworkError,
    SecurityError,
    TypeConstraintViolationError,
)
from ocpp_gw.protocol.rpc import InvalidResponseError

__all__ = [
    "CallTimeoutError",
    "ChargerNotConnected",
    "ConnectionClosedError",
    "FormatViolationError",
    "GenericError",
    "InternalError",
    "InvalidCallError",
    "InvalidResponseError",
    "MessageTypeNotSupportedError",
    "NotImplementedCallError",
    "NotSupportedError",
    "OCPPCallError",
    "OCPPError",
    "OCPPGatewayError",
    "OccurrenceConstraintViolationError",
    "PropertyConstraintViolationError",
    "ProtocolError",
    "RpcFrameworkError",
    "SecurityError",
    "TypeConstraintViolationError",
    "UnsupportedVersionError",
]


class OCPPGatewayError(OCPPError):
    """The gateway could not deliver a call or get its answer."""

    def __init__(self, message: str, *, charge_point_id: str | None = None) -> None:
        super().__init__(message)
        self.charge_point_id = charge_point_id


class ChargerNotConnected(OCPPGatewayError):
    """No gateway node currently holds a connection to the station."""


class CallTimeoutError(OCPPGatewayError, TimeoutError):
    """The station did not answer within the call's timeout (queueing time included)."""


class ConnectionClosedError(OCPPGatewayError):
    """The connection closed (or was replaced) while the call was queued or in flight."""


class InvalidCallError(OCPPGatewayError, ValueError):
    """The CALL cannot be sent: the version has no such action, or the payload is invalid.

    ``violation`` is the schema error found (``None`` for an unknown action).
    """

    def __init__(
        self,
        message: str,
        *,
        violation: OCPPCallError | None = None,
        charge_point_id: str | None = None,
    ) -> None:
        super().__init__(message, charge_point_id=charge_point_id)
        self.violation = violation


class UnsupportedVersionError(OCPPGatewayError):
    """The station speaks a version in which the requested operation does not exist."""
