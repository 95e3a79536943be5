"""Bookings (the 2.3.0 bookings extension): the CPO's Sender and the eMSP's Receiver.

CPO Sender, under ``{base}`` (e.g. ``/ocpi/cpo/2.3.0/bookings``):

* ``GET {base}`` — Bookings (paginated); ``POST {base}`` — a BookingRequest, answered with the
  resulting Booking;
* ``GET {base}/booking_locations`` — BookingLocations (paginated, also ``timeslot_from`` /
  ``timeslot_to``), ``GET {base}/booking_locations/{booking_location_id}[/{calendar_id}]``.

eMSP Receiver (client-owned objects of the CPO):

* ``GET/PUT/PATCH {base}/{country_code}/{party_id}/booking_locations/{booking_location_id}``
  and ``.../{calendar_id}`` for one Calendar of it (a Calendar write also moves the
  BookingLocation's ``last_updated``);
* ``GET/PUT/PATCH {base}/{country_code}/{party_id}/{booking_id}``.

Crud calls carry ``object_type``: :data:`BOOKING`, :data:`BOOKING_LOCATION`, or
:data:`BOOKING_REQUEST` for ``Crud.create`` of a request (which returns the Booking). Calendar
writes update the whole BookingLocation with ``calendar_id`` as a hint.
"""

import asyncio
import weakref
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request, Response

from ocpi.core.context import Caller, OCPIContext
from ocpi.core.data_types import parse_datetime
from ocpi.core.enums import InterfaceRole, ModuleID, RoleEnum
from ocpi.core.exceptions import InvalidParametersOCPIError, NotFoundOCPIError
from ocpi.core.interfaces import (
    ObjectSpec,
    adapt,
    check_party,
    check_url_matches_body,
    crud_kwargs,
    dump,
    send_list,
    validate_patch,
)
from ocpi.core.object_routers import path_params
from ocpi.core.registry import ModuleEntry
from ocpi.core.responses import ocpi_response
from ocpi.core.routing import OCPIRouter
from ocpi.core.schemas import OCPIResponse
from ocpi.core.utils import get_module_model, version_module_name
from ocpi.modules.versions.enums import VersionNumber

__all__ = [
    "BOOKING",
    "BOOKING_LOCATION",
    "BOOKING_LOCATIONS_PATH",
    "BOOKING_LOCATION_SPEC",
    "BOOKING_REQUEST",
    "BOOKING_SPEC",
    "ENTRIES",
    "make_bookings_receiver",
    "make_bookings_sender",
]

#: ``object_type`` keyword values the Crud receives.
BOOKING = "booking"
BOOKING_LOCATION = "booking_location"
BOOKING_REQUEST = "booking_request"
#: URL segment of the BookingLocations below the module's endpoint.
BOOKING_LOCATIONS_PATH = "booking_locations"

BOOKING_SPEC = ObjectSpec(ModuleID.bookings, "Booking", "booking_adapter")
BOOKING_LOCATION_SPEC = ObjectSpec(ModuleID.bookings, "BookingLocation", "booking_location_adapter")
VERSIONS = frozenset({VersionNumber.v_2_3_0})
_CALENDARS = "calendars"

_LOCKS: weakref.WeakValueDictionary[tuple[Any, ...], asyncio.Lock] = weakref.WeakValueDictionary()


def _lock(*key: Any) -> asyncio.Lock:
    """Writes to one object are serialised (PATCH and Calendar writes are read-merge-write)."""
    lock = _LOCKS.get(key)
    if lock is None:
        lock = _LOCKS[key] = asyncio.Lock()
    return lock


def _model(name: str, version: VersionNumber) -> Any:
    return get_module_model(name, "bookings", version_module_name(version))


def _query_time(request: Request, name: str) -> Any:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        return parse_datetime(raw)
    except ValueError as exc:
        raise InvalidParametersOCPIError(fields=[f"query.{name}"]) from exc


def _find(items: Any, key: str, value: str) -> int | None:
    for index, item in enumerate(items or []):
        if str(item.get(key)) == value:
            return index
    return None


# -- CPO Sender ------------------------------------------------------------------------------


