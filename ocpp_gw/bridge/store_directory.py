"""The built-in SQL store's partners as a :class:`~ocpp_gw.bridge.directory.PartnerDirectory`.

::

    store = create_store(url, settings)
    bridge = Bridge(gateway=gateway, crud=store.crud, directory=StorePartnerDirectory(store))

Only registered partners are listed; the key of a partner is its id in the store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ocpi.core.authentication.authenticator import TokenKind
from ocpp_gw.bridge.directory import PartnerDirectory, PartnerInfo

if TYPE_CHECKING:
    from ocpi.store.partners import PartnerAdmin

__all__ = ["StorePartnerDirectory"]

_REGISTERED = "registered"


class StorePartnerDirectory(PartnerDirectory):
    """Reads ``store.partners`` (a :class:`~ocpi.store.partners.PartnerAdmin`)."""

    def __init__(self, store: Any) -> None:
        self.admin: PartnerAdmin = store.partners

    @staticmethod
    def _info(partner: Any) -> PartnerInfo | None:
        if partner is None or partner.status != _REGISTERED:
            return None
        if not partner.version or not partner.token_out:
            return None
        return PartnerInfo(
            key=partner.id,
            version=partner.version,
            endpoints=partner.endpoints,
            token=partner.token_out,
            parties=partner.parties,
        )

    async def partners(self) -> list[PartnerInfo]:
        infos = [self._info(p) for p in await self.admin.list()]
        return [info for info in infos if info is not None]

    async def partner(self, key: str) -> PartnerInfo | None:
        return self._info(await self.admin.get(key))

    async def partner_for_token(self, token: str) -> PartnerInfo | None:
        owner = await self.admin.repository.lookup(token)
        if owner is None or owner.kind is not TokenKind.C or owner.partner_id is None:
            return None
        return await self.partner(owner.partner_id)
