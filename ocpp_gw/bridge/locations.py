"""Stations → OCPI Locations with live EVSE status: :class:`LocationPublisher`.

On the first boot (or the first status) of a station its Location is created in the store
(``Crud.create(ModuleID.locations, RoleEnum.cpo, ...)``) and ``PUT`` to every partner with a
locations Receiver; a new EVSE or connector updates and re-sends the Location; a status change
updates the store and ``PATCH``-es the EVSE (``status`` + ``last_updated``). A station silent
for ``offline_after`` seconds shows ``offline_status`` on every EVSE until its next message.
"""

from __future__ import annotations

import asyncio
import copy
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ocpi.core.enums import ModuleID, RoleEnum
from ocpi.core.exceptions import NotFoundOCPIError
from ocpi.core.partner import PartnerClient
from ocpp_gw.bridge.directory import PartnerInfo
from ocpp_gw.bridge.mapping import EvseState, StationMap, StationState, config_from_location
from ocpp_gw.bridge.render import evse_for, evse_status_of, location_document, location_for
from ocpp_gw.events import (
    ChargerBooted,
    ChargerConnected,
    ChargerDisconnected,
    DeviceEventReceived,
    Event,
    StatusChanged,
)

if TYPE_CHECKING:
    from ocpp_gw.bridge.bridge import Bridge

__all__ = ["LocationPublisher"]

logger = logging.getLogger(__name__)

# Components whose AvailabilityState is a status (EVSE-level states apply to its connectors).
_AVAILABILITY = frozenset({"Connector", "EVSE", "ChargingStation"})


