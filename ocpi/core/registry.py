"""The module registry: the one place that says which module, version and interface is served by
which router. The same registry mounts the routes and produces ``/{version}/details``, so the two can
never disagree; adding a module is adding entries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from fastapi import APIRouter

from ocpi.core.context import OCPIContext
from ocpi.core.enums import InterfaceRole, ModuleID, RoleEnum
from ocpi.modules.versions.enums import VersionNumber

__all__ = ["ActiveEndpoint", "ModuleEntry", "ModuleRegistry", "RouterFactory", "default_registry"]

#: ``factory(ctx, version, role, base_path)`` builds the router of one interface. ``role`` is the
#: role we act in (``None`` for role-independent modules such as credentials).
RouterFactory = Callable[[OCPIContext, VersionNumber, RoleEnum | None, str], APIRouter]


@dataclass(frozen=True, slots=True)
class ModuleEntry:
    """One interface of one module.

    ``roles``: our roles that implement the interface (``None``: role-independent, served once per
    version). ``interfaces``: what ``/details`` advertises for it (credentials is both).
    ``always``: served even when the application's ``modules`` list omits it.
    """

    module: ModuleID
    interfaces: tuple[InterfaceRole, ...]
    versions: frozenset[VersionNumber]
    roles: frozenset[RoleEnum] | None
    factory: RouterFactory
    always: bool = False


@dataclass(frozen=True, slots=True)
class ActiveEndpoint:
    entry: ModuleEntry
    version: VersionNumber
    role: RoleEnum | None
    #: Path relative to the application root, e.g. ``/ocpi/cpo/2.2.1/locations``.
    path: str


class ModuleRegistry:
    """An ordered collection of :class:`ModuleEntry`."""

    def __init__(self, entries: Iterable[ModuleEntry] = ()) -> None:
        self._entries: list[ModuleEntry] = list(entries)

    def register(self, entry: ModuleEntry) -> None:
        self._entries.append(entry)

    @property
    def entries(self) -> tuple[ModuleEntry, ...]:
        return tuple(self._entries)

    def modules_for(self, version: VersionNumber) -> set[ModuleID]:
        return {entry.module for entry in self._entries if version in entry.versions}

    def active(
        self,
        ctx: OCPIContext,
        version: VersionNumber,
    ) -> list[ActiveEndpoint]:
        """The endpoints served for ``version`` given the context's roles and modules."""
        prefix = ctx.prefix_path()
        wanted = set(ctx.modules)
        result: list[ActiveEndpoint] = []
        for entry in self._entries:
            if version not in entry.versions:
                continue
            if not entry.always and entry.module not in wanted:
                continue
            if entry.roles is None:
                path = f"{prefix}/{version.value}/{entry.module.value}"
                result.append(ActiveEndpoint(entry, version, None, path))
                continue
            for role in _ordered(ctx.roles, entry.roles):
                path = f"{prefix}/{role.value.lower()}/{version.value}/{entry.module.value}"
                result.append(ActiveEndpoint(entry, version, role, path))
        return result


def _ordered(roles: Sequence[RoleEnum], allowed: frozenset[RoleEnum]) -> list[RoleEnum]:
    return [role for role in dict.fromkeys(roles) if role in allowed]


def default_registry() -> ModuleRegistry:
    """The registry of every module this library implements."""
    from ocpi.modules.bookings.router import ENTRIES as bookings
    from ocpi.modules.cdrs.router import ENTRIES as cdrs
    from ocpi.modules.chargingprofiles.router import ENTRIES as chargingprofiles
    from ocpi.modules.commands.router import ENTRIES as commands
    from ocpi.modules.credentials.router import ENTRIES as credentials
    from ocpi.modules.hubclientinfo.router import ENTRIES as hubclientinfo
    from ocpi.modules.locations.router import ENTRIES as locations
    from ocpi.modules.payments.router import ENTRIES as payments
    from ocpi.modules.sessions.router import ENTRIES as sessions
    from ocpi.modules.tariffs.router import ENTRIES as tariffs
    from ocpi.modules.tokens.router import ENTRIES as tokens

    return ModuleRegistry(
        [
            *credentials,
            *locations,
            *sessions,
            *cdrs,
            *tariffs,
            *tokens,
            *hubclientinfo,
            *payments,
            *bookings,
            *commands,
            *chargingprofiles,
        ]
    )
