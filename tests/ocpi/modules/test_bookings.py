"""bookings (2.3.0 extension) over HTTP: the CPO's Sender (lists, BookingLocation / Calendar,
BookingRequest), the eMSP's Receiver (client-owned BookingLocations with Calendars, Bookings),
``/details``, and a CPO ↔ eMSP round trip through the client helpers."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from ocpi import ModuleID, RoleEnum
from ocpi.modules.bookings import client as bookings
from ocpi.modules.bookings.v_2_3_0.schemas import Booking, BookingLocation, Calendar
from tests.conftest import LoopbackServer
from tests.ocpi.modules.hub_payments_bookings_apps import TS, Platform, platform, registered_pair

MODULE = ModuleID.bookings
LATER = "2030-01-01T00:00:00Z"

TIMESLOT = {"start_from": "2025-03-23T12:00:00Z", "end_before": "2025-03-23T13:00:00Z"}
CALENDAR: dict[str, Any] = {
    "id": "CA1",
    "begin_from": "2025-03-23T00:00:00Z",
    "end_before": "2025-03-24T00:00:00Z",
    "step_size": 15,
    "available_timeslots": [{**TIMESLOT, "min_power": 11000, "max_power": 22000}],
    "last_updated": TS,
}
TERMS: dict[str, Any] = {
    "RFID_auth_required": True,
    "supported_access_methods": ["ACCESS_CODE", "TOKEN"],
    "change_until_minutes": 200,
    "cancel_until_minutes": 600,
    "noshow_timeout": 25,
    "booking_terms": "https://server.example.com/booking-terms",
}
BOOKING_LOCATION: dict[str, Any] = {
    "country_code": "NL",
    "party_id": "CPO",
    "id": "BL1",
    "location_id": "LOC1",
    "evse_uid": "E1",
    "bookable": {"reservation_required": False, "ad_hoc": 2},
    "tariff_id": ["T1"],
    "booking_terms": [TERMS],
    "calendars": [CALENDAR],
    "last_updated": TS,
}
REQUEST: dict[str, Any] = {
    "country_code": "NL",
    "party_id": "MSP",
    "request_id": "RE1",
    "location_id": "LOC1",
    "evse_uid": "E1",
    "tokens": [
        {
            "country_code": "NL",
            "party_id": "MSP",
            "uid": "TOKEN1",
            "type": "RFID",
            "contract_id": "NL-MSP-C1",
        }
    ],
    "period": TIMESLOT,
    "authorization_reference": "auth-1",
}


def location(location_id: str = "BL1", **extra: Any) -> dict[str, Any]:
    return {**copy.deepcopy(BOOKING_LOCATION), "id": location_id, **extra}


def booking(booking_id: str = "B1", **extra: Any) -> dict[str, Any]:
    return {
        "id": booking_id,
        "country_code": "NL",
        "party_id": "CPO",
        "request_id": "RE1",
        "location_id": "LOC1",
        "evse_uid": "#NA",
        "period": TIMESLOT,
        "reservation_status": "PENDING",
        "authorization_reference": "auth-1",
        "booking_terms": TERMS,
        "booking_requests": [
            {"request_status": "PENDING", "booking_request": REQUEST, "request_received": TS}
        ],
        "last_updated": TS,
        **extra,
    }


@pytest.fixture
async def cpo() -> AsyncIterator[Platform]:
    """The CPO's Sender; the caller is the eMSP NL/MSP."""
    async with platform(
        [RoleEnum.cpo],
        [MODULE],
        caller_roles=[("NL", "MSP", "EMSP")],
        PAGINATION_MAX_LIMIT=2,
        PARTY_ID="CPO",
    ) as p:
        yield p


@pytest.fixture
async def emsp() -> AsyncIterator[Platform]:
    """The eMSP's Receiver; the caller is the CPO NL/CPO."""
    async with platform([RoleEnum.emsp], [MODULE], caller_roles=[("NL", "CPO", "CPO")]) as p:
        yield p


def test_the_samples_are_spec_valid() -> None:
    BookingLocation.model_validate(BOOKING_LOCATION)
    Booking.model_validate(booking())


