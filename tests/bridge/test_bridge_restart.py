"""The bridge across a restart of the CPO, on the SQL store (SQLite file).

A 1.6 station charges with a token pushed by the eMSP; the CPO application stops in the middle of
the session and a new one starts on the same database (and port). The new bridge gets the station
mapping edited over REST back from the stored Location, rebuilds the live session from the
stored Session and the gateway's transaction, re-sends the Location to the eMSP, and at the end
the eMSP receives the completed Session and a CDR covering the whole session. (The Location is
linked back to the station by its EVSE ID, which the edit left as the default.)

Tariff T1: 1.00 start fee + 0.25/kWh, 10 % VAT. Meter 500 Wh at start, 1500 Wh before the
restart, 3000 Wh after it, 4500 Wh at the stop: 4.0 kWh → 1.00 + 4 × 0.25 = 2.00 excl. VAT,
2.20 incl. VAT.
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from examples.memory_backend import MemoryStore, create_app
from ocpi import ModuleID, OCPIClient, PartnerClient, RoleEnum, VersionNumber
from ocpp_gw import GatewaySettings, OCPPGateway
from ocpp_gw.bridge import Bridge
from ocpp_gw.bridge.store_directory import StorePartnerDirectory
from ocpp_gw.simulator import SimulatedStation
from ocpp_gw.store import GatewayStore, create_gateway_store
from tests.bridge.bridge_box import (
    API_HEADERS,
    API_TOKEN,
    MODULES,
    TARIFF,
    bridge_settings,
    eventually,
    token,
)
from tests.conftest import LoopbackServer
from tests.ocpp_gw.store.gateway_store_support import PG_URL, pg_execute

VERSIONS = [VersionNumber.v_2_1_1, VersionNumber.v_2_2_1, VersionNumber.v_2_3_0]

MAPPING = {
    "location_id": "UTRECHT-1",
    "city": "Utrecht",
    "address": "Stationsplein 1",
    "evses": {
        "1": {
            "uid": "UTR-1",
            "connectors": {
                "1": {
                    "standard": "IEC_62196_T2_COMBO",
                    "power_type": "DC",
                    "max_electric_power": 50000,
                    "tariff_ids": ["T1"],
                }
            },
        }
    },
}


Database = tuple[str, dict[str, Any]]


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """URL and store options of a fresh database (PostgreSQL: a schema of its own)."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'cpo.sqlite3'}", {}
        return
    schema = f"bridge_{uuid.uuid4().hex[:12]}"
    try:
        await pg_execute(f'CREATE SCHEMA "{schema}"')
    except Exception as exc:  # no server, database or driver here
        pytest.skip(f"PostgreSQL unreachable at {PG_URL}: {exc!r}")
    try:
        yield PG_URL, {"schema": schema, "migrate": True}
    finally:
        await pg_execute(f'DROP SCHEMA "{schema}" CASCADE')


def cpo_app(server: LoopbackServer, url: str, **options: Any) -> tuple[Any, GatewayStore, Bridge]:
    settings = server.settings(COUNTRY_CODE="NL", PARTY_ID="CPO")
    store = create_gateway_store(url, settings, **options)
    gateway = OCPPGateway(
        settings=GatewaySettings(
            accept_unknown_chargers=True,
            precompile_schemas=False,
            api_token=SecretStr(API_TOKEN),
        ),
        state=store.state,
    )
    bridge = Bridge(
        gateway=gateway,
        crud=store.crud,
        directory=StorePartnerDirectory(store),
        settings=bridge_settings(session_patch_interval=0.05),
    )
    app = bridge.application(
        version_numbers=VERSIONS,
        modules=MODULES,
        authenticator=store.authenticator,
        settings=settings,
    )
    return app, store, bridge


def same_port(server: LoopbackServer) -> LoopbackServer:
    """A server on the port of ``server`` (stopped): the eMSP knows the CPO by its URL."""
    again = LoopbackServer.__new__(LoopbackServer)
    again.__dict__.update(server.__dict__)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", server.port))
    again.sock = sock
    again._server = again._task = None
    return again


