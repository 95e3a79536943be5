"""Charging profiles (2.2.1, 2.3.0): the CPO's Receiver and the SCSP's/eMSP's Sender.

Receiver (``{base}/{session_id}``):

* ``GET ?duration=&response_url=`` → ``Crud.do(ModuleID.charging_profile, role,
  Action.send_get_chargingprofile, session_id=, duration=, response_url=)``;
* ``PUT`` with a ``SetChargingProfile`` → ``Action.send_update_charging_profile`` with
  ``data=<the body>``, ``charging_profile=<the ChargingProfile>``, ``response_url=``;
* ``DELETE ?response_url=`` → ``Action.send_delete_chargingprofile``.

An unknown session (``Crud.get(ModuleID.sessions, ...)`` is ``None``) is answered
``UNKNOWN_SESSION`` without calling the Crud. Each answers the ``ChargingProfileResponse`` at
once; an ``ACCEPTED`` request waits in the application's
:class:`~ocpi.core.async_results.AsyncResults` for :func:`complete_charging_profile` (or posts
``REJECTED`` after the advertised ``timeout``, else ``GET_ACTIVE_PROFILE_AWAIT_TIME``).

Sender:

* ``POST {base}/{kind}/{request_id}`` (the ``response_url`` we hand out) and ``POST
  {base}[?request_id=]`` receive an ``ActiveChargingProfileResult``, ``ChargingProfileResult`` or
  ``ClearProfileResult`` → ``Crud.create(ModuleID.charging_profile, role, <result>,
  request_id=, result_kind=, query_params=)``;
* ``PUT {base}/{session_id}`` receives an ``ActiveChargingProfile`` pushed by the CPO →
  ``Crud.update(ModuleID.charging_profile, role, <profile>, session_id, session_id=)``.
"""

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request, Response

from ocpi.core.async_results import (
    ResultKind,
    complete_result,
    dispatch_request,
    results_lifespan,
)
from ocpi.core.context import Caller, OCPIContext
from ocpi.core.data_types import URL
from ocpi.core.enums import Action, InterfaceRole, ModuleID, RoleEnum
from ocpi.core.exceptions import NotFoundOCPIError
from ocpi.core.interfaces import crud_kwargs, dump
from ocpi.core.registry import ModuleEntry
from ocpi.core.responses import ocpi_response
from ocpi.core.routing import OCPIRouter
from ocpi.core.schemas import OCPIResponse
from ocpi.modules.chargingprofiles.schemas import (
    ActiveChargingProfile,
    ActiveChargingProfileResult,
    ChargingProfileResponse,
    SetChargingProfile,
)
from ocpi.modules.versions.enums import VersionNumber

__all__ = [
    "ENTRIES",
    "VERSIONS",
    "complete_charging_profile",
    "make_chargingprofiles_receiver",
    "make_chargingprofiles_sender",
]

VERSIONS = frozenset({VersionNumber.v_2_2_1, VersionNumber.v_2_3_0})

_UNKNOWN_SESSION = {"result": "UNKNOWN_SESSION", "timeout": 0}
_NO_ANSWER = {"result": "REJECTED", "timeout": 0}


async def complete_charging_profile(target: Any, response_url: str, result: Any) -> bool:
    """Post the result of a charging-profile request (``ActiveChargingProfileResult``,
    ``ChargingProfileResult`` or ``ClearProfileResult``, as model, mapping or ``result`` value).

    ``target`` is the application, the router of ``get_router()`` or the ``OCPIContext``.
    ``False`` when nothing waits under ``response_url``.
    """
    return await complete_result(target, response_url, result)


