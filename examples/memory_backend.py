"""A complete in-memory integrator backend: a ``Crud`` and an ``Authenticator`` that implement
the credentials handshake in both directions.

It keeps everything in dictionaries, which makes it a readable reference for writing your own
(and what the test suite uses for two OCPI platforms talking to each other). For a persistent
store use the built-in SQL store instead.

Run it::

    uvicorn examples.memory_backend:app
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ocpi import (
    Action,
    Authenticator,
    Crud,
    ModuleID,
    NotFoundOCPIError,
    OCPIClient,
    RoleEnum,
    Settings,
    TokenKind,
    TokenOwner,
    VersionNumber,
    build_credentials,
    get_application,
)
from ocpi.core.data_types import format_datetime, parse_datetime
from ocpp_gw.bridge.directory import PartnerDirectory, PartnerInfo

ALL_VERSIONS = (VersionNumber.v_2_1_1, VersionNumber.v_2_2_1, VersionNumber.v_2_3_0)


@dataclass
class Partner:
    """A platform we are connected with."""

    token_in: str  # the token it uses to call us (our token C / the token B we gave it)
    token_out: str  # the token we use to call it
    version: str
    credentials: dict[str, Any]
    endpoints: list[dict[str, Any]]


@dataclass
class MemoryStore:
    settings: Settings
    roles: list[RoleEnum]
    versions: list[VersionNumber] = field(default_factory=lambda: list(ALL_VERSIONS))
    tokens_a: set[str] = field(default_factory=set)
    partners: dict[str, Partner] = field(default_factory=dict)  # by token_in
    objects: dict[tuple[ModuleID, str], dict[str, Any]] = field(default_factory=dict)
    preferences: dict[str, dict[str, Any]] = field(default_factory=dict)

    def new_token_a(self) -> str:
        token = secrets.token_urlsafe(24)
        self.tokens_a.add(token)
        return token

    def ours(self, token: str, version: Any, versions_url: str | None = None) -> Any:
        return build_credentials(self.settings, token, version, roles=self.roles, url=versions_url)

    # -- the sender side of the handshake ---------------------------------------------------

    async def register_with(
        self, versions_url: str, token_a: str, **client_options: Any
    ) -> Partner:
        """Register with a partner (we initiate); returns the stored partner."""
        token_b = secrets.token_urlsafe(24)
        # The partner calls our versions endpoint with token B during the handshake.
        placeholder = Partner(token_b, token_a, "", {}, [])
        self.partners[token_b] = placeholder
        try:
            async with OCPIClient(settings=self.settings, **client_options) as client:
                registration = await client.register(
                    versions_url,
                    token_a,
                    credentials=lambda version: self.ours(token_b, version),
                    versions=self.versions,
                )
        except BaseException:
            del self.partners[token_b]
            raise
        partner = Partner(
            token_in=token_b,
            token_out=registration.credentials.token,
            version=registration.version.value,
            credentials=registration.credentials.model_dump(mode="json"),
            endpoints=registration.endpoints,
        )
        self.partners[token_b] = partner
        return partner

    def credentials_url(self, partner: Partner) -> str:
        for endpoint in partner.endpoints:
            if endpoint["identifier"] == "credentials":
                url: str = endpoint["url"]
                return url
        raise LookupError("partner has no credentials endpoint")


def _time(obj: Any) -> datetime:
    value = obj.get("last_updated") if isinstance(obj, dict) else None
    if value is None:
        return datetime.min.replace(tzinfo=UTC)
    return parse_datetime(value)


def parties_of(partner: Partner) -> tuple[tuple[str, str], ...]:
    """The (country_code, party_id) pairs a partner's credentials name."""
    credentials = partner.credentials
    roles = credentials.get("roles") or [credentials]
    return tuple(
        (role["country_code"], role["party_id"])
        for role in roles
        if role.get("country_code") and role.get("party_id")
    )


def _book(store: MemoryStore, request: dict[str, Any]) -> dict[str, Any]:
    """The demo CPO accepts every booking request; one Booking per ``request_id``."""
    module, now = ModuleID.bookings, format_datetime(datetime.now(UTC))
    old = store.objects.get((module, f"booking/{request['request_id']}"), {})
    terms = [
        terms
        for (mod, key), obj in store.objects.items()
        if mod == module
        and key.startswith("booking_location/")
        and obj["location_id"] == request["location_id"]
        for terms in obj.get("booking_terms") or []
    ]
    default = {
        "supported_access_methods": ["OPEN"],
        "change_until_minutes": 0,
        "cancel_until_minutes": 0,
    }
    fields = ("location_id", "evse_uid", "connector_id", "period", "authorization_reference")
    booking = {
        **old,
        **{name: request[name] for name in fields if name in request},
        "id": request["request_id"],
        "request_id": request["request_id"],
        "country_code": store.settings.COUNTRY_CODE,
        "party_id": store.settings.PARTY_ID,
        "booking_tokens": request.get("tokens") or old.get("booking_tokens") or [],
        "reservation_status": "CANCELED" if request.get("canceled") else "RESERVED",
        "booking_terms": old.get("booking_terms") or (terms or [default])[0],
        "booking_requests": [
            *old.get("booking_requests", []),
            {"request_status": "ACCEPTED", "booking_request": request, "request_received": now},
        ],
        "last_updated": now,
    }
    if request.get("canceled"):
        booking["canceled"] = request["canceled"]
    store.objects[(module, f"booking/{booking['id']}")] = booking
    return booking