def received(emsp_store: MemoryStore, module: ModuleID) -> list[dict[str, Any]]:
    return [o for (m, _), o in emsp_store.objects.items() if m == module]


async def test_session_across_a_restart_gets_its_cdr(loopback: Any, database: Database) -> None:
    url, options = database
    first, emsp = loopback(), loopback()
    app, store, bridge = cpo_app(first, url, **options)
    emsp_app, emsp_store = create_app(
        emsp.settings(COUNTRY_CODE="DE", PARTY_ID="MSP"),
        [RoleEnum.emsp],
        [VersionNumber.v_2_2_1],
        modules=MODULES,
    )
    await first.start(app, **bridge.gateway.uvicorn_options())
    await emsp.start(emsp_app, timeout_graceful_shutdown=1)
    second: LoopbackServer | None = None
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
        partner = await emsp_store.register_with(f"{first.url}/ocpi/versions", issued.token)
        async with httpx.AsyncClient(base_url=first.url, headers=API_HEADERS) as api:
            answer = await api.put("/api/bridge/stations/CP-R", json=MAPPING)
            assert answer.status_code == 200, answer.text

        station = SimulatedStation(f"ws://{first.host}/ocpp", "CP-R", "1.6", power_w=0.0)
        async with OCPIClient() as client:
            to_cpo = PartnerClient(client, partner.version, partner.endpoints, partner.token_out)
            await to_cpo.put(ModuleID.tokens, token("RST1", "2.2.1"), "DE", "MSP", "RST1")
        async with station:
            await station.boot()
            await station.set_status(1, "Available")
            await eventually(
                lambda: bool(
                    emsp_store.objects.get((ModuleID.locations, "UTRECHT-1"), {}).get("evses")
                )
            )
            station.connectors[1].meter_wh = 500.0
            await station.start_transaction("RST1", 1)
            station.connectors[1].meter_wh = 1500.0
            await station.send_meter_values(1)
            await eventually(
                lambda: [s.get("kwh") for s in received(emsp_store, ModuleID.sessions)] == [1.0]
            )
        (started,) = received(emsp_store, ModuleID.sessions)
        await first.stop()
        await store.stop()
        # While the CPO is down the eMSP loses its copies: the restart sends them again.
        del emsp_store.objects[(ModuleID.locations, "UTRECHT-1")]
        (session_key,) = [k for k in emsp_store.objects if k[0] == ModuleID.sessions]
        del emsp_store.objects[session_key]

        second = same_port(first)
        app, store, bridge = cpo_app(second, url, **options)
        await second.start(app, **bridge.gateway.uvicorn_options())

        # The mapping edited over REST came back from the stored Location.
        config = bridge.stations.config("CP-R")
        assert config.location_id == "UTRECHT-1" and config.city == "Utrecht"
        assert config.evses[1].uid == "UTR-1" and config.evses[1].evse_id is None
        connector = config.evses[1].connectors[1]
        assert connector.standard == "IEC_62196_T2_COMBO"
        assert config.tariff_ids == ["T1"]  # the tariff of every connector: the station's
        assert connector.max_electric_power == 50000 and connector.power_type == "DC"
        async with httpx.AsyncClient(base_url=second.url, headers=API_HEADERS) as api:
            view = (await api.get("/api/bridge/stations/CP-R")).json()
        assert view["config"]["location_id"] == "UTRECHT-1", view
        # ... and the live session was rebuilt from the store.
        live = bridge.sessions.by_id(started["id"])
        assert live is not None and live.record.partner_key is not None
        await eventually(lambda: session_key in emsp_store.objects)
        assert emsp_store.objects[session_key]["kwh"] == 1.0
        location = await eventually_location(emsp_store)
        assert location["evses"][0]["uid"] == "UTR-1"
        assert location["evses"][0]["status"] == "CHARGING"

        back = SimulatedStation(f"ws://{second.host}/ocpp", "CP-R", "1.6", power_w=0.0)
        back.connectors = station.connectors  # the station remembers its transaction
        async with back:
            back.connectors[1].meter_wh = 3000.0
            await back.send_meter_values(1)
            back.connectors[1].meter_wh = 4500.0
            await back.stop_transaction(1)
            await eventually(lambda: bool(received(emsp_store, ModuleID.cdrs)), timeout=5)
        (cdr,) = received(emsp_store, ModuleID.cdrs)
        assert cdr["session_id"] == started["id"]
        assert cdr["total_energy"] == 4.0
        assert cdr["total_cost"] == {"excl_vat": 2.0, "incl_vat": 2.2}
        assert cdr["cdr_token"]["uid"] == "RST1"
        assert cdr["cdr_location"]["id"] == "UTRECHT-1"
        assert cdr["cdr_location"]["connector_standard"] == "IEC_62196_T2_COMBO"
        (session,) = received(emsp_store, ModuleID.sessions)
        assert session["id"] == started["id"]
        assert session["status"] == "COMPLETED" and session["kwh"] == 4.0
    finally:
        if second is not None:
            await second.stop()
        else:
            await first.stop()
        await emsp.stop()
        await store.stop()


