"""Pushing our objects to partners' Receiver interfaces.

:func:`push_object` is the established contract: fetch the object through the Crud, adapt it to
the version, and ``PUT`` it (``POST`` for CDRs) to every receiver's endpoint for the module. The
optional ``http_push`` / ``websocket_push`` routers expose it to the integrator's backend (behind a
valid token C); they are meant for internal networks only.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request, Response, WebSocket, WebSocketDisconnect
from pydantic import ValidationError

from ocpi.core.client import OCPIClient, OCPIClientError, OCPIHTTPError, OCPIStatusError
from ocpi.core.config import Settings
from ocpi.core.config import settings as default_settings
from ocpi.core.context import OCPIContext
from ocpi.core.enums import InterfaceRole, ModuleID, RoleEnum
from ocpi.core.exceptions import AuthorizationOCPIError
from ocpi.core.responses import OCPIJSONResponse
from ocpi.core.routing import OCPIRouter
from ocpi.core.schemas import Push, PushResponse, ReceiverResponse
from ocpi.core.spec import transport_spec
from ocpi.modules.versions.enums import VersionNumber

__all__ = ["make_push_routers", "push_object"]

logger = logging.getLogger(__name__)

_ADAPTERS = {
    ModuleID.locations: "location_adapter",
    ModuleID.sessions: "session_adapter",
    ModuleID.cdrs: "cdr_adapter",
    ModuleID.tariffs: "tariff_adapter",
    ModuleID.tokens: "token_adapter",
}


def _receiver_url(endpoints: list[dict[str, Any]], module: ModuleID, version: VersionNumber) -> str:
    with_roles = transport_spec(version).endpoint_roles
    for endpoint in endpoints:
        if endpoint.get("identifier") != module.value:
            continue
        if with_roles and endpoint.get("role") != InterfaceRole.receiver.value:
            continue
        url: str = endpoint["url"]
        return url
    raise OCPIStatusError(3003, f"partner has no {module.value} receiver", "")


async def push_object(
    version: VersionNumber,
    push: Push,
    crud: Any,
    adapter: Any,
    auth_token: str | None = None,
    *,
    settings: Settings | None = None,
    client_options: dict[str, Any] | None = None,
) -> PushResponse:
    """Send one object to every receiver in ``push`` and report each partner's answer."""
    cfg = settings or default_settings
    role = RoleEnum.emsp if push.module_id == ModuleID.tokens else RoleEnum.cpo
    data = await crud.get(
        push.module_id, role, push.object_id, auth_token=auth_token, version=version
    )
    body = getattr(adapter, _ADAPTERS[push.module_id])(data, version)
    responses: list[ReceiverResponse] = []
    async with OCPIClient(settings=cfg, **(client_options or {})) as client:
        for receiver in push.receivers:
            try:
                endpoints = await client.get_version_details(
                    str(receiver.endpoints_url), receiver.auth_token, version
                )
                base = _receiver_url(endpoints, push.module_id, version).rstrip("/")
                if push.module_id == ModuleID.cdrs:
                    method, url = "POST", base
                else:
                    method = "PUT"
                    url = f"{base}/{cfg.COUNTRY_CODE}/{cfg.PARTY_ID}/{push.object_id}"
                result = await client.request(
                    method, url, token=receiver.auth_token, version=version, json=body
                )
                answer: Any = (
                    dict(result.headers)
                    if push.module_id == ModuleID.cdrs
                    else {
                        "data": result.data,
                        "status_code": result.status_code,
                        "status_message": result.status_message,
                    }
                )
                responses.append(
                    ReceiverResponse(
                        endpoints_url=receiver.endpoints_url,
                        status_code=result.http_status,
                        response=answer,
                    )
                )
            except (OCPIClientError, ValidationError) as exc:
                http_status = exc.http_status if isinstance(exc, OCPIHTTPError) else 0
                logger.warning("push of %s failed: %s", push.module_id.value, exc)
                responses.append(
                    ReceiverResponse(
                        endpoints_url=receiver.endpoints_url,
                        status_code=http_status,
                        response={"error": str(exc)},
                    )
                )
    return PushResponse(receiver_responses=responses)


def make_push_routers(ctx: OCPIContext, http: bool, websocket: bool) -> list[APIRouter]:
    """The optional push triggers at ``/{PUSH_PREFIX}/{version}`` and ``/{PUSH_PREFIX}/ws/{version}``."""
    prefix = "/" + ctx.settings.PUSH_PREFIX.strip("/")
    routers: list[APIRouter] = []
    if http:
        router = OCPIRouter(tags=["push"])

        async def http_push(request: Request, version: VersionNumber, push: Push) -> Response:
            caller = await ctx.authenticate(request, version)
            result = await push_object(
                version,
                push,
                ctx.crud,
                ctx.adapter,
                caller.token,
                settings=ctx.settings,
                client_options=ctx.client_options,
            )
            return OCPIJSONResponse(result)

        router.add_api_route(
            f"{prefix}/{{version}}",
            http_push,
            methods=["POST"],
            response_model=PushResponse,
            include_in_schema=False,
        )
        routers.append(router)
    if websocket:
        ws_router = APIRouter()

        async def websocket_push(ws: WebSocket, version: VersionNumber) -> None:
            try:
                caller_token, _ = await ctx.verifier.verify(
                    ws.headers.get("authorization"), version, allow_token_a=False
                )
            except AuthorizationOCPIError:
                await ws.close(code=1008)
                return
            await ws.accept()
            try:
                while True:
                    message = await ws.receive_json()
                    try:
                        push = Push.model_validate(message)
                    except ValidationError as exc:
                        await ws.send_json({"error": exc.errors(include_url=False)})
                        continue
                    result = await push_object(
                        version,
                        push,
                        ctx.crud,
                        ctx.adapter,
                        caller_token,
                        settings=ctx.settings,
                        client_options=ctx.client_options,
                    )
                    await ws.send_json(result.model_dump(mode="json"))
            except WebSocketDisconnect:
                return

        ws_router.add_api_websocket_route(f"{prefix}/ws/{{version}}", websocket_push)
        routers.append(ws_router)
    return routers
