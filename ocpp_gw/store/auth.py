"""``StoreAuthenticator``: one authenticator for OCPI partners and OCPP stations.

It is the OCPI store's :class:`~ocpi.store.SQLAuthenticator` (credentials tokens checked
against the partner table) plus :meth:`authenticate_charger` answered from the station table
(:class:`~ocpp_gw.store.ChargerAdmin`), so ``get_application(authenticator=...)`` and
``OCPPGateway(authenticator=...)`` receive the same object::

    authenticator = StoreAuthenticator.bind_store(store.partners.repository, chargers)
"""

from __future__ import annotations

from typing import ClassVar

from ocpi.core.authentication.authenticator import ChargerCredentials
from ocpi.store.auth import SQLAuthenticator
from ocpi.store.partners import PartnerRepository
from ocpp_gw.store.chargers import ChargerAdmin

__all__ = ["StoreAuthenticator"]


class StoreAuthenticator(SQLAuthenticator):
    """Use the class returned by :meth:`bind_store` (``GatewayStore.authenticator``)."""

    chargers: ClassVar[ChargerAdmin]

    @classmethod
    def bind_store(
        cls, partners: PartnerRepository, chargers: ChargerAdmin
    ) -> type[StoreAuthenticator]:
        """A subclass working on ``partners`` and ``chargers`` (one per store)."""
        bound: type[StoreAuthenticator] = type(
            f"Bound{cls.__name__}", (cls,), {"partners": partners, "chargers": chargers}
        )
        return bound

    @classmethod
    async def authenticate_charger(cls, credentials: ChargerCredentials) -> bool:
        """Registered stations only, with their password or expected certificate subject."""
        return await cls.chargers.authenticate(credentials)
