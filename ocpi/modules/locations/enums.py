"""Location enums shared by several OCPI versions.

A version folder defines its own enum where its value list differs; 2.3.0 marks several of these
as OpenEnum, which its fields express as ``Enum | str``.
"""

from __future__ import annotations

from enum import Enum

__all__ = [
    "ConnectorFormat",
    "EnergySourceCategory",
    "EnvironmentalImpactCategory",
    "ImageCategory",
    "ParkingRestriction",
    "Status",
]


class ImageCategory(str, Enum):
    charger = "CHARGER"
    entrance = "ENTRANCE"
    location = "LOCATION"
    network = "NETWORK"
    operator = "OPERATOR"
    other = "OTHER"
    owner = "OWNER"


class ConnectorFormat(str, Enum):
    """Whether the connector is a socket (bring your own cable) or an attached cable."""

    socket = "SOCKET"
    cable = "CABLE"


class EnergySourceCategory(str, Enum):
    nuclear = "NUCLEAR"
    general_fossil = "GENERAL_FOSSIL"
    coal = "COAL"
    gas = "GAS"
    general_green = "GENERAL_GREEN"
    solar = "SOLAR"
    wind = "WIND"
    water = "WATER"


class EnvironmentalImpactCategory(str, Enum):
    nuclear_waste = "NUCLEAR_WASTE"
    carbon_dioxide = "CARBON_DIOXIDE"


class Status(str, Enum):
    """Status of an EVSE (the same nine values in every version)."""

    available = "AVAILABLE"
    blocked = "BLOCKED"
    charging = "CHARGING"
    inoperative = "INOPERATIVE"
    outoforder = "OUTOFORDER"
    planned = "PLANNED"
    removed = "REMOVED"
    reserved = "RESERVED"
    unknown = "UNKNOWN"


class ParkingRestriction(str, Enum):
    """Parking restrictions of 2.1.1 and 2.2.1 (2.3.0 adds values and opens the list)."""

    ev_only = "EV_ONLY"
    plugged = "PLUGGED"
    disabled = "DISABLED"
    customers = "CUSTOMERS"
    motorcycles = "MOTORCYCLES"