async def test_served_only_in_2_3_0_when_listed(cpo: Platform, emsp: Platform) -> None:
    for app, role, interface in ((cpo, "cpo", "SENDER"), (emsp, "emsp", "RECEIVER")):
        details = await app.http.get("/ocpi/2.3.0/details", headers=app.headers())
        (endpoint,) = [
            e for e in details.json()["data"]["endpoints"] if e["identifier"] == "bookings"
        ]
        assert endpoint == {
            "identifier": "bookings",
            "role": interface,
            "url": f"https://p.example.com/ocpi/{role}/2.3.0/bookings/",
        }
    # An extension: not served unless the application lists it, and never before 2.3.0.
    for version, modules in (("2.3.0", [ModuleID.locations]), ("2.2.1", [MODULE])):
        async with platform([RoleEnum.cpo], modules, version) as other:
            details = await other.http.get(f"/ocpi/{version}/details", headers=other.headers())
            identifiers = {e["identifier"] for e in details.json()["data"]["endpoints"]}
            assert "bookings" not in identifiers
            assert (await other.call("GET", "cpo", "bookings")).status_code == 404


async def test_openapi_documents_every_endpoint_with_its_shapes() -> None:
    modules = [ModuleID.hub_client_info, ModuleID.payments, MODULE]
    roles = [RoleEnum.cpo, RoleEnum.emsp, RoleEnum.hub, RoleEnum.ptp]
    async with platform(roles, modules) as p:
        paths = (await p.http.get("/ocpi/openapi.json")).json()["paths"]

    def shape(path: str, method: str) -> str:
        response = paths[path][method]["responses"]["200"]["content"]["application/json"]
        ref: str = response["schema"]["$ref"]
        return ref.rsplit("/", 1)[-1]

    receiver = "/ocpi/emsp/2.3.0/bookings/{country_code}/{party_id}"
    expected = {
        ("/ocpi/hub/2.3.0/hubclientinfo", "get"): "OCPIResponse_list_ClientInfo__",
        (
            "/ocpi/ptp/2.3.0/hubclientinfo/{country_code}/{party_id}",
            "get",
        ): "OCPIResponse_ClientInfo_",
        ("/ocpi/ptp/2.3.0/payments/terminals", "get"): "OCPIResponse_list_Terminal__",
        ("/ocpi/ptp/2.3.0/payments/terminals/{terminal_id}", "patch"): "OCPIResponse_NoneType_",
        (
            "/ocpi/cpo/2.3.0/payments/financial-advice-confirmations/"
            "{financial_advice_confirmation_id}",
            "get",
        ): "OCPIResponse_FinancialAdviceConfirmation_",
        ("/ocpi/cpo/2.3.0/bookings", "post"): "OCPIResponse_Booking_",
        (
            "/ocpi/cpo/2.3.0/bookings/booking_locations/{booking_location_id}/{calendar_id}",
            "get",
        ): "OCPIResponse_Calendar_",
        (f"{receiver}/booking_locations/{{booking_location_id}}", "get"): (
            "OCPIResponse_BookingLocation_"
        ),
        (f"{receiver}/{{booking_id}}", "get"): "OCPIResponse_Booking_",
    }
    assert {key: shape(*key) for key in expected} == expected
    body = paths["/ocpi/cpo/2.3.0/bookings"]["post"]["requestBody"]["content"]
    assert body["application/json"]["schema"]["$ref"].endswith("BookingRequest-Input")


# -- the CPO's Sender ------------------------------------------------------------------------


async def test_sender_lists_booking_locations_with_timeslot_filters(cpo: Platform) -> None:
    for index in range(3):
        day = f"2025-03-0{index + 1}T00:00:00Z"
        cpo.put_object(
            MODULE, f"booking_location/BL{index}", location(f"BL{index}", last_updated=day)
        )
    cpo.put_object(MODULE, "booking/B1", booking())  # not a BookingLocation
    params = {"timeslot_from": "2025-03-23T00:00:00Z"}
    first = await cpo.call("GET", "cpo", "bookings", "booking_locations", params=params)
    assert [bl["id"] for bl in first.json()["data"]] == ["BL0", "BL1"]
    assert first.headers["x-total-count"] == "3"
    next_url = first.headers["link"].split(";")[0].strip("<>")
    assert "/ocpi/cpo/2.3.0/bookings/booking_locations?" in next_url
    assert "timeslot_from=2025-03-23T00%3A00%3A00Z" in next_url  # filters survive paging
    rest = await cpo.http.get(next_url.replace("https://p.example.com", ""), headers=cpo.headers())
    assert [bl["id"] for bl in rest.json()["data"]] == ["BL2"]
    for item in first.json()["data"] + rest.json()["data"]:
        BookingLocation.model_validate(item)
    # The Crud receives the timeslot filters (the memory backend applies them).
    later_slot = {"start_from": "2025-03-24T09:00:00Z", "end_before": "2025-03-24T10:00:00Z"}
    later_calendar = {**CALENDAR, "available_timeslots": [later_slot]}
    cpo.put_object(MODULE, "booking_location/BL1", location("BL1", calendars=[later_calendar]))
    slots = {"timeslot_from": "2025-03-24T00:00:00Z", "timeslot_to": "2025-03-25T00:00:00Z"}
    filtered = await cpo.call("GET", "cpo", "bookings", "booking_locations", params=slots)
    assert [bl["id"] for bl in filtered.json()["data"]] == ["BL1"]
    bad = await cpo.call(
        "GET", "cpo", "bookings", "booking_locations", params={"timeslot_to": "tomorrow"}
    )
    assert bad.json()["status_code"] == 2001
    assert bad.json()["data"] == [{"field": "query.timeslot_to"}]


