"""Credentials of OCPI 2.1.1: one party per platform, no roles list."""

from __future__ import annotations

from ocpi.core.data_types import URL, CiString2, CiString3, OCPIModel, String64
from ocpi.modules.locations.schemas import BusinessDetails

__all__ = ["BusinessDetails", "Credentials"]


class Credentials(OCPIModel):
    token: String64
    url: URL
    business_details: BusinessDetails
    party_id: CiString3
    country_code: CiString2
