"""Version details of OCPI 2.3.0: unchanged from 2.2.1."""

from __future__ import annotations

from ocpi.modules.versions.v_2_2_1.schemas import Endpoint, InterfaceRole, Version, VersionDetail

__all__ = ["Endpoint", "InterfaceRole", "Version", "VersionDetail"]
