"""Commands between an eMSP and a CPO over real HTTP (both on the in-memory reference backend).

The eMSP asks the CPO to start a session; the CPO's Crud accepts it at once; later the CPO's
integrator code (here: a pretend charge point) reports what happened with one call, and the result
arrives at the eMSP's commands endpoint. A second command is never completed: after the timeout
the CPO answered with, the eMSP receives ``TIMEOUT``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from examples.loopback import free_port, serve, shutdown
from examples.memory_backend import create_app
from ocpi import ModuleID, OCPIClient, PartnerClient, RoleEnum, Settings, VersionNumber
from ocpi.modules.commands import command_response_url, complete_command, send_command
from ocpi.modules.commands.v_2_2_1.enums import CommandResultType, CommandType
from ocpi.modules.commands.v_2_2_1.schemas import CommandResult, StartSession, StopSession

MODULES = [ModuleID.commands, ModuleID.locations]
TOKEN = {
    "country_code": "DE",
    "party_id": "MSP",
    "uid": "APP-USER-1",
    "type": "APP_USER",
    "contract_id": "DE-MSP-C00000001-X",
    "issuer": "Example MSP",
    "valid": True,
    "whitelist": "NEVER",
    "last_updated": "2024-06-01T12:00:00Z",
}


def platform(role: RoleEnum, party: str, port: int) -> tuple[Any, Any]:
    settings = Settings(
        OCPI_HOST=f"127.0.0.1:{port}", PROTOCOL="http", COUNTRY_CODE="NL", PARTY_ID=party
    )
    return create_app(settings, [role], [VersionNumber.v_2_2_1], MODULES)


async def main() -> dict[str, Any]:
    cpo_port, emsp_port = free_port(), free_port()
    cpo_app, cpo = platform(RoleEnum.cpo, "CPO", cpo_port)
    emsp_app, emsp = platform(RoleEnum.emsp, "MSP", emsp_port)
    cpo.objects[(ModuleID.locations, "LOC1")] = {"id": "LOC1"}
    servers = [await serve(cpo_app, cpo_port), await serve(emsp_app, emsp_port)]
    try:
        partner = await emsp.register_with(
            f"http://127.0.0.1:{cpo_port}/ocpi/versions", cpo.new_token_a()
        )
        async with OCPIClient() as client:
            cpo_client = PartnerClient(
                client, partner.version, partner.endpoints, partner.token_out
            )

            # --8<-- [start:send]
            # eMSP side: a response_url on our own commands endpoint, then the command.
            url = command_response_url(emsp_app, "2.2.1", CommandType.start_session, "start-1")
            start = StartSession(response_url=url, token=TOKEN, location_id="LOC1")
            answer = await send_command(cpo_client, CommandType.start_session, start)
            # answer == {"result": "ACCEPTED", "timeout": 5}: the CPO passed it on
            # --8<-- [end:send]

            # --8<-- [start:complete]
            # CPO side: the Crud received Action.send_command with response_url=url; when the
            # charge point has answered, one call posts the CommandResult to the eMSP.
            result = CommandResult(result=CommandResultType.accepted)
            posted = await complete_command(cpo_app, url, result)
            # --8<-- [end:complete]

            # --8<-- [start:timeout]
            # A command nobody completes: the CPO advertised 0.2 s, then TIMEOUT is posted.
            cpo.objects[(ModuleID.commands, "response")] = {"result": "ACCEPTED", "timeout": 0.2}
            late = command_response_url(emsp_app, "2.2.1", CommandType.stop_session, "stop-1")
            await send_command(
                cpo_client,
                CommandType.stop_session,
                StopSession(response_url=late, session_id="SESSION1"),
            )
            await asyncio.sleep(0.5)
            # --8<-- [end:timeout]

        return {
            "answer": answer,
            "posted": posted,
            "result_at_emsp": emsp.objects[(ModuleID.commands, "start-1")],
            "timeout_at_emsp": emsp.objects[(ModuleID.commands, "stop-1")],
        }
    finally:
        await shutdown(servers)


if __name__ == "__main__":
    print(asyncio.run(main()))
