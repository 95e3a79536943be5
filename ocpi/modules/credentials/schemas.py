"""Credentials classes shared by 2.2.1 and 2.3.0."""

from __future__ import annotations

from ocpi.core.data_types import CiString2, CiString3, OCPIModel
from ocpi.core.enums import RoleEnum
from ocpi.modules.locations.schemas import BusinessDetails

__all__ = ["CredentialsRole"]


class CredentialsRole(OCPIModel):
    """One role a platform provides (2.2+); unknown role names are kept as text."""

    role: RoleEnum | str
    business_details: BusinessDetails
    party_id: CiString3
    country_code: CiString2
