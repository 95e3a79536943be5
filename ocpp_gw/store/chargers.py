"""The operator's charging stations: who may connect, and with which credentials.

A station is *registered* when an operator added it; only registered stations pass
:class:`~ocpp_gw.store.StoreAuthenticator`. Passwords are kept as salted scrypt hashes::

    chargers = ChargerAdmin(store.db)
    password = await chargers.add("CP1")              # a generated password, shown once
    await chargers.add("CP2", password="s3cret-pass") # or one of yours
    await chargers.add("CP3", certificate_o="ACME")   # security profile 3 only
    for charger in await chargers.list():
        print(charger.charge_point_id, charger.has_password, charger.last_seen)
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ocpi.core.authentication.authenticator import ChargerCredentials
from ocpi.store.database import Database
from ocpp_gw.store.models import StationRow
from ocpp_gw.store.passwords import hash_password, new_password, verify_password_async
from ocpp_gw.store.rows import station_for_update

__all__ = ["ChargerAdmin", "ChargerInfo"]


@dataclass(frozen=True, slots=True)
class ChargerInfo:
    """A station as the operator sees it (never the password, only whether one is set)."""

    charge_point_id: str
    registered: bool
    has_password: bool
    certificate_cn: str | None
    certificate_o: str | None
    version: str | None
    vendor: str | None
    model: str | None
    last_seen: datetime | None


def _info(row: StationRow) -> ChargerInfo:
    boot = row.boot or {}
    return ChargerInfo(
        charge_point_id=row.charge_point_id,
        registered=row.registered,
        has_password=row.password_hash is not None,
        certificate_cn=row.certificate_cn,
        certificate_o=row.certificate_o,
        version=row.version,
        vendor=boot.get("vendor"),
        model=boot.get("model"),
        last_seen=row.last_seen,
    )


class ChargerAdmin:
    """Add, list and remove stations, and check what they present when connecting."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(
        self,
        charge_point_id: str,
        password: str | None = None,
        *,
        generate_password: bool = True,
        certificate_cn: str | None = None,
        certificate_o: str | None = None,
    ) -> str | None:
        """Register a station (or update a registered one); returns its password.

        Without ``password`` a random one is generated (``generate_password=False``: no
        password, for stations using security profile 3 or 0 only). Returns the plain password,
        which is not stored; only its hash is.
        """
        if password is None and generate_password:
            password = new_password()
        hashed = await asyncio.to_thread(hash_password, password) if password else None
        await self.db.ready()
        async with self.db.write() as session, session.begin():
            row = await station_for_update(session, charge_point_id)
            row.registered = True
            row.password_hash = hashed
            row.certificate_cn = certificate_cn
            row.certificate_o = certificate_o
        return password

    async def remove(self, charge_point_id: str) -> bool:
        """Revoke a station's access (its recorded state stays). ``False`` if unknown."""
        await self.db.ready()
        async with self.db.write() as session, session.begin():
            row = await session.get(StationRow, charge_point_id, with_for_update=True)
            if row is None or not row.registered:
                return False
            row.registered = False
            row.password_hash = None
        return True

    async def get(self, charge_point_id: str) -> ChargerInfo | None:
        await self.db.ready()
        async with self.db.read() as session:
            row = await session.get(StationRow, charge_point_id)
            return None if row is None else _info(row)

    async def list(self, *, include_unregistered: bool = False) -> list[ChargerInfo]:
        """Registered stations (and, when asked, those only known from connecting), by id."""
        await self.db.ready()
        query = select(StationRow).order_by(StationRow.charge_point_id)
        if not include_unregistered:
            query = query.where(StationRow.registered.is_(True))
        async with self.db.read() as session:
            return [_info(row) for row in await session.scalars(query)]

    async def authenticate(self, credentials: ChargerCredentials) -> bool:
        """Whether a station may connect with what it presented.

        * the station must be registered;
        * security profile 1/2: the Basic auth user is the identity and the password matches;
        * profile 3: the certificate's CN is the expected one (default: the identity) and its
          O matches when one is set for the station (the gateway has already checked the
          chain and its own ``client_cert_organization``);
        * profile 0 (no credentials): only stations registered without a password.
        """
        await self.db.ready()
        async with self.db.read() as session:
            row = await session.get(StationRow, credentials.charge_point_id)
        registered = row is not None and row.registered
        profile = credentials.security_profile
        if profile in (1, 2):
            stored = row.password_hash if row is not None and registered else None
            # Hash even for unknown stations: an unknown identity costs as much as a wrong
            # password, so timing does not reveal which stations exist.
            matches = await verify_password_async(credentials.password or "", stored)
            user_ok = credentials.username in (None, credentials.charge_point_id)
            return registered and matches and user_ok
        if row is None or not registered:
            return False
        if profile == 3:
            certificate = credentials.certificate
            if certificate is None or not certificate.verified:
                return False
            expected_cn = row.certificate_cn or row.charge_point_id
            if certificate.subject_cn != expected_cn:
                return False
            return row.certificate_o is None or certificate.subject_o == row.certificate_o
        return profile == 0 and row.password_hash is None