class LocationPublisher:
    """Keeps the store's Locations and the partners' copies in step with the stations."""

    def __init__(self, bridge: Bridge) -> None:
        self.bridge = bridge
        #: The stored Location of each station (as last written).
        self.documents: dict[str, dict[str, Any]] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._last_seen: dict[str, float] = {}
        self._timers: dict[str, asyncio.TimerHandle] = {}
        #: (partner key, location id) of every Location PUT to a partner.
        self._sent: set[tuple[str, str]] = set()

    # -- events -------------------------------------------------------------------------------

    async def on_event(self, event: Event) -> None:
        """Any message from a station: it is alive (and back, if it was silent)."""
        if not isinstance(event, ChargerDisconnected):
            await self.seen(event.charge_point_id)

    async def seen(self, charge_point_id: str) -> None:
        """The station just sent something (also a Heartbeat, which has no event)."""
        loop = asyncio.get_running_loop()
        self._last_seen[charge_point_id] = loop.time()
        state = self.bridge.stations.states.get(charge_point_id)
        if state is not None and state.offline:
            state.offline = False
            logger.info("%s is back; restoring EVSE statuses", charge_point_id)
            await self._push_statuses(charge_point_id)
        self._arm(charge_point_id)

    async def on_booted(self, event: ChargerBooted) -> None:
        await self.on_event(event)
        state = self._state(event.charge_point_id, event.version)
        state.version = event.version
        await self.publish(event.charge_point_id)

    async def on_connected(self, event: ChargerConnected) -> None:
        self._state(event.charge_point_id, event.version)
        await self.on_event(event)

    async def on_status(self, event: StatusChanged) -> None:
        await self.on_event(event)
        cp_id = event.charge_point_id
        state = self._state(cp_id, event.version)
        if event.evse_id is None and event.version != "1.6":
            evse_number, connector = None, event.connector_id
        elif event.version == "1.6":
            evse_number, connector = event.connector_id or None, 1
        else:
            evse_number, connector = event.evse_id or None, event.connector_id or 1
        if evse_number is None:
            # The whole station (1.6 connector 0, 2.x without EVSE).
            state.station_status = event.status
            state.last_updated = event.timestamp
            for each in state.evses.values():
                each.last_updated = event.timestamp
            if cp_id not in self.documents:
                await self.publish(cp_id)
            else:
                await self._push_statuses(cp_id)
            return
        evse = state.evses.get(evse_number)
        new_structure = evse is None or connector not in evse.connectors
        if evse is None:
            evse = state.evses[evse_number] = EvseState(evse_number)
        assert connector is not None
        before = evse_status_of(self.bridge.stations, cp_id, evse_number, "")
        evse.connectors[connector] = event.status
        evse.last_updated = event.timestamp
        if new_structure or cp_id not in self.documents:
            await self.publish(cp_id)
            return
        await self._write(cp_id)
        after = evse_status_of(self.bridge.stations, cp_id, evse_number, "")
        if after != before:
            await self._push_status(cp_id, evse_number)

    async def on_device_event(self, event: DeviceEventReceived) -> None:
        """2.x ``NotifyEvent`` of a connector's ``AvailabilityState``: a status, reported the
        device-model way (2.1 stations prefer it to StatusNotification)."""
        if event.variable != "AvailabilityState" or event.component not in _AVAILABILITY:
            return
        if event.evse_id is None and event.component != "ChargingStation":
            return
        await self.on_status(
            StatusChanged(
                charge_point_id=event.charge_point_id,
                version=event.version,
                timestamp=event.timestamp,
                evse_id=event.evse_id if event.component != "ChargingStation" else None,
                connector_id=event.connector_id or 1,
                status=event.actual_value,
            )
        )

    # -- after a restart ----------------------------------------------------------------------

    async def stored(self, location_id: str) -> dict[str, Any] | None:
        """A Location as the store has it (completed to the shape the bridge writes)."""
        try:
            found = await self.bridge.store_get(ModuleID.locations, location_id)
        except NotFoundOCPIError:
            return None
        return None if found is None else self._complete(_plain(found))

    async def _stored_locations(self) -> list[dict[str, Any]]:
        """Every Location of ours in the store (pages of 100)."""
        kwargs = self.bridge._kwargs(ModuleID.locations)
        found: list[dict[str, Any]] = []
        offset = 0
        while True:
            items, total, last = await self.bridge.inner_crud.list(
                ModuleID.locations, RoleEnum.cpo, {"offset": offset, "limit": 100}, **kwargs
            )
            found.extend(self._complete(_plain(item)) for item in items)
            offset += len(items)
            if last or not items or offset >= total:
                return [
                    document
                    for document in found
                    if (document.get("country_code"), document.get("party_id"))
                    in (
                        (None, None),
                        self.bridge.party,
                    )
                ]

    def _complete(self, document: dict[str, Any]) -> dict[str, Any]:
        """Fields a store serving one version may drop from the all-versions Location."""
        defaults = self.bridge.settings.default_location
        document.setdefault("type", defaults.location_type)
        cc, pid = self.bridge.party
        document.setdefault("country_code", cc)
        document.setdefault("party_id", pid)
        for evse in document.get("evses") or []:
            for connector in evse.get("connectors") or []:
                if "max_voltage" in connector:
                    connector.setdefault("voltage", connector["max_voltage"])
                if "max_amperage" in connector:
                    connector.setdefault("amperage", connector["max_amperage"])
                if connector.get("tariff_ids"):
                    connector.setdefault("tariff_id", connector["tariff_ids"][0])
        return document

    async def restore(self) -> list[str]:
        """At start: every station the gateway's state knows gets its mapping back from its
        stored Location (see :func:`~ocpp_gw.bridge.mapping.config_from_location`) and its state
        from the gateway's connector records. Returns the stations restored."""
        state_store = self.bridge.gateway.state
        stations = self.bridge.stations
        records = {
            station.charge_point_id: station for station in await state_store.list_stations()
        }
        if not records:
            return []
        locations = await self._stored_locations()
        restored: list[str] = []
        for charge_point_id, record in sorted(records.items()):
            connectors = await state_store.list_connectors(charge_point_id)
            version = record.version or "1.6"
            state = StationState(charge_point_id, version)
            for connector in connectors:
                if version == "1.6":
                    evse_number, number = connector.connector_id or None, 1
                else:
                    evse_number, number = connector.evse_id or None, connector.connector_id or 1
                if evse_number is None:
                    state.station_status = connector.status
                    state.last_updated = connector.updated_at
                    continue
                evse = state.evses.setdefault(evse_number, EvseState(evse_number))
                evse.connectors[number] = connector.status
                evse.last_updated = connector.updated_at
            if charge_point_id not in stations.configs:
                document = _location_of(stations, charge_point_id, sorted(state.evses), locations)
                if document is not None:
                    stations.set_config(
                        charge_point_id,
                        config_from_location(
                            stations,
                            charge_point_id,
                            document,
                            self.bridge.settings,
                            sorted(state.evses),
                        ),
                    )
                    self.documents.setdefault(charge_point_id, document)
            if state.evses and charge_point_id not in stations.states:
                stations.states[charge_point_id] = state
                restored.append(charge_point_id)
        return restored

    # -- publishing ---------------------------------------------------------------------------

    async def publish(self, charge_point_id: str) -> None:
        """Write the station's Location to the store and ``PUT`` it to every receiver."""
        document = await self._write(charge_point_id)
        for partner in await self.bridge.directory.receivers(ModuleID.locations):
            self._put(partner, document)

    async def resend(self, partner_key: str | None = None) -> int:
        """``PUT`` every Location again (to one partner, e.g. one that registered late, or to
        all); returns how many were queued."""
        count = 0
        for partner in await self.bridge.directory.receivers(ModuleID.locations):
            if partner_key is not None and partner.key != partner_key:
                continue
            for document in self.documents.values():
                self._put(partner, document)
                count += 1
        return count

    def _put(self, partner: PartnerInfo, document: Mapping[str, Any]) -> None:
        """Queue a ``PUT`` of ``document`` in the partner's version."""
        cc, pid = self.bridge.party
        location_id = str(document["id"])
        try:
            body = location_for(document, partner.version)
        except ValueError:
            logger.exception("location %s is not valid in %s", location_id, partner.version)
            return
        self._sent.add((partner.key, location_id))

        async def put(client: PartnerClient) -> Any:
            return await client.put(ModuleID.locations, body, cc, pid, location_id)

        self.bridge.outbox.push(partner.key, f"PUT location {location_id}", put)

    async def republish(self, charge_point_id: str) -> None:
        """After an edit of the station's mapping: a new location id drops the old one."""
        old = self.documents.get(charge_point_id)
        new_id = self.bridge.stations.location_id(charge_point_id)
        if old is not None and old["id"] != new_id:
            await self._retire(old)
            self.documents.pop(charge_point_id, None)
        if charge_point_id in self.bridge.stations.states:
            await self.publish(charge_point_id)

    async def _retire(self, old: Mapping[str, Any]) -> None:
        """A location that is no more: stored and pushed as ``REMOVED`` EVSEs."""
        now = self.bridge.now_text()
        removed = dict(old)
        removed["evses"] = [
            {**evse, "status": "REMOVED", "last_updated": now} for evse in old.get("evses") or []
        ]
        removed["publish"] = False
        removed["last_updated"] = now
        await self.bridge.store_write(ModuleID.locations, removed, str(old["id"]))
        for partner in await self.bridge.directory.receivers(ModuleID.locations):
            self._put(partner, removed)

    async def _write(self, charge_point_id: str) -> dict[str, Any]:
        lock = self._locks.setdefault(charge_point_id, asyncio.Lock())
        async with lock:
            document = location_document(
                self.bridge.stations, charge_point_id, self.bridge.settings, datetime.now(UTC)
            )
            previous = self.documents.get(charge_point_id)
            if previous is None:
                try:
                    stored = await self.bridge.store_get(ModuleID.locations, document["id"])
                except NotFoundOCPIError:
                    stored = None
                if stored is None:
                    await self.bridge.store_create(ModuleID.locations, document)
                    self.documents[charge_point_id] = document
                    return document
            await self.bridge.store_write(ModuleID.locations, document, document["id"])
            self.documents[charge_point_id] = document
            return document

    async def _push_statuses(self, charge_point_id: str) -> None:
        state = self.bridge.stations.states.get(charge_point_id)
        if state is None:
            return
        if charge_point_id in self.documents:
            await self._write(charge_point_id)
        for number in sorted(state.evses):
            await self._push_status(charge_point_id, number)

    async def _push_status(self, charge_point_id: str, number: int) -> None:
        document = self.documents.get(charge_point_id)
        if document is None:
            return
        stations = self.bridge.stations
        uid = stations.evse_uid(charge_point_id, number)
        evse = next((e for e in document.get("evses") or [] if e["uid"] == uid), None)
        if evse is None:
            return
        cc, pid = self.bridge.party
        location_id = document["id"]
        body = {"status": evse["status"], "last_updated": evse["last_updated"]}
        for partner in await self.bridge.directory.receivers(ModuleID.locations):
            if (partner.key, location_id) not in self._sent:
                # A partner that registered after the location was published gets all of it.
                self._put(partner, document)
                continue

            async def patch(client: PartnerClient, body: dict[str, Any] = body) -> Any:
                return await client.patch(ModuleID.locations, body, cc, pid, location_id, uid)

            self.bridge.outbox.push(partner.key, f"PATCH EVSE {uid} {body['status']}", patch)

    def evse_document(self, charge_point_id: str, evse_uid: str, version: str) -> dict[str, Any]:
        """The EVSE as last stored, in ``version``'s shape."""
        document = self.documents[charge_point_id]
        evse = next(e for e in document.get("evses") or [] if e["uid"] == evse_uid)
        return evse_for(evse, version)

    # -- silence ------------------------------------------------------------------------------

    def _state(self, charge_point_id: str, version: str) -> StationState:
        states = self.bridge.stations.states
        state = states.get(charge_point_id)
        if state is None:
            state = states[charge_point_id] = StationState(charge_point_id, version)
        return state

    def _arm(self, charge_point_id: str) -> None:
        after = self.bridge.settings.offline_after
        if after is None or charge_point_id in self._timers:
            return
        loop = asyncio.get_running_loop()
        self._timers[charge_point_id] = loop.call_later(after, self._check, charge_point_id)

    def _check(self, charge_point_id: str) -> None:
        self._timers.pop(charge_point_id, None)
        after = self.bridge.settings.offline_after
        assert after is not None
        loop = asyncio.get_running_loop()
        last = self._last_seen.get(charge_point_id, 0.0)
        connection = self.bridge.gateway.connection(charge_point_id)
        if connection is not None and not connection.closed:
            last = max(last, connection.last_activity)
        remaining = last + after - loop.time()
        if remaining > 0:
            self._timers[charge_point_id] = loop.call_later(remaining, self._check, charge_point_id)
            return
        state = self.bridge.stations.states.get(charge_point_id)
        if state is None or state.offline:
            return
        state.offline = True
        logger.info(
            "%s silent for %.0f s: %s", charge_point_id, after, self.bridge.settings.offline_status
        )
        self.bridge.spawn(self._push_statuses(charge_point_id), f"offline {charge_point_id}")

    def close(self) -> None:
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()


