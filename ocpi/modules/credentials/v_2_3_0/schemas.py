"""Credentials of OCPI 2.3.0: 2.2.1 plus the optional ``hub_party_id``."""

from __future__ import annotations

from ocpi.core.data_types import CiString5
from ocpi.modules.credentials.schemas import CredentialsRole
from ocpi.modules.credentials.v_2_2_1 import schemas as v221
from ocpi.modules.locations.schemas import BusinessDetails

__all__ = ["BusinessDetails", "Credentials", "CredentialsRole"]


class Credentials(v221.Credentials):
    hub_party_id: CiString5 | None = None
