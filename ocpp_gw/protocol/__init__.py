"""OCPP-J without I/O: framing, error codes per version, schema validation, RPC bookkeeping.

Nothing in this package touches a socket; the WebSocket transport in :mod:`ocpp_gw.connection`
feeds it text and sends what it returns.
"""

from ocpp_gw.protocol.errors import ERROR_RULES, ErrorCode, ErrorRules, OCPPCallError, OCPPError
from ocpp_gw.protocol.framing import (
    Call,
    CallError,
    CallResult,
    CallResultError,
    FrameError,
    MessageType,
    Send,
    parse_frame,
)
from ocpp_gw.protocol.rpc import Answer, Dispatch, Ignore, Reply, RpcSession
from ocpp_gw.protocol.validation import SchemaSet, schema_set

__all__ = [
    "ERROR_RULES",
    "Answer",
    "Call",
    "CallError",
    "CallResult",
    "CallResultError",
    "Dispatch",
    "ErrorCode",
    "ErrorRules",
    "FrameError",
    "Ignore",
    "MessageType",
    "OCPPCallError",
    "OCPPError",
    "Reply",
    "RpcSession",
    "SchemaSet",
    "Send",
    "parse_frame",
    "schema_set",
]
