"""Hub client info enums of this version (shared with the other versions)."""

from __future__ import annotations

from ocpi.core.enums import RoleEnum
from ocpi.modules.hubclientinfo.enums import ConnectionStatus

__all__ = ["ConnectionStatus", "RoleEnum"]
