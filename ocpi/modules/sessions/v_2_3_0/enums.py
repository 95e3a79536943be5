"""Session enums of OCPI 2.3.0 (the session's own enums are unchanged from 2.2.1)."""

from __future__ import annotations

from ocpi.modules.cdrs.v_2_3_0.enums import AuthMethod, CdrDimensionType
from ocpi.modules.sessions.v_2_2_1.enums import (
    ChargingPreferencesResponse,
    ProfileType,
    SessionStatus,
)

__all__ = [
    "AuthMethod",
    "CdrDimensionType",
    "ChargingPreferencesResponse",
    "ProfileType",
    "SessionStatus",
]
