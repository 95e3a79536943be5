"""Commands: the CPO's Receiver (``POST {base}/{command}``) and the eMSP's Sender, which receives
the asynchronous results at the ``response_url`` it handed out (``POST {base}/{command}/{uid}``).

Receiver flow: the body is validated with the command's class of the version (2001 naming the
fields); commands naming a ``location_id`` check the location with ``Crud.get(ModuleID.locations,
...)`` (2003 when unknown); the request is registered with the application's
:class:`~ocpi.core.async_results.AsyncResults`, then ``Crud.do(ModuleID.commands, role,
Action.send_command, data=..., command=..., command_data=..., response_url=...)`` answers the
``CommandResponse`` returned at once. When it is ``ACCEPTED`` the result is posted later by
:func:`complete_command` or, after the advertised ``timeout`` (else ``COMMAND_AWAIT_TIME``), as
``TIMEOUT``.

A command this library does not know in the version (``CANCEL_RESERVATION`` in 2.1.1, anything
new) is answered ``NOT_SUPPORTED`` with status 1000: the URL is a valid commands URL, the command
is what is not supported, and 2.3.0 declares ``CommandType`` an open enum for exactly that case.
"""

import importlib
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Request, Response

from ocpi.core import status
from ocpi.core.async_results import (
    ResultKind,
    complete_result,
    dispatch_request,
    results_lifespan,
)
from ocpi.core.context import OCPIContext
from ocpi.core.data_types import parse_datetime
from ocpi.core.enums import Action, InterfaceRole, ModuleID, RoleEnum
from ocpi.core.exceptions import NotFoundOCPIError, UnknownLocationOCPIError
from ocpi.core.interfaces import crud_kwargs, dump
from ocpi.core.registry import ModuleEntry
from ocpi.core.responses import ocpi_response
from ocpi.core.routing import OCPIRouter
from ocpi.core.schemas import OCPIResponse
from ocpi.core.spec import SUPPORTED_VERSIONS
from ocpi.core.utils import get_module_model, version_module_name
from ocpi.modules.versions.enums import VersionNumber

__all__ = [
    "COMMAND_CLASSES",
    "ENTRIES",
    "complete_command",
    "make_commands_receiver",
    "make_commands_sender",
]

#: The body class of each command.
COMMAND_CLASSES: dict[str, str] = {
    "CANCEL_RESERVATION": "CancelReservation",
    "RESERVE_NOW": "ReserveNow",
    "START_SESSION": "StartSession",
    "STOP_SESSION": "StopSession",
    "UNLOCK_CONNECTOR": "UnlockConnector",
}

Endpoint = Callable[..., Coroutine[Any, Any, Response]]


def _command_enum(version: VersionNumber) -> Any:
    path = f"ocpi.modules.commands.{version_module_name(version)}.enums"
    return importlib.import_module(path).CommandType


def command_types(version: VersionNumber) -> list[str]:
    """The commands of ``version`` (``CommandType`` values)."""
    return [member.value for member in _command_enum(version)]


def _answer(version: VersionNumber, result: str) -> dict[str, Any]:
    """A ``CommandResponse`` made by the library itself (no charge point involved)."""
    if version == VersionNumber.v_2_1_1:
        return {"result": result}
    return {"result": result, "timeout": 0}


async def complete_command(target: Any, response_url: str, result: Any) -> bool:
    """Post the result of a command: ``await complete_command(app, response_url, "ACCEPTED")``.

    ``target`` is the application, the router of ``get_router()`` or the ``OCPIContext``;
    ``result`` a ``CommandResult`` (2.1.1: ``CommandResponse``) as model or mapping, or just its
    ``result`` value. ``False`` when nothing waits under ``response_url``.
    """
    return await complete_result(target, response_url, result)


