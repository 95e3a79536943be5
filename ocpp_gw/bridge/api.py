"""The REST API editing how stations appear in OCPI (``/api/bridge``), behind the gateway's
bearer token (``GatewaySettings.api_token``, like the command API).

* ``GET /api/bridge/stations``: every station the bridge knows, with its mapping and EVSEs;
* ``GET /api/bridge/stations/{charge_point_id}``: one of them;
* ``PUT /api/bridge/stations/{charge_point_id}``: replace its :class:`StationConfig` (location
  id, name, address, coordinates, time zone, EVSE uids, connector data, tariffs); the Location
  is rewritten in the store and re-sent to partners;
* ``POST /api/bridge/resend[?partner=<key>]``: ``PUT`` every Location again;
* ``GET /api/bridge/outbox``: pushes waiting, delivered, failed, the latest deliveries.
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from ocpp_gw.bridge.mapping import StationConfig
from ocpp_gw.bridge.render import evse_status_of

if TYPE_CHECKING:
    from ocpp_gw.bridge.bridge import Bridge

__all__ = ["EvseView", "StationView", "build_bridge_router"]


class EvseView(BaseModel):
    number: int
    uid: str
    evse_id: str
    status: str
    connectors: dict[int, str]


class StationView(BaseModel):
    charge_point_id: str
    ocpp_version: str | None
    location_id: str
    offline: bool
    config: StationConfig
    evses: list[EvseView]


def station_view(bridge: Bridge, charge_point_id: str) -> StationView:
    stations = bridge.stations
    state = stations.states.get(charge_point_id)
    evses = []
    if state is not None:
        for number in sorted(state.evses):
            evses.append(
                EvseView(
                    number=number,
                    uid=stations.evse_uid(charge_point_id, number),
                    evse_id=stations.evse_id(charge_point_id, number),
                    status=evse_status_of(
                        stations, charge_point_id, number, bridge.settings.offline_status
                    ),
                    connectors=dict(state.evses[number].connectors),
                )
            )
    return StationView(
        charge_point_id=charge_point_id,
        ocpp_version=state.version if state else None,
        location_id=stations.location_id(charge_point_id),
        offline=state.offline if state else False,
        config=stations.config(charge_point_id),
        evses=evses,
    )


_bearer = HTTPBearer(auto_error=False, description="The gateway's API token")


def build_bridge_router(bridge: Bridge, prefix: str = "/api/bridge") -> APIRouter:
    """The mapping API, protected like the gateway's command API: ``Authorization: Bearer``
    with ``GatewaySettings.api_token`` (no token configured: answered 503)."""

    async def require_token(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> None:
        token = bridge.gateway.settings.api_token
        if token is None:
            raise HTTPException(503, "The bridge API has no token configured (api_token)")
        if credentials is None or not hmac.compare_digest(
            credentials.credentials.encode(), token.get_secret_value().encode()
        ):
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                detail="Missing or invalid bearer token",
                headers={"WWW-Authenticate": "Bearer"},
            )

    router = APIRouter(prefix=prefix, tags=["bridge"], dependencies=[Depends(require_token)])

    @router.get("/stations", response_model=list[StationView])
    async def list_stations() -> list[StationView]:
        names = sorted(bridge.stations.states.keys() | bridge.stations.configs.keys())
        return [station_view(bridge, name) for name in names]

    @router.get("/stations/{charge_point_id}", response_model=StationView)
    async def get_station(charge_point_id: str) -> StationView:
        stations = bridge.stations
        if charge_point_id not in stations.states and charge_point_id not in stations.configs:
            raise HTTPException(404, f"unknown station {charge_point_id}")
        return station_view(bridge, charge_point_id)

    @router.put("/stations/{charge_point_id}", response_model=StationView)
    async def put_station(charge_point_id: str, config: StationConfig) -> StationView:
        await bridge.configure(charge_point_id, config)
        return station_view(bridge, charge_point_id)

    @router.post("/resend")
    async def resend(partner: str | None = None) -> dict[str, int]:
        """``PUT`` every Location again, to one partner (``?partner=<key>``) or to all."""
        return {"queued": await bridge.locations.resend(partner)}

    @router.get("/outbox")
    async def outbox() -> dict[str, Any]:
        return {
            "pending": bridge.outbox.pending(),
            "delivered": bridge.outbox.delivered,
            "failed": bridge.outbox.failed,
            "retries": bridge.outbox.retries,
            "recent": [
                {"partner": partner, "push": push} for partner, push in bridge.outbox.recent
            ],
        }

    return router
