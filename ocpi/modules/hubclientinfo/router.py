"""Hub client info: the Hub's Sender (``GET {base}``, paginated) and the Receiver every party
connected to a hub implements (``GET/PUT {base}/{country_code}/{party_id}``).

A ClientInfo object describes a *party* (the one named in the URL), not the caller: the Hub owns
every ClientInfo object and pushes the state of other parties, so the Receiver does not require
the URL's party to belong to the caller. It does require the body to describe the party of the
URL (2001 otherwise).

The Crud sees ``ModuleID.hub_client_info`` with ``id`` = :func:`client_info_id` (``"NL*ALL"``)
and the ``country_code``/``party_id`` keyword arguments.

The endpoints are advertised (identifier and URL) as ``hubclientinfo``. Earlier implementations
served the module under a ``clientinfo`` URL segment; partners still holding such URLs are answered
there too (the twin routes are left out of the OpenAPI schema).
"""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request, Response
from fastapi.routing import APIRoute

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

__all__ = [
    "ENTRIES",
    "LEGACY_SEGMENT",
    "RECEIVER_ROLES",
    "SPEC",
    "client_info_id",
    "make_client_info_receiver",
    "make_client_info_sender",
]

SPEC = ObjectSpec(ModuleID.hub_client_info, "ClientInfo", "hubclientinfo_adapter")
VERSIONS = frozenset({VersionNumber.v_2_2_1, VersionNumber.v_2_3_0})
#: Every role that connects to a hub receives ClientInfo pushes (PTP exists from 2.3.0).
RECEIVER_ROLES = frozenset(
    {RoleEnum.cpo, RoleEnum.emsp, RoleEnum.nap, RoleEnum.nsp, RoleEnum.other, RoleEnum.scsp}
)


#: The URL segment older implementations used for this module.
LEGACY_SEGMENT = "clientinfo"


def _legacy_base(base: str) -> str | None:
    """``.../hubclientinfo`` → ``.../clientinfo`` (``None`` for a base of another shape)."""
    own = f"/{SPEC.module.value}"
    return base[: -len(own)] + f"/{LEGACY_SEGMENT}" if base.endswith(own) else None


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

    legacy = _legacy_base(base)
    for prefix in (base, legacy) if legacy else (base,):
        path = f"{prefix}/{{country_code}}/{{party_id}}"
        documented = prefix == base
        router.add_api_route(
            path,
            get_client_info,
            methods=["GET"],
            response_model=OCPIResponse[model],
            summary="Get the ClientInfo of a party as stored here",
            include_in_schema=documented,
        )
        router.add_api_route(
            path,
            put_client_info,
            methods=["PUT"],
            response_model=OCPIResponse[None],
            summary="Receive the ClientInfo of a party from the hub",
            include_in_schema=documented,
        )
    return router


def make_client_info_sender(
    ctx: OCPIContext, version: VersionNumber, role: RoleEnum | None, base: str
) -> APIRouter:
    """The Hub's paginated list (also answered under the legacy URL segment)."""
    router = ObjectSender(SPEC)(ctx, version, role, base)
    legacy = _legacy_base(base)
    if legacy:
        twin = ObjectSender(SPEC)(ctx, version, role, legacy)
        for route in twin.routes:
            if isinstance(route, APIRoute):
                route.include_in_schema = False
        router.routes.extend(twin.routes)
    return router


ENTRIES = [
    ModuleEntry(
        ModuleID.hub_client_info,
        (InterfaceRole.sender,),
        VERSIONS,
        frozenset({RoleEnum.hub}),
        make_client_info_sender,
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