def make_commands_receiver(
    ctx: OCPIContext, version: VersionNumber, role: RoleEnum | None, base: str
) -> APIRouter:
    acting = role or RoleEnum.cpo
    folder = version_module_name(version)
    command_type = _command_enum(version)
    response_model: Any = get_module_model("CommandResponse", "commands", folder)
    router = OCPIRouter(
        tags=[f"commands {version.value} (receiver)"], lifespan=results_lifespan(ctx)
    )

    async def handle(request: Request, command: str, body: Any) -> Response:
        caller = await ctx.authenticate(request, version)
        kwargs = crud_kwargs(request, caller, version)
        data = dump(body)
        location_id = data.get("location_id")
        if location_id is not None:
            try:
                location = await ctx.crud.get(ModuleID.locations, acting, location_id, **kwargs)
            except NotFoundOCPIError:
                location = None
            if location is None:
                raise UnknownLocationOCPIError(
                    f"Unknown location {location_id}", data=_answer(version, "REJECTED")
                )
        response_url = str(data["response_url"])
        keep_until: datetime | None = None
        if command == "RESERVE_NOW" and data.get("expiry_date"):
            keep_until = parse_datetime(data["expiry_date"])

        async def send() -> Any:
            return await ctx.crud.do(
                ModuleID.commands,
                acting,
                Action.send_command,
                data=data,
                command=command_type(command),
                command_data=body,
                response_url=response_url,
                **kwargs,
            )

        answer = await dispatch_request(
            ctx,
            request,
            caller,
            version,
            acting,
            ModuleID.commands,
            ResultKind.command,
            response_url,
            send,
            response_adapter="command_response_adapter",
            default_timeout=ctx.settings.COMMAND_AWAIT_TIME,
            info={"command": command, **data},
            keep_until=keep_until,
        )
        if answer is None:
            return ocpi_response(
                _answer(version, "REJECTED"), status=status.OCPI_3000_GENERIC_SERVER_ERROR
            )
        if version == VersionNumber.v_2_1_1 and isinstance(answer, dict):
            # 2.1.1 has no timeout field; a Crud may still return one to set the timer.
            answer = {key: value for key, value in answer.items() if key != "timeout"}
        return ocpi_response(answer)

    def endpoint(command: str, model: Any) -> Endpoint:
        async def post_command(request: Request, body: Annotated[model, Body()]) -> Response:
            return await handle(request, command, body)

        return post_command

    for command in command_types(version):
        model: Any = get_module_model(COMMAND_CLASSES[command], "commands", folder)
        router.add_api_route(
            f"{base}/{command}",
            endpoint(command, model),
            methods=["POST"],
            response_model=OCPIResponse[response_model],
            summary=f"Send {command} to a charge point",
        )

    async def unknown_command(request: Request, command: str) -> Response:
        await ctx.authenticate(request, version)
        return ocpi_response(_answer(version, "NOT_SUPPORTED"))

    router.add_api_route(
        f"{base}/{{command}}",
        unknown_command,
        methods=["POST"],
        response_model=OCPIResponse[response_model],
        summary="A command not supported in this version (answered NOT_SUPPORTED)",
    )
    return router


def make_commands_sender(
    ctx: OCPIContext, version: VersionNumber, role: RoleEnum | None, base: str
) -> APIRouter:
    """The eMSP side: ``POST {base}/{command}/{uid}`` (and ``{base}/{uid}``) receive a result.

    The Crud gets ``Crud.update(ModuleID.commands, role, <result dict>, uid, command=...)``.
    """
    acting = role or RoleEnum.emsp
    result_model: Any = get_module_model("CommandResult", "commands", version_module_name(version))
    router = OCPIRouter(tags=[f"commands {version.value} (sender)"])

    async def store(request: Request, uid: str, command: str | None, result: Any) -> Response:
        caller = await ctx.authenticate(request, version)
        await ctx.crud.update(
            ModuleID.commands,
            acting,
            dump(result),
            uid,
            **crud_kwargs(request, caller, version, command=command),
        )
        return ocpi_response()

    async def post_result(
        request: Request, command: str, uid: str, result: Annotated[result_model, Body()]
    ) -> Response:
        return await store(request, uid, command, result)

    async def post_result_by_uid(
        request: Request, uid: str, result: Annotated[result_model, Body()]
    ) -> Response:
        return await store(request, uid, None, result)

    router.add_api_route(
        f"{base}/{{command}}/{{uid}}",
        post_result,
        methods=["POST"],
        response_model=OCPIResponse[None],
        summary="Receive the asynchronous result of a command",
    )
    router.add_api_route(
        f"{base}/{{uid}}",
        post_result_by_uid,
        methods=["POST"],
        response_model=OCPIResponse[None],
        summary="Receive the asynchronous result of a command (URL without the command)",
    )
    return router


ENTRIES = [
    ModuleEntry(
        ModuleID.commands,
        (InterfaceRole.receiver,),
        frozenset(SUPPORTED_VERSIONS),
        frozenset({RoleEnum.cpo}),
        make_commands_receiver,
    ),
    ModuleEntry(
        ModuleID.commands,
        (InterfaceRole.sender,),
        frozenset(SUPPORTED_VERSIONS),
        frozenset({RoleEnum.emsp}),
        make_commands_sender,
    ),
]
