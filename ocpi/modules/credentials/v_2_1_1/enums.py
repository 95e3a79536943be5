"""Credentials enums (roles are the core ``RoleEnum``)."""

from __future__ import annotations

from ocpi.core.enums import RoleEnum

__all__ = ["RoleEnum"]
