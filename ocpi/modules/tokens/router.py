"""Tokens: the eMSP's Sender (list; ``POST {token_uid}/authorize`` real-time authorization) and the
CPO's Receiver (GET/PUT/PATCH with ``?type=``)."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request, Response

from ocpi.core import status
from ocpi.core.context import OCPIContext
from ocpi.core.enums import Action, InterfaceRole, ModuleID, RoleEnum
from ocpi.core.exceptions import UnknownTokenOCPIError
from ocpi.core.interfaces import ObjectSpec, adapt, crud_kwargs, dump
from ocpi.core.object_routers import ObjectReceiver, ObjectSender
from ocpi.core.registry import ModuleEntry
from ocpi.core.responses import ocpi_response
from ocpi.core.schemas import OCPIResponse
from ocpi.core.spec import SUPPORTED_VERSIONS
from ocpi.core.utils import get_module_model, version_module_name
from ocpi.modules.versions.enums import VersionNumber

__all__ = ["ENTRIES", "SPEC"]

SPEC = ObjectSpec(ModuleID.tokens, "Token", "token_adapter", id_field="uid")


def add_authorize(
    ctx: OCPIContext, version: VersionNumber, role: RoleEnum, base: str, router: APIRouter
) -> None:
    """``POST {base}/{token_uid}/authorize[?type=...]`` with optional ``LocationReferences``.

    Unknown token: 404 with 2004. The Crud's ``do(..., Action.authorize_token, data=...)`` returns
    the ``AuthorizationInfo`` (``None`` answers 2002, not enough information).
    """
    references: Any = get_module_model("LocationReferences", "tokens", version_module_name(version))
    result_model: Any = get_module_model(
        "AuthorizationInfo", "tokens", version_module_name(version)
    )

    async def authorize(
        request: Request,
        token_uid: str,
        location_references: Annotated[references | None, Body()] = None,
    ) -> Response:
        caller = await ctx.authenticate(request, version)
        token_type = request.query_params.get("type", "RFID")
        kwargs = crud_kwargs(request, caller, version, token_type=token_type)
        token = await ctx.crud.get(ModuleID.tokens, role, token_uid, **kwargs)
        if token is None:
            error = UnknownTokenOCPIError(f"Unknown token {token_uid}")
            error.http_status = 404
            raise error
        data = {
            "token_uid": token_uid,
            "token_type": token_type,
            "location_reference": None
            if location_references is None
            else dump(location_references),
        }
        result = await ctx.crud.do(
            ModuleID.tokens, role, Action.authorize_token, data=data, **kwargs
        )
        if not result:
            return ocpi_response(status=status.OCPI_2002_NOT_ENOUGH_INFORMATION)
        return ocpi_response(adapt(ctx, "authorization_adapter", result, version))

    router.add_api_route(
        f"{base}/{{token_uid}}/authorize",
        authorize,
        methods=["POST"],
        response_model=OCPIResponse[result_model],
        summary="Real-time authorization of a token",
    )


ENTRIES = [
    ModuleEntry(
        ModuleID.tokens,
        (InterfaceRole.sender,),
        frozenset(SUPPORTED_VERSIONS),
        frozenset({RoleEnum.emsp}),
        ObjectSender(SPEC, add_routes=add_authorize),
    ),
    ModuleEntry(
        ModuleID.tokens,
        (InterfaceRole.receiver,),
        frozenset(SUPPORTED_VERSIONS),
        frozenset({RoleEnum.cpo}),
        ObjectReceiver(SPEC, id_param="token_uid", query={"type": ("token_type", "RFID")}),
    ),
]
