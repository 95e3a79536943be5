"""The credentials endpoint, one router for every version and role.

* ``GET``    (token C) — our credentials for this partner.
* ``POST``   (token A) — registration: we fetch the partner's versions and details with the token
  it gave us (token B), hand everything to ``Crud.create`` (which stores it, issues token C and
  retires token A) and answer with our credentials. 405 when already registered; 3001/3002/3003
  when the partner's API cannot be used.
* ``PUT``    (token C) — token rotation or version switch: the same fetch, then ``Crud.update``.
* ``DELETE`` (token C) — unregistration through ``Crud.delete``.
"""

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request, Response
from pydantic import BaseModel

from ocpi.core.authentication.authenticator import TokenKind
from ocpi.core.client import OCPIClient
from ocpi.core.context import Caller, OCPIContext
from ocpi.core.enums import InterfaceRole, ModuleID, RoleEnum
from ocpi.core.exceptions import MethodNotAllowedOCPIError, NotFoundOCPIError
from ocpi.core.registry import ModuleEntry
from ocpi.core.responses import ocpi_response
from ocpi.core.routing import OCPIRouter, request_routing
from ocpi.core.schemas import OCPIResponse
from ocpi.core.spec import SUPPORTED_VERSIONS
from ocpi.core.utils import get_module_model, version_module_name
from ocpi.modules.credentials.build import versions_url
from ocpi.modules.versions.enums import VersionNumber

__all__ = ["ENTRIES", "make_credentials_router"]

logger = logging.getLogger(__name__)

MODULE = ModuleID.credentials_and_registration


def make_credentials_router(
    ctx: OCPIContext, version: VersionNumber, role: RoleEnum | None, base_path: str
) -> APIRouter:
    """Build the credentials router of ``version`` at ``base_path``."""
    model: type[BaseModel] = get_module_model(
        "Credentials", "credentials", version_module_name(version)
    )
    crud_role = role or ctx.primary_role
    router = OCPIRouter(tags=[f"credentials {version.value}"])

    async def caller_a_or_c(request: Request) -> Caller:
        return await ctx.authenticate(request, version, allow_token_a=True)

    async def registered_caller(request: Request) -> Caller:
        caller = await ctx.authenticate(request, version, allow_token_a=True)
        if caller.owner.kind is TokenKind.A:
            raise MethodNotAllowedOCPIError("The client is not registered yet")
        return caller

    def kwargs(request: Request, caller: Caller) -> dict[str, Any]:
        extra: dict[str, Any] = {"auth_token": caller.token, "version": version}
        routing = request_routing(request)
        if routing is not None:
            extra["routing"] = routing
        return extra

    async def partner_details(credentials: BaseModel) -> dict[str, Any]:
        data = credentials.model_dump()
        async with OCPIClient(settings=ctx.settings, **ctx.client_options) as client:
            discovery = await client.discover(str(data["url"]), str(data["token"]), [version])
        return {"version": discovery.version.value, "endpoints": discovery.endpoints}

    def our_versions_url(request: Request) -> str:
        return versions_url(ctx.settings, ctx.mount_path(request, base_path))

    async def get_credentials(
        request: Request, caller: Annotated[Caller, Depends(registered_caller)]
    ) -> Response:
        data = await ctx.crud.get(MODULE, crud_role, caller.token, **kwargs(request, caller))
        if data is None:
            raise NotFoundOCPIError("No credentials for this token")
        return ocpi_response(ctx.adapter.credentials_adapter(data, version))

    async def post_credentials(
        request: Request,
        credentials: Annotated[model, Body()],  # type: ignore[valid-type]
        caller: Annotated[Caller, Depends(caller_a_or_c)],
    ) -> Response:
        if caller.owner.kind is TokenKind.C:
            raise MethodNotAllowedOCPIError("The client is already registered")
        body: BaseModel = credentials
        endpoints = await partner_details(body)
        data = await ctx.crud.create(
            MODULE,
            crud_role,
            {"credentials": body.model_dump(mode="json"), "endpoints": endpoints},
            versions_url=our_versions_url(request),
            **kwargs(request, caller),
        )
        logger.info("partner registered with OCPI %s", version.value)
        return ocpi_response(ctx.adapter.credentials_adapter(data, version))

    async def put_credentials(
        request: Request,
        credentials: Annotated[model, Body()],  # type: ignore[valid-type]
        caller: Annotated[Caller, Depends(registered_caller)],
    ) -> Response:
        body: BaseModel = credentials
        endpoints = await partner_details(body)
        data = await ctx.crud.update(
            MODULE,
            crud_role,
            {"credentials": body.model_dump(mode="json"), "endpoints": endpoints},
            caller.token,
            versions_url=our_versions_url(request),
            **kwargs(request, caller),
        )
        logger.info("partner updated its credentials (OCPI %s)", version.value)
        return ocpi_response(ctx.adapter.credentials_adapter(data, version))

    async def delete_credentials(
        request: Request, caller: Annotated[Caller, Depends(registered_caller)]
    ) -> Response:
        existing = await ctx.crud.get(MODULE, crud_role, caller.token, **kwargs(request, caller))
        if not existing:
            raise MethodNotAllowedOCPIError("The client is not registered")
        await ctx.crud.delete(MODULE, crud_role, caller.token, **kwargs(request, caller))
        logger.info("partner unregistered (OCPI %s)", version.value)
        return ocpi_response()

    response_model = OCPIResponse[model]  # type: ignore[valid-type]
    router.add_api_route(
        base_path,
        get_credentials,
        methods=["GET"],
        response_model=response_model,
        summary="Get our credentials",
    )
    router.add_api_route(
        base_path,
        post_credentials,
        methods=["POST"],
        response_model=response_model,
        summary="Register (token A)",
    )
    router.add_api_route(
        base_path,
        put_credentials,
        methods=["PUT"],
        response_model=response_model,
        summary="Update credentials / switch version",
    )
    router.add_api_route(
        base_path,
        delete_credentials,
        methods=["DELETE"],
        response_model=OCPIResponse[None],
        summary="Unregister",
    )
    return router


ENTRIES = [
    ModuleEntry(
        module=MODULE,
        interfaces=(InterfaceRole.sender, InterfaceRole.receiver),
        versions=frozenset(SUPPORTED_VERSIONS),
        roles=None,
        factory=make_credentials_router,
        always=True,
    )
]
