"""Hub client info classes (the same in 2.2.1 and 2.3.0)."""

from __future__ import annotations

from ocpi.core.data_types import CiString2, CiString3, DateTime, OCPIModel
from ocpi.core.enums import RoleEnum
from ocpi.modules.hubclientinfo.enums import ConnectionStatus

__all__ = ["ClientInfo"]


class ClientInfo(OCPIModel):
    """A party connected through a hub and the state of that connection.

    ``role`` uses the contract's ``RoleEnum``, which holds the roles of every version.

    Example::

        ClientInfo(party_id="ALL", country_code="NL", role=RoleEnum.cpo,
                   status=ConnectionStatus.planned, last_updated="2019-01-28T12:00:00Z")
    """

    party_id: CiString3
    country_code: CiString2
    role: RoleEnum
    status: ConnectionStatus
    last_updated: DateTime
