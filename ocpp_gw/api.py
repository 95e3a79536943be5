"""REST command API: list connected stations and send any CALL to one of them.

Protected by a bearer token (``GatewaySettings.api_token``). Errors map to HTTP statuses:
404 station not connected, 400 unknown action or invalid payload, 504 no answer in time,
502 the station answered with a CALLERROR (its code in the body) or an invalid response::

    curl -X POST -H "Authorization: Bearer $TOKEN" -d '{"type": "Soft"}' \\
         http://localhost:8000/api/ocpp/chargers/CP1/call/Reset
"""

from __future__ import annotations

import hmac
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Path, Query, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from ocpp_gw.exceptions import (
    CallTimeoutError,
    ChargerNotConnected,
    ConnectionClosedError,
    InvalidCallError,
    OCPPCallError,
)

if TYPE_CHECKING:
    from ocpp_gw.gateway import OCPPGateway

__all__ = [
    "CallErrorBody",
    "CallErrorResponse",
    "ChargerOut",
    "ErrorBody",
    "ErrorResponse",
    "build_api_router",
]


class ChargerOut(BaseModel):
    """A connected charging station."""

    charge_point_id: str
    version: str = Field(description="OCPP version: 1.6, 2.0.1 or 2.1")
    connected_since: datetime
    node_id: str = Field(description="Gateway process holding the connection")
    remote_address: str | None = None


class ErrorBody(BaseModel):
    error: str = Field(description="ChargerNotConnected, InvalidCall, Timeout, CallError ...")
    message: str
    code: str | None = Field(None, description="OCPP error code, when there is one")
    details: dict[str, Any] | None = None


class ErrorResponse(BaseModel):
    """Every error of the command API: ``{"detail": {...}}``."""

    detail: ErrorBody


class CallErrorBody(ErrorBody):
    """The station answered with a CALLERROR (or an invalid response)."""

    description: str = ""


class CallErrorResponse(BaseModel):
    detail: CallErrorBody


def _http_error(status_code: int, error: str, message: str, **extra: Any) -> HTTPException:
    return HTTPException(status_code, detail={"error": error, "message": message, **extra})


_bearer = HTTPBearer(auto_error=False, description="The gateway's API token")


def build_api_router(gateway: OCPPGateway) -> APIRouter:
    """The command API router at ``settings.api_prefix``."""

    async def require_token(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> None:
        token = gateway.settings.api_token
        if token is None:
            raise _http_error(503, "Disabled", "The command API has no token configured")
        if credentials is None or not hmac.compare_digest(
            credentials.credentials.encode(), token.get_secret_value().encode()
        ):
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                detail={"error": "Unauthorized", "message": "Missing or invalid bearer token"},
                headers={"WWW-Authenticate": "Bearer"},
            )

    router = APIRouter(
        prefix=gateway.settings.api_prefix,
        tags=["OCPP commands"],
        dependencies=[Depends(require_token)],
        responses={401: {"model": ErrorResponse, "description": "Missing or invalid token"}},
    )

    @router.get("/chargers", response_model=list[ChargerOut], summary="Connected stations")
    async def list_chargers() -> list[ChargerOut]:
        return [
            ChargerOut(
                charge_point_id=location.charge_point_id,
                version=location.version,
                connected_since=location.connected_at,
                node_id=location.node_id,
                remote_address=location.remote_address,
            )
            for location in await gateway.registry.list()
        ]

    @router.get(
        "/chargers/{charge_point_id}",
        response_model=ChargerOut,
        summary="One connected station",
        responses={404: {"model": ErrorResponse, "description": "Not connected"}},
    )
    async def get_charger(charge_point_id: str) -> ChargerOut:
        location = await gateway.registry.lookup(charge_point_id)
        if location is None:
            raise _http_error(404, "ChargerNotConnected", f"{charge_point_id} is not connected")
        return ChargerOut(
            charge_point_id=location.charge_point_id,
            version=location.version,
            connected_since=location.connected_at,
            node_id=location.node_id,
            remote_address=location.remote_address,
        )

    @router.post(
        "/chargers/{charge_point_id}/call/{action}",
        response_model=dict[str, Any],
        summary="Send a CALL to a station",
        description=(
            "Sends the OCPP CALL `action` with the request body as payload (camelCase, exactly "
            "as on the wire) and returns the station's CALLRESULT payload. The payload is checked "
            "against the action's schema for the station's OCPP version before sending."
        ),
        responses={
            400: {"model": ErrorResponse, "description": "Unknown action or invalid payload"},
            404: {"model": ErrorResponse, "description": "Station not connected"},
            502: {"model": CallErrorResponse, "description": "The station answered with an error"},
            504: {"model": ErrorResponse, "description": "No answer in time"},
        },
    )
    async def call_action(
        charge_point_id: Annotated[str, Path(max_length=48)],
        action: Annotated[str, Path(max_length=64)],
        payload: Annotated[dict[str, Any], Body(examples=[{"type": "Soft"}])],
        timeout: Annotated[float | None, Query(gt=0, le=600)] = None,
    ) -> dict[str, Any]:
        try:
            return await gateway.call(charge_point_id, action, payload, timeout=timeout)
        except ChargerNotConnected as exc:
            raise _http_error(404, "ChargerNotConnected", str(exc)) from None
        except InvalidCallError as exc:
            violation = exc.violation
            raise _http_error(
                400,
                "InvalidCall",
                str(exc),
                code=violation.code if violation else "NotImplemented",
                details=violation.details if violation else {},
            ) from None
        except CallTimeoutError as exc:
            raise _http_error(504, "Timeout", str(exc)) from None
        except ConnectionClosedError as exc:
            raise _http_error(502, "ConnectionClosed", str(exc)) from None
        except OCPPCallError as exc:
            raise _http_error(
                502,
                "CallError",
                exc.description or exc.code,
                code=exc.code,
                description=exc.description,
                details=exc.details,
            ) from None

    return router
