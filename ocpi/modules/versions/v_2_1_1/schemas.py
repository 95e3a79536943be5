"""Version details of OCPI 2.1.1: endpoints carry no interface role."""

from __future__ import annotations

from ocpi.core.data_types import URL, OCPIModel
from ocpi.core.enums import ModuleID
from ocpi.modules.versions.enums import VersionNumber
from ocpi.modules.versions.schemas import Version

__all__ = ["Endpoint", "Version", "VersionDetail"]


class Endpoint(OCPIModel):
    identifier: ModuleID | str
    url: URL


class VersionDetail(OCPIModel):
    version: VersionNumber | str
    endpoints: list[Endpoint]