def make_crud(store: MemoryStore) -> Crud:
    class MemoryCrud(Crud):
        @classmethod
        async def get(
            cls, module: ModuleID, role: RoleEnum, id: Any, *args: Any, **kwargs: Any
        ) -> Any:
            if module == ModuleID.credentials_and_registration:
                if id not in store.partners:
                    return None
                return store.ours(id, kwargs["version"])
            if kwargs.get("object_type"):  # payments, bookings: several kinds in one module
                return store.objects.get((module, f"{kwargs['object_type']}/{id}"))
            return store.objects.get((module, str(id)))

        @classmethod
        async def list(
            cls,
            module: ModuleID,
            role: RoleEnum,
            filters: dict[str, Any],
            *args: Any,
            **kwargs: Any,
        ) -> tuple[list[Any], int, bool]:
            items = [obj for (mod, _), obj in store.objects.items() if mod == module]
            if kwargs.get("object_type"):
                kind = f"{kwargs['object_type']}/"
                items = [
                    o for (m, k), o in store.objects.items() if m == module and k.startswith(kind)
                ]
            slot_from, slot_to = kwargs.get("timeslot_from"), kwargs.get("timeslot_to")
            if slot_from or slot_to:  # booking locations with a timeslot starting in the range
                items = [
                    obj
                    for obj in items
                    if any(
                        (not slot_from or parse_datetime(slot["start_from"]) >= slot_from)
                        and (not slot_to or parse_datetime(slot["start_from"]) < slot_to)
                        for calendar in obj.get("calendars") or []
                        for slot in calendar["available_timeslots"]
                    )
                ]
            date_from, date_to = filters.get("date_from"), filters.get("date_to")
            if date_from or date_to:
                items = [
                    obj
                    for obj in items
                    if (not date_from or _time(obj) >= date_from)
                    and (not date_to or _time(obj) < date_to)
                ]
            items.sort(key=_time)
            page = items[filters["offset"] : filters["offset"] + filters["limit"]]
            return page, len(items), filters["offset"] + len(page) >= len(items)

        @classmethod
        async def create(
            cls, module: ModuleID, role: RoleEnum, data: dict[str, Any], *args: Any, **kwargs: Any
        ) -> Any:
            if module == ModuleID.charging_profile:  # a result posted to our response_url
                store.objects[(module, str(kwargs.get("request_id")))] = data
                return data
            if module == ModuleID.hub_client_info:
                store.objects[(module, f"{data['country_code']}*{data['party_id']}".upper())] = data
                return data
            if kwargs.get("object_type") == "booking_request":
                return _book(store, data)
            if kwargs.get("object_type"):
                if kwargs.get("activate") and not data.get("terminal_id"):
                    data = {**data, "terminal_id": secrets.token_hex(8)}  # the PTP assigns it
                key = data.get("id") or data.get("terminal_id")
                store.objects[(module, f"{kwargs['object_type']}/{key}")] = data
                return data
            if module != ModuleID.credentials_and_registration:
                store.objects[(module, str(data.get("id") or data.get("uid")))] = data
                return data
            token_a = kwargs["auth_token"]
            store.tokens_a.discard(token_a)  # token A is single use
            token_c = secrets.token_urlsafe(24)
            credentials = data["credentials"]
            store.partners[token_c] = Partner(
                token_in=token_c,
                token_out=credentials["token"],
                version=data["endpoints"]["version"],
                credentials=credentials,
                endpoints=data["endpoints"]["endpoints"],
            )
            return store.ours(token_c, kwargs["version"], kwargs.get("versions_url"))

        @classmethod
        async def update(
            cls,
            module: ModuleID,
            role: RoleEnum,
            data: dict[str, Any],
            id: Any,
            *args: Any,
            **kwargs: Any,
        ) -> Any:
            if kwargs.get("charging_preferences"):
                store.preferences[str(id)] = data
                return "ACCEPTED"
            if kwargs.get("object_type"):
                store.objects[(module, f"{kwargs['object_type']}/{id}")] = data
                return data
            if module != ModuleID.credentials_and_registration:
                store.objects[(module, str(id))] = data
                return data
            old = store.partners.pop(id)
            token_c = secrets.token_urlsafe(24)  # rotate on every update
            credentials = data["credentials"]
            store.partners[token_c] = Partner(
                token_in=token_c,
                token_out=credentials["token"],
                version=data["endpoints"]["version"],
                credentials=credentials,
                endpoints=data["endpoints"]["endpoints"] or old.endpoints,
            )
            return store.ours(token_c, kwargs["version"], kwargs.get("versions_url"))

        @classmethod
        async def delete(
            cls, module: ModuleID, role: RoleEnum, id: Any, *args: Any, **kwargs: Any
        ) -> Any:
            if module == ModuleID.credentials_and_registration:
                store.partners.pop(id, None)
                return None
            if kwargs.get("object_type"):
                id = f"{kwargs['object_type']}/{id}"
            if store.objects.pop((module, str(id)), None) is None:
                raise NotFoundOCPIError
            return None

        @classmethod
        async def do(
            cls,
            module: ModuleID,
            role: Any,
            action: Any,
            *args: Any,
            data: Any = None,
            **kwargs: Any,
        ) -> Any:
            if action == Action.authorize_token:
                token = store.objects.get((ModuleID.tokens, str(data["token_uid"])))
                if token is None:
                    return None
                allowed = "ALLOWED" if token.get("valid", True) else "BLOCKED"
                if kwargs["version"] == VersionNumber.v_2_1_1:
                    return {"allowed": allowed}
                return {"allowed": allowed, "token": token}
            if action == Action.get_client_token:  # the token to post async results with
                partner = store.partners.get(kwargs["auth_token"])
                return None if partner is None else partner.token_out
            if module in (ModuleID.commands, ModuleID.charging_profile):
                # Commands and charging-profile requests: remember the request under its
                # response_url and answer with store.objects[(module, "response")] if set.
                command = kwargs.get("command")
                store.objects[(module, str(kwargs["response_url"]))] = {
                    "action": str(getattr(action, "value", action)),
                    "command": getattr(command, "value", command),
                    "session_id": kwargs.get("session_id"),
                    "duration": kwargs.get("duration"),
                    "data": data,
                }
                wait = store.settings.COMMAND_AWAIT_TIME
                if module == ModuleID.charging_profile:
                    wait = store.settings.GET_ACTIVE_PROFILE_AWAIT_TIME
                default = {"result": "ACCEPTED", "timeout": wait}
                return dict(store.objects.get((module, "response"), default))
            return None

    return MemoryCrud()


