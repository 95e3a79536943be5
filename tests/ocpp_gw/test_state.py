"""The ChargerStateStore contract, run against every implementation in STORES.

A new store (SQL ...) joins by adding its factory to ``STORES``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from ocpp_gw.events import MeterSample
from ocpp_gw.state import (
    STATUS_HISTORY_LIMIT,
    BootInfo,
    ChargerStateStore,
    ChargingLimitRecord,
    MemoryStateStore,
    MeterValueRecord,
    NotificationRecord,
    OperationKind,
    SecurityEventRecord,
    TransactionRecord,
    TransactionState,
    TransactionUpdate,
    VariableRecord,
)
from tests.ocpp_gw.store.gateway_store_support import postgres_state_store, sqlite_state_store

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)

STORES: dict[str, Callable[[], ChargerStateStore]] = {
    "memory": MemoryStateStore,
    "sqlite": sqlite_state_store,
    "postgresql": postgres_state_store,
}


@pytest.fixture(params=sorted(STORES))
def store(request: pytest.FixtureRequest) -> ChargerStateStore:
    return STORES[request.param]()


async def test_boot_registration_and_heartbeat(store: ChargerStateStore) -> None:
    assert await store.get_station("CP1") is None
    await store.set_registration("CP1", "Pending", heartbeat_interval=60)
    station = await store.record_boot(
        "CP1", BootInfo(vendor="ACME", model="M1", serial_number="S1"), version="1.6", at=T0
    )
    assert (station.vendor, station.model, station.serial_number) == ("ACME", "M1", "S1")
    assert station.registration_status == "Pending" and station.heartbeat_interval == 60
    assert station.last_boot == T0
    await store.touch("CP1", heartbeat=True, at=T0 + timedelta(seconds=5))
    seen = await store.get_station("CP1")
    assert seen is not None and seen.last_heartbeat == T0 + timedelta(seconds=5)
    assert [s.charge_point_id for s in await store.list_stations()] == ["CP1"]


async def test_returned_records_are_snapshots(store: ChargerStateStore) -> None:
    station = await store.record_boot("CP1", BootInfo(vendor="A", model="B"), version="2.0.1")
    station.registration_status = "Rejected"
    stored = await store.get_station("CP1")
    assert stored is not None and stored.registration_status == "Accepted"


async def test_status_history_is_bounded(store: ChargerStateStore) -> None:
    for i in range(STATUS_HISTORY_LIMIT + 5):
        record = await store.record_status("CP1", 1, 1, "Occupied" if i % 2 else "Available")
    assert len(record.history) == STATUS_HISTORY_LIMIT
    await store.record_status("CP1", None, 0, "Unavailable", error_code="NoError")
    connectors = await store.list_connectors("CP1")
    assert [(c.evse_id, c.connector_id) for c in connectors] == [(None, 0), (1, 1)]


async def test_transaction_lifecycle_with_meter_values(store: ChargerStateStore) -> None:
    first, second = await store.next_transaction_id(), await store.next_transaction_id()
    assert second == first + 1
    tx_id = str(first)
    await store.start_transaction(
        TransactionRecord(
            charge_point_id="CP1",
            transaction_id=tx_id,
            evse_id=None,
            connector_id=1,
            started_at=T0,
            id_token="TAG",
            meter_start_wh=1000,
        )
    )
    active = await store.active_transaction("CP1", connector_id=1)
    assert active is not None and active.transaction_id == tx_id
    assert await store.active_transaction("CP1", connector_id=2) is None
    sample = MeterSample(measurand="Energy.Active.Import.Register", value=1500, unit="Wh")
    await store.add_meter_values(
        "CP1",
        [
            MeterValueRecord(timestamp=T0, samples=(sample,), transaction_id=tx_id),
            MeterValueRecord(timestamp=T0, samples=(sample,)),
        ],
    )
    updated = await store.update_transaction(
        "CP1", tx_id, TransactionUpdate(meter_wh=1500, charging_state="Charging")
    )
    assert updated is not None and updated.energy_wh == 500 and updated.id_token == "TAG"
    assert len(updated.meter_values) == 1
    assert len(await store.list_meter_values("CP1")) == 2
    assert len(await store.list_meter_values("CP1", transaction_id=tx_id)) == 1
    ended = await store.end_transaction("CP1", tx_id, stopped_at=T0, reason="Local")
    assert ended is not None and ended.state is TransactionState.ended
    assert ended.meter_stop_wh == 1500  # the last known register when the stop gives none
    again = await store.end_transaction("CP1", tx_id, stopped_at=T0, meter_stop_wh=9, reason="X")
    assert again is not None and again.stop_reason == "Local" and again.meter_stop_wh == 1500
    assert await store.active_transaction("CP1") is None
    assert await store.end_transaction("CP1", "nope", stopped_at=T0) is None
    assert await store.update_transaction("CP1", "nope", TransactionUpdate()) is None
    assert len(await store.list_transactions("CP1")) == 1
    assert await store.list_transactions(active_only=True) == []


async def test_reports_limits_reservations_and_notes(store: ChargerStateStore) -> None:
    attr = [{"type": "Actual", "value": "300"}]
    await store.upsert_variables(
        "CP1", [VariableRecord(component="OCPPCommCtrlr", variable="HeartbeatInterval")]
    )
    monitor = [{"id": 1, "type": "Delta", "severity": 5, "value": 1.0, "transaction": False}]
    await store.upsert_variables(
        "CP1",
        [
            VariableRecord(
                component="OCPPCommCtrlr", variable="HeartbeatInterval", attributes=attr
            ),
            VariableRecord(
                component="OCPPCommCtrlr", variable="HeartbeatInterval", monitors=monitor
            ),
        ],
    )
    (variable,) = await store.list_variables("CP1")
    assert variable.attributes == attr and variable.monitors == monitor

    await store.record_reservation("CP1", 7, "Expired")
    reservation = await store.get_reservation("CP1", 7)
    assert reservation is not None and reservation.status == "Expired"

    limit = ChargingLimitRecord(charge_point_id="CP1", source="EMS", evse_id=1, updated_at=T0)
    await store.record_charging_limit(limit)
    limit.cleared = True
    await store.record_charging_limit(limit)
    (stored_limit,) = await store.list_charging_limits("CP1")
    assert stored_limit.cleared

    await store.add_security_event(
        SecurityEventRecord(charge_point_id="CP1", event_type="ResetOrReboot", timestamp=T0)
    )
    assert [e.event_type for e in await store.list_security_events("CP1")] == ["ResetOrReboot"]
    await store.add_notification(
        NotificationRecord(charge_point_id="CP1", kind="A", timestamp=T0, data={"x": 1})
    )
    await store.add_notification(
        NotificationRecord(charge_point_id="CP1", kind="B", timestamp=T0, data={})
    )
    assert [n.data for n in await store.list_notifications("CP1", "A")] == [{"x": 1}]
    await store.record_operation_status("CP1", OperationKind.firmware, "Installed", request_id=3)
    await store.set_configuration("CP1", {"HeartbeatInterval": "300"})
    station = await store.get_station("CP1")
    assert station is not None
    assert station.operations[OperationKind.firmware].status == "Installed"
    assert station.configuration == {"HeartbeatInterval": "300"}


async def test_memory_store_bounds_its_logs() -> None:
    store = MemoryStateStore(
        keep_meter_values=3, keep_notifications=2, keep_security_events=1, keep_ended_transactions=1
    )
    for n in range(5):
        sample = MeterSample(measurand="Energy.Active.Import.Register", value=n, unit="Wh")
        await store.add_meter_values("CP1", [MeterValueRecord(timestamp=T0, samples=(sample,))])
        await store.add_notification(
            NotificationRecord(charge_point_id="CP1", kind="N", timestamp=T0, data={"n": n})
        )
        await store.add_security_event(
            SecurityEventRecord(charge_point_id="CP1", event_type=f"E{n}", timestamp=T0)
        )
        await store.start_transaction(
            TransactionRecord(
                charge_point_id="CP1",
                transaction_id=str(n),
                evse_id=1,
                connector_id=1,
                started_at=T0,
            )
        )
        await store.end_transaction("CP1", str(n), stopped_at=T0)
    values = await store.list_meter_values("CP1")
    assert [v.samples[0].value for v in values] == [2, 3, 4]
    assert [n.data["n"] for n in await store.list_notifications("CP1")] == [3, 4]
    assert [e.event_type for e in await store.list_security_events("CP1")] == ["E4"]
    assert [t.transaction_id for t in await store.list_transactions("CP1")] == ["4"]


async def test_transaction_snapshots_are_independent(store: ChargerStateStore) -> None:
    sample = MeterSample(measurand="Energy.Active.Import.Register", value=1, unit="Wh")
    await store.start_transaction(
        TransactionRecord(
            charge_point_id="CP1", transaction_id="t", evse_id=1, connector_id=1, started_at=T0
        )
    )
    await store.add_meter_values(
        "CP1", [MeterValueRecord(timestamp=T0, samples=(sample,), transaction_id="t")]
    )
    snapshot = await store.get_transaction("CP1", "t")
    assert snapshot is not None
    snapshot.meter_values.clear()
    snapshot.id_token = "changed"
    stored = await store.get_transaction("CP1", "t")
    assert stored is not None and len(stored.meter_values) == 1 and stored.id_token is None
    (other,) = await store.list_transactions(active_only=True)
    assert other.transaction_id == "t"
