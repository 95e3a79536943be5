"""Booking classes of the OCPI 2.3.0 bookings extension.

A CPO publishes ``BookingLocation`` objects (with ``Calendar`` availability); an eMSP sends a
``BookingRequest``; the CPO keeps the resulting ``Booking``, which lists every request made for
it in ``booking_requests``.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from ocpi.core.data_types import URL, CiString2, CiString3, CiString36, DateTime, Number, OCPIModel
from ocpi.core.enums import InterfaceRole, RoleEnum
from ocpi.modules.bookings.v_2_3_0.enums import (
    CanceledReason,
    LocationAccess,
    ReservationRequestStatus,
    ReservationStatus,
)
from ocpi.modules.locations.v_2_3_0.enums import ConnectorFormat, EVSEPosition, VehicleType
from ocpi.modules.tokens.enums import OpenEnum
from ocpi.modules.tokens.v_2_3_0.enums import TokenType

__all__ = [
    "AccessMethod",
    "Bookable",
    "BookableParkingOptions",
    "Booking",
    "BookingLocation",
    "BookingRequest",
    "BookingRequestStatus",
    "BookingTerms",
    "BookingToken",
    "Calendar",
    "Cancellation",
    "Timeslot",
]

_EVSE_UID = "EVSE.uid at the location; '#NA' while no EVSE is assigned yet."
_PARKING_DIMENSION = "Centimetres; expected unless only personal vehicles or motorcycles fit."


class Timeslot(OCPIModel):
    """A period of time, with the power available (or requested) in it."""

    start_from: DateTime
    end_before: DateTime
    min_power: Number | None = Field(default=None, description="Guaranteed power, in W.")
    max_power: Number | None = Field(default=None, description="Maximum power, in W.")
    green_energy_support: bool | None = None


class Calendar(OCPIModel):
    """Availability of a booking location between ``begin_from`` and ``end_before``."""

    id: CiString36
    begin_from: DateTime
    end_before: DateTime
    step_size: int | None = Field(
        default=None, description="Smallest booking increment within a timeslot."
    )
    available_timeslots: list[Timeslot] = Field(min_length=1)
    last_updated: DateTime


class BookingTerms(OCPIModel):
    """Conditions of booking at a location: deadlines, early/late use, no-shows, access."""

    RFID_auth_required: bool | None = Field(
        default=None, description="The booked session has to be started with an RFID card."
    )
    token_groups_supported: bool | None = Field(
        default=None, description="Any token of the same group may use the booking."
    )
    remote_auth_supported: bool | None = Field(
        default=None, description="The booked session can be started with a StartSession command."
    )
    supported_access_methods: list[LocationAccess] = Field(min_length=1)
    change_until_minutes: Number = Field(
        description="Changes allowed until this many minutes before."
    )
    cancel_until_minutes: Number = Field(
        description="Canceling allowed until this many minutes before."
    )
    change_not_allowed: bool | None = None
    early_start_allowed: bool | None = None
    early_start_time: Number | None = Field(
        default=None, description="Minutes before the booked period a session may start."
    )
    noshow_timeout: Number | None = Field(
        default=None, description="Minutes after the start until the booking counts as a no-show."
    )
    noshow_fee: bool | None = None
    late_stop_allowed: bool | None = None
    late_stop_time: Number | None = Field(
        default=None, description="Minutes a session may run past the booked period."
    )
    overlapping_bookings_allowed: bool | None = Field(
        default=None, description="One RFID token may hold several bookings."
    )
    booking_terms: URL | None = Field(default=None, description="The CPO's full booking terms.")


class BookableParkingOptions(OCPIModel):
    """A kind of parking space (with charger) that drivers can book at a location."""

    evse_position: EVSEPosition | None = None
    vehicle_types: list[OpenEnum[VehicleType]] = Field(min_length=1)
    format: ConnectorFormat
    max_vehicle_weight: Number | None = Field(default=None, description="Kilograms.")
    max_vehicle_height: Number | None = Field(default=None, description=_PARKING_DIMENSION)
    max_vehicle_length: Number | None = Field(default=None, description=_PARKING_DIMENSION)
    max_vehicle_width: Number | None = Field(default=None, description=_PARKING_DIMENSION)
    parking_space_length: Number | None = Field(default=None, description=_PARKING_DIMENSION)
    parking_space_width: Number | None = Field(default=None, description=_PARKING_DIMENSION)
    dangerous_goods_allowed: bool | None = None
    drive_through: bool | None = None
    restricted_to_type: bool = Field(
        description="Vehicles of types not in vehicle_types may not park here."
    )
    refrigeration_outlet: bool | None = None


class Bookable(OCPIModel):
    """Whether charging at a location needs a booking, and how many ad-hoc options remain."""

    reservation_required: bool
    ad_hoc: Number | None = None


class BookingLocation(OCPIModel):
    """What a CPO offers for booking at one location.

    Holds ``evse_uid`` or ``bookable_parking_options`` (at least one of them).

    Example::

        BookingLocation(country_code="NL", party_id="IHO", id="BL1", location_id="LOC1",
                        evse_uid="6583", last_updated="2024-12-05T20:02:13Z")
    """

    country_code: CiString2
    party_id: CiString3
    id: CiString36
    location_id: CiString36
    evse_uid: CiString36 | None = Field(default=None, description=_EVSE_UID)
    connector_id: CiString36 | None = None
    bookable_parking_options: list[BookableParkingOptions] | None = None
    bookable: Bookable | None = None
    tariff_id: list[CiString36] | None = None
    booking_terms: list[BookingTerms] | None = None
    calendars: list[Calendar] | None = None
    last_updated: DateTime

    @model_validator(mode="after")
    def _evse_or_parking_options(self) -> BookingLocation:
        if self.evse_uid is None and not self.bookable_parking_options:
            raise ValueError("a BookingLocation needs evse_uid or bookable_parking_options")
        return self


class BookingToken(OCPIModel):
    """The identifying part of a Token that may use a booking."""

    country_code: CiString2
    party_id: CiString3
    uid: CiString36
    type: OpenEnum[TokenType]
    contract_id: CiString36


class Cancellation(OCPIModel):
    """Why a booking was canceled and by whom."""

    cancellation_reason: CanceledReason
    # The spec names the type ``Role`` but links it to InterfaceRole; accept either reading.
    who_canceled: RoleEnum | InterfaceRole = Field(
        description="Party role (CPO, EMSP, ...) or interface role (SENDER, RECEIVER)."
    )


class AccessMethod(OCPIModel):
    """A way into the location, with its value (a licence plate, an access code ...)."""

    location_access: LocationAccess
    value: str | None = None


class BookingRequest(OCPIModel):
    """A request of an eMSP to book (or change, or cancel a booking) at a booking location.

    Example::

        BookingRequest(country_code="SE", party_id="VOL", request_id="RE1222",
                       location_id="LOC1", authorization_reference="pp-1001",
                       period=Timeslot(start_from="2025-03-23T12:00:00Z",
                                       end_before="2025-03-23T13:00:00Z"))
    """

    country_code: CiString2
    party_id: CiString3
    request_id: CiString36 = Field(description="Chosen by the eMSP; the same for every change.")
    bookable_parking_option: BookableParkingOptions | None = None
    location_id: CiString36
    evse_uid: CiString36 | None = Field(
        default=None, description="Only when the BookingLocation offers bookable EVSEs."
    )
    connector_id: CiString36 | None = None
    tokens: list[BookingToken] | None = None
    period: Timeslot
    authorization_reference: CiString36 = Field(
        description="Reference the CPO copies into the Session and CDR."
    )
    power_required: int | None = Field(default=None, description="Requested power, in kW.")
    canceled: Cancellation | None = Field(
        default=None, description="Set to ask for the booking to be canceled."
    )


class BookingRequestStatus(OCPIModel):
    """A request received for a booking and how far it got."""

    request_status: ReservationRequestStatus
    booking_request: BookingRequest
    request_received: DateTime


class Booking(OCPIModel):
    """A booking of a CPO at a location, with every request made for it."""

    id: CiString36
    country_code: CiString2
    party_id: CiString3
    request_id: CiString36 = Field(description="The eMSP's request_id, the same for every change.")
    bookable_parking_option: BookableParkingOptions | None = None
    parking_id: CiString36 | None = Field(
        default=None, description="Parking space, may be assigned by the CPO later."
    )
    location_id: CiString36
    evse_uid: CiString36 | None = Field(default=None, description=_EVSE_UID)
    connector_id: CiString36 | None = Field(
        default=None, description="'#NA' while no connector is assigned yet."
    )
    booking_tokens: list[BookingToken] | None = None
    tariff_id: list[CiString36] | None = None
    period: Timeslot
    reservation_status: ReservationStatus
    canceled: Cancellation | None = None
    access_methods: list[AccessMethod] | None = None
    authorization_reference: CiString36 = Field(
        description="Reference the CPO copies into the Session and CDR."
    )
    booking_terms: BookingTerms = Field(description="The terms accepted for this booking.")
    booking_requests: list[BookingRequestStatus] = Field(min_length=1)
    last_updated: DateTime