async def eventually_location(emsp_store: MemoryStore) -> dict[str, Any]:
    await eventually(lambda: (ModuleID.locations, "UTRECHT-1") in emsp_store.objects)
    found: dict[str, Any] = emsp_store.objects[(ModuleID.locations, "UTRECHT-1")]
    return found


async def test_session_lost_from_memory_is_rebuilt_on_its_next_event(
    loopback: Any, tmp_path: Path
) -> None:
    """A 2.0.1 transaction whose session the bridge no longer follows (a start that could not
    rebuild it, or the process's memory lost): its next TransactionEvent rebuilds it."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'cpo.sqlite3'}"
    cpo, emsp = loopback(), loopback()
    app, store, bridge = cpo_app(cpo, url)
    emsp_app, emsp_store = create_app(
        emsp.settings(COUNTRY_CODE="DE", PARTY_ID="MSP"),
        [RoleEnum.emsp],
        [VersionNumber.v_2_1_1],
        modules=MODULES,
    )
    await cpo.start(app, **bridge.gateway.uvicorn_options())
    await emsp.start(emsp_app, timeout_graceful_shutdown=1)
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
        await bridge.configure(
            "CP-E", bridge.stations.config("CP-E").model_copy(update={"tariff_ids": ["T1"]})
        )
        async with OCPIClient() as client:
            to_cpo = PartnerClient(client, partner.version, partner.endpoints, partner.token_out)
            await to_cpo.put(ModuleID.tokens, token("EVT1", "2.1.1"), "DE", "MSP", "EVT1")
        async with SimulatedStation(
            f"ws://{cpo.host}/ocpp", "CP-E", "2.0.1", power_w=0.0
        ) as station:
            await station.boot()
            station.connectors[1].meter_wh = 1000.0
            await station.start_transaction("EVT1", 1)
            station.connectors[1].meter_wh = 2000.0
            await station.send_meter_values(1)
            await eventually(
                lambda: [s.get("kwh") for s in received(emsp_store, ModuleID.sessions)] == [1.0]
            )
            (started,) = received(emsp_store, ModuleID.sessions)
            bridge.sessions.sessions.clear()  # what a restart forgets

            station.connectors[1].meter_wh = 3000.0
            await station.send_meter_values(1)
            await eventually(lambda: bridge.sessions.by_id(started["id"]) is not None)
            station.connectors[1].meter_wh = 5000.0
            await station.stop_transaction(1)
            await eventually(lambda: bool(received(emsp_store, ModuleID.cdrs)), timeout=5)
        # 2.1.1: total_cost is a number excl. VAT: 1.00 + 4 kWh × 0.25.
        (cdr,) = received(emsp_store, ModuleID.cdrs)
        assert cdr["id"] == started["id"] and cdr["total_energy"] == 4.0
        assert cdr["total_cost"] == 2.0 and cdr["auth_id"] == "DE-MSP-EVT1"
        (session,) = received(emsp_store, ModuleID.sessions)
        assert session["status"] == "COMPLETED" and session["kwh"] == 4.0
    finally:
        await cpo.stop()
        await emsp.stop()
        await store.stop()
