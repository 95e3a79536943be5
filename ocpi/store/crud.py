"""``SQLCrud``: the :class:`~ocpi.core.crud.Crud` of the built-in store, for every module, version
and role.

What is stored where:

* Locations, Sessions, CDRs, Tariffs, Tokens: one row per object in the canonical version
  (:mod:`ocpi.store.convert`), served in the version of each request. Tokens are keyed by uid
  *and* type (a read without ``?type=`` falls back to any type).
* Objects of a Sender interface (our Locations as CPO, our Tokens as eMSP, our terminals as PTP
  ...) are *ours* (``owner`` NULL) and are what lists return; objects pushed to a Receiver
  interface belong to the calling partner. A ``get`` without ``auth_token`` is ours asking (an
  OCPP bridge looking up a Token as CPO): it finds a pushed object whichever partner owns it,
  preferring the ``country_code``/``party_id`` given.
* Session charging preferences (kind ``charging_preferences``; answered ``ACCEPTED``), command
  requests (``command``), command results (``command_result``), charging profile results
  (``result``) and pushed active profiles (``active_profile``), hub client info, payments and
  bookings objects (kind = ``object_type``): stored as received, in the version received. A
  terminal activation gets a ``terminal_id`` when it has none; a deactivation deletes the
  terminal.

Actions (``Crud.do``) that need a charging station — ``send_command`` and the three charging
profile requests — go to the ``actions`` handler given to :func:`ocpi.store.create_store` (the
OCPP bridge plugs in there). Without one, commands are stored and answered ``NOT_SUPPORTED``
and charging profile requests ``NOT_SUPPORTED``: never an ``ACCEPTED`` nobody will complete.
``authorize_token`` is answered from the stored Tokens (whitelist semantics: a valid token is
``ALLOWED``, an invalid one ``BLOCKED``, an unknown one is not authorized); ``get_client_token``
with the token we call the requesting partner by (for posting asynchronous results).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

from ocpi.core.config import Settings
from ocpi.core.crud import Crud
from ocpi.core.data_types import format_datetime
from ocpi.core.enums import Action, ModuleID, RoleEnum
from ocpi.core.exceptions import NotFoundOCPIError
from ocpi.core.interfaces import merge_patch
from ocpi.modules.versions.enums import VersionNumber
from ocpi.store.convert import (
    CANONICAL,
    CONVERTED_MODULES,
    convert,
    from_canonical,
    to_canonical,
)
from ocpi.store.models import StoredObject
from ocpi.store.objects import Key, ObjectRepository
from ocpi.store.partners import PartnerRepository

__all__ = ["SENDER_ROLES", "ActionHandler", "SQLCrud", "StoreCore"]

#: ``handler(module, role, action, data, kwargs)`` performs what needs a charging station.
ActionHandler = Callable[
    [ModuleID, RoleEnum | None, Action, dict[str, Any] | None, dict[str, Any]], Awaitable[Any]
]

#: The role that owns the objects of each module's Sender interface.
SENDER_ROLES: dict[ModuleID, frozenset[RoleEnum]] = {
    ModuleID.locations: frozenset({RoleEnum.cpo}),
    ModuleID.sessions: frozenset({RoleEnum.cpo}),
    ModuleID.cdrs: frozenset({RoleEnum.cpo}),
    ModuleID.tariffs: frozenset({RoleEnum.cpo}),
    ModuleID.tokens: frozenset({RoleEnum.emsp}),
    ModuleID.hub_client_info: frozenset({RoleEnum.hub}),
    ModuleID.payments: frozenset({RoleEnum.ptp}),
    ModuleID.bookings: frozenset({RoleEnum.cpo}),
}
#: Hints the routers give for writes of nested objects: (keyword, list in the parent, id key).
_CHILDREN = (
    ("evse_uid", "evses", "uid"),
    ("connector_id", "connectors", "id"),
    ("calendar_id", "calendars", "id"),  # bookings: a BookingLocation's Calendars
)
_ID_FIELDS = ("id", "uid", "terminal_id", "request_id")

#: Keyword marking writes whose object belongs to the caller even on a Sender interface.
_CALLER_OWNS = "_store_caller_owns"

PREFERENCES = "charging_preferences"
COMMAND = "command"
COMMAND_RESULT = "command_result"
PROFILE_RESULT = "result"
ACTIVE_PROFILE = "active_profile"


@dataclass
class StoreCore:
    """What :class:`SQLCrud` works with (one per store)."""

    objects: ObjectRepository
    partners: PartnerRepository
    settings: Settings
    actions: ActionHandler | None = None


def _version(kwargs: dict[str, Any]) -> str:
    version = kwargs.get("version")
    if version is None:
        return CANONICAL
    return version.value if isinstance(version, VersionNumber) else str(version)


def _upper(value: Any) -> str:
    return str(value or "").upper()


def _now() -> str:
    return format_datetime(datetime.now(UTC))


def _is_ours(module: ModuleID, role: RoleEnum | None) -> bool:
    return role is not None and RoleEnum(role) in SENDER_ROLES.get(module, frozenset())


def _touch(chain: Sequence[dict[str, Any]], last_updated: Any) -> None:
    if last_updated is None:
        return
    for ancestor in chain:
        current = ancestor.get("last_updated")
        if current is None or str(current) < str(last_updated):
            ancestor["last_updated"] = last_updated


def _child(
    parent: dict[str, Any], list_key: str, id_key: str, child_id: str
) -> dict[str, Any] | None:
    for child in parent.get(list_key) or []:
        if str(child.get(id_key)) == child_id:
            found: dict[str, Any] = child
            return found
    return None


def apply_to_child(
    current: dict[str, Any],
    data: dict[str, Any],
    hints: list[tuple[str, str, str]],
    patch: dict[str, Any] | None,
) -> dict[str, Any]:
    """Apply one write to the freshest stored object (both in the request's version).

    ``hints`` are ``(child id, list key, id key)`` down to the written level. A PATCH merges
    ``patch`` into that level; a PUT of a child takes the child from ``data`` (the router's
    whole object). Ancestors' ``last_updated`` follow the change.
    """
    if not hints:
        return merge_patch(current, patch) if patch is not None else data
    chain = [current]
    source = data
    for child_id, list_key, id_key in hints[:-1]:
        node = _child(chain[-1], list_key, id_key, child_id)
        found = _child(source, list_key, id_key, child_id)
        if node is None or found is None:
            return data  # the parent vanished meanwhile: the router's object is all we have
        chain.append(node)
        source = found
    child_id, list_key, id_key = hints[-1]
    children = list(chain[-1].get(list_key) or [])
    existing = _child(chain[-1], list_key, id_key, child_id)
    if patch is not None:
        if existing is None:
            return data
        new_child = merge_patch(existing, patch)
        last_updated = patch.get("last_updated")
    else:
        put = _child(source, list_key, id_key, child_id)
        if put is None:
            return data
        new_child = put
        last_updated = put.get("last_updated")
    if existing is None:
        children.append(new_child)
    else:
        children = [new_child if c is existing else c for c in children]
    chain[-1][list_key] = children
    _touch(chain, last_updated)
    return current


class SQLCrud(Crud):
    """The store's Crud. Use the class returned by :meth:`bind` (``store.crud``)."""

    core: ClassVar[StoreCore]

    @classmethod
    def bind(cls, core: StoreCore) -> type[SQLCrud]:
        """A subclass working on ``core`` (one per store; several stores may coexist)."""
        bound: type[SQLCrud] = type(f"Bound{cls.__name__}", (cls,), {"core": core})
        return bound

    # -- helpers ------------------------------------------------------------------------------

    @staticmethod
    def _converts(module: ModuleID, kind: str) -> bool:
        """Objects kept in the canonical version (the module's main object, any token type)."""
        return module in CONVERTED_MODULES and (kind == "" or module == ModuleID.tokens)

    @classmethod
    def _serve(cls, module: ModuleID, row: StoredObject | None, version: str) -> Any:
        if row is None:
            return None
        if cls._converts(module, row.kind):
            return from_canonical(module, row.doc, version)
        return dict(row.doc)

    @classmethod
    async def _caller(
        cls, module: ModuleID, role: RoleEnum | None, kwargs: dict[str, Any]
    ) -> tuple[str | None, tuple[str, str] | None]:
        """The owner of what this call writes, and the calling partner's first party."""
        row = await cls.core.partners.by_token(kwargs.get("auth_token"))
        party = None
        if row is not None and row.parties:
            party = (row.parties[0][0], row.parties[0][1])
        if _is_ours(module, role) and not kwargs.get(_CALLER_OWNS):
            return None, party
        return (None if row is None else row.id), party

    @classmethod
    def _party(
        cls,
        module: ModuleID,
        role: RoleEnum | None,
        doc: dict[str, Any],
        kwargs: dict[str, Any],
        caller_party: tuple[str, str] | None,
    ) -> tuple[str, str]:
        cc = kwargs.get("country_code") or doc.get("country_code")
        pid = kwargs.get("party_id") or doc.get("party_id")
        if cc is None or pid is None:
            if _is_ours(module, role):
                cc = cc or cls.core.settings.COUNTRY_CODE
                pid = pid or cls.core.settings.PARTY_ID
            elif caller_party is not None:
                cc, pid = cc or caller_party[0], pid or caller_party[1]
        return _upper(cc), _upper(pid)

    @staticmethod
    def _kind(module: ModuleID, data: dict[str, Any] | None, kwargs: dict[str, Any]) -> str:
        if kwargs.get("object_type"):
            return str(kwargs["object_type"])
        if module == ModuleID.tokens:
            if data is not None and data.get("type"):
                return str(data["type"])
            return str(kwargs.get("token_type") or "RFID")
        return ""

    @staticmethod
    def _object_id(module: ModuleID, data: dict[str, Any], cc: str, pid: str) -> str:
        if module == ModuleID.hub_client_info:
            return f"{cc}*{pid}"
        for name in _ID_FIELDS:
            if data.get(name) is not None:
                return str(data[name])
        return uuid.uuid4().hex

    @classmethod
    def _document(
        cls, module: ModuleID, kind: str, data: dict[str, Any], version: str, cc: str, pid: str
    ) -> dict[str, Any]:
        if cls._converts(module, kind):
            return to_canonical(module, data, version, country_code=cc, party_id=pid)
        return dict(data)

    @classmethod
    async def _store(
        cls,
        module: ModuleID,
        role: RoleEnum | None,
        data: dict[str, Any],
        object_id: Any,
        kwargs: dict[str, Any],
    ) -> Any:
        version = _version(kwargs)
        owner, caller_party = await cls._caller(module, role, kwargs)
        cc, pid = cls._party(module, role, data, kwargs, caller_party)
        kind = cls._kind(module, data, kwargs)
        oid = str(object_id) if object_id is not None else cls._object_id(module, data, cc, pid)
        key = Key(module.value, kind, cc, pid, oid)
        converts = cls._converts(module, kind)
        stored_version = CANONICAL if converts else version
        hints = [
            (str(kwargs[param]), list_key, id_key)
            for param, list_key, id_key in _CHILDREN
            if kwargs.get(param) is not None
        ]
        patch = kwargs.get("patch")
        if not hints and patch is None:
            doc = cls._document(module, kind, data, version, cc, pid)
            await cls.core.objects.put(key, doc, owner=owner, version=stored_version)
            return data

        def change(current: dict[str, Any] | None) -> dict[str, Any]:
            # Runs inside the write transaction, on the row as it is now.
            if current is None:
                return cls._document(module, kind, data, version, cc, pid)
            served = convert(module, current, stored_version, version) if converts else current
            updated = apply_to_child(served, data, hints, patch)
            return cls._document(module, kind, updated, version, cc, pid)

        stored = await cls.core.objects.modify(key, change, owner=owner, version=stored_version)
        if stored is None:
            return None
        return from_canonical(module, stored, version) if converts else stored

    @classmethod
    async def _find(
        cls,
        module: ModuleID,
        role: RoleEnum | None,
        object_id: Any,
        kwargs: dict[str, Any],
    ) -> StoredObject | None:
        oid = str(object_id)
        cc, pid = kwargs.get("country_code"), kwargs.get("party_id")
        kind = cls._kind(module, None, kwargs)
        if cc is not None and pid is not None:
            key = Key(module.value, kind, _upper(cc), _upper(pid), oid)
            row = await cls.core.objects.get(key)
            if row is not None or module != ModuleID.tokens or kwargs.get("object_type"):
                return row
        # Tokens are keyed by uid and type; a read without ``?type=`` means RFID, but a token of
        # another type with that uid is what the partner means.
        any_type = module == ModuleID.tokens and not kwargs.get("object_type")
        party = None if cc is None or pid is None else (_upper(cc), _upper(pid))
        if _is_ours(module, role):
            owners: list[str | None] = [None]
        elif not kwargs.get("auth_token"):
            # We ask ourselves (no partner's token: an OCPP bridge looking up the Tokens eMSPs
            # pushed to us as CPO): whatever partner pushed it, the given party's first.
            return await cls.core.objects.find(
                module.value,
                oid,
                kinds=None if any_type else [kind],
                prefer_kind=kind,
                owners=[],
                prefer_party=party,
            )
        else:
            caller = await cls.core.partners.partner_id(kwargs.get("auth_token"))
            owners = [caller, None] if caller is not None else [None]
        return await cls.core.objects.find(
            module.value,
            oid,
            kinds=None if any_type else [kind],
            prefer_kind=kind,
            owners=owners,
            country_code=None if party is None else party[0],
            party_id=None if party is None else party[1],
        )

    @classmethod
    async def everything(
        cls, module: ModuleID, version: VersionNumber | str = CANONICAL
    ) -> list[tuple[StoredObject, Any]]:
        """Every stored object of ``module`` (the module's main objects, ours and received from
        partners) with its document in ``version``; for operators, not for partners."""
        wanted = str(getattr(version, "value", version))
        return [
            (row, cls._serve(module, row, wanted))
            for row in await cls.core.objects.everything(module.value)
            if row.kind == "" or module == ModuleID.tokens
        ]

    # -- the Crud contract --------------------------------------------------------------------

    @classmethod
    async def get(cls, module: ModuleID, role: RoleEnum, id: Any, *args: Any, **kwargs: Any) -> Any:
        if module == ModuleID.credentials_and_registration:
            return await cls.core.partners.credentials_for(str(id), _version(kwargs))
        row = await cls._find(module, role, id, kwargs)
        return cls._serve(module, row, _version(kwargs))

    @classmethod
    async def list(
        cls, module: ModuleID, role: RoleEnum, filters: dict[str, Any], *args: Any, **kwargs: Any
    ) -> tuple[list[Any], int, bool]:
        kind = kwargs.get("object_type")
        if kind is None and module != ModuleID.tokens:
            kind = ""
        offset, limit = int(filters.get("offset") or 0), int(filters.get("limit") or 50)
        owner = (
            None
            if _is_ours(module, role)
            else await cls.core.partners.partner_id(kwargs.get("auth_token"))
        )
        page = await cls.core.objects.page(
            module.value,
            kind=kind,
            owner=owner,
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
            offset=offset,
            limit=limit,
        )
        version = _version(kwargs)
        items = [cls._serve(module, row, version) for row in page.rows]
        return items, page.total, offset + len(items) >= page.total

    @classmethod
    async def create(
        cls, module: ModuleID, role: RoleEnum, data: dict[str, Any], *args: Any, **kwargs: Any
    ) -> Any:
        if module == ModuleID.credentials_and_registration:
            return await cls.core.partners.register(
                kwargs.get("auth_token") or "", data, _version(kwargs), kwargs.get("versions_url")
            )
        if module == ModuleID.payments and kwargs.get("activate"):
            # Activation asks the PTP (us) for a terminal; we assign its id.
            data = {**data, "terminal_id": data.get("terminal_id") or uuid.uuid4().hex}
            data.setdefault("last_updated", _now())
        if module == ModuleID.charging_profile:
            request_id = kwargs.get("request_id") or uuid.uuid4().hex
            return await cls._store(
                module, role, data, request_id, {**kwargs, "object_type": PROFILE_RESULT}
            )
        return await cls._store(module, role, data, None, kwargs)

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
        if module == ModuleID.credentials_and_registration:
            return await cls.core.partners.rotate(
                str(id), data, _version(kwargs), kwargs.get("versions_url")
            )
        if kwargs.get("charging_preferences"):
            extra = {"object_type": PREFERENCES, _CALLER_OWNS: True}
            await cls._store(module, role, data, id, {**kwargs, **extra})
            return "ACCEPTED"
        if module == ModuleID.commands:
            await cls._store(module, role, data, id, {**kwargs, "object_type": COMMAND_RESULT})
            return data
        if module == ModuleID.charging_profile:
            await cls._store(module, role, data, id, {**kwargs, "object_type": ACTIVE_PROFILE})
            return data
        return await cls._store(module, role, data, id, kwargs)

    @classmethod
    async def delete(
        cls, module: ModuleID, role: RoleEnum, id: Any, *args: Any, **kwargs: Any
    ) -> Any:
        if module == ModuleID.credentials_and_registration:
            await cls.core.partners.forget(str(id))
            return None
        row = await cls._find(module, role, id, kwargs)
        if row is None or not await cls.core.objects.delete_row(row):
            raise NotFoundOCPIError
        return None

    @classmethod
    async def do(
        cls,
        module: ModuleID,
        role: RoleEnum | None,
        action: Action,
        *args: Any,
        data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Any:
        if action == Action.authorize_token:
            return await cls._authorize(role, data or {}, kwargs)
        if action == Action.get_client_token:
            # The token to post asynchronous results to the requester with: the one we call it by.
            partner = await cls.core.partners.by_token(kwargs.get("auth_token"))
            return None if partner is None else partner.token_out
        if action == Action.send_command:
            await cls._store(
                ModuleID.commands,
                role,
                dict(data or {}, command=_value(kwargs.get("command")), received=_now()),
                uuid.uuid4().hex,
                {**kwargs, "object_type": COMMAND},
            )
        if cls.core.actions is not None:
            return await cls.core.actions(module, role, action, data, kwargs)
        if action == Action.send_command:
            return {"result": "NOT_SUPPORTED", "timeout": 0}
        if action in (
            Action.send_get_chargingprofile,
            Action.send_delete_chargingprofile,
            Action.send_update_charging_profile,
        ):
            return {"result": "NOT_SUPPORTED", "timeout": 0}
        return None

    @classmethod
    async def _authorize(
        cls, role: RoleEnum | None, data: dict[str, Any], kwargs: dict[str, Any]
    ) -> Any:
        """Whitelist semantics.

        As the eMSP (the tokens are ours) a valid token is ``ALLOWED`` and an invalid one
        ``BLOCKED``. As a CPO (an OCPP bridge asking about the tokens eMSPs pushed to us) the
        token's ``whitelist`` applies as well: ``NEVER`` means only the eMSP may decide, so the
        answer is ``None`` (ask the eMSP in real time).
        """
        version = _version(kwargs)
        token_type = str(data.get("token_type") or kwargs.get("token_type") or "RFID")
        uid = str(data.get("token_uid"))
        ours = _is_ours(ModuleID.tokens, role)
        if ours:
            row = await cls._find(ModuleID.tokens, role, uid, {**kwargs, "token_type": token_type})
        else:
            row = await cls.core.objects.find(
                ModuleID.tokens.value, uid, kinds=None, prefer_kind=token_type, owners=[]
            )
        if row is None:
            return None
        token = from_canonical(ModuleID.tokens, row.doc, version)
        if not token.get("valid", False):
            allowed = "BLOCKED"
        elif not ours and token.get("whitelist") == "NEVER":
            return None
        else:
            allowed = "ALLOWED"
        result: dict[str, Any] = {"allowed": allowed}
        if data.get("location_reference"):
            result["location"] = data["location_reference"]
        if version != VersionNumber.v_2_1_1.value:
            result["token"] = token
            result["authorization_reference"] = uuid.uuid4().hex
        return result


def _value(value: Any) -> Any:
    return getattr(value, "value", value)
