"""A CPO and an eMSP on the built-in store (SQLite files), talking over real HTTP.

* both platforms get their Crud and Authenticator from :func:`ocpi.store.create_store`;
* the CPO's operator issues a token A, the eMSP's operator registers with it;
* the CPO's integrator stores a Location in 2.1.1 shape; the eMSP pulls it in 2.2.1;
* the eMSP unregisters, and the CPO forgets its tokens.

Every section is included in ``docs/store.md``. Run it with ``python -m examples.store_example``.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any

from examples.loopback import free_port, serve, shutdown
from ocpi import ModuleID, OCPIClient, RoleEnum, Settings, VersionNumber, get_application
from ocpi.store import Store, create_store

VERSIONS = [VersionNumber.v_2_1_1, VersionNumber.v_2_2_1]
MODULES = [ModuleID.locations, ModuleID.tariffs, ModuleID.sessions, ModuleID.cdrs]
NOW = "2024-06-01T12:00:00Z"


def platform(role: RoleEnum, party: str, port: int, directory: Path) -> tuple[Any, Store]:
    # --8<-- [start:create]
    settings = Settings(
        OCPI_HOST=f"127.0.0.1:{port}", PROTOCOL="http", COUNTRY_CODE="NL", PARTY_ID=party
    )
    store = create_store(
        f"sqlite+aiosqlite:///{directory / f'{party.lower()}.sqlite3'}",
        settings,
        roles=[role],
        versions=VERSIONS,
    )
    app = get_application(
        version_numbers=VERSIONS,
        roles=[role],
        crud=store.crud,
        modules=MODULES,
        authenticator=store.authenticator,
        settings=settings,
    )
    # --8<-- [end:create]
    return app, store


LOCATION_211 = {
    "id": "LOC1",
    "type": "ON_STREET",
    "address": "Stationsplein 1",
    "city": "Utrecht",
    "postal_code": "3511",
    "country": "NLD",
    "coordinates": {"latitude": "52.089", "longitude": "5.110"},
    "evses": [
        {
            "uid": "E1",
            "status": "AVAILABLE",
            "connectors": [
                {
                    "id": "1",
                    "standard": "IEC_62196_T2",
                    "format": "SOCKET",
                    "power_type": "AC_3_PHASE",
                    "voltage": 230,
                    "amperage": 16,
                    "last_updated": NOW,
                }
            ],
            "last_updated": NOW,
        }
    ],
    "last_updated": NOW,
}


async def main(directory: str | None = None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(directory or scratch)
        cpo_port, emsp_port = free_port(), free_port()
        cpo_app, cpo = platform(RoleEnum.cpo, "CPO", cpo_port, folder)
        emsp_app, emsp = platform(RoleEnum.emsp, "MSP", emsp_port, folder)
        servers = [await serve(cpo_app, cpo_port), await serve(emsp_app, emsp_port)]
        try:
            return await roam(cpo, emsp, cpo_port)
        finally:
            await shutdown(servers)
            await cpo.stop()
            await emsp.stop()


async def roam(cpo: Store, emsp: Store, cpo_port: int) -> dict[str, Any]:
    # --8<-- [start:register]
    # CPO operator: a single-use token A for the new partner (only its hash is stored).
    issued = await cpo.partners.create_token_a(name="Example eMSP")
    # eMSP operator: run the handshake; the partner, its token C and endpoints are stored.
    partner = await emsp.partners.register(
        f"http://127.0.0.1:{cpo_port}/ocpi/versions", issued.token
    )
    # --8<-- [end:register]

    # --8<-- [start:objects]
    # CPO integrator: our own Location, written in 2.1.1 shape; stored once (canonical 2.3.0).
    await cpo.crud.create(
        ModuleID.locations, RoleEnum.cpo, LOCATION_211, version=VersionNumber.v_2_1_1
    )
    # eMSP: pull the CPO's Locations in the version agreed in the handshake (2.2.1), with the
    # endpoints and token stored for the partner.
    async with OCPIClient() as client:
        pulled = [location async for location in partner.client(client).pull(ModuleID.locations)]
    # --8<-- [end:objects]

    # --8<-- [start:partners]
    cpo_partners = await cpo.partners.list()
    summary = [(p.name, p.status, p.version, p.parties) for p in cpo_partners]
    await emsp.partners.unregister(partner.id)  # DELETE at the CPO, then forget the tokens
    remaining = await cpo.partners.list()
    # --8<-- [end:partners]
    return {
        "version": partner.version,
        "pulled": pulled,
        "cpo_partners": summary,
        "remaining": remaining,
    }


def report(result: dict[str, Any]) -> list[str]:
    (location,) = result["pulled"]
    connector = location["evses"][0]["connectors"][0]
    return [
        f"registered, OCPI {result['version']}",
        f"CPO partners: {result['cpo_partners']}",
        f"pulled {location['country_code']}/{location['party_id']}/{location['id']}: "
        f"parking_type={location['parking_type']}, max_voltage={connector['max_voltage']}",
        f"unregistered; partners left at the CPO: {len(result['remaining'])}",
    ]


if __name__ == "__main__":
    print("\n".join(report(asyncio.run(main()))))
