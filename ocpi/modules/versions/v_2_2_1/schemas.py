"""Version details of OCPI 2.2.1: each endpoint says which interface (SENDER/RECEIVER) it is."""

from __future__ import annotations

from ocpi.core.data_types import URL, OCPIModel
from ocpi.core.enums import InterfaceRole, ModuleID
from ocpi.modules.versions.enums import VersionNumber
from ocpi.modules.versions.schemas import Version

__all__ = ["Endpoint", "InterfaceRole", "Version", "VersionDetail"]


class Endpoint(OCPIModel):
    identifier: ModuleID | str
    role: InterfaceRole
    url: URL


class VersionDetail(OCPIModel):
    version: VersionNumber | str
    endpoints: list[Endpoint]
