"""A CPO and an eMSP roaming over real HTTP: registration, then objects flowing both ways.

Both platforms run on 127.0.0.1 on the in-memory reference backend. After the credentials handshake:

* the CPO pushes a Location, an EVSE status change, a Session and a CDR to the eMSP's Receivers;
* the eMSP pulls the CPO's Locations and Tariffs page by page; the CPO pushes and withdraws a Tariff;
* the eMSP pushes a Token to the CPO, and the CPO asks the eMSP to authorize it in real time.

Every section is included in the module pages of the documentation.
"""

from __future__ import annotations

import asyncio
from typing import Any

from examples.loopback import free_port, serve, shutdown
from examples.memory_backend import MemoryStore, Partner, create_app
from ocpi import ModuleID, OCPIClient, PartnerClient, RoleEnum, Settings, VersionNumber

MODULES = [ModuleID.locations, ModuleID.sessions, ModuleID.cdrs, ModuleID.tariffs, ModuleID.tokens]
NOW = "2024-06-01T12:00:00Z"


def platform(
    role: RoleEnum, party: str, port: int, version: VersionNumber
) -> tuple[Any, MemoryStore]:
    settings = Settings(
        OCPI_HOST=f"127.0.0.1:{port}",
        PROTOCOL="http",
        COUNTRY_CODE="NL",
        PARTY_ID=party,
        PAGINATION_MAX_LIMIT=2,  # small pages, to show pulling follows Link headers
    )
    return create_app(settings, [role], [version], MODULES)


def location(index: int) -> dict[str, Any]:
    connector = {
        "id": "1",
        "standard": "IEC_62196_T2",
        "format": "SOCKET",
        "power_type": "AC_3_PHASE",
        "max_voltage": 230,
        "max_amperage": 16,
        "last_updated": NOW,
    }
    return {
        "country_code": "NL",
        "party_id": "CPO",
        "id": f"LOC{index}",
        "publish": True,
        "address": f"Stationsplein {index}",
        "city": "Utrecht",
        "country": "NLD",
        "coordinates": {"latitude": "52.089", "longitude": "5.110"},
        "time_zone": "Europe/Amsterdam",
        "evses": [
            {"uid": "E1", "status": "AVAILABLE", "connectors": [connector], "last_updated": NOW}
        ],
        "last_updated": NOW,
    }


