"""Version identifiers (``VersionNumber`` is part of the public contract)."""

from __future__ import annotations

from enum import Enum

from ocpi.core.enums import InterfaceRole

__all__ = ["InterfaceRole", "VersionNumber"]


class VersionNumber(str, Enum):
    """OCPI versions. ``latest`` is an alias of the newest version this library serves."""

    v_2_0 = "2.0"
    v_2_1 = "2.1"
    v_2_1_1 = "2.1.1"
    v_2_2 = "2.2"
    v_2_2_1 = "2.2.1"
    v_2_3_0 = "2.3.0"
    latest = "2.3.0"
