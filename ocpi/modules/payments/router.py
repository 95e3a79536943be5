"""Payments (2.3.0): the PTP's Sender and the CPO's Receiver.

PTP Sender, under ``{base}`` (e.g. ``/ocpi/ptp/2.3.0/payments``):

* ``GET terminals`` (paginated), ``GET terminals/{terminal_id}``,
* ``POST terminals/activate`` (a Terminal whose id the PTP assigns),
  ``POST terminals/{terminal_id}/deactivate``,
* ``PUT terminals/{terminal_id}`` and ``PATCH terminals/{terminal_id}`` (the CPO assigns locations
  and EVSEs),
* ``GET financial-advice-confirmations`` (paginated), ``GET financial-advice-confirmations/{id}``.

CPO Receiver: ``POST terminals``, ``GET terminals/{terminal_id}``,
``POST financial-advice-confirmations``, ``GET financial-advice-confirmations/{id}``.

Every Crud call carries ``object_type`` (:data:`TERMINAL` or :data:`FINANCIAL_ADVICE_CONFIRMATION`)
since both objects belong to ``ModuleID.payments``. Activation is ``Crud.create(...,
activate=True)``, deactivation ``Crud.delete(..., deactivate=True)``.

Lenient where the spec's own examples are: a POSTed Terminal may be just its ``terminal_id``
(``last_updated`` is then set to now), a PUT Terminal may omit ``terminal_id`` (the URL's is used),
a PATCH without ``last_updated`` gets now, and a Financial Advice Confirmation of a failed capture
may come without ``eft_data``.
"""

import asyncio
import weakref
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request, Response
from pydantic import create_model

