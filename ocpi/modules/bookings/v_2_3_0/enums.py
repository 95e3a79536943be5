"""Booking enums of the OCPI 2.3.0 bookings extension."""

from __future__ import annotations

from enum import Enum

__all__ = ["CanceledReason", "LocationAccess", "ReservationRequestStatus", "ReservationStatus"]


class LocationAccess(str, Enum):
    """How a driver gets access to a booked charger."""

    open = "OPEN"
    token = "TOKEN"  # noqa: S105 - an access method, not a secret
    license_plate = "LICENSE_PLATE"
    access_code = "ACCESS_CODE"
    intercom = "INTERCOM"
    parking_ticket = "PARKING_TICKET"


class ReservationStatus(str, Enum):
    """State of a booking; CANCELED, NO_SHOW, REJECTED, FAILED and FULFILLED are final."""

    pending = "PENDING"
    reserved = "RESERVED"
    canceled = "CANCELED"
    failed = "FAILED"
    no_show = "NO_SHOW"
    fulfilled = "FULFILLED"
    rejected = "REJECTED"
    unknown = "UNKNOWN"


class ReservationRequestStatus(str, Enum):
    """State of one request (new booking or change) made for a booking."""

    pending = "PENDING"
    accepted = "ACCEPTED"
    declined = "DECLINED"
    failed = "FAILED"


class CanceledReason(str, Enum):
    """Why a booking was canceled (some reasons are for the CPO, some for the eMSP to set)."""

    power_outage = "POWER_OUTAGE"
    broken_charger = "BROKEN_CHARGER"
    full = "FULL"
    blocked = "BLOCKED"
    traffic = "TRAFFIC"
    broken_vehicle = "BROKEN_VEHICLE"
    no_canceled = "NO_CANCELED"
    unknown = "UNKNOWN"
