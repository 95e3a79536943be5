"""Stopping and starting the bridge: the outbox drains on a graceful stop; a mapping read back
from a stored Location is the mapping that wrote it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

from ocpi import ModuleID
from ocpp_gw.bridge.mapping import (
    ConnectorConfig,
    EvseConfig,
    EvseState,
    StationConfig,
    StationMap,
    StationState,
    config_from_location,
)
from ocpp_gw.bridge.render import location_document
from ocpp_gw.bridge.settings import BridgeSettings
from ocpp_gw.simulator import SimulatedStation
from tests.bridge.bridge_box import eventually, started_box


async def test_graceful_stop_drains_the_outbox(loopback: Any) -> None:
    """The eMSP is down when a status changes; it comes back while the CPO stops: the PATCH
    still arrives, because the stop waits for the outbox (``drain_timeout``)."""
    async with started_box(loopback, "2.2.1", drain_timeout=5.0) as box:
        async with SimulatedStation(box.ws_url, "CP-D", "1.6") as station:
            await station.boot()
            await station.set_status(1, "Available")
            await box.received(ModuleID.locations, "CP-D", lambda loc: bool(loc.get("evses")))
            await box.emsp.stop()
            retries = box.bridge.outbox.retries
            await station.set_status(1, "Faulted")
            # queued and retried, the eMSP being down
            await eventually(lambda: box.bridge.outbox.retries > retries)

            async def emsp_back() -> None:
                await asyncio.sleep(0.3)
                await box.restart_emsp()

            back = asyncio.create_task(emsp_back())
            await box.cpo.stop()
            await back
        location = box.emsp_store.objects[(ModuleID.locations, "CP-D")]
        assert location["evses"][0]["status"] == "OUTOFORDER"
        assert box.bridge.outbox.pending() == 0


async def test_stop_gives_up_draining_after_drain_timeout(loopback: Any) -> None:
    async with started_box(loopback, "2.2.1", drain_timeout=0.3) as box:
        async with SimulatedStation(box.ws_url, "CP-G", "1.6") as station:
            await station.boot()
            await station.set_status(1, "Available")
            await box.received(ModuleID.locations, "CP-G", lambda loc: bool(loc.get("evses")))
            await box.emsp.stop()
            await station.set_status(1, "Faulted")
            loop = asyncio.get_running_loop()
            started = loop.time()
            assert not await box.bridge.drain(0.3)
            assert 0.25 < loop.time() - started < 2
            await box.cpo.stop()
        location = box.emsp_store.objects[(ModuleID.locations, "CP-G")]
        assert location["evses"][0]["status"] == "AVAILABLE"  # the PATCH never arrived


def test_a_mapping_read_back_from_its_location_is_the_same() -> None:
    settings = BridgeSettings()
    stations = StationMap("NL", "CPO")
    config = StationConfig(
        location_id="UTRECHT-CENTRAAL",
        name="Station Square",
        address="Stationsplein 1",
        city="Utrecht",
        postal_code="3511CE",
        latitude="52.0894",
        longitude="5.1100",
        parking_type="ON_STREET",
        evses={
            1: EvseConfig(
                uid="UTR-1",
                physical_reference="A",
                connectors={
                    1: ConnectorConfig(
                        standard="IEC_62196_T2_COMBO",
                        power_type="DC",
                        max_electric_power=50000,
                        tariff_ids=["DC-FAST"],
                    ),
                    2: ConnectorConfig(id="CHADEMO", standard="CHADEMO", power_type="DC"),
                },
            ),
            2: EvseConfig(evse_id="NL*CPO*EUTR*2", connectors={1: ConnectorConfig(id="X")}),
        },
    )
    stations.set_config("CP-1", config)
    now = datetime.now(UTC)
    state = stations.states["CP-1"] = StationState("CP-1", "2.0.1")
    state.evses[1] = EvseState(1, {1: "Available", 2: "Occupied"}, now)
    state.evses[2] = EvseState(2, {1: "Available"}, now)
    state.evses[3] = EvseState(3, {1: "Faulted"}, now)  # never edited: all defaults
    document = location_document(stations, "CP-1", settings, now)

    again = config_from_location(stations, "CP-1", document, settings, [1, 2, 3])
    assert again == config
    # Without the station's EVSE numbers, the uid of EVSE 3 still tells its number.
    assert config_from_location(stations, "CP-1", document, settings) == config

    # Tariffs of the whole station come back as the station's.
    station_wide = StationConfig(location_id="LOC-2", tariff_ids=["AC-STANDARD"])
    stations.set_config("CP-1", station_wide)
    document = location_document(stations, "CP-1", settings, now)
    assert config_from_location(stations, "CP-1", document, settings, [1, 2, 3]) == station_wide