def make_chargingprofiles_receiver(
    ctx: OCPIContext, version: VersionNumber, role: RoleEnum | None, base: str
) -> APIRouter:
    acting = role or RoleEnum.cpo
    router = OCPIRouter(
        tags=[f"chargingprofiles {version.value} (receiver)"], lifespan=results_lifespan(ctx)
    )

    async def handle(
        request: Request,
        caller: Caller,
        session_id: str,
        kind: ResultKind,
        response_url: str,
        action: Action,
        **extra: Any,
    ) -> Response:
        kwargs = crud_kwargs(request, caller, version)
        try:
            session = await ctx.crud.get(ModuleID.sessions, acting, session_id, **kwargs)
        except NotFoundOCPIError:
            session = None
        if session is None:
            return ocpi_response(_UNKNOWN_SESSION)

        async def send() -> Any:
            return await ctx.crud.do(
                ModuleID.charging_profile,
                acting,
                action,
                session_id=session_id,
                response_url=response_url,
                **extra,
                **kwargs,
            )

        answer = await dispatch_request(
            ctx,
            request,
            caller,
            version,
            acting,
            ModuleID.charging_profile,
            kind,
            response_url,
            send,
            response_adapter="charging_profile_response_adapter",
            default_timeout=ctx.settings.GET_ACTIVE_PROFILE_AWAIT_TIME,
            info={"session_id": session_id, "kind": kind.value, **_plain(extra)},
        )
        return ocpi_response(_NO_ANSWER if answer is None else answer)

    async def get_profile(
        request: Request,
        session_id: str,
        duration: Annotated[int, Query(ge=0)],
        response_url: Annotated[URL, Query()],
    ) -> Response:
        caller = await ctx.authenticate(request, version)
        return await handle(
            request,
            caller,
            session_id,
            ResultKind.active_charging_profile,
            response_url,
            Action.send_get_chargingprofile,
            duration=duration,
        )

    async def put_profile(
        request: Request, session_id: str, body: Annotated[SetChargingProfile, Body()]
    ) -> Response:
        caller = await ctx.authenticate(request, version)
        data = dump(body)
        return await handle(
            request,
            caller,
            session_id,
            ResultKind.charging_profile,
            str(body.response_url),
            Action.send_update_charging_profile,
            data=data,
            charging_profile=body.charging_profile,
        )

    async def delete_profile(
        request: Request, session_id: str, response_url: Annotated[URL, Query()]
    ) -> Response:
        caller = await ctx.authenticate(request, version)
        return await handle(
            request,
            caller,
            session_id,
            ResultKind.clear_profile,
            response_url,
            Action.send_delete_chargingprofile,
        )

    path = f"{base}/{{session_id}}"
    answer_model = OCPIResponse[ChargingProfileResponse]
    router.add_api_route(
        path,
        get_profile,
        methods=["GET"],
        response_model=answer_model,
        summary="Ask for the ActiveChargingProfile of a session (result posted to response_url)",
    )
    router.add_api_route(
        path,
        put_profile,
        methods=["PUT"],
        response_model=answer_model,
        summary="Set or replace the charging profile of a session",
    )
    router.add_api_route(
        path,
        delete_profile,
        methods=["DELETE"],
        response_model=answer_model,
        summary="Clear the charging profile of a session",
    )
    return router


def _plain(extra: dict[str, Any]) -> dict[str, Any]:
    return {
        key: dump(value) if key == "charging_profile" else value for key, value in extra.items()
    }


def make_chargingprofiles_sender(
    ctx: OCPIContext, version: VersionNumber, role: RoleEnum | None, base: str
) -> APIRouter:
    acting = role or ctx.primary_role
    router = OCPIRouter(tags=[f"chargingprofiles {version.value} (sender)"])

    async def store_result(
        request: Request,
        kind: str | None,
        request_id: str | None,
        result: ActiveChargingProfileResult,
    ) -> Response:
        caller = await ctx.authenticate(request, version)
        query = dict(request.query_params)
        await ctx.crud.create(
            ModuleID.charging_profile,
            acting,
            dump(result),
            **crud_kwargs(
                request,
                caller,
                version,
                request_id=request_id or query.get("request_id"),
                result_kind=kind,
                query_params=query,
            ),
        )
        return ocpi_response()

    async def post_result(
        request: Request, result: Annotated[ActiveChargingProfileResult, Body()]
    ) -> Response:
        return await store_result(request, None, None, result)

    async def post_result_by_id(
        request: Request,
        kind: str,
        request_id: str,
        result: Annotated[ActiveChargingProfileResult, Body()],
    ) -> Response:
        return await store_result(request, kind, request_id, result)

    async def put_active_profile(
        request: Request, session_id: str, profile: Annotated[ActiveChargingProfile, Body()]
    ) -> Response:
        caller = await ctx.authenticate(request, version)
        await ctx.crud.update(
            ModuleID.charging_profile,
            acting,
            dump(profile),
            session_id,
            **crud_kwargs(request, caller, version, session_id=session_id),
        )
        return ocpi_response()

    routes: list[tuple[str, Callable[..., Awaitable[Response]], str, str]] = [
        (base, post_result, "POST", "Receive the asynchronous result of a request"),
        (
            f"{base}/{{kind}}/{{request_id}}",
            post_result_by_id,
            "POST",
            "Receive the asynchronous result of a request (kind and id in the URL)",
        ),
        (
            f"{base}/{{session_id}}",
            put_active_profile,
            "PUT",
            "Receive an updated ActiveChargingProfile of a session",
        ),
    ]
    for path, endpoint, method, summary in routes:
        router.add_api_route(
            path, endpoint, methods=[method], response_model=OCPIResponse[None], summary=summary
        )
    return router


ENTRIES = [
    ModuleEntry(
        ModuleID.charging_profile,
        (InterfaceRole.receiver,),
        VERSIONS,
        frozenset({RoleEnum.cpo}),
        make_chargingprofiles_receiver,
    ),
    ModuleEntry(
        ModuleID.charging_profile,
        (InterfaceRole.sender,),
        VERSIONS,
        frozenset({RoleEnum.scsp, RoleEnum.emsp}),
        make_chargingprofiles_sender,
    ),
]
