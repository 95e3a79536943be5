"""Partners: the credentials tokens, the handshake's bookkeeping and the operator's API.

Tokens partners present to us (token A, token C, or the token B we hand out when we register
with them) are stored as SHA-256 hashes only and found by an index on the hash. The token *we*
present to a partner must be sent as is, so it is stored readable (``token_out``).

Operators use :class:`PartnerAdmin` (``store.partners``)::

    issued = await store.partners.create_token_a(name="ACME eMSP")
    print(issued.token)              # hand this to the partner, once; only its hash is kept
    partner = await store.partners.register("https://emsp.example.com/ocpi/versions", token_a)
    for p in await store.partners.list():
        print(p.id, p.status, p.version, p.parties)
    await store.partners.unregister(partner.id)
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select

from ocpi.core.authentication.authenticator import TokenKind, TokenOwner
from ocpi.core.client import OCPIClient
from ocpi.core.config import Settings
from ocpi.core.enums import ModuleID, RoleEnum
from ocpi.core.partner import PartnerClient
from ocpi.core.spec import SUPPORTED_VERSIONS
from ocpi.modules.credentials.build import build_credentials
from ocpi.modules.versions.enums import VersionNumber
from ocpi.store.database import Database
from ocpi.store.models import PartnerRow

__all__ = [
    "IssuedToken",
    "PartnerAdmin",
    "PartnerInfo",
    "PartnerRepository",
    "hash_token",
    "new_token",
    "parties_of",
]

PENDING, REGISTERED, UNREGISTERED = "pending", "registered", "unregistered"


def hash_token(token: str) -> str:
    """The SHA-256 hex digest under which a token partners present is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """A fresh random credentials token (printable, URL safe, 256 bits)."""
    return secrets.token_urlsafe(32)


