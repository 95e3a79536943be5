"""CDRs: the CPO's Sender (list) and the eMSP's Receiver (``POST`` a CDR, answered with a
``Location`` header whose URL ``GET``s it back)."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request, Response

from ocpi.core.context import OCPIContext
from ocpi.core.enums import InterfaceRole, ModuleID, RoleEnum
from ocpi.core.exceptions import NotFoundOCPIError
from ocpi.core.interfaces import ObjectSpec, adapt, crud_kwargs, dump
from ocpi.core.object_routers import ObjectSender
from ocpi.core.registry import ModuleEntry
from ocpi.core.responses import ocpi_response
from ocpi.core.routing import OCPIRouter
from ocpi.core.schemas import OCPIResponse
from ocpi.core.spec import SUPPORTED_VERSIONS
from ocpi.modules.versions.enums import VersionNumber

__all__ = ["ENTRIES", "SPEC", "make_cdr_receiver"]

SPEC = ObjectSpec(ModuleID.cdrs, "CDR", "cdr_adapter")


def make_cdr_receiver(
    ctx: OCPIContext, version: VersionNumber, role: RoleEnum | None, base: str
) -> APIRouter:
    acting = role or ctx.primary_role
    model: Any = SPEC.model(version)
    router = OCPIRouter(tags=[f"cdrs {version.value} (receiver)"])

    async def post_cdr(request: Request, cdr: Annotated[model, Body()]) -> Response:
        caller = await ctx.authenticate(request, version)
        data = dump(cdr)
        extra: dict[str, Any] = {}
        if "country_code" in data:
            extra = {"country_code": data["country_code"], "party_id": data.get("party_id")}
        await ctx.crud.create(
            ModuleID.cdrs, acting, data, **crud_kwargs(request, caller, version, **extra)
        )
        origin = ctx.public_origin() + ctx.mount_path(request, base)
        location = f"{origin}{base}/{data['id']}"
        return ocpi_response(http_status=201, headers={"Location": location})

    async def get_cdr(request: Request, cdr_id: str) -> Response:
        caller = await ctx.authenticate(request, version)
        stored = await ctx.crud.get(
            ModuleID.cdrs, acting, cdr_id, **crud_kwargs(request, caller, version)
        )
        if stored is None:
            raise NotFoundOCPIError(f"Unknown CDR {cdr_id}")
        return ocpi_response(adapt(ctx, SPEC.adapter, stored, version))

    router.add_api_route(
        base, post_cdr, methods=["POST"], response_model=OCPIResponse[None], summary="Receive a CDR"
    )
    router.add_api_route(
        f"{base}/{{cdr_id}}",
        get_cdr,
        methods=["GET"],
        response_model=OCPIResponse[model],
        summary="Get a received CDR",
    )
    return router


ENTRIES = [
    ModuleEntry(
        ModuleID.cdrs,
        (InterfaceRole.sender,),
        frozenset(SUPPORTED_VERSIONS),
        frozenset({RoleEnum.cpo}),
        ObjectSender(SPEC),
    ),
    ModuleEntry(
        ModuleID.cdrs,
        (InterfaceRole.receiver,),
        frozenset(SUPPORTED_VERSIONS),
        frozenset({RoleEnum.emsp}),
        make_cdr_receiver,
    ),
]
