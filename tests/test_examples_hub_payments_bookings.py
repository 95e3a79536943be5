"""The hubclientinfo, payments and bookings examples run (two apps over real HTTP each), so the
module pages that include them cannot rot."""

from __future__ import annotations

from examples import bookings_example, hubclientinfo_example, payments_example


async def test_hubclientinfo_example() -> None:
    result = await hubclientinfo_example.main()
    assert result == {
        "status_at_cpo": "CONNECTED",
        "parties": {"MSP": "CONNECTED", "NEW": "PLANNED", "OLD": "SUSPENDED"},
    }


async def test_payments_example() -> None:
    result = await payments_example.main()
    assert result == {
        "terminal_reference_at_cpo": "SN-0042",
        "location_ids": ["LOC1", "LOC2"],
        "capture_status": "SUCCESS",
    }


async def test_bookings_example() -> None:
    result = await bookings_example.main()
    assert result == {
        "answered_status": "RESERVED",
        "status_at_emsp": "FULFILLED",
        # The Calendar PATCH moved its BookingLocation's last_updated at the eMSP.
        "location_updated_at_emsp": "2025-03-02T10:00:00Z",
    }
