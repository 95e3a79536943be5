"""Sessions: the CPO's Sender (list; ``PUT {session_id}/charging_preferences`` from 2.2.1) and the
eMSP's Receiver (GET/PUT/PATCH)."""

from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, Body, Request, Response

from ocpi.core.context import OCPIContext
from ocpi.core.enums import InterfaceRole, ModuleID, RoleEnum
from ocpi.core.interfaces import ObjectSpec, adapt, crud_kwargs
from ocpi.core.object_routers import ObjectReceiver, ObjectSender
from ocpi.core.registry import ModuleEntry
from ocpi.core.responses import ocpi_response
from ocpi.core.schemas import OCPIResponse
from ocpi.core.utils import get_module_model, version_module_name
from ocpi.modules.versions.enums import VersionNumber

__all__ = ["ENTRIES", "SPEC"]

SPEC = ObjectSpec(ModuleID.sessions, "Session", "session_adapter")
_ALL = frozenset({VersionNumber.v_2_1_1, VersionNumber.v_2_2_1, VersionNumber.v_2_3_0})


def add_charging_preferences(
    ctx: OCPIContext, version: VersionNumber, role: RoleEnum, base: str, router: APIRouter
) -> None:
    """``PUT {base}/{session_id}/charging_preferences`` (2.2.1 and later).

    The Crud's ``update`` receives the preferences with ``charging_preferences=True``; return a
    ``ChargingPreferencesResponse`` value (e.g. ``"ACCEPTED"``) or the preferences object.
    """
    model: Any = get_module_model("ChargingPreferences", "sessions", version_module_name(version))

    async def put_preferences(
        request: Request, session_id: str, preferences: Annotated[model, Body()]
    ) -> Response:
        caller = await ctx.authenticate(request, version)
        result = await ctx.crud.update(
            ModuleID.sessions,
            role,
            preferences.model_dump(mode="json", exclude_none=True),
            session_id,
            **crud_kwargs(request, caller, version, charging_preferences=True),
        )
        if isinstance(result, str | Enum):
            return ocpi_response(result.value if isinstance(result, Enum) else result)
        return ocpi_response(adapt(ctx, "charging_preference_adapter", result, version))

    router.add_api_route(
        f"{base}/{{session_id}}/charging_preferences",
        put_preferences,
        methods=["PUT"],
        response_model=OCPIResponse[str],
        summary="Set the driver's charging preferences",
    )


ENTRIES = [
    ModuleEntry(
        ModuleID.sessions,
        (InterfaceRole.sender,),
        frozenset({VersionNumber.v_2_1_1}),
        frozenset({RoleEnum.cpo}),
        ObjectSender(SPEC),
    ),
    ModuleEntry(
        ModuleID.sessions,
        (InterfaceRole.sender,),
        _ALL - {VersionNumber.v_2_1_1},
        frozenset({RoleEnum.cpo}),
        ObjectSender(SPEC, add_routes=add_charging_preferences),
    ),
    ModuleEntry(
        ModuleID.sessions,
        (InterfaceRole.receiver,),
        _ALL,
        frozenset({RoleEnum.emsp}),
        ObjectReceiver(SPEC, id_param="session_id"),
    ),
]
