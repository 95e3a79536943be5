"""Hub client info: the Hub's Sender (``GET {base}``, paginated) and the Receiver every party
connected to a hub implements (``GET/PUT {base}/{country_code}/{party_id}``).

A ClientInfo object describes a *party* (the one named in the URL), not the caller: the Hub owns
every ClientInfo object and pushes the state of other parties, so the Receiver does not require
the URL's party to belong to the caller. It does require the body to describe the party of the
URL (2001 otherwise).

The Crud sees ``ModuleID.hub_client_info`` with ``id`` = :func:`client_info_id` (``"NL*ALL"``)
and the ``country_code``/``party_id`` keyword arguments.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request, Response

from ocpi.core.context import OCPIContext
from ocpi.core.enums import InterfaceRole, ModuleID, RoleEnum
from ocpi.core.exceptions import NotFoundOCPIError
from ocpi.core.interfaces import ObjectSpec, adapt, check_url_matches_body, crud_kwargs, dump
from ocpi.core.object_routers import ObjectSender
from ocpi.core.registry import ModuleEntry
from ocpi.core.responses import ocpi_response
from ocpi.core.routing import OCPIRouter
from ocpi.core.schemas import OCPIResponse
from ocpi.modules.versions.enums import VersionNumber

__all__ = ["ENTRIES", "RECEIVER_ROLES", "SPEC", "client_info_id", "make_client_info_receiver"]

SPEC = ObjectSpec(ModuleID.hub_client_info, "ClientInfo", "hubclientinfo_adapter")
VERSIONS = frozenset({VersionNumber.v_2_2_1, VersionNumber.v_2_3_0})
#: Every role that connects to a hub receives ClientInfo pushes (PTP exists from 2.3.0).
RECEIVER_ROLES = frozenset(
    {RoleEnum.cpo, RoleEnum.emsp, RoleEnum.nap, RoleEnum.nsp, RoleEnum.other, RoleEnum.scsp}
)


def client_info_id(country_code: str, party_id: str) -> str:
    """The identifier the Crud receives for the ClientInfo of a party, e.g. ``"NL*ALL"``.

    Country code and party id are case-insensitive, so the identifier is upper case::

        client_info_id("nl", "all") == "NL*ALL"
    """
    return f"{country_code.upper()}*{party_id.upper()}"


def make_client_info_receiver(
    ctx: OCPIContext, version: VersionNumber, role: RoleEnum | None, base: str
) -> APIRouter:
    """``GET``/``PUT {base}/{country_code}/{party_id}``; PUT answers 201 for a new party."""
    acting = role or ctx.primary_role
    model: Any = SPEC.model(version)
    router = OCPIRouter(tags=[f"hubclientinfo {version.value} (receiver)"])

    async def get_client_info(request: Request, country_code: str, party_id: str) -> Response:
        caller = await ctx.authenticate(request, version)
        stored = await ctx.crud.get(
            SPEC.module,
            acting,
            client_info_id(country_code, party_id),
            **crud_kwargs(request, caller, version, country_code=country_code, party_id=party_id),
        )
        if stored is None:
            raise NotFoundOCPIError(f"Unknown ClientInfo {country_code}/{party_id}")
        return ocpi_response(adapt(ctx, SPEC.adapter, stored, version))

    async def put_client_info(
        request: Request,
        country_code: str,
        party_id: str,
        client_info: Annotated[model, Body()],
    ) -> Response:
        caller = await ctx.authenticate(request, version)
        data = dump(client_info)
        check_url_matches_body(data, "", "", country_code, party_id)
        object_id = client_info_id(country_code, party_id)
        kwargs = crud_kwargs(request, caller, version, country_code=country_code, party_id=party_id)
        if await ctx.crud.get(SPEC.module, acting, object_id, **kwargs) is None:
            await ctx.crud.create(SPEC.module, acting, data, **kwargs)
            return ocpi_response(http_status=201)
        await ctx.crud.update(SPEC.module, acting, data, object_id, **kwargs)
        return ocpi_response()

    path = f"{base}/{{country_code}}/{{party_id}}"
    router.add_api_route(
        path,
        get_client_info,
        methods=["GET"],
        response_model=OCPIResponse[model],
        summary="Get the ClientInfo of a party as stored here",
    )
    router.add_api_route(
        path,
        put_client_info,
        methods=["PUT"],
        response_model=OCPIResponse[None],
        summary="Receive the ClientInfo of a party from the hub",
    )
    return router


ENTRIES = [
    ModuleEntry(
        ModuleID.hub_client_info,
        (InterfaceRole.sender,),
        VERSIONS,
        frozenset({RoleEnum.hub}),
        ObjectSender(SPEC),
    ),
    ModuleEntry(
        ModuleID.hub_client_info,
        (InterfaceRole.receiver,),
        frozenset({VersionNumber.v_2_2_1}),
        RECEIVER_ROLES,
        make_client_info_receiver,
    ),
    ModuleEntry(
        ModuleID.hub_client_info,
        (InterfaceRole.receiver,),
        frozenset({VersionNumber.v_2_3_0}),
        RECEIVER_ROLES | {RoleEnum.ptp},
        make_client_info_receiver,
    ),
]
