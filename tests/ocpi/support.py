"""Test support: a small Sender interface built only from the public helpers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request, Response

from ocpi import ModuleID, RoleEnum, VersionNumber
from ocpi.core.context import OCPIContext
from ocpi.core.enums import InterfaceRole
from ocpi.core.exceptions import NotFoundOCPIError
from ocpi.core.pagination import paginated_response, parse_pagination
from ocpi.core.registry import ModuleEntry, ModuleRegistry
from ocpi.core.responses import ocpi_response
from ocpi.core.routing import OCPIRouter, request_routing

V = VersionNumber.v_2_2_1
START = datetime(2024, 1, 1, tzinfo=UTC)


def list_router(ctx: OCPIContext, version: VersionNumber, role: Any, base: str) -> APIRouter:
    """A small Sender interface over the Crud, built with the public helpers."""
    router = OCPIRouter()

    async def list_objects(request: Request) -> Response:
        caller = await ctx.authenticate(request, version)
        filters = parse_pagination(request, ctx.settings)
        items, total, last = await ctx.crud.list(
            ModuleID.locations, role, filters, auth_token=caller.token, version=version
        )
        return paginated_response(request, ctx.settings, items, total, last, filters)

    async def get_object(request: Request, object_id: str) -> Response:
        caller = await ctx.authenticate(request, version)
        routing = request_routing(request)
        item = await ctx.crud.get(
            ModuleID.locations, role, object_id, auth_token=caller.token, version=version
        )
        if item is None:
            raise NotFoundOCPIError
        if routing is not None:
            item = dict(item, routed_to=routing.to_party_id)
        return ocpi_response(item)

    router.add_api_route(base, list_objects, methods=["GET"])
    router.add_api_route(f"{base}/{{object_id}}", get_object, methods=["GET"])
    return router


def registry() -> ModuleRegistry:
    """Credentials plus the small locations Sender above (instead of the library's own)."""
    from ocpi.modules.credentials.router import ENTRIES

    reg = ModuleRegistry(ENTRIES)
    reg.register(
        ModuleEntry(
            ModuleID.locations,
            (InterfaceRole.sender,),
            frozenset({VersionNumber.v_2_1_1, VersionNumber.v_2_2_1, VersionNumber.v_2_3_0}),
            frozenset({RoleEnum.cpo}),
            list_router,
        )
    )
    return reg
