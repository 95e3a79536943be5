"""A Hub and a CPO connected over real HTTP: the Hub pushes the connection state of other parties
to the CPO, reads one back, and the CPO pulls the Hub's full list.

Run it: ``python -m examples.hubclientinfo_example``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from examples.platform_pair import running_pair
from ocpi import ModuleID, RoleEnum
from ocpi.modules.hubclientinfo.client import get_client_info, pull_client_infos, put_client_info


async def main() -> dict[str, Any]:
    async with running_pair(
        (RoleEnum.hub, "HUB"), (RoleEnum.cpo, "CPO"), [ModuleID.hub_client_info]
    ) as pair:
        hub, to_cpo, to_hub = pair.a, pair.to_b, pair.to_a
        # --8<-- [start:push]
        # Hub side: tell the CPO that the eMSP NL/MSP is online, and check what the CPO stored.
        msp = {
            "country_code": "NL",
            "party_id": "MSP",
            "role": "EMSP",
            "status": "CONNECTED",
            "last_updated": "2025-03-01T10:00:00Z",
        }
        await put_client_info(to_cpo, msp)
        at_cpo = await get_client_info(to_cpo, "NL", "MSP")
        # --8<-- [end:push]

        # The Hub's own list (kept by its Crud; here the in-memory backend).
        for party, status in (("MSP", "CONNECTED"), ("NEW", "PLANNED"), ("OLD", "SUSPENDED")):
            hub.objects[(ModuleID.hub_client_info, f"NL*{party}")] = {
                **msp,
                "party_id": party,
                "status": status,
            }
        # --8<-- [start:pull]
        # CPO side: fetch every ClientInfo the Hub knows (all pages).
        parties = {info["party_id"]: info["status"] async for info in pull_client_infos(to_hub)}
        # --8<-- [end:pull]
    result = {"status_at_cpo": at_cpo["status"], "parties": parties}
    print(result)
    return result


if __name__ == "__main__":
    asyncio.run(main())
