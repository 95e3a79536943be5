"""Smart charging between an eMSP and a CPO over real HTTP (in-memory reference backend, 2.2.1).

The eMSP sets a charging profile on a running session and asks for the ActiveChargingProfile;
the CPO accepts each request at once and reports the charge point's answer later with one call.
Then the CPO pushes an updated ActiveChargingProfile to the eMSP.
"""

from __future__ import annotations

import asyncio
from typing import Any

from examples.loopback import free_port, serve, shutdown
from examples.memory_backend import create_app
from ocpi import ModuleID, OCPIClient, PartnerClient, RoleEnum, Settings, VersionNumber
from ocpi.modules.chargingprofiles import (
    charging_profile_response_url,
    complete_charging_profile,
    get_active_charging_profile,
    push_active_charging_profile,
    set_charging_profile,
)
from ocpi.modules.chargingprofiles.schemas import (
    ActiveChargingProfile,
    ActiveChargingProfileResult,
    ChargingProfile,
    ChargingProfilePeriod,
)

MODULES = [ModuleID.charging_profile, ModuleID.sessions]
NOW = "2024-06-01T12:00:00Z"


def platform(role: RoleEnum, party: str, port: int) -> tuple[Any, Any]:
    settings = Settings(
        OCPI_HOST=f"127.0.0.1:{port}", PROTOCOL="http", COUNTRY_CODE="NL", PARTY_ID=party
    )
    return create_app(settings, [role], [VersionNumber.v_2_2_1], MODULES)


async def main() -> dict[str, Any]:
    cpo_port, emsp_port = free_port(), free_port()
    cpo_app, cpo = platform(RoleEnum.cpo, "CPO", cpo_port)
    emsp_app, emsp = platform(RoleEnum.emsp, "MSP", emsp_port)
    cpo.objects[(ModuleID.sessions, "SESSION1")] = {"id": "SESSION1"}  # a running session
    servers = [await serve(cpo_app, cpo_port), await serve(emsp_app, emsp_port)]
    try:
        partner = await emsp.register_with(
            f"http://127.0.0.1:{cpo_port}/ocpi/versions", cpo.new_token_a()
        )
        (cpo_view,) = cpo.partners.values()
        async with OCPIClient() as client:
            to_cpo = PartnerClient(client, partner.version, partner.endpoints, partner.token_out)
            to_emsp = PartnerClient(
                client, cpo_view.version, cpo_view.endpoints, cpo_view.token_out
            )

            # --8<-- [start:set]
            # eMSP side: limit the session to 11 kW; the result will come to our response_url.
            profile = ChargingProfile(
                charging_rate_unit="W",
                charging_profile_period=[ChargingProfilePeriod(start_period=0, limit=11000)],
            )
            url = charging_profile_response_url(emsp_app, "2.2.1", "set-1", kind="chargingprofile")
            answer = await set_charging_profile(to_cpo, "SESSION1", profile, url)
            # answer == {"result": "ACCEPTED", "timeout": 5}
            # --8<-- [end:set]

            # --8<-- [start:complete]
            # CPO side: the Crud received Action.send_update_charging_profile; when the charge
            # point answered, one call posts the ChargingProfileResult to the eMSP.
            await complete_charging_profile(cpo_app, url, "ACCEPTED")
            # --8<-- [end:complete]

            # --8<-- [start:get]
            # eMSP side: what will the charge point do in the next 15 minutes?
            url = charging_profile_response_url(
                emsp_app, "2.2.1", "get-1", kind="activechargingprofile"
            )
            await get_active_charging_profile(to_cpo, "SESSION1", 900, url)
            # CPO side: the charge point's schedule, posted as ActiveChargingProfileResult.
            active = ActiveChargingProfile(start_date_time=NOW, charging_profile=profile)
            result = ActiveChargingProfileResult(result="ACCEPTED", profile=active)
            await complete_charging_profile(cpo_app, url, result)
            # --8<-- [end:get]

            # --8<-- [start:push]
            # CPO side: a local limit changed the schedule; tell the eMSP.
            await push_active_charging_profile(to_emsp, "SESSION1", active)
            # --8<-- [end:push]

        return {
            "answer": answer,
            "result_at_emsp": emsp.objects[(ModuleID.charging_profile, "set-1")],
            "active_result_at_emsp": emsp.objects[(ModuleID.charging_profile, "get-1")],
            "active_at_emsp": emsp.objects[(ModuleID.charging_profile, "SESSION1")],
        }
    finally:
        await shutdown(servers)


if __name__ == "__main__":
    print(asyncio.run(main()))
