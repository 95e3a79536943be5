"""The gateway's built-in store: charger state, stations and their credentials in SQL.

Tables live on the OCPI store's declarative base and database, migrated by one Alembic history
(``0001_ocpi`` then ``0002_gateway``)::

    from ocpp_gw.store import create_gateway_store

    gw_store = create_gateway_store()            # SQLite file, migrated on first use
    await gw_store.chargers.add("CP1", password="s3cret-pass")
    gateway = OCPPGateway(state=gw_store.state, authenticator=gw_store.authenticator)
"""

from ocpp_gw.store.auth import StoreAuthenticator
from ocpp_gw.store.chargers import ChargerAdmin, ChargerInfo
from ocpp_gw.store.factory import (
    GATEWAY_HEAD,
    VERSIONS_DIR,
    GatewayStore,
    create_gateway_store,
    upgrade_all,
)
from ocpp_gw.store.passwords import hash_password, new_password, verify_password
from ocpp_gw.store.retention import PruneResult, prune
from ocpp_gw.store.state import SQLStateStore

__all__ = [
    "GATEWAY_HEAD",
    "VERSIONS_DIR",
    "ChargerAdmin",
    "ChargerInfo",
    "GatewayStore",
    "PruneResult",
    "SQLStateStore",
    "StoreAuthenticator",
    "create_gateway_store",
    "hash_password",
    "new_password",
    "prune",
    "upgrade_all",
    "verify_password",
]
