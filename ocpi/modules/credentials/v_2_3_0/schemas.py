"""Credentials of OCPI 2.3.0: 2.2.1's shape plus the optional ``hub_party_id``; business details
use 2.3.0's image category, which is an open enum."""

from __future__ import annotations

from pydantic import Field

from ocpi.core.data_types import URL, CiString2, CiString3, CiString5, OCPIModel, String64
from ocpi.core.enums import RoleEnum
from ocpi.modules.locations.v_2_3_0.schemas import BusinessDetails

__all__ = ["BusinessDetails", "Credentials", "CredentialsRole"]


class CredentialsRole(OCPIModel):
    role: RoleEnum | str
    business_details: BusinessDetails
    party_id: CiString3
    country_code: CiString2


class Credentials(OCPIModel):
    token: String64
    url: URL
    hub_party_id: CiString5 | None = None
    roles: list[CredentialsRole] = Field(min_length=1)