from ocpi.core.context import Caller, OCPIContext
from ocpi.core.data_types import DateTime, format_datetime
from ocpi.core.enums import InterfaceRole, ModuleID, RoleEnum
from ocpi.core.exceptions import NotFoundOCPIError
from ocpi.core.interfaces import (
    ObjectSpec,
    adapt,
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
from ocpi.modules.payments.v_2_3_0.schemas import (
    FinancialAdviceConfirmation,
    Terminal,
    TerminalActivation,
)
from ocpi.modules.tokens.schemas import CiString255NonEmpty
from ocpi.modules.versions.enums import VersionNumber

__all__ = [
    "ENTRIES",
    "FACS_PATH",
    "FINANCIAL_ADVICE_CONFIRMATION",
    "FINANCIAL_ADVICE_CONFIRMATION_SPEC",
    "TERMINAL",
    "TERMINALS_PATH",
    "TERMINAL_SPEC",
    "make_payments_receiver",
    "make_payments_sender",
]

#: ``object_type`` keyword values the Crud receives.
TERMINAL = "terminal"
FINANCIAL_ADVICE_CONFIRMATION = "financial_advice_confirmation"
#: URL segments below the module's endpoint.
TERMINALS_PATH = "terminals"
FACS_PATH = "financial-advice-confirmations"

TERMINAL_SPEC = ObjectSpec(ModuleID.payments, "Terminal", "terminal_adapter", "terminal_id")
FINANCIAL_ADVICE_CONFIRMATION_SPEC = ObjectSpec(
    ModuleID.payments, "FinancialAdviceConfirmation", "financial_advice_confirmation_adapter"
)
VERSIONS = frozenset({VersionNumber.v_2_3_0})

# Request bodies as they are sent in practice (see the module docstring).
TerminalPost: Any = create_model(
    "TerminalPost", __base__=Terminal, last_updated=(DateTime | None, None)
)
FinancialAdviceConfirmationPost: Any = create_model(
    "FinancialAdviceConfirmationPost",
    __base__=FinancialAdviceConfirmation,
    eft_data=(list[CiString255NonEmpty] | None, None),
)
TerminalBody: Any = TerminalActivation

_LOCKS: weakref.WeakValueDictionary[tuple[int, str], asyncio.Lock] = weakref.WeakValueDictionary()


def _lock(ctx: OCPIContext, terminal_id: str) -> asyncio.Lock:
    """Writes to one terminal are serialised (a PATCH is read-merge-write)."""
    key = (id(ctx), terminal_id)
    lock = _LOCKS.get(key)
    if lock is None:
        lock = _LOCKS[key] = asyncio.Lock()
    return lock


def _now() -> str:
    return format_datetime(datetime.now(UTC))


async def _load(
    ctx: OCPIContext,
    request: Request,
    caller: Caller,
    version: VersionNumber,
    role: RoleEnum,
    spec: ObjectSpec,
    object_type: str,
    object_id: str,
) -> Any:
    """The stored object (adapted) or 404."""
    stored = await ctx.crud.get(
        spec.module,
        role,
        object_id,
        **crud_kwargs(request, caller, version, object_type=object_type),
    )
    if stored is None:
        raise NotFoundOCPIError(f"Unknown {spec.class_name} {object_id}")
    return adapt(ctx, spec.adapter, stored, version)


def _add_get_routes(
    ctx: OCPIContext,
    router: APIRouter,
    version: VersionNumber,
    role: RoleEnum,
    base: str,
    *,
    lists: bool,
) -> None:
    """``GET`` one terminal / confirmation (and, for the Sender, the paginated lists)."""
    objects: tuple[tuple[str, str, ObjectSpec, Any, str], ...] = (
        (TERMINALS_PATH, TERMINAL, TERMINAL_SPEC, Terminal, "terminal_id"),
        (
            FACS_PATH,
            FINANCIAL_ADVICE_CONFIRMATION,
            FINANCIAL_ADVICE_CONFIRMATION_SPEC,
            FinancialAdviceConfirmation,
            "financial_advice_confirmation_id",
        ),
    )
    for segment, object_type, spec, model, id_name in objects:
        _add_object_gets(
            ctx,
            router,
            version,
            role,
            f"{base}/{segment}",
            object_type,
            spec,
            model,
            id_name,
            lists,
        )


def _add_object_gets(
    ctx: OCPIContext,
    router: APIRouter,
    version: VersionNumber,
    role: RoleEnum,
    path: str,
    object_type: str,
    spec: ObjectSpec,
    model: Any,
    id_name: str,
    lists: bool,
) -> None:
    async def list_objects(request: Request) -> Response:
        caller = await ctx.authenticate(request, version)
        return await send_list(ctx, request, caller, spec, version, role, object_type=object_type)

    async def get_object(
        request: Request, ids: Annotated[dict[str, str], Depends(path_params([id_name]))]
    ) -> Response:
        caller = await ctx.authenticate(request, version)
        found = await _load(ctx, request, caller, version, role, spec, object_type, ids[id_name])
        return ocpi_response(found)

    if lists:
        router.add_api_route(
            path,
            list_objects,
            methods=["GET"],
            response_model=OCPIResponse[list[model]],
            summary=f"List {spec.class_name} objects",
        )
    router.add_api_route(
        f"{path}/{{{id_name}}}",
        get_object,
        methods=["GET"],
        response_model=OCPIResponse[model],
        summary=f"Get one {spec.class_name}",
    )


def make_payments_sender(
    ctx: OCPIContext, version: VersionNumber, role: RoleEnum | None, base: str
) -> APIRouter:
    """The PTP's Sender interface (terminals and financial advice confirmations)."""
    acting = role or ctx.primary_role
    router = OCPIRouter(tags=[f"payments {version.value} (sender)"])
    terminals = f"{base}/{TERMINALS_PATH}"
    module = ModuleID.payments

    async def activate(request: Request, terminal: Annotated[TerminalBody, Body()]) -> Response:
        caller = await ctx.authenticate(request, version)
        kwargs = crud_kwargs(request, caller, version, object_type=TERMINAL, activate=True)
        await ctx.crud.create(module, acting, dump(terminal), **kwargs)
        return ocpi_response()

    async def deactivate(request: Request, terminal_id: str) -> Response:
        caller = await ctx.authenticate(request, version)
        async with _lock(ctx, terminal_id):
            await _load(ctx, request, caller, version, acting, TERMINAL_SPEC, TERMINAL, terminal_id)
            kwargs = crud_kwargs(request, caller, version, object_type=TERMINAL, deactivate=True)
            await ctx.crud.delete(module, acting, terminal_id, **kwargs)
        return ocpi_response()

    async def put_terminal(
        request: Request, terminal_id: str, terminal: Annotated[TerminalBody, Body()]
    ) -> Response:
        caller = await ctx.authenticate(request, version)
        data = dump(terminal)
        check_url_matches_body(data, "terminal_id", terminal_id)
        data["terminal_id"] = terminal_id
        async with _lock(ctx, terminal_id):
            await _load(ctx, request, caller, version, acting, TERMINAL_SPEC, TERMINAL, terminal_id)
            kwargs = crud_kwargs(request, caller, version, object_type=TERMINAL)
            await ctx.crud.update(module, acting, data, terminal_id, **kwargs)
        return ocpi_response()

    async def patch_terminal(
        request: Request, terminal_id: str, changes: Annotated[dict[str, Any], Body()]
    ) -> Response:
        caller = await ctx.authenticate(request, version)
        check_url_matches_body(changes, "terminal_id", terminal_id)
        patch = {"last_updated": _now(), **changes}
        async with _lock(ctx, terminal_id):
            current = await _load(
                ctx, request, caller, version, acting, TERMINAL_SPEC, TERMINAL, terminal_id
            )
            merged = validate_patch(Terminal, dump(current), patch)
            kwargs = crud_kwargs(request, caller, version, object_type=TERMINAL, patch=patch)
            await ctx.crud.update(module, acting, merged, terminal_id, **kwargs)
        return ocpi_response()

    # Fixed paths first, so ``activate`` is never taken for a terminal id.
    router.add_api_route(
        f"{terminals}/activate",
        activate,
        methods=["POST"],
        response_model=OCPIResponse[None],
        summary="Activate a terminal (the PTP then POSTs the Terminal to the CPO)",
    )
    _add_get_routes(ctx, router, version, acting, base, lists=True)
    router.add_api_route(
        f"{terminals}/{{terminal_id}}/deactivate",
        deactivate,
        methods=["POST"],
        response_model=OCPIResponse[None],
        summary="Deactivate a terminal",
    )
    router.add_api_route(
        f"{terminals}/{{terminal_id}}",
        put_terminal,
        methods=["PUT"],
        response_model=OCPIResponse[None],
        summary="Replace a terminal's data (customer reference, invoice URL, assignments)",
    )
    router.add_api_route(
        f"{terminals}/{{terminal_id}}",
        patch_terminal,
        methods=["PATCH"],
        response_model=OCPIResponse[None],
        summary="Assign locations and/or EVSEs to a terminal",
    )
    return router


def make_payments_receiver(
    ctx: OCPIContext, version: VersionNumber, role: RoleEnum | None, base: str
) -> APIRouter:
    """The CPO's Receiver interface: the PTP creates terminals and confirmations here."""
    acting = role or ctx.primary_role
    router = OCPIRouter(tags=[f"payments {version.value} (receiver)"])
    module = ModuleID.payments

    async def store(
        request: Request, data: dict[str, Any], object_type: str, object_id: str
    ) -> Response:
        caller = await ctx.authenticate(request, version)
        kwargs = crud_kwargs(request, caller, version, object_type=object_type)
        async with _lock(ctx, f"{object_type}/{object_id}"):
            if await ctx.crud.get(module, acting, object_id, **kwargs) is None:
                await ctx.crud.create(module, acting, data, **kwargs)
                return ocpi_response(http_status=201)
            await ctx.crud.update(module, acting, data, object_id, **kwargs)
        return ocpi_response()

    async def post_terminal(
        request: Request, terminal: Annotated[TerminalPost, Body()]
    ) -> Response:
        data = dump(terminal)
        data.setdefault("last_updated", _now())
        return await store(request, data, TERMINAL, data["terminal_id"])

    async def post_confirmation(
        request: Request, confirmation: Annotated[FinancialAdviceConfirmationPost, Body()]
    ) -> Response:
        data = dump(confirmation)
        return await store(request, data, FINANCIAL_ADVICE_CONFIRMATION, data["id"])

    router.add_api_route(
        f"{base}/{TERMINALS_PATH}",
        post_terminal,
        methods=["POST"],
        response_model=OCPIResponse[None],
        summary="Receive a new (or re-sent) Terminal from the PTP",
    )
    router.add_api_route(
        f"{base}/{FACS_PATH}",
        post_confirmation,
        methods=["POST"],
        response_model=OCPIResponse[None],
        summary="Receive a Financial Advice Confirmation from the PTP",
    )
    _add_get_routes(ctx, router, version, acting, base, lists=False)
    return router


ENTRIES = [
    ModuleEntry(
        ModuleID.payments,
        (InterfaceRole.sender,),
        VERSIONS,
        frozenset({RoleEnum.ptp}),
        make_payments_sender,
    ),
    ModuleEntry(
        ModuleID.payments,
        (InterfaceRole.receiver,),
        VERSIONS,
        frozenset({RoleEnum.cpo}),
        make_payments_receiver,
    ),
]