async def test_sender_gets_a_booking_location_and_a_calendar(cpo: Platform) -> None:
    cpo.put_object(MODULE, "booking_location/BL1", location())
    one = await cpo.call("GET", "cpo", "bookings", "booking_locations", "BL1")
    assert one.json()["data"] == location()
    calendar = await cpo.call("GET", "cpo", "bookings", "booking_locations", "BL1", "CA1")
    assert calendar.json()["data"] == CALENDAR
    Calendar.model_validate(calendar.json()["data"])
    for parts in (("BL9",), ("BL9", "CA1"), ("BL1", "CA9")):
        missing = await cpo.call("GET", "cpo", "bookings", "booking_locations", *parts)
        assert missing.status_code == 404


async def test_sender_lists_bookings(cpo: Platform) -> None:
    for index in range(3):
        day = f"2025-03-0{index + 1}T00:00:00Z"
        cpo.put_object(MODULE, f"booking/B{index}", booking(f"B{index}", last_updated=day))
    cpo.put_object(MODULE, "booking_location/BL1", location())
    first = await cpo.call("GET", "cpo", "bookings")
    assert [b["id"] for b in first.json()["data"]] == ["B0", "B1"]
    assert first.headers["x-total-count"] == "3"
    dated = await cpo.call("GET", "cpo", "bookings", params={"date_to": "2025-03-02T00:00:00Z"})
    assert [b["id"] for b in dated.json()["data"]] == ["B0"]


async def test_sender_takes_booking_requests(cpo: Platform) -> None:
    cpo.put_object(MODULE, "booking_location/BL1", location())
    answer = await cpo.call("POST", "cpo", "bookings", body=REQUEST)
    assert answer.status_code == 200
    made = answer.json()["data"]
    Booking.model_validate(made)
    assert (made["reservation_status"], made["request_id"]) == ("RESERVED", "RE1")
    assert (made["country_code"], made["party_id"]) == ("NL", "CPO")
    assert made["booking_terms"] == TERMS  # the demo CPO applies the location's terms
    # A change is a new request with the same request_id.
    later = {**REQUEST, "period": {**TIMESLOT, "start_from": "2025-03-23T12:15:00Z"}}
    changed = (await cpo.call("POST", "cpo", "bookings", body=later)).json()["data"]
    assert len(changed["booking_requests"]) == 2
    assert changed["period"]["start_from"] == "2025-03-23T12:15:00Z"
    listed = await cpo.call("GET", "cpo", "bookings")
    assert [b["id"] for b in listed.json()["data"]] == [made["id"]]

    other_party = await cpo.call(
        "POST", "cpo", "bookings", body={**REQUEST, "party_id": "XYZ", "request_id": "RE2"}
    )
    assert other_party.json()["status_code"] == 2001
    assert [f["field"] for f in other_party.json()["data"]] == [
        "body.country_code",
        "body.party_id",
    ]
    incomplete = {k: v for k, v in REQUEST.items() if k != "period"}
    invalid = await cpo.call("POST", "cpo", "bookings", body=incomplete)
    assert invalid.json()["status_code"] == 2001
    assert invalid.json()["data"][0]["field"].endswith("period")
    assert (MODULE, "booking/RE2") not in cpo.store.objects
    # The module endpoint as advertised (with a trailing slash) answers too.
    slash = await cpo.http.post(
        cpo.url("cpo", "bookings") + "/", json=REQUEST, headers=cpo.headers()
    )
    assert slash.json()["data"]["request_id"] == "RE1"


# -- the eMSP's Receiver ---------------------------------------------------------------------


