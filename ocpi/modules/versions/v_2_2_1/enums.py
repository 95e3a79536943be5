"""Version enums (the same in every version)."""

from __future__ import annotations

from ocpi.core.enums import InterfaceRole, ModuleID
from ocpi.modules.versions.enums import VersionNumber

__all__ = ["InterfaceRole", "ModuleID", "VersionNumber"]
