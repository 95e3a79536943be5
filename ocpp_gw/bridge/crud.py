"""The integrator's Crud with the bridge in front: :class:`BridgeCrud`.

Every call goes to the integrator's Crud, except:

* ``do(ModuleID.commands, ..., Action.send_command, ...)`` and the three charging-profile
  actions, which the bridge executes on the stations;
* ``do(..., Action.get_client_token, ...)`` when the integrator's Crud has no answer: the bridge
  looks the requester up in the :class:`~ocpp_gw.bridge.directory.PartnerDirectory`;
* Sessions and CDRs the bridge made are served in the caller's version (the store holds them
  in ``BridgeSettings.store_version``);
* a token an eMSP pushes (``create``/``update`` of ``ModuleID.tokens`` as CPO) is passed on and
  its sender remembered, so 2.1.1 tokens (which name no party) are charged to the right eMSP.

Pass ``bridge.crud`` to :func:`ocpi.get_application` as the ``crud``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ocpi.core.enums import Action, ModuleID, RoleEnum

if TYPE_CHECKING:
    from ocpp_gw.bridge.bridge import Bridge

__all__ = ["BridgeCrud"]

_PROFILE_ACTIONS = frozenset(
    {
        Action.send_get_chargingprofile,
        Action.send_update_charging_profile,
        Action.send_delete_chargingprofile,
    }
)


_VERSIONED = frozenset({ModuleID.sessions, ModuleID.cdrs})


def _version(kwargs: dict[str, Any]) -> str | None:
    version = kwargs.get("version")
    return None if version is None else str(getattr(version, "value", version))


class BridgeCrud:
    """A :class:`~ocpi.core.crud.Crud` (same methods, instance-based) wrapping ``inner``."""

    def __init__(self, inner: Any, bridge: Bridge) -> None:
        self.inner = inner
        self.bridge = bridge

    async def get(
        self, module: ModuleID, role: RoleEnum, id: Any, *args: Any, **kwargs: Any
    ) -> Any:
        item = await self.inner.get(module, role, id, *args, **kwargs)
        if item is not None and role == RoleEnum.cpo and module in _VERSIONED:
            item = self.bridge.sessions.as_version(module, item, _version(kwargs))
        return item

    async def list(
        self, module: ModuleID, role: RoleEnum, filters: dict[str, Any], *args: Any, **kwargs: Any
    ) -> tuple[list[Any], int, bool]:
        items, total, last = await self.inner.list(module, role, filters, *args, **kwargs)
        if role == RoleEnum.cpo and module in _VERSIONED:
            # Sessions and CDRs the bridge made, in the caller's version.
            version = _version(kwargs)
            items = [self.bridge.sessions.as_version(module, item, version) for item in items]
        return list(items), total, last

    async def create(
        self, module: ModuleID, role: RoleEnum, data: dict[str, Any], *args: Any, **kwargs: Any
    ) -> Any:
        result = await self.inner.create(module, role, data, *args, **kwargs)
        if module == ModuleID.tokens and role == RoleEnum.cpo:
            await self._remember_owner(data, kwargs)
        return result

    async def update(
        self,
        module: ModuleID,
        role: RoleEnum,
        data: dict[str, Any],
        id: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        result = await self.inner.update(module, role, data, id, *args, **kwargs)
        if module == ModuleID.tokens and role == RoleEnum.cpo:
            await self._remember_owner(data, kwargs)
        return result

    async def delete(
        self, module: ModuleID, role: RoleEnum, id: Any, *args: Any, **kwargs: Any
    ) -> Any:
        return await self.inner.delete(module, role, id, *args, **kwargs)

    async def do(
        self,
        module: ModuleID,
        role: RoleEnum | None,
        action: Action,
        *args: Any,
        data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Any:
        if module == ModuleID.commands and action == Action.send_command:
            command = kwargs.pop("command", None)
            name = str(getattr(command, "value", command))
            response_url = str(kwargs.pop("response_url"))
            kwargs.pop("command_data", None)
            return await self.bridge.commands.command(name, data or {}, response_url, **kwargs)
        if module == ModuleID.charging_profile and action in _PROFILE_ACTIONS:
            session_id = str(kwargs.pop("session_id"))
            response_url = str(kwargs.pop("response_url"))
            return await self.bridge.commands.charging_profile(
                action, session_id, response_url, **kwargs
            )
        if action == Action.get_client_token:
            try:
                token = await self.inner.do(module, role, action, *args, data=data, **kwargs)
            except NotImplementedError:
                token = None
            if token:
                return token
            auth_token = kwargs.get("auth_token")
            partner = await self.bridge.directory.partner_for_token(str(auth_token or ""))
            return None if partner is None else partner.token
        return await self.inner.do(module, role, action, *args, data=data, **kwargs)

    async def _remember_owner(self, data: dict[str, Any], kwargs: dict[str, Any]) -> None:
        auth_token = kwargs.get("auth_token")
        uid = data.get("uid")
        if not auth_token or not uid:
            return
        partner = await self.bridge.directory.partner_for_token(str(auth_token))
        if partner is not None:
            self.bridge.token_owners[str(uid)] = partner.key