def make_authenticator(store: MemoryStore, *, fast_lookup: bool = True) -> Authenticator:
    class ListAuthenticator(Authenticator):
        @classmethod
        async def get_valid_token_c(cls) -> list[str]:
            return list(store.partners)

        @classmethod
        async def get_valid_token_a(cls) -> list[str]:
            return list(store.tokens_a)

    class IndexedAuthenticator(ListAuthenticator):
        @classmethod
        async def lookup_token(cls, token: str) -> TokenOwner | None:
            partner = store.partners.get(token)
            if partner is not None:
                return TokenOwner(TokenKind.C, partner_id=token[:6], parties=parties_of(partner))
            if token in store.tokens_a:
                return TokenOwner(TokenKind.A)
            return None

    return IndexedAuthenticator() if fast_lookup else ListAuthenticator()


class MemoryPartnerDirectory(PartnerDirectory):
    """The partners of a :class:`MemoryStore` as the OCPP bridge reads them.

    The key of a partner is its parties (stable when it rotates its credentials)."""

    def __init__(self, store: MemoryStore) -> None:
        self.store = store

    @staticmethod
    def info(partner: Partner) -> PartnerInfo:
        parties = parties_of(partner)
        key = ",".join(f"{cc}*{pid}" for cc, pid in parties) or partner.token_in[:8]
        return PartnerInfo(key, partner.version, partner.endpoints, partner.token_out, parties)

    async def partners(self) -> list[PartnerInfo]:
        # Skip the placeholder of a handshake in progress (no version yet).
        return [self.info(p) for p in self.store.partners.values() if p.version]

    async def partner_for_token(self, token: str) -> PartnerInfo | None:
        partner = self.store.partners.get(token)
        return None if partner is None or not partner.version else self.info(partner)


def create_app(
    settings: Settings,
    roles: list[RoleEnum],
    versions: list[VersionNumber] | None = None,
    modules: list[ModuleID] | None = None,
    **options: Any,
) -> tuple[Any, MemoryStore]:
    """An OCPI app on the in-memory backend; returns ``(app, store)``."""
    store = MemoryStore(settings, roles, list(versions or ALL_VERSIONS))
    app = get_application(
        version_numbers=store.versions,
        roles=roles,
        crud=make_crud(store),
        modules=modules or [],
        authenticator=make_authenticator(store, fast_lookup=options.pop("fast_lookup", True)),
        settings=settings,
        **options,
    )
    return app, store


app, store = create_app(
    Settings(OCPI_HOST="127.0.0.1:8000", PROTOCOL="http", COUNTRY_CODE="NL", PARTY_ID="EXA"),
    [RoleEnum.cpo],
)
