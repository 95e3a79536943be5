"""The bridge on the built-in SQL store (SQLite file): the same CPO, no integrator Crud at all.

An OCPP 2.0.1 station charges 4 kWh with a token pushed by the eMSP (in-memory backend, over
real HTTP): 1.00 start fee + 4 × 0.25 = 2.00 excl. VAT, 2.20 incl. 10 % VAT.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from examples.memory_backend import MemoryPartnerDirectory, create_app
from ocpi import ModuleID, OCPIClient, PartnerClient, RoleEnum, VersionNumber
from ocpi.store import create_store
from ocpp_gw import GatewaySettings, OCPPGateway
from ocpp_gw.bridge import Bridge
from ocpp_gw.bridge.store_directory import StorePartnerDirectory
from ocpp_gw.simulator import SimulatedStation
from ocpp_gw.store import create_gateway_store
from tests.bridge.bridge_box import MODULES, TARIFF, bridge_settings, eventually, token

VERSIONS = [VersionNumber.v_2_1_1, VersionNumber.v_2_2_1, VersionNumber.v_2_3_0]


@pytest.mark.parametrize("kind", ["ocpi", "gateway"])
async def test_bridge_on_the_sql_store(loopback: Any, tmp_path: Path, kind: str) -> None:
    """``kind``: the OCPI store alone, or the gateway's store (OCPI store + station state in one
    database, what ``ocpi-ocpp serve`` runs on)."""
    cpo, emsp = loopback(), loopback()
    settings = cpo.settings(COUNTRY_CODE="NL", PARTY_ID="CPO")
    url = f"sqlite+aiosqlite:///{tmp_path / 'cpo.sqlite3'}"
    store: Any = (
        create_store(url, settings) if kind == "ocpi" else create_gateway_store(url, settings)
    )
    gateway = OCPPGateway(
        settings=GatewaySettings(accept_unknown_chargers=True, precompile_schemas=False),
        state=getattr(store, "state", None),
    )
    bridge = Bridge(
        gateway=gateway,
        crud=store.crud,
        directory=StorePartnerDirectory(store),
        settings=bridge_settings(),
    )
    app = bridge.application(
        version_numbers=VERSIONS,
        modules=MODULES,
        authenticator=store.authenticator,
        settings=settings,
    )
    emsp_app, emsp_store = create_app(
        emsp.settings(COUNTRY_CODE="DE", PARTY_ID="MSP"),
        [RoleEnum.emsp],
        [VersionNumber.v_2_2_1],
        modules=MODULES,
    )
    await cpo.start(app)
    await emsp.start(emsp_app)
    try:
        await store.crud.update(
            ModuleID.tariffs,
            RoleEnum.cpo,
            TARIFF,
            "T1",
            version=VersionNumber.v_2_2_1,
            auth_token="",
            country_code="NL",
            party_id="CPO",
        )
        issued = await store.partners.create_token_a("eMSP")
        partner = await emsp_store.register_with(f"{cpo.url}/ocpi/versions", issued.token)
        directory = StorePartnerDirectory(store)
        (info,) = await directory.partners()
        assert info.parties == (("DE", "MSP"),) and info.version == "2.2.1"
        assert (await directory.partner_for_token("not a token")) is None
        (emsp_view,) = await MemoryPartnerDirectory(emsp_store).partners()
        assert emsp_view.key == "NL*CPO"

        bridge.stations.set_config(
            "CP-S", bridge.stations.config("CP-S").model_copy(update={"tariff_ids": ["T1"]})
        )
        async with (
            OCPIClient() as client,
            SimulatedStation(f"ws://{cpo.host}/ocpp", "CP-S", "2.0.1", power_w=0.0) as station,
        ):
            to_cpo = PartnerClient(client, partner.version, partner.endpoints, partner.token_out)
            await station.boot()
            await eventually(
                lambda: bool(emsp_store.objects.get((ModuleID.locations, "CP-S"), {}).get("evses"))
            )
            pulled = await to_cpo.get(ModuleID.locations, "CP-S")
            assert pulled["evses"][0]["status"] == "AVAILABLE"

            await to_cpo.put(ModuleID.tokens, token("SQL1", "2.2.1"), "DE", "MSP", "SQL1")
            station.connectors[1].meter_wh = 500.0
            await station.start_transaction("SQL1", 1)
            station.connectors[1].meter_wh = 4500.0
            await station.stop_transaction(1)
            await eventually(
                lambda: any(m == ModuleID.cdrs for m, _ in emsp_store.objects), timeout=5
            )
            (cdr,) = [o for (m, _), o in emsp_store.objects.items() if m == ModuleID.cdrs]
            assert cdr["total_cost"] == {"excl_vat": 2.0, "incl_vat": 2.2}
            assert cdr["cdr_token"]["uid"] == "SQL1"
            assert cdr["auth_method"] == "WHITELIST"
            sessions = [s async for s in to_cpo.pull(ModuleID.sessions)]
            assert [s["status"] for s in sessions] == ["COMPLETED"]
    finally:
        await cpo.stop()
        await emsp.stop()
        await store.stop()
