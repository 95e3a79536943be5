"""Version information shared by every version."""

from __future__ import annotations

from ocpi.core.data_types import URL, OCPIModel
from ocpi.modules.versions.enums import VersionNumber

__all__ = ["Version"]


class Version(OCPIModel):
    """One entry of ``GET /versions``. Unknown version strings from partners are kept as text."""

    version: VersionNumber | str
    url: URL