async def main(version: VersionNumber = VersionNumber.v_2_2_1) -> dict[str, Any]:
    cpo_port, emsp_port = free_port(), free_port()
    cpo_app, cpo = platform(RoleEnum.cpo, "CPO", cpo_port, version)
    emsp_app, emsp = platform(RoleEnum.emsp, "MSP", emsp_port, version)
    servers = [await serve(cpo_app, cpo_port), await serve(emsp_app, emsp_port)]
    try:
        # The eMSP registers with the CPO (see "Register with a partner").
        cpo_view_of_emsp: Partner
        emsp_view_of_cpo = await emsp.register_with(
            f"http://127.0.0.1:{cpo_port}/ocpi/versions", cpo.new_token_a()
        )
        (cpo_view_of_emsp,) = cpo.partners.values()

        async with OCPIClient() as client:
            # --8<-- [start:push]
            # CPO side: push to the eMSP's Receivers, found through its advertised endpoints.
            to_emsp = PartnerClient(
                client, version, cpo_view_of_emsp.endpoints, cpo_view_of_emsp.token_out
            )
            await to_emsp.put(ModuleID.locations, location(1), "NL", "CPO", "LOC1")
            await to_emsp.patch(
                ModuleID.locations,
                {"status": "CHARGING", "last_updated": "2024-06-01T12:05:00Z"},
                "NL",
                "CPO",
                "LOC1",
                "E1",
            )
            # --8<-- [end:push]
            evse_status = emsp.objects[(ModuleID.locations, "LOC1")]["evses"][0]["status"]

            # --8<-- [start:session]
            session = {
                "country_code": "NL",
                "party_id": "CPO",
                "id": "SES1",
                "start_date_time": "2024-06-01T12:05:00Z",
                "kwh": 0,
                "cdr_token": {
                    "country_code": "NL",
                    "party_id": "MSP",
                    "uid": "TOKEN1",
                    "type": "RFID",
                    "contract_id": "NL-MSP-C00000001",
                },
                "auth_method": "WHITELIST",
                "location_id": "LOC1",
                "evse_uid": "E1",
                "connector_id": "1",
                "currency": "EUR",
                "status": "ACTIVE",
                "last_updated": "2024-06-01T12:05:00Z",
            }
            await to_emsp.put(ModuleID.sessions, session, "NL", "CPO", "SES1")
            await to_emsp.patch(
                ModuleID.sessions,
                {"kwh": 7.5, "last_updated": "2024-06-01T12:35:00Z"},
                "NL",
                "CPO",
                "SES1",
            )
            # --8<-- [end:session]

            # --8<-- [start:cdr]
            cdr = {
                "country_code": "NL",
                "party_id": "CPO",
                "id": "CDR1",
                "start_date_time": "2024-06-01T12:05:00Z",
                "end_date_time": "2024-06-01T12:45:00Z",
                "cdr_token": session["cdr_token"],
                "auth_method": "WHITELIST",
                "cdr_location": {
                    "id": "LOC1",
                    "address": "Stationsplein 1",
                    "city": "Utrecht",
                    "country": "NLD",
                    "coordinates": {"latitude": "52.089", "longitude": "5.110"},
                    "evse_uid": "E1",
                    "evse_id": "NL*CPO*E1",
                    "connector_id": "1",
                    "connector_standard": "IEC_62196_T2",
                    "connector_format": "SOCKET",
                    "connector_power_type": "AC_3_PHASE",
                },
                "currency": "EUR",
                "charging_periods": [
                    {
                        "start_date_time": "2024-06-01T12:05:00Z",
                        "dimensions": [{"type": "ENERGY", "volume": 9.1}],
                    }
                ],
                "total_cost": {"excl_vat": 3.64, "incl_vat": 4.40},
                "total_energy": 9.1,
                "total_time": 0.667,
                "last_updated": "2024-06-01T12:45:00Z",
            }
            if version == VersionNumber.v_2_3_0:
                cdr["total_cost"] = {"before_taxes": 3.64}
            cdr_url = await to_emsp.post_cdr(cdr)
            # --8<-- [end:cdr]

            # --8<-- [start:pull]
            # eMSP side: pull the CPO's lists; pages of 2 are followed through Link headers.
            for index in range(2, 6):
                cpo.objects[(ModuleID.locations, f"LOC{index}")] = location(index)
            from_cpo = PartnerClient(
                client, version, emsp_view_of_cpo.endpoints, emsp_view_of_cpo.token_out
            )
            pulled = [loc["id"] async for loc in from_cpo.pull(ModuleID.locations)]
            one_evse = await from_cpo.get(ModuleID.locations, "LOC3", "E1")
            # --8<-- [end:pull]

            # --8<-- [start:tariffs]
            tariff = {
                "country_code": "NL",
                "party_id": "CPO",
                "id": "AC-STANDARD",
                "currency": "EUR",
                "elements": [
                    {
                        "price_components": [
                            {"type": "ENERGY", "price": 0.35, "vat": 21.0, "step_size": 1}
                        ]
                    }
                ],
                "last_updated": NOW,
            }
            if version == VersionNumber.v_2_3_0:
                tariff["tax_included"] = "NO"
            cpo.objects[(ModuleID.tariffs, "AC-STANDARD")] = tariff
            await to_emsp.put(ModuleID.tariffs, tariff, "NL", "CPO", "AC-STANDARD")  # CPO pushes
            pulled_tariffs = [t["id"] async for t in from_cpo.pull(ModuleID.tariffs)]  # eMSP pulls
            await to_emsp.delete(ModuleID.tariffs, "NL", "CPO", "AC-STANDARD")  # CPO withdraws it
            # --8<-- [end:tariffs]

            # --8<-- [start:tokens]
            token = {
                "country_code": "NL",
                "party_id": "MSP",
                "uid": "TOKEN1",
                "type": "RFID",
                "contract_id": "NL-MSP-C00000001",
                "issuer": "Example MSP",
                "valid": True,
                "whitelist": "ALLOWED",
                "last_updated": NOW,
            }
            emsp.objects[(ModuleID.tokens, "TOKEN1")] = token
            await from_cpo.put(
                ModuleID.tokens, token, "NL", "MSP", "TOKEN1", params={"type": "RFID"}
            )
            authorization = await to_emsp.authorize("TOKEN1", "RFID", {"location_id": "LOC1"})
            # --8<-- [end:tokens]

        result = {
            "evse_status_at_emsp": evse_status,
            "session_kwh_at_emsp": emsp.objects[(ModuleID.sessions, "SES1")]["kwh"],
            "cdr_url": cdr_url,
            "pulled": pulled,
            "one_evse": one_evse["uid"],
            "token_at_cpo": cpo.objects[(ModuleID.tokens, "TOKEN1")]["uid"],
            "authorization": authorization["allowed"],
            "pulled_tariffs": pulled_tariffs,
            "tariff_left_at_emsp": (ModuleID.tariffs, "AC-STANDARD") in emsp.objects,
        }
        print(result)
        return result
    finally:
        await shutdown(servers)


if __name__ == "__main__":
    asyncio.run(main())
