"""Command classes of OCPI 2.1.1.

2.1.1 has no separate result object: the CPO posts a ``CommandResponse`` to ``response_url``.
``CommandResult`` names that same class, so code written for every version can refer to the
asynchronous result by one name.
"""

from __future__ import annotations

from pydantic import Field

from ocpi.core.data_types import URL, DateTime, OCPIModel, String36
from ocpi.modules.commands.v_2_1_1.enums import CommandResponseType
from ocpi.modules.locations.schemas import String39
from ocpi.modules.tokens.v_2_1_1.schemas import Token

__all__ = [
    "CommandResponse",
    "CommandResult",
    "ReserveNow",
    "StartSession",
    "StopSession",
    "Token",
    "UnlockConnector",
]

_RESPONSE_URL = "Where the CPO posts the outcome of this command."


class CommandResponse(OCPIModel):
    """Outcome of a command, in the HTTP response and posted to ``response_url``."""

    result: CommandResponseType


CommandResult = CommandResponse
"""Not a 2.1.1 name: the asynchronous result of a 2.1.1 command is a ``CommandResponse``."""


class ReserveNow(OCPIModel):
    """Reserve an EVSE (or any EVSE of the location) for a token until ``expiry_date``.

    Example::

        ReserveNow(response_url="https://msp.example/cmd/1", token=token,
                   expiry_date="2015-06-29T23:00:00Z", reservation_id=1, location_id="LOC1")
    """

    response_url: URL = Field(description=_RESPONSE_URL)
    token: Token
    expiry_date: DateTime
    reservation_id: int = Field(description="Sending the same ID again replaces the reservation.")
    location_id: String39
    evse_uid: String39 | None = None


class StartSession(OCPIModel):
    """Start a session for a token at a location (on an EVSE, if given)."""

    response_url: URL = Field(description=_RESPONSE_URL)
    token: Token
    location_id: String39
    evse_uid: String39 | None = None


class StopSession(OCPIModel):
    """Stop an ongoing session."""

    response_url: URL = Field(description=_RESPONSE_URL)
    session_id: String36


class UnlockConnector(OCPIModel):
    """Unlock a connector (for operators helping a driver, never sent by drivers themselves)."""

    response_url: URL = Field(description=_RESPONSE_URL)
    location_id: String39
    evse_uid: String39
    connector_id: String36
