"""A CPO in a box: an OCPP charging station roaming to an eMSP over OCPI, with no glue code.

One process runs two platforms on 127.0.0.1:

* the CPO: the OCPI application with the OCPP gateway and the bridge, on the in-memory
  reference backend;
* an eMSP: a second OCPI application, which registers with the CPO (credentials handshake).

A simulated OCPP 1.6 station connects to the CPO. The eMSP sees its Location, pushes a Token,
starts a session with a START_SESSION command, receives the Session updates, stops it and gets
the CDR, priced with the station's tariff. Run it::

    python -m examples.cpo_in_a_box
"""

from __future__ import annotations

import asyncio
from typing import Any

from examples.loopback import free_port, serve, shutdown
from examples.memory_backend import (
    MemoryPartnerDirectory,
    MemoryStore,
    create_app,
    make_authenticator,
    make_crud,
)
from ocpi import ModuleID, OCPIClient, PartnerClient, RoleEnum, Settings, VersionNumber
from ocpi.modules.commands import command_response_url, send_command
from ocpp_gw import GatewaySettings, OCPPGateway
from ocpp_gw.bridge import Bridge, BridgeSettings, StationConfig
from ocpp_gw.simulator import SimulatedStation

MODULES = [
    ModuleID.locations,
    ModuleID.sessions,
    ModuleID.cdrs,
    ModuleID.tariffs,
    ModuleID.tokens,
    ModuleID.commands,
    ModuleID.charging_profile,
]
VERSION = VersionNumber.v_2_2_1

# --8<-- [start:tariff]
#: 0.30 per kWh plus 21 % VAT.
TARIFF = {
    "country_code": "NL",
    "party_id": "CPO",
    "id": "AC-STANDARD",
    "currency": "EUR",
    "elements": [
        {"price_components": [{"type": "ENERGY", "price": 0.30, "vat": 21.0, "step_size": 1}]}
    ],
    "last_updated": "2026-01-01T00:00:00Z",
}
# --8<-- [end:tariff]


def build_cpo(port: int) -> tuple[Any, Bridge, MemoryStore]:
    """The CPO: OCPI app + OCPP gateway + bridge on the in-memory backend."""
    # --8<-- [start:cpo]
    settings = Settings(
        OCPI_HOST=f"127.0.0.1:{port}", PROTOCOL="http", COUNTRY_CODE="NL", PARTY_ID="CPO"
    )
    store = MemoryStore(settings, [RoleEnum.cpo])  # your store: a Crud + an Authenticator
    gateway = OCPPGateway(settings=GatewaySettings(accept_unknown_chargers=True))
    bridge = Bridge(
        gateway=gateway,
        crud=make_crud(store),
        directory=MemoryPartnerDirectory(store),  # who the roaming partners are
        settings=BridgeSettings(session_patch_interval=1.0),
    )
    app = bridge.application(  # get_application(crud=bridge.crud, ocpp_gateway=...) + attach
        version_numbers=[VERSION],
        modules=MODULES,
        authenticator=make_authenticator(store),
        settings=settings,
    )
    # --8<-- [end:cpo]
    return app, bridge, store


async def main() -> dict[str, Any]:
    cpo_port, emsp_port = free_port(), free_port()
    cpo_app, bridge, cpo_store = build_cpo(cpo_port)
    cpo_store.objects[(ModuleID.tariffs, TARIFF["id"])] = dict(TARIFF)
    emsp_app, emsp_store = create_app(
        Settings(
            OCPI_HOST=f"127.0.0.1:{emsp_port}",
            PROTOCOL="http",
            COUNTRY_CODE="DE",
            PARTY_ID="MSP",
        ),
        [RoleEnum.emsp],
        [VERSION],
        MODULES,
    )
    servers = [await serve(cpo_app, cpo_port), await serve(emsp_app, emsp_port)]
    try:
        # The eMSP registers with the CPO (the CPO handed it a token A).
        partner = await emsp_store.register_with(
            f"http://127.0.0.1:{cpo_port}/ocpi/versions", cpo_store.new_token_a()
        )
        # --8<-- [start:configure]
        await bridge.configure(
            "CP-1",
            StationConfig(
                location_id="UTRECHT-CENTRAAL",
                name="Station Square",
                address="Stationsplein 1",
                city="Utrecht",
                postal_code="3511 ED",
                latitude="52.089444",
                longitude="5.110278",
                tariff_ids=["AC-STANDARD"],
            ),
        )
        # --8<-- [end:configure]
        url = f"ws://127.0.0.1:{cpo_port}/ocpp"
        async with (
            SimulatedStation(url, "CP-1", "1.6", power_w=0.0) as station,
            OCPIClient() as client,
        ):
            await station.boot()
            location = await wait_for(emsp_store, ModuleID.locations, "UTRECHT-CENTRAAL")
            to_cpo = PartnerClient(client, partner.version, partner.endpoints, partner.token_out)
            # --8<-- [start:start]
            token = {
                "country_code": "DE",
                "party_id": "MSP",
                "uid": "04A1B2C3",
                "type": "RFID",
                "contract_id": "DE-MSP-C00001-X",
                "issuer": "MSP",
                "valid": True,
                "whitelist": "ALLOWED",
                "last_updated": "2026-01-01T00:00:00Z",
            }
            await to_cpo.put(ModuleID.tokens, token, "DE", "MSP", token["uid"])
            station.connectors[1].meter_wh = 2000.0  # the station's meter before charging
            answer = await send_command(
                to_cpo,
                "START_SESSION",
                {
                    "response_url": command_response_url(emsp_app, VERSION, "START_SESSION", "s1"),
                    "token": token,
                    "location_id": "UTRECHT-CENTRAAL",
                    "evse_uid": "CP-1-1",
                },
            )
            # --8<-- [end:start]
            started = await wait_for(emsp_store, ModuleID.commands, "s1")
            session = await wait_session(emsp_store)
            station.connectors[1].meter_wh = 22000.0  # 20 kWh later
            stop = command_response_url(emsp_app, VERSION, "STOP_SESSION", "s2")
            await send_command(
                to_cpo, "STOP_SESSION", {"response_url": stop, "session_id": session["id"]}
            )
            cdr = await wait_for(emsp_store, ModuleID.cdrs, session["id"])
            await bridge.outbox.join()
        print(f"CDR {cdr['id']}: {cdr['total_energy']} kWh, {cdr['total_cost']}")
        return {
            "location": emsp_store.objects[(ModuleID.locations, location["id"])],
            "start_answer": answer,
            "start_result": started,
            "session": emsp_store.objects[(ModuleID.sessions, session["id"])],
            "cdr": cdr,
        }
    finally:
        await shutdown(servers)


async def wait_for(store: MemoryStore, module: ModuleID, key: str) -> dict[str, Any]:
    """What the eMSP's store holds under ``key``, once it arrived."""
    for _ in range(500):
        found = store.objects.get((module, key))
        if found is not None:
            return found
        await asyncio.sleep(0.01)
    raise TimeoutError(f"no {module.value} {key}")


async def wait_session(store: MemoryStore) -> dict[str, Any]:
    for _ in range(500):
        for (module, _), item in store.objects.items():
            if module == ModuleID.sessions:
                return item
        await asyncio.sleep(0.01)
    raise TimeoutError("no session")


if __name__ == "__main__":
    asyncio.run(main())