def make_bookings_sender(
    ctx: OCPIContext, version: VersionNumber, role: RoleEnum | None, base: str
) -> APIRouter:
    """Bookings and BookingLocations of the CPO; eMSPs request bookings with ``POST``."""
    acting = role or ctx.primary_role
    router = OCPIRouter(tags=[f"bookings {version.value} (sender)"])
    booking: Any = _model("Booking", version)
    location: Any = _model("BookingLocation", version)
    calendar: Any = _model("Calendar", version)
    request_model: Any = _model("BookingRequest", version)
    locations = f"{base}/{BOOKING_LOCATIONS_PATH}"
    module = ModuleID.bookings

    async def list_bookings(request: Request) -> Response:
        caller = await ctx.authenticate(request, version)
        return await send_list(
            ctx, request, caller, BOOKING_SPEC, version, acting, object_type=BOOKING
        )

    async def request_booking(
        request: Request, booking_request: Annotated[request_model, Body()]
    ) -> Response:
        caller = await ctx.authenticate(request, version)
        data = dump(booking_request)
        parties = caller.owner.parties
        wanted = (data["country_code"].upper(), data["party_id"].upper())
        if parties and all((cc.upper(), pid.upper()) != wanted for cc, pid in parties):
            raise InvalidParametersOCPIError(
                "The booking request names another party than the caller",
                fields=["body.country_code", "body.party_id"],
            )
        result = await ctx.crud.create(
            module,
            acting,
            data,
            **crud_kwargs(
                request,
                caller,
                version,
                object_type=BOOKING_REQUEST,
                country_code=data["country_code"],
                party_id=data["party_id"],
            ),
        )
        if result is None:
            return ocpi_response()
        return ocpi_response(adapt(ctx, BOOKING_SPEC.adapter, result, version))

    async def list_locations(request: Request) -> Response:
        caller = await ctx.authenticate(request, version)
        return await send_list(
            ctx,
            request,
            caller,
            BOOKING_LOCATION_SPEC,
            version,
            acting,
            object_type=BOOKING_LOCATION,
            timeslot_from=_query_time(request, "timeslot_from"),
            timeslot_to=_query_time(request, "timeslot_to"),
        )

    async def load_location(request: Request, booking_location_id: str) -> dict[str, Any]:
        caller = await ctx.authenticate(request, version)
        stored = await ctx.crud.get(
            module,
            acting,
            booking_location_id,
            **crud_kwargs(request, caller, version, object_type=BOOKING_LOCATION),
        )
        if stored is None:
            raise NotFoundOCPIError(f"Unknown BookingLocation {booking_location_id}")
        return dump(adapt(ctx, BOOKING_LOCATION_SPEC.adapter, stored, version))

    async def get_location(request: Request, booking_location_id: str) -> Response:
        return ocpi_response(await load_location(request, booking_location_id))

    async def get_calendar(
        request: Request, booking_location_id: str, calendar_id: str
    ) -> Response:
        found = await load_location(request, booking_location_id)
        index = _find(found.get(_CALENDARS), "id", calendar_id)
        if index is None:
            raise NotFoundOCPIError(f"Unknown Calendar {calendar_id}")
        return ocpi_response(found[_CALENDARS][index])

    routes: list[tuple[str, Any, str, Any, str]] = [
        (base, list_bookings, "GET", list[booking], "List Bookings"),
        (base, request_booking, "POST", booking, "Request (or change) a Booking"),
        (locations, list_locations, "GET", list[location], "List BookingLocations"),
        (f"{locations}/{{booking_location_id}}", get_location, "GET", location, "Get one"),
        (
            f"{locations}/{{booking_location_id}}/{{calendar_id}}",
            get_calendar,
            "GET",
            calendar,
            "Get one Calendar of a BookingLocation",
        ),
    ]
    for path, endpoint, method, data_model, summary in routes:
        router.add_api_route(
            path,
            endpoint,
            methods=[method],
            response_model=OCPIResponse[data_model],  # type: ignore[valid-type]
            summary=summary,
        )
    return router


# -- eMSP Receiver ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    """One client-owned object kind of the Receiver."""

    spec: ObjectSpec
    object_type: str
    segment: str
    id_name: str


def make_bookings_receiver(
    ctx: OCPIContext, version: VersionNumber, role: RoleEnum | None, base: str
) -> APIRouter:
    """Bookings and BookingLocations (with their Calendars) pushed by the CPO."""
    acting = role or ctx.primary_role
    router = OCPIRouter(tags=[f"bookings {version.value} (receiver)"])
    targets = (
        _Target(
            BOOKING_LOCATION_SPEC,
            BOOKING_LOCATION,
            f"/{BOOKING_LOCATIONS_PATH}",
            "booking_location_id",
        ),
        _Target(BOOKING_SPEC, BOOKING, "", "booking_id"),
    )
    for target in targets:
        _add_object_routes(ctx, router, version, acting, base, target)
    _add_calendar_routes(ctx, router, version, acting, base, targets[0])
    return router


