"""Calling a partner's hubclientinfo endpoints.

A Hub pushes ClientInfo objects to the parties connected to it and may read them back; a
connected party pulls the Hub's full list when it is unsure its copy is complete::

    await put_client_info(to_party, {"country_code": "NL", "party_id": "ALL", "role": "CPO",
                                     "status": "CONNECTED", "last_updated": now})
    parties = [info async for info in pull_client_infos(to_hub)]
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from datetime import datetime
from typing import Any

from ocpi.core.client import OCPIResult
from ocpi.core.enums import InterfaceRole, ModuleID
from ocpi.core.interfaces import dump
from ocpi.core.partner import PartnerClient

__all__ = ["get_client_info", "pull_client_infos", "put_client_info"]

_MODULE = ModuleID.hub_client_info


async def pull_client_infos(
    hub: PartnerClient,
    *,
    date_from: datetime | None = None,
    date_to: datetime | None = None,
    limit: int | None = None,
) -> AsyncIterator[Any]:
    """Every ClientInfo of the Hub's Sender list, following the pages."""
    async for info in hub.pull(_MODULE, date_from=date_from, date_to=date_to, limit=limit):
        yield info


async def put_client_info(party: PartnerClient, client_info: Mapping[str, Any] | Any) -> OCPIResult:
    """(Hub) push one ClientInfo to a connected party; the URL is taken from the object."""
    data = dump(client_info)
    return await party.put(_MODULE, data, data["country_code"], data["party_id"])


async def get_client_info(party: PartnerClient, country_code: str, party_id: str) -> Any:
    """(Hub) read back the ClientInfo a connected party stores for ``country_code/party_id``."""
    return await party.get(_MODULE, country_code, party_id, interface=InterfaceRole.receiver)
