"""The :class:`ChargerStateStore` interface every state store implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from datetime import datetime

from ocpp_gw.state.records import (
    BootInfo,
    ChargingLimitRecord,
    ConnectorRecord,
    MeterValueRecord,
    NotificationRecord,
    OperationKind,
    ReservationRecord,
    SecurityEventRecord,
    StationRecord,
    TransactionRecord,
    TransactionUpdate,
    VariableRecord,
)

__all__ = ["ChargerStateStore"]


class ChargerStateStore(ABC):
    """Async storage of charging-station state; every method is safe to call before a boot."""

    # Stations

    @abstractmethod
    async def get_station(self, charge_point_id: str) -> StationRecord | None: ...

    @abstractmethod
    async def list_stations(self) -> list[StationRecord]: ...

    @abstractmethod
    async def record_boot(
        self, charge_point_id: str, info: BootInfo, *, version: str, at: datetime | None = None
    ) -> StationRecord:
        """Store a BootNotification and return the station (with the registration to answer)."""

    @abstractmethod
    async def set_registration(
        self, charge_point_id: str, status: str, *, heartbeat_interval: int | None = None
    ) -> None:
        """Decide the answer to the station's next BootNotification (Accepted/Pending/Rejected)."""

    async def registration_status(self, charge_point_id: str) -> str | None:
        """The registration of a station that booted since the store knows it, else ``None``.

        Asked before every message by the default handlers (to refuse messages of a station
        that is Pending or Rejected), so stores may answer it cheaper than :meth:`get_station`.
        """
        station = await self.get_station(charge_point_id)
        if station is None or station.last_boot is None:
            return None
        return station.registration_status

    @abstractmethod
    async def touch(
        self, charge_point_id: str, *, heartbeat: bool = False, at: datetime | None = None
    ) -> None:
        """Mark the station as seen (and, with ``heartbeat``, as having sent a Heartbeat)."""

    @abstractmethod
    async def record_operation_status(
        self,
        charge_point_id: str,
        operation: OperationKind,
        status: str,
        *,
        request_id: int | None = None,
        at: datetime | None = None,
    ) -> None: ...

    @abstractmethod
    async def set_configuration(
        self, charge_point_id: str, values: Mapping[str, str | None]
    ) -> None:
        """Merge known configuration keys (1.6 GetConfiguration / ChangeConfiguration)."""

    # Connectors

    @abstractmethod
    async def record_status(
        self,
        charge_point_id: str,
        evse_id: int | None,
        connector_id: int | None,
        status: str,
        *,
        error_code: str | None = None,
        info: str | None = None,
        at: datetime | None = None,
    ) -> ConnectorRecord: ...

    @abstractmethod
    async def list_connectors(self, charge_point_id: str) -> list[ConnectorRecord]: ...

    # Transactions

    @abstractmethod
    async def next_transaction_id(self) -> int:
        """A new CSMS-assigned transaction id (1.6 StartTransaction), unique in this store."""

    @abstractmethod
    async def start_transaction(self, record: TransactionRecord) -> TransactionRecord: ...

    @abstractmethod
    async def update_transaction(
        self, charge_point_id: str, transaction_id: str, update: TransactionUpdate
    ) -> TransactionRecord | None: ...

    @abstractmethod
    async def end_transaction(
        self,
        charge_point_id: str,
        transaction_id: str,
        *,
        stopped_at: datetime,
        meter_stop_wh: float | None = None,
        reason: str | None = None,
        id_token: str | None = None,
    ) -> TransactionRecord | None:
        """Close a transaction; ``None`` if it is unknown. Ending twice keeps the first end."""

    @abstractmethod
    async def add_meter_values(
        self, charge_point_id: str, values: Sequence[MeterValueRecord]
    ) -> None:
        """Store meter values; those with a known ``transaction_id`` join that transaction."""

    @abstractmethod
    async def list_meter_values(
        self, charge_point_id: str, *, transaction_id: str | None = None
    ) -> list[MeterValueRecord]: ...

    @abstractmethod
    async def get_transaction(
        self, charge_point_id: str, transaction_id: str
    ) -> TransactionRecord | None: ...

    @abstractmethod
    async def active_transaction(
        self,
        charge_point_id: str,
        *,
        evse_id: int | None = None,
        connector_id: int | None = None,
    ) -> TransactionRecord | None:
        """The active transaction on an EVSE/connector (any of the station's if both ``None``)."""

    @abstractmethod
    async def list_transactions(
        self, charge_point_id: str | None = None, *, active_only: bool = False
    ) -> list[TransactionRecord]: ...

    # Reports, events and everything else

    @abstractmethod
    async def add_security_event(self, record: SecurityEventRecord) -> None: ...

    @abstractmethod
    async def list_security_events(self, charge_point_id: str) -> list[SecurityEventRecord]: ...

    @abstractmethod
    async def upsert_variables(
        self, charge_point_id: str, variables: Sequence[VariableRecord]
    ) -> None:
        """Merge device-model variables; monitors and attributes replace earlier reports."""

    @abstractmethod
    async def list_variables(self, charge_point_id: str) -> list[VariableRecord]: ...

    @abstractmethod
    async def record_reservation(
        self, charge_point_id: str, reservation_id: int, status: str, *, at: datetime | None = None
    ) -> None: ...

    @abstractmethod
    async def get_reservation(
        self, charge_point_id: str, reservation_id: int
    ) -> ReservationRecord | None: ...

    @abstractmethod
    async def record_charging_limit(self, record: ChargingLimitRecord) -> None:
        """Store a limit; a record with ``cleared=True`` replaces the limit of the same source."""

    @abstractmethod
    async def list_charging_limits(self, charge_point_id: str) -> list[ChargingLimitRecord]: ...

    @abstractmethod
    async def add_notification(self, record: NotificationRecord) -> None: ...

    @abstractmethod
    async def list_notifications(
        self, charge_point_id: str, kind: str | None = None
    ) -> list[NotificationRecord]: ...
