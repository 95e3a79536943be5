"""Credentials of OCPI 2.2.1: a platform lists the roles it provides."""

from __future__ import annotations

from pydantic import Field

from ocpi.core.data_types import URL, OCPIModel, String64
from ocpi.modules.credentials.schemas import CredentialsRole
from ocpi.modules.locations.schemas import BusinessDetails

__all__ = ["BusinessDetails", "Credentials", "CredentialsRole"]


class Credentials(OCPIModel):
    token: String64
    url: URL
    roles: list[CredentialsRole] = Field(min_length=1)
