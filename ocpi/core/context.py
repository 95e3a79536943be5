"""The per-application context: everything a router needs, injected when routers are built.

``get_application`` creates one :class:`OCPIContext`; router factories close over it, so two
applications in one process never share settings, Crud or Authenticator.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request

from ocpi.core.authentication.authenticator import TokenOwner
from ocpi.core.authentication.verifier import TokenVerifier
from ocpi.core.config import Settings
from ocpi.core.enums import ModuleID, RoleEnum
from ocpi.modules.versions.enums import VersionNumber

__all__ = ["Caller", "OCPIContext"]


@dataclass(frozen=True, slots=True)
class Caller:
    """The authenticated partner of the current request."""

    token: str
    owner: TokenOwner


@dataclass
class OCPIContext:
    """Integrator objects and configuration of one OCPI application."""

    settings: Settings
    crud: Any
    adapter: Any
    authenticator: Any
    version_numbers: Sequence[VersionNumber]
    roles: Sequence[RoleEnum]
    modules: Sequence[ModuleID]
    verifier: TokenVerifier = field(init=False)
    #: True while the application lifespan runs.
    started: bool = False
    #: Extra outbound-client options (tests pass an httpx transport here).
    client_options: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.verifier = TokenVerifier(self.authenticator, no_auth=self.settings.NO_AUTH)

    @property
    def primary_role(self) -> RoleEnum:
        return self.roles[0] if self.roles else RoleEnum.cpo

    def public_origin(self) -> str:
        """``{PROTOCOL}://{OCPI_HOST}`` — where partners reach us."""
        return f"{self.settings.PROTOCOL}://{self.settings.OCPI_HOST.rstrip('/')}"

    def prefix_path(self) -> str:
        """``/{OCPI_PREFIX}`` (empty when no prefix is configured)."""
        prefix = self.settings.OCPI_PREFIX.strip("/")
        return f"/{prefix}" if prefix else ""

    def mount_path(self, request: Request, own_path: str) -> str:
        """The path under which our routes are served (a mount or an include prefix).

        ``own_path`` is the path of the route handling ``request`` as we registered it; whatever
        precedes it in the request path is the prefix the host application added.
        """
        path = request.url.path.rstrip("/")
        own = own_path.rstrip("/")
        return path[: -len(own)] if own and path.endswith(own) else ""

    def slash(self) -> str:
        return "/" if self.settings.TRAILING_SLASH else ""

    async def authenticate(
        self, request: Request, version: VersionNumber | None, *, allow_token_a: bool = False
    ) -> Caller:
        token, owner = await self.verifier.verify(
            request.headers.get("authorization"), version, allow_token_a=allow_token_a
        )
        return Caller(token, owner)
