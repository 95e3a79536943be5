"""Enumerations that are part of the public integration contract."""

from __future__ import annotations

from enum import Enum


class RoleEnum(str, Enum):
    """Roles a platform can take (OCPI 2.2.1 types, ``Role`` enum; ``PTP`` from 2.3.0)."""

    cpo = "CPO"
    emsp = "EMSP"
    hub = "HUB"
    nap = "NAP"
    nsp = "NSP"
    other = "OTHER"
    scsp = "SCSP"
    ptp = "PTP"


class ModuleID(str, Enum):
    """Module identifiers as they appear in ``/{version}/details``."""

    cdrs = "cdrs"
    charging_profile = "chargingprofiles"
    commands = "commands"
    credentials_and_registration = "credentials"
    hub_client_info = "hubclientinfo"
    client_info = "clientinfo"
    locations = "locations"
    sessions = "sessions"
    tariffs = "tariffs"
    tokens = "tokens"
    payments = "payments"
    bookings = "bookings"


class Action(str, Enum):
    """Non-CRUD operations passed to :meth:`ocpi.core.crud.Crud.do`."""

    send_command = "SendCommand"
    get_client_token = "GetClientToken"  # noqa: S105 - an action name, not a secret
    authorize_token = "AuthorizeToken"  # noqa: S105
    send_get_chargingprofile = "SendGetChargingProfile"
    send_delete_chargingprofile = "SendDeleteChargingProfile"
    send_update_charging_profile = "SendUpdateChargingProfile"


class EnvironmentType(str, Enum):
    production = "production"
    development = "development"
    testing = "testing"


class InterfaceRole(str, Enum):
    """Which side of a module interface an endpoint implements (2.2.1+)."""

    sender = "SENDER"
    receiver = "RECEIVER"
