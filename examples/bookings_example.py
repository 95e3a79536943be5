"""A CPO and an eMSP over real HTTP with the bookings extension of OCPI 2.3.0: the CPO publishes a
BookingLocation, the eMSP books a timeslot, the CPO pushes the Booking and its fulfilment.

Bookings are an extension: an application serves them only when ``ModuleID.bookings`` is in its
``modules``, and only in version 2.3.0.

Run it: ``python -m examples.bookings_example``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from examples.platform_pair import running_pair
from ocpi import ModuleID, RoleEnum
from ocpi.modules.bookings import client as bookings

SLOT = {"start_from": "2025-03-23T12:00:00Z", "end_before": "2025-03-23T13:00:00Z"}
BOOKING_LOCATION = {
    "country_code": "NL",
    "party_id": "CPO",
    "id": "BL1",
    "location_id": "LOC1",
    "evse_uid": "E1",
    "booking_terms": [
        {
            "supported_access_methods": ["TOKEN"],
            "change_until_minutes": 60,
            "cancel_until_minutes": 30,
            "noshow_timeout": 15,
        }
    ],
    "calendars": [
        {
            "id": "CAL1",
            "begin_from": "2025-03-23T00:00:00Z",
            "end_before": "2025-03-24T00:00:00Z",
            "step_size": 15,
            "available_timeslots": [SLOT],
            "last_updated": "2025-03-01T10:00:00Z",
        }
    ],
    "last_updated": "2025-03-01T10:00:00Z",
}


async def main() -> dict[str, Any]:
    async with running_pair(
        (RoleEnum.cpo, "CPO"), (RoleEnum.emsp, "MSP"), [ModuleID.bookings]
    ) as pair:
        cpo, to_emsp, to_cpo = pair.a, pair.to_b, pair.to_a
        # The CPO's own offer, as its Crud returns it (here the in-memory backend).
        cpo.objects[(ModuleID.bookings, "booking_location/BL1")] = BOOKING_LOCATION

        # --8<-- [start:locations]
        # CPO side: push the BookingLocation, later only the changed timeslots of its Calendar.
        await bookings.put_booking_location(to_emsp, BOOKING_LOCATION)
        await bookings.patch_calendar(
            to_emsp,
            "NL",
            "CPO",
            "BL1",
            "CAL1",
            {"available_timeslots": [SLOT], "last_updated": "2025-03-02T10:00:00Z"},
        )
        # --8<-- [end:locations]

        # --8<-- [start:request]
        # eMSP side: look at the CPO's offer and request a timeslot.
        offer = [location async for location in bookings.pull_booking_locations(to_cpo)]
        calendar = await bookings.get_calendar(to_cpo, offer[0]["id"], "CAL1")
        booking = await bookings.request_booking(
            to_cpo,
            {
                "country_code": "NL",
                "party_id": "MSP",
                "request_id": "REQ-1",
                "location_id": offer[0]["location_id"],
                "period": calendar["available_timeslots"][0],
                "authorization_reference": "auth-REQ-1",
            },
        )
        # --8<-- [end:request]

        # --8<-- [start:booking]
        # CPO side: push the Booking, then mark it fulfilled once the session started.
        await bookings.put_booking(to_emsp, booking)
        await bookings.patch_booking(
            to_emsp,
            "NL",
            "CPO",
            booking["id"],
            {"reservation_status": "FULFILLED", "last_updated": "2025-03-23T12:05:00Z"},
        )
        # --8<-- [end:booking]
        at_emsp = await bookings.get_received_booking(to_emsp, "NL", "CPO", booking["id"])
        location_at_emsp = await bookings.get_received_booking_location(to_emsp, "NL", "CPO", "BL1")
    result = {
        "answered_status": booking["reservation_status"],
        "status_at_emsp": at_emsp["reservation_status"],
        "location_updated_at_emsp": location_at_emsp["last_updated"],
    }
    print(result)
    return result


if __name__ == "__main__":
    asyncio.run(main())
