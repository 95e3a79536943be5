"""CDR enums of OCPI 2.3.0 (unchanged from 2.2.1)."""

from __future__ import annotations

from ocpi.modules.cdrs.v_2_2_1.enums import AuthMethod, CdrDimensionType

__all__ = ["AuthMethod", "CdrDimensionType"]
