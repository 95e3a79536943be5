"""Client helpers of the charging profiles module (2.2.1, 2.3.0).

The SCSP/eMSP side asks a CPO (its Receiver)::

    url = charging_profile_response_url(app, "2.2.1")
    answer = await set_charging_profile(partner, "SESSION1", profile, url)
    # answer: the ChargingProfileResponse data; the ChargingProfileResult arrives later at ``url``

The CPO side pushes an updated ``ActiveChargingProfile`` to the SCSP/eMSP (its Sender)::

    await push_active_charging_profile(partner, "SESSION1", active_profile)
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from enum import Enum
from typing import Any

from pydantic import BaseModel

from ocpi.core.async_results import context_of
from ocpi.core.client import OCPIResult
from ocpi.core.enums import InterfaceRole, ModuleID, RoleEnum
from ocpi.core.interfaces import dump
from ocpi.core.partner import PartnerClient
from ocpi.modules.versions.enums import VersionNumber

__all__ = [
    "charging_profile_response_url",
    "delete_charging_profile",
    "get_active_charging_profile",
    "push_active_charging_profile",
    "set_charging_profile",
]

_MODULE = ModuleID.charging_profile


def _body(value: Mapping[str, Any] | BaseModel) -> dict[str, Any]:
    return dump(value) if isinstance(value, BaseModel) else dict(value)


async def get_active_charging_profile(
    partner: PartnerClient, session_id: str, duration: int, response_url: str
) -> Any:
    """``GET`` the ActiveChargingProfile of a session; returns the ``ChargingProfileResponse``
    data (the ``ActiveChargingProfileResult`` is posted to ``response_url`` later)."""
    return await partner.get(
        _MODULE,
        session_id,
        interface=InterfaceRole.receiver,
        params={"duration": duration, "response_url": response_url},
    )


async def set_charging_profile(
    partner: PartnerClient,
    session_id: str,
    charging_profile: Mapping[str, Any] | BaseModel,
    response_url: str,
) -> Any:
    """``PUT`` a ``SetChargingProfile``; returns the ``ChargingProfileResponse`` data."""
    body = {"charging_profile": _body(charging_profile), "response_url": response_url}
    result = await partner.put(_MODULE, body, session_id)
    return result.data


async def delete_charging_profile(
    partner: PartnerClient, session_id: str, response_url: str
) -> Any:
    """``DELETE`` the charging profile of a session; returns the ``ChargingProfileResponse``
    data (the ``ClearProfileResult`` is posted to ``response_url`` later)."""
    url = partner.url(_MODULE, InterfaceRole.receiver, session_id)
    result = await partner.call("DELETE", url, params={"response_url": response_url})
    return result.data


async def push_active_charging_profile(
    partner: PartnerClient, session_id: str, profile: Mapping[str, Any] | BaseModel
) -> OCPIResult:
    """``PUT`` an updated ``ActiveChargingProfile`` to the SCSP's/eMSP's Sender interface."""
    url = partner.url(_MODULE, InterfaceRole.sender, session_id)
    return await partner.call("PUT", url, json=_body(profile))


def charging_profile_response_url(
    target: Any,
    version: VersionNumber | str,
    request_id: str | None = None,
    *,
    kind: str = "result",
    role: RoleEnum = RoleEnum.emsp,
    root_path: str = "",
) -> str:
    """The ``response_url`` of our own chargingprofiles Sender:
    ``.../{role}/{version}/chargingprofiles/{kind}/{request_id}``.

    ``target``: our application, the router of ``get_router()`` or its ``OCPIContext``. ``kind``
    reaches our Crud as ``result_kind`` (e.g. ``"activechargingprofile"``, ``"chargingprofile"``,
    ``"clearprofile"``); ``request_id`` (default: a new random id) as ``request_id``.
    ``root_path`` is where a host application mounted us, if anywhere.
    """
    ctx = context_of(target)
    number = version.value if isinstance(version, Enum) else str(version)
    base = f"{ctx.public_origin()}{root_path.rstrip('/')}{ctx.prefix_path()}"
    rid = request_id or uuid.uuid4().hex
    return f"{base}/{role.value.lower()}/{number}/{_MODULE.value}/{kind}/{rid}"
