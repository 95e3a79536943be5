"""The built-in store: a persistent :class:`~ocpi.core.crud.Crud` and
:class:`~ocpi.core.authentication.authenticator.Authenticator` on SQLAlchemy 2 (async).

SQLite (``sqlite+aiosqlite``, the default, migrated on first use) or PostgreSQL
(``postgresql+asyncpg``); migrations ship in ``ocpi/store/migrations``::

    from ocpi.store import create_store

    store = create_store("sqlite+aiosqlite:///ocpi.sqlite3", settings, roles=[RoleEnum.cpo])
    app = get_application(..., crud=store.crud, authenticator=store.authenticator)
"""

from ocpi.store.auth import SQLAuthenticator
from ocpi.store.convert import convert, from_canonical, to_canonical
from ocpi.store.crud import ActionHandler, SQLCrud
from ocpi.store.db import Base, create_engine, session_factory
from ocpi.store.migrate import current_revision, upgrade, upgrade_sync
from ocpi.store.partners import IssuedToken, PartnerAdmin, PartnerInfo, hash_token
from ocpi.store.store import Store, create_store

__all__ = [
    "ActionHandler",
    "Base",
    "IssuedToken",
    "PartnerAdmin",
    "PartnerInfo",
    "SQLAuthenticator",
    "SQLCrud",
    "Store",
    "convert",
    "create_engine",
    "create_store",
    "current_revision",
    "from_canonical",
    "hash_token",
    "session_factory",
    "to_canonical",
    "upgrade",
    "upgrade_sync",
]