def parties_of(credentials: dict[str, Any] | None) -> list[list[str]]:
    """``[[country_code, party_id], ...]`` named by a Credentials object of any version."""
    if not credentials:
        return []
    roles = credentials.get("roles") or [credentials]
    parties: list[list[str]] = []
    for role in roles:
        cc, pid = role.get("country_code"), role.get("party_id")
        if cc and pid and [cc.upper(), pid.upper()] not in parties:
            parties.append([cc.upper(), pid.upper()])
    return parties


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A token A just created: ``token`` is shown this once; the store keeps its hash."""

    partner_id: str
    token: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class PartnerInfo:
    """What the store knows about a partner (never the tokens it presents to us)."""

    id: str
    name: str | None
    status: str
    version: str | None
    versions_url: str | None
    parties: tuple[tuple[str, str], ...]
    credentials: dict[str, Any] | None
    endpoints: list[dict[str, Any]]
    #: The token we call the partner with (needed for outbound requests).
    token_out: str | None = field(default=None, repr=False)

    def client(self, client: OCPIClient) -> PartnerClient:
        """A :class:`~ocpi.core.partner.PartnerClient` calling this partner through ``client``::

        async with OCPIClient() as http:
            async for location in partner.client(http).pull(ModuleID.locations):
                ...
        """
        if self.status != REGISTERED or not self.token_out or not self.version:
            raise LookupError(f"partner {self.id} is not registered")
        return PartnerClient(client, self.version, self.endpoints, self.token_out)

    def endpoint(self, module: ModuleID | str) -> str | None:
        """The URL the partner advertised for ``module`` (first match), or ``None``."""
        identifier = module.value if isinstance(module, ModuleID) else module
        for endpoint in self.endpoints:
            if endpoint.get("identifier") == identifier:
                url: str = endpoint["url"]
                return url
        return None


def _info(row: PartnerRow) -> PartnerInfo:
    return PartnerInfo(
        id=row.id,
        name=row.name,
        status=row.status,
        version=row.version,
        versions_url=row.versions_url,
        parties=tuple((p[0], p[1]) for p in row.parties or []),
        credentials=row.credentials,
        endpoints=list(row.endpoints or []),
        token_out=row.token_out,
    )


@dataclass
class PartnerRepository:
    """Data access to ``ocpi_partners`` and the credentials module's bookkeeping."""

    db: Database
    settings: Settings
    roles: Sequence[RoleEnum]
    business_details: dict[str, Any] | None = None
    #: The versions our application serves (offered when we register with a partner).
    versions: Sequence[VersionNumber | str] = tuple(SUPPORTED_VERSIONS)

    def our_credentials(self, token: str, version: VersionNumber | str, url: str | None) -> Any:
        return build_credentials(
            self.settings,
            token,
            version,
            roles=self.roles,
            business_details=self.business_details,
            url=url,
        )

    # -- lookups ------------------------------------------------------------------------------

    async def lookup(self, token: str) -> TokenOwner | None:
        """The owner of a token presented to us: one indexed query on its hash."""
        if not token:
            return None
        await self.db.ready()
        digest = hash_token(token)
        async with self.db.read() as session:
            row = await session.scalar(
                select(PartnerRow).where(
                    or_(PartnerRow.token_in_hash == digest, PartnerRow.token_a_hash == digest)
                )
            )
        if row is None:
            return None
        if row.token_in_hash == digest:
            parties = tuple((p[0], p[1]) for p in row.parties or [])
            return TokenOwner(TokenKind.C, partner_id=row.id, parties=parties)
        return TokenOwner(TokenKind.A, partner_id=row.id)

    async def by_token(self, token: str | None) -> PartnerRow | None:
        """The registered partner calling with ``token`` (its token C / our token B)."""
        if not token:
            return None
        await self.db.ready()
        async with self.db.read() as session:
            row: PartnerRow | None = await session.scalar(
                select(PartnerRow).where(PartnerRow.token_in_hash == hash_token(token))
            )
            return row

    async def partner_id(self, token: str | None) -> str | None:
        row = await self.by_token(token)
        return None if row is None else row.id

    # -- the credentials module (we are the receiving side of the handshake) ------------------

    async def register(
        self, token_a: str, data: dict[str, Any], version: VersionNumber | str, url: str | None
    ) -> Any:
        """``POST /credentials``: retire token A, keep token B, issue token C."""
        await self.db.ready()
        credentials = data["credentials"]
        details = data.get("endpoints") or {}
        token_c = new_token()
        async with self.db.write() as session, session.begin():
            row = await session.scalar(
                select(PartnerRow)
                .where(PartnerRow.token_a_hash == hash_token(token_a))
                .with_for_update()
            )
            if row is None:  # NO_AUTH set-ups: a partner we never issued a token A to
                row = PartnerRow(id=str(uuid.uuid4()), status=PENDING)
                session.add(row)
            row.token_a_hash = None
            self._apply(row, token_c, credentials, details, url)
        return self.our_credentials(token_c, version, url)

    async def rotate(
        self, token_c: str, data: dict[str, Any], version: VersionNumber | str, url: str | None
    ) -> Any:
        """``PUT /credentials``: new token B (and version/endpoints) from the partner, new C."""
        from ocpi.core.exceptions import NotFoundOCPIError

        await self.db.ready()
        new_c = new_token()
        async with self.db.write() as session, session.begin():
            row = await session.scalar(
                select(PartnerRow)
                .where(PartnerRow.token_in_hash == hash_token(token_c))
                .with_for_update()
            )
            if row is None:
                raise NotFoundOCPIError("Unknown partner")
            self._apply(row, new_c, data["credentials"], data.get("endpoints") or {}, url)
        return self.our_credentials(new_c, version, url)

    @staticmethod
    def _apply(
        row: PartnerRow,
        token_in: str,
        credentials: dict[str, Any],
        details: dict[str, Any],
        url: str | None,
    ) -> None:
        row.token_in_hash = hash_token(token_in)
        row.token_out = credentials.get("token")
        row.credentials = {k: v for k, v in credentials.items() if k != "token"}
        row.versions_url = credentials.get("url")
        row.version = details.get("version") or row.version
        row.endpoints = details.get("endpoints") or row.endpoints or []
        row.parties = parties_of(credentials)
        row.status = REGISTERED
        if url is not None:
            row.our_versions_url = url
        if row.name is None:
            roles = credentials.get("roles") or [credentials]
            name = (roles[0].get("business_details") or {}).get("name") if roles else None
            row.name = name

    async def credentials_for(self, token_c: str, version: VersionNumber | str) -> Any:
        """``GET /credentials``: our credentials carrying the caller's token."""
        row = await self.by_token(token_c)
        if row is None:
            return None
        return self.our_credentials(token_c, version, row.our_versions_url)

    async def forget(self, token_c: str) -> bool:
        """``DELETE /credentials``: the partner unregistered; its tokens stop working."""
        await self.db.ready()
        async with self.db.write() as session, session.begin():
            row = await session.scalar(
                select(PartnerRow)
                .where(PartnerRow.token_in_hash == hash_token(token_c))
                .with_for_update()
            )
            if row is None:
                return False
            _retire(row)
        return True


def _retire(row: PartnerRow) -> None:
    row.status = UNREGISTERED
    row.token_in_hash = None
    row.token_a_hash = None
    row.token_out = None


