"""Calling a partner's bookings endpoints (the 2.3.0 bookings extension).

The eMSP pulls BookingLocations and Bookings from the CPO's Sender and requests bookings there;
the CPO pushes BookingLocations (with Calendars) and Bookings to the eMSP's Receiver::

    booking = await request_booking(to_cpo, booking_request)
    await put_booking(to_emsp, booking)
    await patch_booking(to_emsp, "NL", "CPO", booking["id"],
                        {"reservation_status": "FULFILLED", "last_updated": now})
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from datetime import datetime
from typing import Any

from ocpi.core.client import OCPIResult
from ocpi.core.data_types import format_datetime
from ocpi.core.enums import InterfaceRole, ModuleID
from ocpi.core.interfaces import dump
from ocpi.core.partner import PartnerClient
from ocpi.modules.bookings.router import BOOKING_LOCATIONS_PATH

__all__ = [
    "get_booking_location",
    "get_calendar",
    "get_received_booking",
    "get_received_booking_location",
    "patch_booking",
    "patch_booking_location",
    "patch_calendar",
    "pull_booking_locations",
    "pull_bookings",
    "put_booking",
    "put_booking_location",
    "put_calendar",
    "request_booking",
]

_MODULE = ModuleID.bookings
_SENDER = InterfaceRole.sender
_RECEIVER = InterfaceRole.receiver


async def _pull(
    partner: PartnerClient, url: str, params: Mapping[str, datetime | int | None]
) -> AsyncIterator[Any]:
    query = {
        name: format_datetime(value) if isinstance(value, datetime) else value
        for name, value in params.items()
        if value is not None
    }
    async for item in partner.client.iterate(
        url,
        token=partner.token,
        version=partner.version,
        params=query or None,
        routing=partner.routing,
    ):
        yield item


# -- the CPO's Sender (called by the eMSP) ----------------------------------------------------


async def pull_bookings(
    cpo: PartnerClient,
    *,
    date_from: datetime | None = None,
    date_to: datetime | None = None,
    limit: int | None = None,
) -> AsyncIterator[Any]:
    """Every Booking of the CPO's list, following the pages."""
    params = {"date_from": date_from, "date_to": date_to, "limit": limit}
    async for booking in _pull(cpo, cpo.endpoint(_MODULE, _SENDER), params):
        yield booking


async def pull_booking_locations(
    cpo: PartnerClient,
    *,
    date_from: datetime | None = None,
    date_to: datetime | None = None,
    timeslot_from: datetime | None = None,
    timeslot_to: datetime | None = None,
    limit: int | None = None,
) -> AsyncIterator[Any]:
    """Every BookingLocation of the CPO's list (optionally only those with timeslots in a range)."""
    params = {
        "date_from": date_from,
        "date_to": date_to,
        "timeslot_from": timeslot_from,
        "timeslot_to": timeslot_to,
        "limit": limit,
    }
    async for location in _pull(cpo, cpo.url(_MODULE, _SENDER, BOOKING_LOCATIONS_PATH), params):
        yield location


async def get_booking_location(cpo: PartnerClient, booking_location_id: str) -> Any:
    """One BookingLocation from the CPO."""
    return await cpo.get(_MODULE, BOOKING_LOCATIONS_PATH, booking_location_id)


async def get_calendar(cpo: PartnerClient, booking_location_id: str, calendar_id: str) -> Any:
    """One Calendar of a BookingLocation from the CPO."""
    return await cpo.get(_MODULE, BOOKING_LOCATIONS_PATH, booking_location_id, calendar_id)


async def request_booking(cpo: PartnerClient, booking_request: Mapping[str, Any] | Any) -> Any:
    """Send a BookingRequest (new, changed or canceled: same ``request_id``); returns the Booking."""
    result = await cpo.post(_MODULE, dump(booking_request), interface=_SENDER)
    return result.data


# -- the eMSP's Receiver (called by the CPO) --------------------------------------------------


async def put_booking_location(
    emsp: PartnerClient, booking_location: Mapping[str, Any] | Any
) -> OCPIResult:
    """Push a whole BookingLocation; the URL is taken from the object."""
    data = dump(booking_location)
    return await emsp.put(
        _MODULE, data, data["country_code"], data["party_id"], BOOKING_LOCATIONS_PATH, data["id"]
    )


async def patch_booking_location(
    emsp: PartnerClient,
    country_code: str,
    party_id: str,
    booking_location_id: str,
    changes: Mapping[str, Any],
) -> OCPIResult:
    """Push a partial update of a BookingLocation (``last_updated`` is required)."""
    parts = (country_code, party_id, BOOKING_LOCATIONS_PATH, booking_location_id)
    return await emsp.patch(_MODULE, changes, *parts)


async def get_received_booking_location(
    emsp: PartnerClient, country_code: str, party_id: str, booking_location_id: str
) -> Any:
    """The BookingLocation as the eMSP stores it."""
    parts = (country_code, party_id, BOOKING_LOCATIONS_PATH, booking_location_id)
    return await emsp.get(_MODULE, *parts, interface=_RECEIVER)


async def put_calendar(
    emsp: PartnerClient,
    country_code: str,
    party_id: str,
    booking_location_id: str,
    calendar: Mapping[str, Any] | Any,
) -> OCPIResult:
    """Push one whole Calendar of a BookingLocation the eMSP already has."""
    data = dump(calendar)
    parts = (country_code, party_id, BOOKING_LOCATIONS_PATH, booking_location_id, data["id"])
    return await emsp.put(_MODULE, data, *parts)


async def patch_calendar(
    emsp: PartnerClient,
    country_code: str,
    party_id: str,
    booking_location_id: str,
    calendar_id: str,
    changes: Mapping[str, Any],
) -> OCPIResult:
    """Push a partial update of a Calendar, e.g. new ``available_timeslots``."""
    parts = (country_code, party_id, BOOKING_LOCATIONS_PATH, booking_location_id, calendar_id)
    return await emsp.patch(_MODULE, changes, *parts)


async def put_booking(emsp: PartnerClient, booking: Mapping[str, Any] | Any) -> OCPIResult:
    """Push a whole Booking; the URL is taken from the object."""
    data = dump(booking)
    return await emsp.put(_MODULE, data, data["country_code"], data["party_id"], data["id"])


async def patch_booking(
    emsp: PartnerClient,
    country_code: str,
    party_id: str,
    booking_id: str,
    changes: Mapping[str, Any],
) -> OCPIResult:
    """Push a partial update of a Booking, e.g. its ``reservation_status``."""
    return await emsp.patch(_MODULE, changes, country_code, party_id, booking_id)


async def get_received_booking(
    emsp: PartnerClient, country_code: str, party_id: str, booking_id: str
) -> Any:
    """The Booking as the eMSP stores it."""
    return await emsp.get(_MODULE, country_code, party_id, booking_id, interface=_RECEIVER)
