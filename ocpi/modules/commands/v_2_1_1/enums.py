"""Command enums of OCPI 2.1.1."""

from __future__ import annotations

from enum import Enum

__all__ = ["CommandResponseType", "CommandResultType", "CommandType"]


class CommandResponseType(str, Enum):
    """Outcome of a command; in 2.1.1 this one type serves the response and the result."""

    not_supported = "NOT_SUPPORTED"
    rejected = "REJECTED"
    accepted = "ACCEPTED"
    timeout = "TIMEOUT"
    unknown_session = "UNKNOWN_SESSION"


CommandResultType = CommandResponseType
"""Not a 2.1.1 name: 2.1.1 reports the asynchronous result with ``CommandResponseType``."""


class CommandType(str, Enum):
    reserve_now = "RESERVE_NOW"
    start_session = "START_SESSION"
    stop_session = "STOP_SESSION"
    unlock_connector = "UNLOCK_CONNECTOR"
