"""What the bridge needs to know about roaming partners: :class:`PartnerDirectory`.

The bridge pushes Locations, Sessions and CDRs and asks eMSPs for real-time authorization. It
does not own the partner list — the integrator's store does. A directory answers two questions:

* :meth:`PartnerDirectory.partners`: every registered partner, with its OCPI version, the
  endpoints it advertised, the token we call it with and the parties (country code, party id)
  its credentials name;
* :meth:`PartnerDirectory.partner_for_token`: the partner calling us with a given token (our
  token C / the token B we issued), which tells who pushed a 2.1.1 token.

Everything else (who receives locations, which partner issued token X) the bridge derives from
these. A directory for your store is a few lines::

    class MyDirectory(PartnerDirectory):
        async def partners(self) -> list[PartnerInfo]:
            return [PartnerInfo(key=row.id, version=row.version, endpoints=row.endpoints,
                                token=row.token_out, parties=row.parties) for row in db.rows()]

        async def partner_for_token(self, token: str) -> PartnerInfo | None:
            ...
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ocpi.core.enums import InterfaceRole, ModuleID
from ocpi.core.spec import transport_spec

__all__ = ["PartnerDirectory", "PartnerInfo"]


@dataclass(frozen=True)
class PartnerInfo:
    """One partner as the bridge sees it.

    ``key`` is stable across credential rotations (it names the partner's outbox queue);
    ``token`` is the token we call the partner with; ``parties`` the ``(country_code,
    party_id)`` pairs of its roles.
    """

    key: str
    version: str
    endpoints: Sequence[Mapping[str, Any]]
    token: str
    parties: tuple[tuple[str, str], ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    def has_endpoint(self, module: ModuleID, interface: InterfaceRole) -> bool:
        """Whether the partner advertises ``module``'s ``interface`` (2.1.1: the module)."""
        with_roles = transport_spec(self.version).endpoint_roles
        for endpoint in self.endpoints:
            if endpoint.get("identifier") != module.value:
                continue
            if not with_roles or endpoint.get("role") == interface.value:
                return True
        return False

    def is_party(self, country_code: str, party_id: str) -> bool:
        wanted = (country_code.upper(), party_id.upper())
        return any((cc.upper(), pid.upper()) == wanted for cc, pid in self.parties)


class PartnerDirectory(ABC):
    """The integrator's partner list, as the bridge reads it (see the module docstring)."""

    @abstractmethod
    async def partners(self) -> list[PartnerInfo]:
        """Every registered partner."""

    @abstractmethod
    async def partner_for_token(self, token: str) -> PartnerInfo | None:
        """The partner that calls us with ``token`` (``None`` when unknown)."""

    async def partner(self, key: str) -> PartnerInfo | None:
        """The partner named ``key`` now (its token and endpoints may have changed)."""
        for info in await self.partners():
            if info.key == key:
                return info
        return None

    async def receivers(self, module: ModuleID) -> list[PartnerInfo]:
        """Partners with a Receiver interface of ``module`` (they get our pushes)."""
        return [p for p in await self.partners() if p.has_endpoint(module, InterfaceRole.receiver)]

    async def partner_for_party(self, country_code: str, party_id: str) -> PartnerInfo | None:
        """The partner acting as ``country_code``/``party_id`` (a token's issuer)."""
        for info in await self.partners():
            if info.is_party(country_code, party_id):
                return info
        return None
