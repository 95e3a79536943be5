"""Session enums of OCPI 2.3.0 (unchanged from 2.2.1)."""

from __future__ import annotations

from ocpi.modules.sessions.v_2_2_1.enums import (
    AuthMethod,
    CdrDimensionType,
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