async def test_receiver_booking_locations_put_get_patch(emsp: Platform) -> None:
    parts = ("NL", "CPO", "booking_locations", "BL1")
    created = await emsp.call("PUT", "emsp", "bookings", *parts, body=location())
    assert created.status_code == 201
    assert emsp.store.objects[(MODULE, "booking_location/BL1")] == location()
    replaced = await emsp.call("PUT", "emsp", "bookings", *parts, body=location(connector_id="2"))
    assert replaced.status_code == 200
    got = await emsp.call("GET", "emsp", "bookings", *parts)
    assert got.json()["data"]["connector_id"] == "2"

    patch = {"bookable": {"reservation_required": True}, "last_updated": LATER}
    patched = await emsp.call("PATCH", "emsp", "bookings", *parts, body=patch)
    assert patched.json()["status_code"] == 1000
    stored = emsp.store.objects[(MODULE, "booking_location/BL1")]
    assert stored["bookable"] == {"reservation_required": True, "ad_hoc": 2}
    assert stored["last_updated"] == LATER and stored["calendars"] == [CALENDAR]

    no_time = await emsp.call("PATCH", "emsp", "bookings", *parts, body={"tariff_id": []})
    assert no_time.json()["data"] == [{"field": "body.last_updated"}]
    # Neither an EVSE nor parking options: the BookingLocation rule fails after merging.
    invalid = await emsp.call(
        "PATCH", "emsp", "bookings", *parts, body={"evse_uid": None, "last_updated": LATER}
    )
    assert invalid.json()["status_code"] == 2001
    unknown = await emsp.call(
        "PATCH", "emsp", "bookings", "NL", "CPO", "booking_locations", "BL9", body=patch
    )
    assert unknown.status_code == 404


async def test_receiver_checks_client_owned_urls(emsp: Platform) -> None:
    base = ("NL", "CPO", "booking_locations")
    other_id = await emsp.call("PUT", "emsp", "bookings", *base, "BL2", body=location())
    assert other_id.json()["data"] == [{"field": "body.id"}]
    other_party = await emsp.call(
        "PUT", "emsp", "bookings", *base, "BL1", body=location(party_id="XYZ")
    )
    assert other_party.json()["data"] == [{"field": "body.party_id"}]
    # The URL's party must be the caller's: writes 2001, reads 404.
    not_ours = await emsp.call(
        "PUT", "emsp", "bookings", "DE", "XYZ", "booking_locations", "BL1", body=location()
    )
    assert not_ours.json()["status_code"] == 2001
    emsp.put_object(MODULE, "booking_location/BL1", location())
    hidden = await emsp.call("GET", "emsp", "bookings", "DE", "XYZ", "booking_locations", "BL1")
    assert hidden.status_code == 404
    wrong_booking = await emsp.call("PUT", "emsp", "bookings", "NL", "CPO", "B2", body=booking())
    assert wrong_booking.json()["data"] == [{"field": "body.id"}]
    assert (MODULE, "booking/B1") not in emsp.store.objects


async def test_receiver_calendars_move_their_booking_location(emsp: Platform) -> None:
    parts = ("NL", "CPO", "booking_locations", "BL1")
    await emsp.call("PUT", "emsp", "bookings", *parts, body=location())
    second = {**CALENDAR, "id": "CA2", "last_updated": "2025-04-01T00:00:00Z"}
    created = await emsp.call("PUT", "emsp", "bookings", *parts, "CA2", body=second)
    assert created.status_code == 201
    stored = emsp.store.objects[(MODULE, "booking_location/BL1")]
    assert [c["id"] for c in stored["calendars"]] == ["CA1", "CA2"]
    assert stored["last_updated"] == "2025-04-01T00:00:00Z"

    slots = {"available_timeslots": [TIMESLOT], "step_size": 30, "last_updated": LATER}
    patched = await emsp.call("PATCH", "emsp", "bookings", *parts, "CA1", body=slots)
    assert patched.json()["status_code"] == 1000
    stored = emsp.store.objects[(MODULE, "booking_location/BL1")]
    assert stored["last_updated"] == LATER  # the parent follows the Calendar
    got = await emsp.call("GET", "emsp", "bookings", *parts, "CA1")
    assert got.json()["data"]["step_size"] == 30
    assert got.json()["data"]["available_timeslots"] == [TIMESLOT]
    assert got.json()["data"]["begin_from"] == CALENDAR["begin_from"]

    mismatch = await emsp.call("PUT", "emsp", "bookings", *parts, "CA3", body=second)
    assert mismatch.json()["data"] == [{"field": "body.id"}]
    no_time = await emsp.call("PATCH", "emsp", "bookings", *parts, "CA1", body={"step_size": 5})
    assert no_time.json()["status_code"] == 2001
    empty = {"available_timeslots": [], "last_updated": LATER}
    invalid = await emsp.call("PATCH", "emsp", "bookings", *parts, "CA1", body=empty)
    assert invalid.json()["status_code"] == 2001
    missing = await emsp.call("PATCH", "emsp", "bookings", *parts, "CA9", body=slots)
    assert missing.status_code == 404
    orphan_parts = ("NL", "CPO", "booking_locations", "BL9", "CA1")
    orphan = await emsp.call("PUT", "emsp", "bookings", *orphan_parts, body=CALENDAR)
    assert orphan.status_code == 404
    assert (await emsp.call("GET", "emsp", "bookings", *parts, "CA9")).status_code == 404


