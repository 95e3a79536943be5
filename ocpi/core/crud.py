"""The integrator's data access contract.

Subclass :class:`Crud` and pass the class (classmethods) or an instance to
:func:`ocpi.get_application`. The library calls these methods with the OCPI module, the role it is
acting in and keyword arguments describing the request:

* always: ``version`` (:class:`~ocpi.modules.versions.enums.VersionNumber`) and ``auth_token``
  (the caller's credentials token, decoded);
* where they apply: ``country_code``, ``party_id``, ``token_type``, ``command``, ``command_data``,
  ``session_id``, ``duration``, ``response_url``, ``charging_profile``;
* ``routing`` (:class:`~ocpi.core.routing.RoutingHeaders`) when a hub sent routing headers.

Raise :class:`~ocpi.core.exceptions.NotFoundOCPIError` (or return ``None`` from ``get``) for unknown
objects; any :class:`~ocpi.core.exceptions.OCPIError` becomes the matching OCPI response.

Example::

    class MyCrud(Crud):
        @classmethod
        async def get(cls, module, role, id, *args, **kwargs):
            return await db.fetch(module, id)
        ...
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from ocpi.core.enums import Action, ModuleID, RoleEnum

__all__ = ["Crud"]


class Crud(ABC):
    """Abstract data access used by every OCPI module."""

    @classmethod
    @abstractmethod
    async def get(cls, module: ModuleID, role: RoleEnum, id: Any, *args: Any, **kwargs: Any) -> Any:
        """Return one object (or ``None`` when it does not exist)."""

    @classmethod
    @abstractmethod
    async def list(
        cls, module: ModuleID, role: RoleEnum, filters: dict[str, Any], *args: Any, **kwargs: Any
    ) -> tuple[list[Any], int, bool]:
        """Return ``(items, total, is_last_page)``.

        ``filters`` holds ``date_from`` / ``date_to`` (``datetime`` or ``None``; from inclusive, to
        exclusive), ``offset`` and ``limit`` (already capped to the server maximum). Return items
        oldest ``last_updated`` first so pages stay stable.
        """

    @classmethod
    @abstractmethod
    async def create(
        cls, module: ModuleID, role: RoleEnum, data: dict[str, Any], *args: Any, **kwargs: Any
    ) -> Any:
        """Create an object and return it.

        For the credentials module ``data`` is ``{"credentials": ..., "endpoints": ...}``: store the
        partner's token and endpoints, issue a new token C, invalidate the token A the request
        used (``auth_token``) and return our credentials carrying the new token.
        """

    @classmethod
    @abstractmethod
    async def update(
        cls,
        module: ModuleID,
        role: RoleEnum,
        data: dict[str, Any],
        id: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        """Update (or upsert, for PUT) an object and return it."""

    @classmethod
    @abstractmethod
    async def delete(
        cls, module: ModuleID, role: RoleEnum, id: Any, *args: Any, **kwargs: Any
    ) -> Any:
        """Delete an object."""

    @classmethod
    @abstractmethod
    async def do(
        cls,
        module: ModuleID,
        role: RoleEnum | None,
        action: Action,
        *args: Any,
        data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Any:
        """Perform a non-CRUD action (send a command, authorize a token, ...)."""
