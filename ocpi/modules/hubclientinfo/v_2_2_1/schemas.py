"""Hub client info classes of this version (shared with the other versions)."""

from __future__ import annotations

from ocpi.modules.hubclientinfo.schemas import ClientInfo

__all__ = ["ClientInfo"]