def _add_object_routes(
    ctx: OCPIContext,
    router: APIRouter,
    version: VersionNumber,
    role: RoleEnum,
    base: str,
    target: _Target,
) -> None:
    model: Any = target.spec.model(version)
    names = ["country_code", "party_id", target.id_name]
    ids_dependency = path_params(names)
    module = target.spec.module

    def kwargs(request: Request, caller: Caller, cc: str, pid: str, **extra: Any) -> dict[str, Any]:
        return crud_kwargs(
            request,
            caller,
            version,
            object_type=target.object_type,
            country_code=cc,
            party_id=pid,
            **extra,
        )

    async def load(request: Request, caller: Caller, cc: str, pid: str, object_id: str) -> Any:
        stored = await ctx.crud.get(module, role, object_id, **kwargs(request, caller, cc, pid))
        return None if stored is None else dump(adapt(ctx, target.spec.adapter, stored, version))

    async def get_object(
        request: Request, ids: Annotated[dict[str, str], Depends(ids_dependency)]
    ) -> Response:
        caller = await ctx.authenticate(request, version)
        cc, pid, object_id = (ids[n] for n in names)
        check_party(caller, cc, pid, "GET")
        current = await load(request, caller, cc, pid, object_id)
        if current is None:
            raise NotFoundOCPIError(f"Unknown {target.spec.class_name} {object_id}")
        return ocpi_response(current)

    async def put_object(
        request: Request,
        body: Annotated[model, Body()],
        ids: Annotated[dict[str, str], Depends(ids_dependency)],
    ) -> Response:
        caller = await ctx.authenticate(request, version)
        cc, pid, object_id = (ids[n] for n in names)
        check_party(caller, cc, pid, "PUT")
        data = dump(body)
        check_url_matches_body(data, "id", object_id, cc, pid)
        async with _lock(id(ctx), target.object_type, cc.upper(), pid.upper(), object_id):
            extra = kwargs(request, caller, cc, pid)
            if await load(request, caller, cc, pid, object_id) is None:
                await ctx.crud.create(module, role, data, **extra)
                return ocpi_response(http_status=201)
            await ctx.crud.update(module, role, data, object_id, **extra)
        return ocpi_response()

    async def patch_object(
        request: Request,
        body: Annotated[dict[str, Any], Body()],
        ids: Annotated[dict[str, str], Depends(ids_dependency)],
    ) -> Response:
        caller = await ctx.authenticate(request, version)
        cc, pid, object_id = (ids[n] for n in names)
        check_party(caller, cc, pid, "PATCH")
        check_url_matches_body(body, "id", object_id, cc, pid)
        async with _lock(id(ctx), target.object_type, cc.upper(), pid.upper(), object_id):
            current = await load(request, caller, cc, pid, object_id)
            if current is None:
                raise NotFoundOCPIError(f"Unknown {target.spec.class_name} {object_id}")
            merged = validate_patch(model, current, body)
            await ctx.crud.update(
                module, role, merged, object_id, **kwargs(request, caller, cc, pid, patch=body)
            )
        return ocpi_response()

    path = f"{base}/{{country_code}}/{{party_id}}{target.segment}/{{{target.id_name}}}"
    name = target.spec.class_name
    for method, endpoint, response_model in (
        ("GET", get_object, OCPIResponse[model]),
        ("PUT", put_object, OCPIResponse[None]),
        ("PATCH", patch_object, OCPIResponse[None]),
    ):
        router.add_api_route(
            path,
            endpoint,
            methods=[method],
            response_model=response_model,
            summary=f"{method} {name}",
        )


