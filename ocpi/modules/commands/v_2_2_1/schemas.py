"""Command classes of OCPI 2.2.1.

``StartSession`` and ``ReserveNow`` carry a ``Token``, whose class differs in 2.3.0; their
shared fields live in ``StartSessionBase`` / ``ReserveNowBase`` and each version narrows
``token`` to its own ``Token``.
"""

from __future__ import annotations

from pydantic import Field

from ocpi.core.data_types import URL, CiString36, DateTime, DisplayText, OCPIModel
from ocpi.modules.commands.v_2_2_1.enums import CommandResponseType, CommandResultType
from ocpi.modules.tokens.v_2_2_1.schemas import Token, TokenBase

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

_RESPONSE_URL = "Where the CPO posts the CommandResult of this command."
_AUTHORIZATION_REFERENCE = "Reference the CPO copies into the Session and CDR."


class CancelReservation(OCPIModel):
    """Cancel a reservation made earlier with ``ReserveNow``."""

    response_url: URL = Field(description=_RESPONSE_URL)
    reservation_id: CiString36


class CommandResponse(OCPIModel):
    """The CPO's synchronous answer to a command request.

    Example::

        CommandResponse(result=CommandResponseType.accepted, timeout=30)
    """

    result: CommandResponseType
    timeout: int = Field(description="Seconds the sender should wait for the CommandResult.")
    message: list[DisplayText] | None = None


class CommandResult(OCPIModel):
    """What the charge point did with a command, posted by the CPO to ``response_url``."""

    result: CommandResultType
    message: list[DisplayText] | None = None


class ReserveNowBase(OCPIModel):
    """Fields of ``ReserveNow`` shared by 2.2.1 and 2.3.0; each version narrows ``token``."""

    response_url: URL = Field(description=_RESPONSE_URL)
    token: TokenBase
    expiry_date: DateTime
    reservation_id: CiString36 = Field(
        description="Sending the same ID again for the location replaces the reservation."
    )
    location_id: CiString36
    evse_uid: CiString36 | None = None
    authorization_reference: CiString36 | None = Field(
        default=None, description=_AUTHORIZATION_REFERENCE
    )


class ReserveNow(ReserveNowBase):
    """Reserve an EVSE (or any EVSE of the location) for a token until ``expiry_date``."""

    token: Token


class StartSessionBase(OCPIModel):
    """Fields of ``StartSession`` shared by 2.2.1 and 2.3.0; each version narrows ``token``."""

    response_url: URL = Field(description=_RESPONSE_URL)
    token: TokenBase
    location_id: CiString36
    evse_uid: CiString36 | None = Field(
        default=None, description="Required when connector_id is set."
    )
    connector_id: CiString36 | None = None
    authorization_reference: CiString36 | None = Field(
        default=None, description=_AUTHORIZATION_REFERENCE
    )


class StartSession(StartSessionBase):
    """Start a session for a token at a location (on an EVSE/connector, if given).

    Example::

        StartSession(response_url="https://msp.example/cmd/1", token=token,
                     location_id="LOC1", evse_uid="3256")
    """

    token: Token


class StopSession(OCPIModel):
    """Stop an ongoing session."""

    response_url: URL = Field(description=_RESPONSE_URL)
    session_id: CiString36


class UnlockConnector(OCPIModel):
    """Unlock a connector (for operators helping a driver, never sent by drivers themselves)."""

    response_url: URL = Field(description=_RESPONSE_URL)
    location_id: CiString36
    evse_uid: CiString36
    connector_id: CiString36
