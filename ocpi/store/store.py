"""``create_store``: the built-in store in one call.

::

    store = create_store()  # SQLite file, migrated on first use
    app = get_application(
        version_numbers=[VersionNumber.v_2_2_1],
        roles=[RoleEnum.cpo],
        crud=store.crud,
        modules=[ModuleID.locations],
        authenticator=store.authenticator,
        settings=store.settings,
    )
    ...
    await store.stop()  # closes the connection pool

For PostgreSQL pass ``url="postgresql+asyncpg://user@host/db"``; its migrations run on first use
only with ``migrate=True`` (production databases are usually migrated by a deployment step:
``await ocpi.store.upgrade(url)``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from ocpi.core.config import Settings
from ocpi.core.config import settings as default_settings
from ocpi.core.enums import RoleEnum
from ocpi.core.spec import SUPPORTED_VERSIONS
from ocpi.modules.versions.enums import VersionNumber
from ocpi.store.auth import SQLAuthenticator
from ocpi.store.crud import ActionHandler, SQLCrud, StoreCore
from ocpi.store.database import Database
from ocpi.store.db import DEFAULT_URL, create_engine
from ocpi.store.objects import ObjectRepository
from ocpi.store.partners import PartnerAdmin, PartnerRepository

__all__ = ["Store", "create_store"]


@dataclass
class Store:
    """A running store: pass ``crud`` and ``authenticator`` to :func:`ocpi.get_application`."""

    url: str
    settings: Settings
    db: Database
    crud: type[SQLCrud]
    authenticator: type[SQLAuthenticator]
    partners: PartnerAdmin
    objects: ObjectRepository

    @property
    def engine(self) -> AsyncEngine:
        return self.db.engine

    async def start(self) -> None:
        """Connect (and migrate, when enabled). Optional: the first request does it too."""
        await self.db.ready()

    async def stop(self) -> None:
        """Close the connection pool."""
        await self.db.dispose()

    async def __aenter__(self) -> Store:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()


def create_store(
    url: str | None = None,
    settings: Settings | None = None,
    *,
    roles: Sequence[RoleEnum] = (RoleEnum.cpo,),
    versions: Sequence[VersionNumber] = tuple(SUPPORTED_VERSIONS),
    business_details: dict[str, Any] | None = None,
    migrate: bool | None = None,
    version_locations: Sequence[str | Path] = (),
    actions: ActionHandler | None = None,
    crud_class: type[SQLCrud] = SQLCrud,
    schema: str | None = None,
    engine: AsyncEngine | None = None,
    client_options: dict[str, Any] | None = None,
    **engine_options: Any,
) -> Store:
    """Build the store for ``url`` (default: the SQLite file :data:`~ocpi.store.db.DEFAULT_URL`).

    :param settings: the application's settings (our party and public URL for credentials).
    :param roles: our roles, as given to ``get_application`` (they go into our credentials).
    :param versions: the versions the application serves (offered when registering with a
        partner).
    :param business_details: our business details in credentials (default: the project name).
    :param migrate: apply migrations on first use; default ``True`` for SQLite, ``False``
        otherwise.
    :param version_locations: extra Alembic version directories applied with ours (tables of
        other components in the same database, e.g. the OCPP gateway's ``0002_gateway``).
    :param actions: ``async handler(module, role, action, data, kwargs)`` for what needs a
        charging station (commands, charging profiles). Without it they are answered
        ``NOT_SUPPORTED``.
    :param crud_class: a subclass of :class:`~ocpi.store.crud.SQLCrud` overriding some
        behaviour (e.g. ``do``); ``store.crud`` is that class bound to this store.
    :param schema: PostgreSQL schema for every table (see :func:`ocpi.store.db.create_engine`).
    :param engine: an engine to use instead of creating one for ``url``.
    :param client_options: options for the outbound clients of ``store.partners``.
    """
    url = url or (str(engine.url) if engine is not None else DEFAULT_URL)
    cfg = settings or default_settings
    engine = engine or create_engine(url, schema=schema, **engine_options)
    if migrate is None:
        migrate = make_url(url).get_backend_name() == "sqlite"
    db = Database(engine, migrate=migrate, version_locations=version_locations)
    objects = ObjectRepository(db)
    partners = PartnerRepository(db, cfg, list(roles), business_details, list(versions))
    core = StoreCore(objects, partners, cfg, actions)
    return Store(
        url=url,
        settings=cfg,
        db=db,
        crud=crud_class.bind(core),
        authenticator=SQLAuthenticator.bind(partners),
        partners=PartnerAdmin(partners, **(client_options or {})),
        objects=objects,
    )
