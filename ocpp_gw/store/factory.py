"""``create_gateway_store``: the OCPI store, the gateway's state and the station table on one
database, in one call::

    gw_store = create_gateway_store("sqlite+aiosqlite:///cpo.sqlite3", settings)
    gateway = OCPPGateway(state=gw_store.state, authenticator=gw_store.authenticator)
    app = get_application(
        version_numbers=list(VersionNumber),
        roles=[RoleEnum.cpo],
        crud=gw_store.crud,
        modules=[ModuleID.locations, ModuleID.sessions, ModuleID.cdrs],
        authenticator=gw_store.authenticator,
        settings=settings,
        ocpp_gateway=gateway,
    )
    ...
    await gw_store.stop()

SQLite databases are migrated on first use (both histories, ``0001_ocpi`` then
``0002_gateway``); PostgreSQL ones with ``migrate=True`` or ``ocpi-ocpp db upgrade``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from ocpi.core.config import Settings
from ocpi.store import SQLCrud, Store, create_store
from ocpi.store.migrate import upgrade
from ocpi.store.partners import PartnerAdmin
from ocpp_gw.store.auth import StoreAuthenticator
from ocpp_gw.store.chargers import ChargerAdmin
from ocpp_gw.store.state import SQLStateStore

__all__ = ["GATEWAY_HEAD", "VERSIONS_DIR", "GatewayStore", "create_gateway_store", "upgrade_all"]

#: The gateway's Alembic revisions (applied after the OCPI store's ``0001_ocpi``).
VERSIONS_DIR = Path(__file__).parent / "migrations" / "versions"
#: The gateway's last revision.
GATEWAY_HEAD = "0002_gateway"


@dataclass
class GatewayStore:
    """The OCPI store plus the gateway's state and stations, sharing one database."""

    ocpi: Store
    state: SQLStateStore
    chargers: ChargerAdmin
    authenticator: type[StoreAuthenticator]

    @property
    def crud(self) -> type[SQLCrud]:
        return self.ocpi.crud

    @property
    def partners(self) -> PartnerAdmin:
        return self.ocpi.partners

    @property
    def settings(self) -> Settings:
        return self.ocpi.settings

    async def start(self) -> None:
        """Connect (and migrate, when enabled). Optional: the first use does it too."""
        await self.ocpi.start()

    async def stop(self) -> None:
        """Close the connection pool."""
        await self.ocpi.stop()

    async def __aenter__(self) -> GatewayStore:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()


def create_gateway_store(
    url: str | None = None, settings: Settings | None = None, **options: Any
) -> GatewayStore:
    """Build the combined store for ``url`` (default: the SQLite file of the OCPI store).

    ``options`` go to :func:`ocpi.store.create_store` (``roles``, ``migrate``, ``schema``,
    engine options ...); the gateway's migrations are added to its ``version_locations``.
    """
    locations = [*options.pop("version_locations", ()), VERSIONS_DIR]
    store = create_store(url, settings, version_locations=locations, **options)
    chargers = ChargerAdmin(store.db)
    return GatewayStore(
        ocpi=store,
        state=SQLStateStore(store.db),
        chargers=chargers,
        authenticator=StoreAuthenticator.bind_store(store.partners.repository, chargers),
    )


async def upgrade_all(
    target: str | AsyncEngine | None = None, *, schema: str | None = None
) -> None:
    """Apply the OCPI store's and the gateway's migrations to ``target`` (a URL or an engine)."""
    await upgrade(target, version_locations=[VERSIONS_DIR], schema=schema)
