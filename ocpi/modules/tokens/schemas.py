"""String aliases the token, command and payment schemas need and ``ocpi.core.data_types`` lacks.

They are meant to move into ``ocpi.core.data_types``; until then the schemas of these modules
import them from here (``String39`` comes from ``ocpi.modules.locations.schemas`` likewise).
The ``CiString`` ones reuse the core ASCII check by narrowing a core alias.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from ocpi.core.data_types import CiString15, CiString48, CiString255

__all__ = ["CiString10", "CiString45", "CiString255NonEmpty", "String2"]

String2 = Annotated[str, StringConstraints(max_length=2)]

CiString10 = Annotated[CiString15, StringConstraints(max_length=10)]
CiString45 = Annotated[CiString48, StringConstraints(max_length=45)]
CiString255NonEmpty = Annotated[CiString255, StringConstraints(min_length=1)]
"""``CiString[1..255]`` of the payments module."""
