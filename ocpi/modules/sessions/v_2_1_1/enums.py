"""Session enums of OCPI 2.1.1."""

from __future__ import annotations

from enum import Enum

from ocpi.modules.cdrs.v_2_1_1.enums import AuthMethod, CdrDimensionType

__all__ = ["AuthMethod", "CdrDimensionType", "SessionStatus"]


class SessionStatus(str, Enum):
    active = "ACTIVE"
    completed = "COMPLETED"
    invalid = "INVALID"
    pending = "PENDING"
