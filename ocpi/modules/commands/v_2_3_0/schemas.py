"""Command classes of OCPI 2.3.0: as 2.2.1, with the 2.3.0 ``Token`` in the token commands."""

from __future__ import annotations

from ocpi.core.data_types import DisplayText
from ocpi.modules.commands.v_2_2_1.schemas import (
    CancelReservation,
    CommandResponse,
    CommandResult,
    ReserveNowBase,
    StartSessionBase,
    StopSession,
    UnlockConnector,
)
from ocpi.modules.tokens.v_2_3_0.schemas import Token

__all__ = [
    "CancelReservation",
    "CommandResponse",
    "CommandResult",
    "DisplayText",
    "ReserveNow",
    "StartSession",
    "StopSession",
    "Token",
    "UnlockConnector",
]


class ReserveNow(ReserveNowBase):
    """Reserve an EVSE (or any EVSE of the location) for a token until ``expiry_date``."""

    token: Token


class StartSession(StartSessionBase):
    """Start a session for a token at a location (on an EVSE/connector, if given)."""

    token: Token