class PartnerAdmin:
    """The operator's API: issue tokens A, register with partners, list, unregister.

    ``client_options`` are passed to every :class:`~ocpi.core.client.OCPIClient` (tests pass a
    transport here).
    """

    def __init__(self, repository: PartnerRepository, **client_options: Any) -> None:
        self.repository = repository
        self.client_options = client_options

    @property
    def db(self) -> Database:
        return self.repository.db

    async def create_token_a(self, name: str | None = None) -> IssuedToken:
        """A new partner slot with a single-use token A; the plain token is returned once."""
        await self.db.ready()
        token = new_token()
        partner_id = str(uuid.uuid4())
        async with self.db.write() as session, session.begin():
            session.add(
                PartnerRow(id=partner_id, name=name, status=PENDING, token_a_hash=hash_token(token))
            )
        return IssuedToken(partner_id, token)

    async def list(self, *, include_unregistered: bool = False) -> list[PartnerInfo]:
        """Every partner, oldest first (unregistered ones only when asked)."""
        await self.db.ready()
        query = select(PartnerRow).order_by(PartnerRow.created_at, PartnerRow.id)
        if not include_unregistered:
            query = query.where(PartnerRow.status != UNREGISTERED)
        async with self.db.read() as session:
            return [_info(row) for row in await session.scalars(query)]

    async def get(self, partner_id: str) -> PartnerInfo | None:
        await self.db.ready()
        async with self.db.read() as session:
            row = await session.get(PartnerRow, partner_id)
            return None if row is None else _info(row)

    async def register(
        self,
        versions_url: str,
        token_a: str,
        *,
        name: str | None = None,
        versions: Sequence[VersionNumber | str] | None = None,
    ) -> PartnerInfo:
        """Run the credentials handshake with a partner that gave us ``token_a``.

        Our token B is stored (hashed) before the partner is called, because the partner uses
        it to read our versions during the handshake. On failure nothing is kept.
        """
        await self.db.ready()
        repo = self.repository
        token_b = new_token()
        partner_id = str(uuid.uuid4())
        async with self.db.write() as session, session.begin():
            session.add(
                PartnerRow(
                    id=partner_id,
                    name=name,
                    status=PENDING,
                    token_in_hash=hash_token(token_b),
                    versions_url=versions_url,
                )
            )
        try:
            async with OCPIClient(settings=repo.settings, **self.client_options) as client:
                registration = await client.register(
                    versions_url,
                    token_a,
                    credentials=lambda version: repo.our_credentials(token_b, version, None),
                    versions=versions or repo.versions,
                )
        except BaseException:
            async with self.db.write() as session, session.begin():
                row = await session.get(PartnerRow, partner_id)
                if row is not None:
                    await session.delete(row)
            raise
        credentials = registration.credentials.model_dump(mode="json", exclude_none=True)
        async with self.db.write() as session, session.begin():
            row = await session.get(PartnerRow, partner_id, with_for_update=True)
            assert row is not None
            repo._apply(
                row,
                token_b,
                credentials,
                {"version": registration.version.value, "endpoints": registration.endpoints},
                None,
            )
            row.versions_url = versions_url
            if name is not None:
                row.name = name
            info = _info(row)
        return info

    async def update(self, partner_id: str) -> PartnerInfo:
        """Rotate tokens with a registered partner: ``PUT`` its credentials endpoint with a new
        token B for it to call us, and keep the new token it answers with.

        The new token B is accepted from the moment the request is sent (the partner reads our
        versions with it); if the update fails, the old one is restored.
        """
        partner = await self.get(partner_id)
        url = None if partner is None else partner.endpoint(ModuleID.credentials_and_registration)
        if partner is None or partner.status != REGISTERED or not url or not partner.token_out:
            raise LookupError(f"partner {partner_id} is not registered")
        repo = self.repository
        version = VersionNumber(partner.version)
        token_b = new_token()
        async with self.db.write() as session, session.begin():
            row = await session.get(PartnerRow, partner_id, with_for_update=True)
            assert row is not None
            old_hash, row.token_in_hash = row.token_in_hash, hash_token(token_b)
        try:
            async with OCPIClient(settings=repo.settings, **self.client_options) as client:
                answer = await client.update_credentials(
                    url, partner.token_out, repo.our_credentials(token_b, version, None), version
                )
        except BaseException:
            async with self.db.write() as session, session.begin():
                row = await session.get(PartnerRow, partner_id, with_for_update=True)
                if row is not None:
                    row.token_in_hash = old_hash
            raise
        credentials = answer.model_dump(mode="json", exclude_none=True)
        async with self.db.write() as session, session.begin():
            row = await session.get(PartnerRow, partner_id, with_for_update=True)
            assert row is not None
            repo._apply(row, token_b, credentials, {}, None)
            return _info(row)

    async def unregister(self, partner_id: str, *, notify: bool = True) -> bool:
        """Stop working with a partner: ``DELETE`` its credentials endpoint (when ``notify``)
        and invalidate every token. ``False`` when the partner is unknown."""
        partner = await self.get(partner_id)
        if partner is None:
            return False
        url = partner.endpoint(ModuleID.credentials_and_registration)
        if notify and partner.status == REGISTERED and url and partner.token_out:
            async with OCPIClient(
                settings=self.repository.settings, **self.client_options
            ) as client:
                await client.unregister(url, partner.token_out, VersionNumber(partner.version))
        async with self.db.write() as session, session.begin():
            row = await session.get(PartnerRow, partner_id, with_for_update=True)
            if row is not None:
                _retire(row)
        return True