def _plain(value: Any) -> dict[str, Any]:
    """A copy of a stored object as a dict (completing it must not touch the store's own)."""
    if isinstance(value, Mapping):
        return copy.deepcopy(dict(value))
    result: dict[str, Any] = value.model_dump(mode="json", exclude_none=True)
    return result


def _location_of(
    stations: StationMap,
    charge_point_id: str,
    numbers: list[int],
    locations: list[dict[str, Any]],
) -> dict[str, Any] | None:
    """The stored Location of a station: the one with its id (the default location id), else
    one with an EVSE whose uid or EVSE ID is one the station has by default. A Location whose
    EVSEs are all ``REMOVED`` (retired by an edit) is no station's."""
    live = [
        document
        for document in locations
        if not document.get("evses")
        or any(evse.get("status") != "REMOVED" for evse in document["evses"])
    ]
    for document in live:
        if document.get("id") == charge_point_id[:36]:
            return document
    defaults = StationMap(stations.country_code, stations.party_id)
    uids = {defaults.evse_uid(charge_point_id, n) for n in numbers}
    evse_ids = {defaults.evse_id(charge_point_id, n) for n in numbers}
    for document in live:
        for evse in document.get("evses") or []:
            if evse.get("uid") in uids or evse.get("evse_id") in evse_ids:
                return document
    return None