async def test_receiver_bookings_put_get_patch(emsp: Platform) -> None:
    created = await emsp.call("PUT", "emsp", "bookings", "NL", "CPO", "B1", body=booking())
    assert created.status_code == 201
    # The spec's PATCH examples: a status update, then the EVSE assigned later.
    status = {"reservation_status": "RESERVED", "last_updated": "2025-03-23T13:00:00Z"}
    assert (await emsp.call("PATCH", "emsp", "bookings", "NL", "CPO", "B1", body=status)).json()[
        "status_code"
    ] == 1000
    evse = {"evse_uid": "EVS1234", "last_updated": "2025-03-23T13:00:00Z"}
    await emsp.call("PATCH", "emsp", "bookings", "NL", "CPO", "B1", body=evse)
    got = (await emsp.call("GET", "emsp", "bookings", "NL", "CPO", "B1")).json()["data"]
    assert (got["reservation_status"], got["evse_uid"]) == ("RESERVED", "EVS1234")
    Booking.model_validate(got)
    bogus = {"reservation_status": "MAYBE", "last_updated": LATER}
    invalid = await emsp.call("PATCH", "emsp", "bookings", "NL", "CPO", "B1", body=bogus)
    assert invalid.json()["data"][0]["field"] == "body.reservation_status"
    replaced = await emsp.call(
        "PUT", "emsp", "bookings", "NL", "CPO", "B1", body=booking(reservation_status="FULFILLED")
    )
    assert replaced.status_code == 200
    assert emsp.store.objects[(MODULE, "booking/B1")]["reservation_status"] == "FULFILLED"
    assert (await emsp.call("GET", "emsp", "bookings", "NL", "CPO", "B9")).status_code == 404


async def test_cpo_and_emsp_round_trip_through_the_client_helpers(
    loopback: Callable[[], LoopbackServer],
) -> None:
    async with registered_pair(
        loopback, (RoleEnum.cpo, "CPO"), (RoleEnum.emsp, "MSP"), [MODULE]
    ) as pair:
        to_emsp, to_cpo = pair.to_b, pair.to_a
        # The CPO publishes a BookingLocation (its own store) and pushes it to the eMSP.
        pair.a_store.objects[(MODULE, "booking_location/BL1")] = location()
        assert (await bookings.put_booking_location(to_emsp, location())).http_status == 201
        await bookings.put_calendar(to_emsp, "NL", "CPO", "BL1", {**CALENDAR, "id": "CA2"})
        await bookings.patch_calendar(
            to_emsp, "NL", "CPO", "BL1", "CA2", {"step_size": 5, "last_updated": LATER}
        )
        await bookings.patch_booking_location(
            to_emsp, "NL", "CPO", "BL1", {"tariff_id": ["T2"], "last_updated": LATER}
        )
        received = await bookings.get_received_booking_location(to_emsp, "NL", "CPO", "BL1")
        assert [c["id"] for c in received["calendars"]] == ["CA1", "CA2"]
        assert (received["tariff_id"], received["last_updated"]) == (["T2"], LATER)

        # The eMSP looks at the CPO's offer and books.
        pulled = [bl["id"] async for bl in bookings.pull_booking_locations(to_cpo)]
        assert pulled == ["BL1"]
        assert (await bookings.get_booking_location(to_cpo, "BL1"))["location_id"] == "LOC1"
        assert (await bookings.get_calendar(to_cpo, "BL1", "CA1")) == CALENDAR
        made = await bookings.request_booking(to_cpo, REQUEST)
        assert made["reservation_status"] == "RESERVED"
        assert [b["id"] async for b in bookings.pull_bookings(to_cpo)] == [made["id"]]

        # The CPO pushes the Booking, then its fulfilment.
        await bookings.put_booking(to_emsp, made)
        done = {"reservation_status": "FULFILLED", "last_updated": LATER}
        await bookings.patch_booking(to_emsp, "NL", "CPO", made["id"], done)
        stored = await bookings.get_received_booking(to_emsp, "NL", "CPO", made["id"])
        assert stored["reservation_status"] == "FULFILLED"
        assert stored["booking_requests"][0]["booking_request"]["request_id"] == "RE1"
