"""The bridge's translation tables, as data: OCPP words → OCPI words.

Changing a mapping is editing a dict here (or passing another table to the component using it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = [
    "ALLOWED_TO_OCPP",
    "CANCEL_RESULTS",
    "EVSE_STATUS",
    "RESERVE_RESULTS",
    "UNLOCK_RESULTS",
    "evse_status",
    "ocpi_token_type",
]

#: Station status word → OCPI EVSE ``status``, per OCPP version.
EVSE_STATUS: Mapping[str, Mapping[str, str]] = {
    "1.6": {
        "Available": "AVAILABLE",
        # A car is plugged in (or leaving): the EVSE is in use, not free.
        "Preparing": "CHARGING",
        "Charging": "CHARGING",
        "SuspendedEV": "CHARGING",
        "SuspendedEVSE": "CHARGING",
        "Finishing": "CHARGING",
        "Reserved": "RESERVED",
        "Unavailable": "INOPERATIVE",
        "Faulted": "OUTOFORDER",
    },
    "2.0.1": {
        "Available": "AVAILABLE",
        "Occupied": "CHARGING",
        "Reserved": "RESERVED",
        "Unavailable": "INOPERATIVE",
        "Faulted": "OUTOFORDER",
    },
}
EVSE_STATUS = {**EVSE_STATUS, "2.1": EVSE_STATUS["2.0.1"]}

# When an EVSE's connectors disagree, the most telling status wins (in this order).
_PRECEDENCE = ("CHARGING", "RESERVED", "BLOCKED", "AVAILABLE", "OUTOFORDER", "INOPERATIVE")


def evse_status(version: str, statuses: Iterable[str]) -> str:
    """The OCPI status of an EVSE whose connectors report ``statuses`` (OCPP words)."""
    table = EVSE_STATUS.get(version, EVSE_STATUS["2.0.1"])
    mapped = {table.get(status, "UNKNOWN") for status in statuses}
    for candidate in _PRECEDENCE:
        if candidate in mapped:
            return candidate
    return "UNKNOWN"


#: OCPI ``AllowedType`` → 2.x ``AuthorizationStatusEnumType`` (the gateway maps 1.6).
ALLOWED_TO_OCPP: Mapping[str, str] = {
    "ALLOWED": "Accepted",
    "BLOCKED": "Blocked",
    "EXPIRED": "Expired",
    "NO_CREDIT": "NoCredit",
    "NOT_ALLOWED": "NotAllowedTypeEVSE",
}

#: ReserveNow answer → OCPI ``CommandResultType``.
RESERVE_RESULTS: Mapping[str, str] = {
    "Accepted": "ACCEPTED",
    "Faulted": "FAILED",
    "Occupied": "EVSE_OCCUPIED",
    "Rejected": "REJECTED",
    "Unavailable": "EVSE_INOPERATIVE",
}

#: CancelReservation answer → OCPI ``CommandResultType``.
CANCEL_RESULTS: Mapping[str, str] = {"Accepted": "ACCEPTED", "Rejected": "REJECTED"}

#: UnlockConnector answer → OCPI ``CommandResultType``.
UNLOCK_RESULTS: Mapping[str, str] = {
    "Unlocked": "ACCEPTED",
    "UnlockFailed": "FAILED",
    "NotSupported": "NOT_SUPPORTED",
    "OngoingAuthorizedTransaction": "REJECTED",
    "UnknownConnector": "REJECTED",
}

# 2.x IdTokenEnumType → OCPI TokenType (1.6 idTags carry no type: RFID).
_TOKEN_TYPES: Mapping[str, str] = {
    "ISO14443": "RFID",
    "ISO15693": "RFID",
    "MacAddress": "OTHER",
    "eMAID": "APP_USER",
    "Central": "APP_USER",
    "KeyCode": "OTHER",
    "Local": "OTHER",
    "NoAuthorization": "OTHER",
}


def ocpi_token_type(ocpp_type: str | None) -> str:
    """The OCPI ``TokenType`` to look a presented token up with."""
    if ocpp_type is None:
        return "RFID"
    return _TOKEN_TYPES.get(ocpp_type, "OTHER")
