"""OCPI commands and charging-profile requests → OCPP calls: :class:`CommandBridge`.

=================== ======================================= =================================
OCPI                OCPP 1.6                                OCPP 2.0.1 / 2.1
=================== ======================================= =================================
START_SESSION       RemoteStartTransaction                  RequestStartTransaction
STOP_SESSION        RemoteStopTransaction                   RequestStopTransaction
RESERVE_NOW         ReserveNow                              ReserveNow
CANCEL_RESERVATION  CancelReservation                       CancelReservation
UNLOCK_CONNECTOR    UnlockConnector                         UnlockConnector
PUT profile         SetChargingProfile (TxProfile)          SetChargingProfile (TxProfile)
GET profile         GetCompositeSchedule                    GetCompositeSchedule
DELETE profile      ClearChargingProfile                    ClearChargingProfile
=================== ======================================= =================================

The station's answer is the synchronous response. START/STOP_SESSION results follow the
transaction (``ACCEPTED`` when it started / ended; the OCPI timer posts ``TIMEOUT`` otherwise);
the other commands' results are known from the station's answer and posted at once (a station
answering ``Occupied`` to ReserveNow gives ``EVSE_OCCUPIED`` ...). A cancelled reservation also
gets ``CANCELED_RESERVATION`` at its RESERVE_NOW ``response_url``.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ocpi.core.data_types import parse_datetime
from ocpi.core.enums import Action
from ocpp_gw.bridge.authorizer import Authorization
from ocpp_gw.bridge.tables import CANCEL_RESULTS, RESERVE_RESULTS, UNLOCK_RESULTS
from ocpp_gw.events import ReservationStatusChanged, TransactionStarted
from ocpp_gw.handlers.base import OCPPVersion, utc_now_iso
from ocpp_gw.protocol.errors import OCPPError

if TYPE_CHECKING:
    from ocpp_gw.bridge.bridge import Bridge

__all__ = ["CommandBridge", "RemoteStart", "Reservation"]

logger = logging.getLogger(__name__)

_RESULTS_211 = frozenset({"ACCEPTED", "REJECTED", "TIMEOUT", "NOT_SUPPORTED", "UNKNOWN_SESSION"})
_STATION_ERRORS = (OCPPError, TimeoutError, ConnectionError)


@dataclass
class RemoteStart:
    """A START_SESSION sent to a station, waiting for its transaction."""

    charge_point_id: str
    evse: int
    id_token: str
    remote_start_id: int | None
    authorization: Authorization
    response_url: str
    version: str


@dataclass
class Reservation:
    """A reservation made by RESERVE_NOW (its OCPP id is an integer)."""

    ocpi_id: str
    ocpp_id: int
    charge_point_id: str
    evse: int
    id_token: str
    authorization: Authorization
    response_url: str
    version: str


def _answer(result: str, timeout: int) -> dict[str, Any]:
    return {"result": result, "timeout": timeout}


class CommandBridge:
    """Executes commands and charging-profile requests on stations (see the module docstring)."""

    def __init__(self, bridge: Bridge) -> None:
        self.bridge = bridge
        self.remote_starts: list[RemoteStart] = []
        self.reservations: dict[str, Reservation] = {}
        #: STOP_SESSION response_url (and OCPI version) per session id.
        self.stops: dict[str, tuple[str, str]] = {}
        #: Charging profile id per session id.
        self.profiles: dict[str, int] = {}
        # OCPP ids (remoteStartId, reservation and profile ids) must not repeat ones a station
        # may still hold from before a restart: start from the clock.
        self._ids = itertools.count(int(time.time() * 10) % 1_000_000_000)
        self._timers: set[asyncio.TimerHandle] = set()

    # -- tokens of pending commands -----------------------------------------------------------

    def remote_start_token(self, charge_point_id: str, id_token: str) -> Authorization | None:
        """The authorization of a START_SESSION / reservation using ``id_token`` here."""
        for start in self.remote_starts:
            if start.charge_point_id == charge_point_id and start.id_token == id_token:
                return start.authorization
        for reservation in self.reservations.values():
            if reservation.charge_point_id == charge_point_id and reservation.id_token == id_token:
                return reservation.authorization
        return None

    def claim_remote_start(
        self, charge_point_id: str, event: TransactionStarted
    ) -> Authorization | None:
        """The START_SESSION (or reservation) ``event`` fulfils; its result is posted."""
        evse = event.connector_id if event.version == "1.6" else event.evse_id
        for start in self.remote_starts:
            if start.charge_point_id != charge_point_id:
                continue
            if start.remote_start_id is not None and event.remote_start_id is not None:
                matches = start.remote_start_id == event.remote_start_id
            else:
                matches = start.id_token == event.id_token and start.evse in (evse, 0)
            if matches:
                self.remote_starts.remove(start)
                self.bridge.post_result(start.response_url, "ACCEPTED")
                return start.authorization
        for key, reservation in list(self.reservations.items()):
            if reservation.charge_point_id == charge_point_id and (
                event.reservation_id == reservation.ocpp_id
                or (event.reservation_id is None and reservation.id_token == event.id_token)
            ):
                del self.reservations[key]
                return reservation.authorization
        return None

    async def on_reservation_status(self, event: ReservationStatusChanged) -> None:
        """2.x: a reservation expired or was removed at the station; it holds nothing now."""
        for key, reservation in list(self.reservations.items()):
            if (
                reservation.charge_point_id == event.charge_point_id
                and reservation.ocpp_id == event.reservation_id
            ):
                logger.info("reservation %s at %s: %s", key, event.charge_point_id, event.status)
                del self.reservations[key]

    def _later(self, delay: float, callback: Any, *args: Any) -> None:
        """Run ``callback(*args)`` after ``delay`` seconds (cancelled by :meth:`close`)."""
        loop = asyncio.get_running_loop()
        timers = self._timers

        def fire() -> None:
            timers.discard(handle)
            callback(*args)

        handle = loop.call_later(max(delay, 0.0), fire)
        timers.add(handle)

    def _forget_start(self, start: RemoteStart) -> None:
        # No transaction came in time (the OCPI timer posted TIMEOUT): the token is not
        # accepted at that station any more.
        if start in self.remote_starts:
            self.remote_starts.remove(start)

    def _forget_reservation(self, reservation: Reservation) -> None:
        if self.reservations.get(reservation.ocpi_id) is reservation:
            del self.reservations[reservation.ocpi_id]

    def close(self) -> None:
        for handle in self._timers:
            handle.cancel()
        self._timers.clear()

    def session_ended(self, session_id: str) -> None:
        stop = self.stops.pop(session_id, None)
        if stop is not None:
            self.bridge.post_result(stop[0], "ACCEPTED")
        self.profiles.pop(session_id, None)

    # -- commands -----------------------------------------------------------------------------

    async def command(
        self, command: str, data: Mapping[str, Any], response_url: str, **kwargs: Any
    ) -> dict[str, Any]:
        """The synchronous CommandResponse of an OCPI command (``Crud.do`` of the router)."""
        version = str(getattr(kwargs.get("version"), "value", kwargs.get("version") or "2.2.1"))
        handler = {
            "START_SESSION": self._start,
            "STOP_SESSION": self._stop,
            "RESERVE_NOW": self._reserve,
            "CANCEL_RESERVATION": self._cancel,
            "UNLOCK_CONNECTOR": self._unlock,
        }.get(command)
        if handler is None:
            return _answer("NOT_SUPPORTED", 0)
        try:
            return await handler(data, response_url, version, kwargs.get("auth_token"))
        except _STATION_ERRORS as exc:
            logger.info("%s could not be delivered: %s", command, exc)
            return _answer("REJECTED", 0)

    def _result(self, value: str, version: str) -> str:
        if version == "2.1.1" and value not in _RESULTS_211:
            return "REJECTED"
        return value

    def _locate(self, data: Mapping[str, Any]) -> tuple[str, int] | None:
        stations = self.bridge.stations
        cp_id = stations.station_of_location(str(data.get("location_id")))
        if cp_id is None:
            return None
        evse_uid = data.get("evse_uid")
        if evse_uid is None:
            return cp_id, 0
        number = stations.evse_number(cp_id, str(evse_uid))
        return None if number is None else (cp_id, number)

    async def _authorization(
        self, data: Mapping[str, Any], auth_token: str | None, method: str = "COMMAND"
    ) -> Authorization:
        partner = None
        if auth_token:
            partner = await self.bridge.directory.partner_for_token(auth_token)
        token = data.get("token") or {}
        return Authorization(
            self.bridge.token_ref(token, partner),
            None if partner is None else partner.key,
            method,
            data.get("authorization_reference"),
        )

    async def _start(
        self, data: Mapping[str, Any], response_url: str, version: str, auth_token: str | None
    ) -> dict[str, Any]:
        target = self._locate(data)
        if target is None:
            return _answer("REJECTED", 0)
        cp_id, evse = target
        ocpp = await self.bridge.gateway.version_of(cp_id)
        uid = str(data["token"]["uid"])
        id_token = uid[:20] if ocpp is OCPPVersion.v16 else uid[:36]
        remote_start_id = next(self._ids) if ocpp is not OCPPVersion.v16 else None
        start = RemoteStart(
            cp_id,
            evse,
            id_token,
            remote_start_id,
            await self._authorization(data, auth_token),
            response_url,
            version,
        )
        # Known before the call: the transaction may start before the station's answer arrives.
        self.remote_starts.append(start)
        self._later(self.bridge.settings.command_result_timeout, self._forget_start, start)
        try:
            status = await self.bridge.gateway.remote_start(
                cp_id,
                id_token,
                evse_id=evse or None,
                remote_start_id=remote_start_id,
                timeout=self.bridge.settings.station_call_timeout,
            )
        except BaseException:
            self.remote_starts.remove(start)
            raise
        if status != "Accepted":
            if start in self.remote_starts:
                self.remote_starts.remove(start)
            return _answer("REJECTED", 0)
        return _answer("ACCEPTED", self.bridge.settings.command_result_timeout)

    async def _stop(
        self, data: Mapping[str, Any], response_url: str, version: str, auth_token: str | None
    ) -> dict[str, Any]:
        live = self.bridge.sessions.by_id(str(data.get("session_id")))
        if live is None or live.record.status != "ACTIVE":
            return _answer("UNKNOWN_SESSION", 0)
        record = live.record
        self.stops[record.id] = (response_url, version)
        status = await self.bridge.gateway.remote_stop(
            record.charge_point_id,
            record.transaction_id,
            timeout=self.bridge.settings.station_call_timeout,
        )
        if status != "Accepted":
            self.stops.pop(record.id, None)
            return _answer("REJECTED", 0)
        return _answer("ACCEPTED", self.bridge.settings.command_result_timeout)

    async def _reserve(
        self, data: Mapping[str, Any], response_url: str, version: str, auth_token: str | None
    ) -> dict[str, Any]:
        target = self._locate(data)
        if target is None:
            return _answer("REJECTED", 0)
        cp_id, evse = target
        ocpi_id = str(data["reservation_id"])
        existing = self.reservations.get(ocpi_id)
        ocpp_id = existing.ocpp_id if existing is not None else next(self._ids)
        ocpp = await self.bridge.gateway.version_of(cp_id)
        uid = str(data["token"]["uid"])
        id_token = uid[:20] if ocpp is OCPPVersion.v16 else uid[:36]
        expiry = str(data["expiry_date"])
        payload: dict[str, Any]
        if ocpp is OCPPVersion.v16:
            payload = {
                "connectorId": evse,
                "expiryDate": expiry,
                "idTag": id_token,
                "reservationId": ocpp_id,
            }
        else:
            payload = {
                "id": ocpp_id,
                "expiryDateTime": expiry,
                "idToken": {"idToken": id_token, "type": "Central"},
            }
            if evse:
                payload["evseId"] = evse
        answer = await self.bridge.gateway.call(
            cp_id, "ReserveNow", payload, timeout=self.bridge.settings.station_call_timeout
        )
        result = RESERVE_RESULTS.get(str(answer.get("status")), "REJECTED")
        if result == "ACCEPTED":
            reservation = self.reservations[ocpi_id] = Reservation(
                ocpi_id,
                ocpp_id,
                cp_id,
                evse,
                id_token,
                await self._authorization(data, auth_token),
                response_url,
                version,
            )
            remaining = (parse_datetime(expiry) - datetime.now(UTC)).total_seconds()
            self._later(remaining, self._forget_reservation, reservation)
        self.bridge.post_result(response_url, self._result(result, version))
        return _answer("ACCEPTED", self.bridge.settings.command_result_timeout)

    async def _cancel(
        self, data: Mapping[str, Any], response_url: str, version: str, auth_token: str | None
    ) -> dict[str, Any]:
        reservation = self.reservations.get(str(data.get("reservation_id")))
        if reservation is None:
            return _answer("REJECTED", 0)
        answer = await self.bridge.gateway.call(
            reservation.charge_point_id,
            "CancelReservation",
            {"reservationId": reservation.ocpp_id},
            timeout=self.bridge.settings.station_call_timeout,
        )
        result = CANCEL_RESULTS.get(str(answer.get("status")), "REJECTED")
        if result == "ACCEPTED":
            del self.reservations[reservation.ocpi_id]
            self.bridge.post_result(reservation.response_url, "CANCELED_RESERVATION")
        self.bridge.post_result(response_url, self._result(result, version))
        return _answer("ACCEPTED", self.bridge.settings.command_result_timeout)

    async def _unlock(
        self, data: Mapping[str, Any], response_url: str, version: str, auth_token: str | None
    ) -> dict[str, Any]:
        target = self._locate(data)
        if target is None or target[1] == 0:
            return _answer("REJECTED", 0)
        cp_id, evse = target
        stations = self.bridge.stations
        connector = stations.connector_number(cp_id, evse, str(data.get("connector_id", "1")))
        ocpp = await self.bridge.gateway.version_of(cp_id)
        if ocpp is OCPPVersion.v16:
            payload: dict[str, Any] = {"connectorId": evse}
        else:
            payload = {"evseId": evse, "connectorId": connector or 1}
        answer = await self.bridge.gateway.call(
            cp_id, "UnlockConnector", payload, timeout=self.bridge.settings.station_call_timeout
        )
        result = UNLOCK_RESULTS.get(str(answer.get("status")), "FAILED")
        self.bridge.post_result(response_url, self._result(result, version))
        return _answer("ACCEPTED", self.bridge.settings.command_result_timeout)

    # -- charging profiles --------------------------------------------------------------------

    async def charging_profile(
        self, action: Action, session_id: str, response_url: str, **kwargs: Any
    ) -> dict[str, Any]:
        """The synchronous ChargingProfileResponse of a charging-profile request."""
        timeout = self.bridge.settings.charging_profile_timeout
        live = self.bridge.sessions.by_id(session_id)
        if live is None or live.record.status != "ACTIVE":
            return _answer("UNKNOWN_SESSION", 0)
        record = live.record
        cp_id = record.charge_point_id
        evse = self.bridge.stations.evse_number(cp_id, record.evse_uid) or 1
        try:
            ocpp = await self.bridge.gateway.version_of(cp_id)
            call_timeout = self.bridge.settings.station_call_timeout
            if action == Action.send_update_charging_profile:
                profile = _plain(kwargs.get("charging_profile") or {})
                profile_id = self.profiles.setdefault(session_id, next(self._ids))
                payload = _set_profile(ocpp, evse, record.transaction_id, profile_id, profile)
                answer = await self.bridge.gateway.call(
                    cp_id, "SetChargingProfile", payload, timeout=call_timeout
                )
                accepted = answer.get("status") == "Accepted"
                self.bridge.post_profile_result(
                    response_url, "ACCEPTED" if accepted else "REJECTED"
                )
            elif action == Action.send_get_chargingprofile:
                duration = int(kwargs.get("duration") or 0)
                payload = {"duration": duration}
                payload["connectorId" if ocpp is OCPPVersion.v16 else "evseId"] = evse
                answer = await self.bridge.gateway.call(
                    cp_id, "GetCompositeSchedule", payload, timeout=call_timeout
                )
                self.bridge.post_profile_result(response_url, _active_profile(ocpp, answer))
            elif action == Action.send_delete_chargingprofile:
                payload = _clear_profile(ocpp, evse, self.profiles.get(session_id))
                answer = await self.bridge.gateway.call(
                    cp_id, "ClearChargingProfile", payload, timeout=call_timeout
                )
                status = answer.get("status")
                if status == "Accepted":
                    self.profiles.pop(session_id, None)
                result = {"Accepted": "ACCEPTED", "Unknown": "UNKNOWN"}.get(str(status), "REJECTED")
                self.bridge.post_profile_result(response_url, result)
            else:
                return _answer("NOT_SUPPORTED", 0)
        except _STATION_ERRORS as exc:
            logger.info("charging profile request could not be delivered: %s", exc)
            return _answer("REJECTED", 0)
        return _answer("ACCEPTED", timeout)


def _plain(value: Any) -> dict[str, Any]:
    if isinstance(value, Mapping):
        return dict(value)
    result: dict[str, Any] = value.model_dump(mode="json", exclude_none=True)
    return result


def _schedule(profile: Mapping[str, Any]) -> dict[str, Any]:
    schedule: dict[str, Any] = {
        "chargingRateUnit": str(profile.get("charging_rate_unit", "W")),
        "chargingSchedulePeriod": [
            {"startPeriod": int(p["start_period"]), "limit": float(p["limit"])}
            for p in profile.get("charging_profile_period") or [{"start_period": 0, "limit": 0}]
        ],
    }
    if profile.get("duration") is not None:
        schedule["duration"] = int(profile["duration"])
    if profile.get("start_date_time"):
        schedule["startSchedule"] = str(profile["start_date_time"])
    if profile.get("min_charging_rate") is not None:
        schedule["minChargingRate"] = float(profile["min_charging_rate"])
    return schedule


def _set_profile(
    ocpp: OCPPVersion, evse: int, transaction_id: str, profile_id: int, profile: Mapping[str, Any]
) -> dict[str, Any]:
    kind = "Absolute" if profile.get("start_date_time") else "Relative"
    schedule = _schedule(profile)
    if ocpp is OCPPVersion.v16:
        return {
            "connectorId": evse,
            "csChargingProfiles": {
                "chargingProfileId": profile_id,
                "transactionId": int(transaction_id),
                "stackLevel": 0,
                "chargingProfilePurpose": "TxProfile",
                "chargingProfileKind": kind,
                "chargingSchedule": schedule,
            },
        }
    return {
        "evseId": evse,
        "chargingProfile": {
            "id": profile_id,
            "stackLevel": 0,
            "chargingProfilePurpose": "TxProfile",
            "chargingProfileKind": kind,
            "transactionId": transaction_id,
            "chargingSchedule": [{"id": profile_id, **schedule}],
        },
    }


def _clear_profile(ocpp: OCPPVersion, evse: int, profile_id: int | None) -> dict[str, Any]:
    if ocpp is OCPPVersion.v16:
        if profile_id is not None:
            return {"id": profile_id}
        return {"connectorId": evse, "chargingProfilePurpose": "TxProfile"}
    if profile_id is not None:
        return {"chargingProfileId": profile_id}
    return {"chargingProfileCriteria": {"evseId": evse, "chargingProfilePurpose": "TxProfile"}}


def _active_profile(ocpp: OCPPVersion, answer: Mapping[str, Any]) -> dict[str, Any]:
    """GetCompositeSchedule's answer as an ``ActiveChargingProfileResult``."""
    if answer.get("status") != "Accepted":
        return {"result": "REJECTED"}
    if ocpp is OCPPVersion.v16:
        schedule = answer.get("chargingSchedule") or {}
        start = answer.get("scheduleStart") or schedule.get("startSchedule")
    else:
        schedule = answer.get("schedule") or {}
        start = schedule.get("scheduleStart")
    profile: dict[str, Any] = {
        "charging_rate_unit": schedule.get("chargingRateUnit", "W"),
        "charging_profile_period": [
            {"start_period": p["startPeriod"], "limit": p["limit"]}
            for p in schedule.get("chargingSchedulePeriod") or []
        ],
    }
    if schedule.get("duration") is not None:
        profile["duration"] = schedule["duration"]
    if schedule.get("minChargingRate") is not None:
        profile["min_charging_rate"] = schedule["minChargingRate"]
    if start is None:
        start = utc_now_iso()
    return {
        "result": "ACCEPTED",
        "profile": {"start_date_time": start, "charging_profile": profile},
    }
