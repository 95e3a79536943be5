"""String aliases the token, command and payment schemas need and ``ocpi.core.data_types`` lacks.

They are meant to move into ``ocpi.core.data_types``; until then the schemas of these modules
import them from here (``String39`` comes from ``ocpi.modules.locations.schemas`` likewise).
The ``CiString`` ones reuse the core ASCII check by narrowing a core alias.
"""

from __future__ import annotations

from ocpi.core.data_types import (
    CiString10,
    CiString45,
    CiString255NonEmpty,
    String2,
)

__all__ = ["CiString10", "CiString45", "CiString255NonEmpty", "String2"]