def _add_calendar_routes(
    ctx: OCPIContext,
    router: APIRouter,
    version: VersionNumber,
    role: RoleEnum,
    base: str,
    target: _Target,
) -> None:
    """One Calendar inside a stored BookingLocation."""
    parent_model: Any = target.spec.model(version)
    model: Any = _model("Calendar", version)
    names = ["country_code", "party_id", target.id_name, "calendar_id"]
    ids_dependency = path_params(names)
    module = target.spec.module

    def kwargs(
        request: Request, caller: Caller, cc: str, pid: str, calendar_id: str, **extra: Any
    ) -> dict[str, Any]:
        return crud_kwargs(
            request,
            caller,
            version,
            object_type=target.object_type,
            country_code=cc,
            party_id=pid,
            calendar_id=calendar_id,
            **extra,
        )

    async def load_parent(
        request: Request, caller: Caller, cc: str, pid: str, parent_id: str, calendar_id: str
    ) -> dict[str, Any]:
        stored = await ctx.crud.get(
            module, role, parent_id, **kwargs(request, caller, cc, pid, calendar_id)
        )
        if stored is None:
            raise NotFoundOCPIError(f"Unknown BookingLocation {parent_id}")
        return dump(adapt(ctx, target.spec.adapter, stored, version))

    async def get_calendar(
        request: Request, ids: Annotated[dict[str, str], Depends(ids_dependency)]
    ) -> Response:
        caller = await ctx.authenticate(request, version)
        cc, pid, parent_id, calendar_id = (ids[n] for n in names)
        check_party(caller, cc, pid, "GET")
        parent = await load_parent(request, caller, cc, pid, parent_id, calendar_id)
        index = _find(parent.get(_CALENDARS), "id", calendar_id)
        if index is None:
            raise NotFoundOCPIError(f"Unknown Calendar {calendar_id}")
        return ocpi_response(parent[_CALENDARS][index])

    async def write(
        request: Request, ids: dict[str, str], data: dict[str, Any], patch: dict[str, Any] | None
    ) -> Response:
        caller = await ctx.authenticate(request, version)
        cc, pid, parent_id, calendar_id = (ids[n] for n in names)
        check_party(caller, cc, pid, "PATCH" if patch is not None else "PUT")
        check_url_matches_body(data, "id", calendar_id)
        async with _lock(id(ctx), target.object_type, cc.upper(), pid.upper(), parent_id):
            parent = await load_parent(request, caller, cc, pid, parent_id, calendar_id)
            calendars = list(parent.get(_CALENDARS) or [])
            index = _find(calendars, "id", calendar_id)
            if patch is not None:
                if index is None:
                    raise NotFoundOCPIError(f"Unknown Calendar {calendar_id}")
                data = validate_patch(model, calendars[index], patch)
            data = {**data, "id": calendar_id}
            if index is None:
                calendars.append(data)
            else:
                calendars[index] = data
            parent[_CALENDARS] = calendars
            # A change of a Calendar is a change of its BookingLocation.
            updated = data.get("last_updated")
            if updated is not None and str(parent.get("last_updated", "")) < str(updated):
                parent["last_updated"] = updated
            parent_model.model_validate(parent)
            extra = {} if patch is None else {"patch": patch}
            await ctx.crud.update(
                module,
                role,
                parent,
                parent_id,
                **kwargs(request, caller, cc, pid, calendar_id, **extra),
            )
        return ocpi_response(http_status=201 if index is None else 200)

    async def put_calendar(
        request: Request,
        body: Annotated[model, Body()],
        ids: Annotated[dict[str, str], Depends(ids_dependency)],
    ) -> Response:
        return await write(request, ids, dump(body), None)

    async def patch_calendar(
        request: Request,
        body: Annotated[dict[str, Any], Body()],
        ids: Annotated[dict[str, str], Depends(ids_dependency)],
    ) -> Response:
        return await write(request, ids, body, body)

    path = (
        f"{base}/{{country_code}}/{{party_id}}{target.segment}/{{{target.id_name}}}/{{calendar_id}}"
    )
    for method, endpoint, response_model in (
        ("GET", get_calendar, OCPIResponse[model]),
        ("PUT", put_calendar, OCPIResponse[None]),
        ("PATCH", patch_calendar, OCPIResponse[None]),
    ):
        router.add_api_route(
            path,
            endpoint,
            methods=[method],
            response_model=response_model,
            summary=f"{method} a Calendar of a BookingLocation",
        )


ENTRIES = [
    ModuleEntry(
        ModuleID.bookings,
        (InterfaceRole.sender,),
        VERSIONS,
        frozenset({RoleEnum.cpo}),
        make_bookings_sender,
    ),
    ModuleEntry(
        ModuleID.bookings,
        (InterfaceRole.receiver,),
        VERSIONS,
        frozenset({RoleEnum.emsp}),
        make_bookings_receiver,
    ),
]
