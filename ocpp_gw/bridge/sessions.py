"""Transactions → OCPI Sessions and CDRs: :class:`SessionPublisher`.

A transaction started with a token the bridge accepted for an eMSP (a pushed token, a real-time
authorization, or a START_SESSION) becomes a Session: stored through the Crud (sessions, CPO
role, in ``store_version``) and ``PUT`` to the token's eMSP in the eMSP's version. Meter values
update ``kwh``, ``charging_periods`` and ``total_cost`` (priced by the tariff engine as if the
session ended now) and are ``PATCH``-ed at most once per ``session_patch_interval`` seconds. The
end completes the Session and produces a CDR, priced with the connector's tariff (its first
``tariff_ids`` entry, read with ``Crud.get(ModuleID.tariffs, ...)``) or the configured default,
stored and ``POST``-ed to the eMSP.

Session ids are derived from the transaction (:meth:`SessionPublisher.session_id`), so after a
restart the Session stored at the start is found again: :meth:`SessionPublisher.live` rebuilds a
session from it and the gateway's state (transaction, meter values) when an event names a
transaction the bridge does not follow, and ``Bridge.start`` does it for every active one.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from ocpi.core.enums import ModuleID
from ocpi.core.exceptions import NotFoundOCPIError
from ocpi.core.partner import PartnerClient
from ocpp_gw.bridge.authorizer import Authorization
from ocpp_gw.bridge.mapping import EvseState
from ocpp_gw.bridge.render import SessionRecord, TokenRef, cdr_for, session_for
from ocpp_gw.bridge.tariff_engine import ChargingSession, MeterSample, TariffEngine
from ocpp_gw.bridge.tariff_model import OcpiVersion
from ocpp_gw.events import (
    MeterValuesReceived,
    TransactionEnded,
    TransactionStarted,
    TransactionUpdated,
)
from ocpp_gw.handlers.meter import ENERGY_REGISTER

if TYPE_CHECKING:
    from ocpp_gw.bridge.bridge import Bridge

__all__ = ["LiveSession", "SessionPublisher"]

logger = logging.getLogger(__name__)

#: Namespace of the derived Session ids (see :meth:`SessionPublisher.session_id`).
_SESSION_NAMESPACE = uuid.UUID("5a1f0c3e-6b1d-4c1e-9a57-0c9b1d0e2f41")

_PATCH_FIELDS = ("kwh", "charging_periods", "total_cost", "currency", "status", "last_updated")


@dataclass
class LiveSession:
    """A session the bridge follows: its record, meter samples and tariff."""

    record: SessionRecord
    tariff: dict[str, Any]
    tariff_version: str
    samples: list[MeterSample] = field(default_factory=list)
    last_patch: float | None = None
    patch_timer: asyncio.TimerHandle | None = None
    cdr: dict[str, Any] | None = None


def _free_tariff(currency: str) -> dict[str, Any]:
    return {
        "id": "FREE",
        "currency": currency,
        "elements": [{"price_components": [{"type": "ENERGY", "price": 0, "step_size": 1}]}],
    }


class SessionPublisher:
    """Follows transactions and keeps store and eMSP up to date (see the module docstring)."""

    def __init__(self, bridge: Bridge) -> None:
        self.bridge = bridge
        #: Live and finished sessions by (station, transaction id).
        self.sessions: dict[tuple[str, str], LiveSession] = {}
        #: Transactions known to have no Session (a local card), so they are not looked up again.
        self._unbridged: set[tuple[str, str]] = set()
        self._recovering: dict[tuple[str, str], asyncio.Lock] = {}

    def by_id(self, session_id: str) -> LiveSession | None:
        for live in self.sessions.values():
            if live.record.id == session_id:
                return live
        return None

    def as_version(self, module: ModuleID, item: Any, version: str | None) -> Any:
        """A stored Session/CDR in ``version``'s shape when the bridge made it (the store holds
        ``store_version``); anything else unchanged."""
        if version is None or version == self.bridge.settings.store_version:
            return item
        item_id = item.get("id") if isinstance(item, Mapping) else getattr(item, "id", None)
        live = self.by_id(str(item_id)) if item_id is not None else None
        if live is None:
            return item
        if module == ModuleID.sessions:
            return self.session_document(live, version)
        if module == ModuleID.cdrs and live.record.end is not None:
            return self._cdr(live, version) or item
        return item

    def session_id(self, charge_point_id: str, transaction_id: str, started_at: datetime) -> str:
        """The id of a transaction's Session: derived from our party, the station, the
        transaction and its start (to the second), so that it is found again after a restart
        (and a transaction id a station reuses later makes another Session)."""
        if started_at.tzinfo is None:
            started_at = started_at.replace(tzinfo=UTC)
        start = started_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        cc, pid = self.bridge.party
        name = f"{cc}*{pid}/{charge_point_id}/{transaction_id}/{start}"
        return uuid.uuid5(_SESSION_NAMESPACE, name).hex

    # -- recovery after a restart -------------------------------------------------------------

    async def live(self, charge_point_id: str, transaction_id: str) -> LiveSession | None:
        """The session of a transaction: followed since it started, or rebuilt from the store
        after a restart (see :meth:`recover`)."""
        key = (charge_point_id, transaction_id)
        live = self.sessions.get(key)
        if live is not None or key in self._unbridged:
            return live
        lock = self._recovering.setdefault(key, asyncio.Lock())
        try:
            async with lock:
                live = self.sessions.get(key)
                if live is not None or key in self._unbridged:
                    return live
                try:
                    live = await self.recover(charge_point_id, transaction_id)
                except Exception:  # tried again with the transaction's next event
                    logger.exception(
                        "%s transaction %s: session not rebuilt", charge_point_id, transaction_id
                    )
                    return None
                if live is None:
                    self._unbridged.add(key)
                else:
                    self.sessions[key] = live
                    # The eMSP may have missed pushes queued when we stopped: all of it again.
                    self._push_session(live, "PUT")
                return live
        finally:
            if not lock.locked():
                self._recovering.pop(key, None)

    async def recover_active(self) -> int:
        """Rebuild the session of every transaction the gateway's state has active (at start);
        returns how many were rebuilt."""
        count = 0
        for transaction in await self.bridge.gateway.state.list_transactions(active_only=True):
            live = await self.live(transaction.charge_point_id, transaction.transaction_id)
            count += live is not None
        return count

    async def recover(self, charge_point_id: str, transaction_id: str) -> LiveSession | None:
        """Rebuild a live session after a restart: the Session stored at its start (through the
        Crud), the transaction and its meter values (the gateway's state), the token's eMSP (the
        directory) and the connector's tariff. ``None``: the transaction has no Session (or is
        unknown, or its Session already completed)."""
        transaction = await self.bridge.gateway.state.get_transaction(
            charge_point_id, transaction_id
        )
        if transaction is None:
            return None
        session_id = self.session_id(charge_point_id, transaction_id, transaction.started_at)
        try:
            found = await self.bridge.store_get(ModuleID.sessions, session_id)
        except NotFoundOCPIError:
            found = None
        if found is None:
            return None
        stored = _plain(found)
        if stored.get("status") not in ("ACTIVE", "PENDING", None):
            return None  # completed before the restart: its CDR was made then
        document = await self._stored_location(charge_point_id, stored)
        if document is None:
            logger.warning("%s session %s: its location is gone", charge_point_id, session_id)
            return None
        evse_uid = str(stored.get("evse_uid") or "")
        connector_id = str(stored.get("connector_id") or "")
        if not evse_uid:  # 2.1.1 embeds the location with the one EVSE and connector used
            evse = ((stored.get("location") or {}).get("evses") or [{}])[0]
            evse_uid = str(evse.get("uid") or "")
            connector_id = str(((evse.get("connectors") or [{}])[0]).get("id") or "")
        token = _token_of(stored, transaction.id_token or "")
        owner = await self.bridge.directory.partner_for_party(token.country_code, token.party_id)
        if owner is None:
            owner = await self.bridge.token_owner({"uid": token.uid})
        if not token.country_code:
            token = self.bridge.token_ref(
                {"uid": token.uid, "contract_id": token.contract_id}, owner
            )
        tariff, tariff_version = await self._tariff(document, evse_uid, connector_id)
        start_text = stored.get("start_date_time") or stored.get("start_datetime")
        record = SessionRecord(
            id=session_id,
            charge_point_id=charge_point_id,
            transaction_id=transaction_id,
            token=token,
            auth_method=str(stored.get("auth_method") or "WHITELIST"),
            authorization_reference=stored.get("authorization_reference"),
            location=document,
            evse_uid=evse_uid,
            connector_id=connector_id,
            start=_parse(start_text) if start_text else transaction.started_at,
            currency=str(stored.get("currency") or tariff.get("currency") or "EUR"),
            kwh=float(stored.get("kwh") or 0.0),
            last_updated=datetime.now(UTC),
            partner_key=None if owner is None else owner.key,
            meter_id=stored.get("meter_id"),
        )
        record.extra["stored"] = True
        live = LiveSession(record, tariff, tariff_version)
        if transaction.meter_start_wh is not None:
            live.samples.append(
                MeterSample(transaction.started_at, Decimal(str(transaction.meter_start_wh)))
            )
        values = await self.bridge.gateway.state.list_meter_values(
            charge_point_id, transaction_id=transaction_id
        )
        for value in values:
            sample = _energy_sample(value.timestamp, value.samples)
            if sample is not None:
                live.samples.append(sample)
        logger.info(
            "%s transaction %s: session %s rebuilt (%d meter values)",
            charge_point_id,
            transaction_id,
            session_id,
            len(live.samples),
        )
        return live

    async def _stored_location(
        self, charge_point_id: str, session: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        location_id = session.get("location_id") or (session.get("location") or {}).get("id")
        document = self.bridge.locations.documents.get(charge_point_id)
        if document is not None and document.get("id") == location_id:
            return document
        if not location_id:
            return None
        return await self.bridge.locations.stored(str(location_id))

    # -- events -------------------------------------------------------------------------------

    async def on_started(self, event: TransactionStarted) -> None:
        cp_id, tx_id = event.charge_point_id, event.transaction_id
        if (cp_id, tx_id) in self.sessions:
            return
        transaction = await self.bridge.gateway.state.get_transaction(cp_id, tx_id)
        if transaction is not None and transaction.authorization_status not in (None, "Accepted"):
            return
        authorization = self.bridge.commands.claim_remote_start(cp_id, event)
        if authorization is None and event.id_token is not None:
            authorization = self.bridge.authorizer.accepted.get((cp_id, event.id_token))
        if authorization is None:
            logger.info("%s transaction %s has no eMSP token: no session", cp_id, tx_id)
            return
        live = await self._open(event, authorization)
        self.sessions[(cp_id, tx_id)] = live
        if event.meter_start_wh is not None:
            live.samples.append(MeterSample(event.timestamp, Decimal(str(event.meter_start_wh))))
        await self._store(live)
        self._push_session(live, "PUT")

    async def on_updated(self, event: TransactionUpdated) -> None:
        """A 2.x transaction that started without a token (cable first) gets its token later:
        the Session starts then."""
        cp_id, tx_id = event.charge_point_id, event.transaction_id
        if await self.live(cp_id, tx_id) is not None:
            return  # its meter values arrive as MeterValuesReceived
        record = await self.bridge.gateway.state.get_transaction(cp_id, tx_id)
        if record is None or record.id_token is None or record.authorization_status != "Accepted":
            return
        await self.on_started(
            TransactionStarted(
                charge_point_id=cp_id,
                version=event.version,
                timestamp=record.started_at,
                transaction_id=tx_id,
                evse_id=record.evse_id,
                connector_id=record.connector_id,
                id_token=record.id_token,
                id_token_type=record.id_token_type,
                meter_start_wh=record.meter_start_wh,
                reservation_id=record.reservation_id,
                remote_start_id=record.remote_start_id,
            )
        )
        live = self.sessions.get((cp_id, tx_id))
        if live is not None and event.meter_wh is not None:
            live.samples.append(MeterSample(event.timestamp, Decimal(str(event.meter_wh))))
            self._refresh(live, datetime.now(UTC))
            await self._store(live)
            self._schedule_patch(live)

    async def on_meter_values(self, event: MeterValuesReceived) -> None:
        if event.transaction_id is None:
            return
        live = await self.live(event.charge_point_id, event.transaction_id)
        if live is None or live.record.status != "ACTIVE":
            return
        sample = _energy_sample(event.sampled_at, event.samples)
        if sample is None:
            return
        live.samples.append(sample)
        self._refresh(live, datetime.now(UTC))
        await self._store(live)
        self._schedule_patch(live)

    async def on_ended(self, event: TransactionEnded) -> None:
        key = (event.charge_point_id, event.transaction_id)
        live = await self.live(*key)
        self._unbridged.discard(key)
        if live is None or live.record.status != "ACTIVE":
            return
        if live.patch_timer is not None:
            live.patch_timer.cancel()
            live.patch_timer = None
        record = live.record
        record.end = max(event.timestamp, record.start)
        if event.meter_stop_wh is not None:
            live.samples.append(MeterSample(record.end, Decimal(str(event.meter_stop_wh))))
        record.status = "COMPLETED"
        record.last_updated = datetime.now(UTC)
        result = self._engine(live).price(self._charging_session(live, record.end))
        record.kwh = float(result.total_energy_kwh.quantize(Decimal("0.0001")))
        await self._store(live)
        self._push_session(live, "PUT")
        stored = self._cdr(live, self.bridge.settings.store_version)
        if stored is not None:
            live.cdr = stored
            await self.bridge.store_create(ModuleID.cdrs, stored)
        self._push_cdr(live)
        self.bridge.commands.session_ended(record.id)
        self._prune()

    def _prune(self) -> None:
        """Forget the oldest finished sessions beyond ``keep_finished_sessions``."""
        finished = [key for key, live in self.sessions.items() if live.record.status != "ACTIVE"]
        for key in finished[: max(0, len(finished) - self.bridge.settings.keep_finished_sessions)]:
            del self.sessions[key]

    # -- building -----------------------------------------------------------------------------

    async def _open(self, event: TransactionStarted, authorization: Authorization) -> LiveSession:
        cp_id = event.charge_point_id
        stations = self.bridge.stations
        if event.version == "1.6":
            evse_number, connector_number = event.connector_id or 1, 1
        else:
            evse_number, connector_number = event.evse_id or 1, event.connector_id or 1
        locations = self.bridge.locations
        evse_uid = stations.evse_uid(cp_id, evse_number)
        connector_id = stations.connector_id(cp_id, evse_number, connector_number)
        document = locations.documents.get(cp_id)
        if document is None or not _has_connector(document, evse_uid, connector_id):
            state = stations.states.get(cp_id)
            if state is not None:
                evse = state.evses.setdefault(evse_number, EvseState(evse_number))
                evse.connectors.setdefault(connector_number, "Occupied")
            await locations.publish(cp_id)
            document = locations.documents[cp_id]
        tariff, tariff_version = await self._tariff(document, evse_uid, connector_id)
        record = SessionRecord(
            id=self.session_id(cp_id, event.transaction_id, event.timestamp),
            charge_point_id=cp_id,
            transaction_id=event.transaction_id,
            token=authorization.token,
            auth_method=authorization.auth_method,
            authorization_reference=authorization.authorization_reference,
            location=document,
            evse_uid=evse_uid,
            connector_id=connector_id,
            start=event.timestamp,
            currency=str(tariff.get("currency") or self.bridge.settings.currency),
            last_updated=datetime.now(UTC),
            partner_key=authorization.partner_key,
        )
        return LiveSession(record, tariff, tariff_version)

    async def _tariff(
        self, location: Mapping[str, Any], evse_uid: str, connector_id: str
    ) -> tuple[dict[str, Any], str]:
        settings = self.bridge.settings
        for evse in location.get("evses") or []:
            if evse.get("uid") != evse_uid:
                continue
            for connector in evse.get("connectors") or []:
                if connector.get("id") != connector_id:
                    continue
                for tariff_id in connector.get("tariff_ids") or []:
                    try:
                        tariff = await self.bridge.store_get(ModuleID.tariffs, tariff_id)
                    except NotFoundOCPIError:
                        tariff = None
                    if tariff is not None:
                        plain = _plain(tariff)
                        version = "2.3.0" if "tax_included" in plain else settings.store_version
                        return plain, version
        if settings.default_tariff is not None:
            return dict(settings.default_tariff), settings.default_tariff_version
        return _free_tariff(settings.currency), settings.store_version

    def _engine(self, live: LiveSession, version: str | None = None) -> TariffEngine:
        # Priced in the version the costs are rendered in (2.1.1 has no VAT, 2.3.0 taxes).
        tariff = dict(live.tariff)
        target = version or live.tariff_version
        if target == "2.3.0" and "tax_included" not in tariff:
            tariff["tax_included"] = "NO"
        if target != "2.3.0":
            tariff.pop("tax_included", None)
        return TariffEngine(tariff, version=cast("OcpiVersion", target))

    def _charging_session(self, live: LiveSession, end: datetime) -> ChargingSession:
        record = live.record
        # One sample per moment (a rebuilt session may read one twice: stored and announced).
        unique = {s.timestamp: s for s in live.samples}
        samples = [unique[t] for t in sorted(unique) if t >= record.start]
        return ChargingSession(
            record.start,
            max(end, record.start),
            str(record.location.get("time_zone") or "UTC"),
            samples=tuple(samples),
        )

    def _refresh(self, live: LiveSession, now: datetime) -> None:
        record = live.record
        result = self._engine(live).running_cost(self._charging_session(live, now), now)
        record.kwh = float(result.total_energy_kwh.quantize(Decimal("0.0001")))
        record.last_updated = now

    def _costs(self, live: LiveSession, version: str) -> dict[str, Any]:
        record = live.record
        engine = self._engine(live, version)
        if record.end is not None:
            result = engine.price(self._charging_session(live, record.end))
        else:
            now = datetime.now(UTC)
            result = engine.running_cost(self._charging_session(live, now), now)
        return result.session_fields()

    def session_document(self, live: LiveSession, version: str) -> dict[str, Any]:
        return session_for(live.record, version, self._costs(live, version))

    def _cdr(self, live: LiveSession, version: str) -> dict[str, Any] | None:
        record = live.record
        assert record.end is not None
        result = self._engine(live, version).price(self._charging_session(live, record.end))
        try:
            return cdr_for(record, version, result.cdr_fields())
        except ValueError:
            logger.exception("CDR of session %s is not valid in %s", record.id, version)
            return None

    # -- store and push -----------------------------------------------------------------------

    async def _store(self, live: LiveSession) -> None:
        version = self.bridge.settings.store_version
        document = self.session_document(live, version)
        record = live.record
        if record.extra.get("stored"):
            await self.bridge.store_write(ModuleID.sessions, document, record.id)
        else:
            await self.bridge.store_create(ModuleID.sessions, document)
            record.extra["stored"] = True

    def _push_session(self, live: LiveSession, method: str) -> None:
        record = live.record
        if record.partner_key is None:
            return
        live.last_patch = asyncio.get_running_loop().time()
        cc, pid = record.location["country_code"], record.location["party_id"]

        async def send(client: PartnerClient) -> Any:
            document = self.session_document(live, str(client.version))
            if method == "PUT":
                return await client.put(ModuleID.sessions, document, cc, pid, record.id)
            changes = {k: v for k, v in document.items() if k in _PATCH_FIELDS}
            return await client.patch(ModuleID.sessions, changes, cc, pid, record.id)

        self.bridge.outbox.push(record.partner_key, f"{method} session {record.id}", send)

    def _schedule_patch(self, live: LiveSession) -> None:
        if live.patch_timer is not None:
            return  # a PATCH is already due; it will carry the latest values
        loop = asyncio.get_running_loop()
        interval = self.bridge.settings.session_patch_interval
        due = 0.0 if live.last_patch is None else live.last_patch + interval - loop.time()
        if due <= 0:
            self._push_session(live, "PATCH")
            return

        def fire() -> None:
            live.patch_timer = None
            if live.record.status == "ACTIVE":
                self._push_session(live, "PATCH")

        live.patch_timer = loop.call_later(due, fire)

    def _push_cdr(self, live: LiveSession) -> None:
        record = live.record
        if record.partner_key is None:
            return

        async def send(client: PartnerClient) -> Any:
            document = self._cdr(live, str(client.version))
            if document is None:
                raise ValueError(f"no valid CDR for session {record.id}")
            return await client.post_cdr(document)

        self.bridge.outbox.push(record.partner_key, f"POST CDR {record.id}", send)

    def close(self) -> None:
        for live in self.sessions.values():
            if live.patch_timer is not None:
                live.patch_timer.cancel()
                live.patch_timer = None


def _energy_sample(timestamp: datetime, samples: Any) -> MeterSample | None:
    """The energy register (and active power) of one sampling moment, if it has the register."""
    energy = power = None
    for sample in samples:
        if sample.measurand == ENERGY_REGISTER and sample.phase is None:
            energy = sample.value
        elif sample.measurand == "Power.Active.Import" and sample.phase is None:
            power = sample.value
    if energy is None:
        return None
    return MeterSample(
        timestamp, Decimal(str(energy)), None if power is None else Decimal(str(power))
    )


def _token_of(session: Mapping[str, Any], uid: str) -> TokenRef:
    """The token of a stored Session (2.2.1+: ``cdr_token``; 2.1.1: ``auth_id`` only)."""
    cdr_token = session.get("cdr_token")
    if isinstance(cdr_token, Mapping):
        return TokenRef(
            uid=str(cdr_token.get("uid") or uid),
            type=str(cdr_token.get("type") or "RFID"),
            contract_id=str(cdr_token.get("contract_id") or uid),
            country_code=str(cdr_token.get("country_code") or ""),
            party_id=str(cdr_token.get("party_id") or ""),
        )
    return TokenRef(
        uid=uid,
        type="RFID",
        contract_id=str(session.get("auth_id") or uid),
        country_code="",
        party_id="",
    )


def _parse(text: Any) -> datetime:
    value = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _has_connector(location: Mapping[str, Any], evse_uid: str, connector_id: str) -> bool:
    for evse in location.get("evses") or []:
        if evse.get("uid") == evse_uid:
            return any(c.get("id") == connector_id for c in evse.get("connectors") or [])
    return False


def _plain(value: Any) -> dict[str, Any]:
    if isinstance(value, Mapping):
        return dict(value)
    result: dict[str, Any] = value.model_dump(mode="json")
    return result
