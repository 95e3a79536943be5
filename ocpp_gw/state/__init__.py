"""What the gateway knows about its charging stations, and where it keeps it.

:class:`ChargerStateStore` is the small async interface the default handlers record into; it is
version-neutral (1.6 connectors are stored with ``evse_id=None``, 1.6 integer transaction ids as
strings). :class:`MemoryStateStore` is the single-process default; a SQL store implements the same
methods. Records are plain dataclasses and the store hands out snapshots: changing a returned
record does not change the store, call a ``record_*``/``update_*`` method instead::

    store = MemoryStateStore()
    await store.record_boot("CP1", BootInfo(vendor="ACME", model="Fast 50"), version="1.6")
    station = await store.get_station("CP1")
    assert station is not None and station.vendor == "ACME"
"""

from ocpp_gw.state.memory import STATUS_HISTORY_LIMIT, MemoryStateStore
from ocpp_gw.state.records import (
    BootInfo,
    ChargingLimitRecord,
    ConnectorRecord,
    MeterValueRecord,
    NotificationRecord,
    OperationKind,
    OperationStatus,
    ReservationRecord,
    SecurityEventRecord,
    StationRecord,
    StatusEntry,
    TransactionRecord,
    TransactionState,
    TransactionUpdate,
    VariableRecord,
)
from ocpp_gw.state.store import ChargerStateStore

__all__ = [
    "STATUS_HISTORY_LIMIT",
    "BootInfo",
    "ChargerStateStore",
    "ChargingLimitRecord",
    "ConnectorRecord",
    "MemoryStateStore",
    "MeterValueRecord",
    "NotificationRecord",
    "OperationKind",
    "OperationStatus",
    "ReservationRecord",
    "SecurityEventRecord",
    "StationRecord",
    "StatusEntry",
    "TransactionRecord",
    "TransactionState",
    "TransactionUpdate",
    "VariableRecord",
]
