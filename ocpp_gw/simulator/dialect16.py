"""What a simulated OCPP 1.6 charge point sends, and how it answers Central System commands."""

from __future__ import annotations

import logging
from typing import Any

from ocpp_gw.handlers.base import OCPPVersion, utc_now_iso
from ocpp_gw.protocol.errors import NotImplementedCallError
from ocpp_gw.simulator.station import Answer, Connector, Dialect, SimulatedStation

logger = logging.getLogger(__name__)

__all__ = ["Dialect16"]

# (value, read-only) of the configuration keys the simulator reports.
_DEFAULT_CONFIGURATION: dict[str, tuple[str, bool]] = {
    "HeartbeatInterval": ("300", False),
    "MeterValueSampleInterval": ("60", False),
    "MeterValuesSampledData": ("Energy.Active.Import.Register,Power.Active.Import", False),
    "AuthorizeRemoteTxRequests": ("false", False),
    "LocalAuthorizeOffline": ("true", False),
    "ConnectionTimeOut": ("60", False),
    "NumberOfConnectors": ("1", True),
    "SupportedFeatureProfiles": (
        "Core,FirmwareManagement,LocalAuthListManagement,Reservation,SmartCharging,RemoteTrigger",
        True,
    ),
}
_TRIGGERABLE = frozenset(
    {
        "BootNotification",
        "DiagnosticsStatusNotification",
        "FirmwareStatusNotification",
        "Heartbeat",
        "MeterValues",
        "StatusNotification",
    }
)
_RESET_REASONS = {"Hard": "HardReset", "Soft": "SoftReset"}


class Dialect16(Dialect):
    version = OCPPVersion.v16

    def __init__(self, station: SimulatedStation) -> None:
        super().__init__(station)
        self.configuration = dict(_DEFAULT_CONFIGURATION)
        self.configuration["NumberOfConnectors"] = (str(len(station.connectors)), True)
        self.local_list_version = 0

    # Outgoing

    async def boot(self) -> dict[str, Any]:
        answer = await self.station.call(
            "BootNotification",
            {
                "chargePointVendor": self.station.vendor,
                "chargePointModel": self.station.model,
                "chargePointSerialNumber": f"SIM-{self.station.identity}"[:25],
                "firmwareVersion": "sim-1.0",
            },
        )
        if answer["status"] == "Accepted":
            self.configuration["HeartbeatInterval"] = (str(answer["interval"]), False)
        return answer

    async def send_status(self, connector: Connector) -> None:
        await self.station.call(
            "StatusNotification",
            {
                "connectorId": connector.id,
                "errorCode": "NoError",
                "status": connector.status,
                "timestamp": utc_now_iso(),
            },
        )

    async def authorize(self, id_token: str) -> str:
        answer = await self.station.call("Authorize", {"idTag": id_token})
        status: str = answer["idTagInfo"]["status"]
        return status

    async def start(self, connector: Connector, id_token: str) -> tuple[str, bool]:
        connector.status = "Preparing"
        await self.send_status(connector)
        payload: dict[str, Any] = {
            "connectorId": connector.id,
            "idTag": id_token,
            "meterStart": int(connector.meter_wh),
            "timestamp": utc_now_iso(),
        }
        if connector.reservation_id is not None:
            payload["reservationId"] = connector.reservation_id
            connector.reservation_id = None
        answer = await self.station.call("StartTransaction", payload)
        transaction_id = str(answer["transactionId"])
        accepted = answer["idTagInfo"]["status"] == "Accepted"
        if accepted:
            connector.status = "Charging"
            await self.send_status(connector)
        else:
            logger.info("%s start refused: %s", self.station.identity, answer["idTagInfo"])
        return transaction_id, accepted

    def _samples(self, connector: Connector, context: str) -> list[dict[str, Any]]:
        meter = connector.read_meter(self.station.power_w, self.station.time_scale)
        samples = [
            {
                "value": f"{meter:.1f}",
                "context": context,
                "measurand": "Energy.Active.Import.Register",
                "unit": "Wh",
            }
        ]
        if connector.charging:
            samples.append(
                {
                    "value": f"{self.station.power_w:.0f}",
                    "context": context,
                    "measurand": "Power.Active.Import",
                    "unit": "W",
                }
            )
        return samples

    async def meter_values(self, connector: Connector) -> None:
        payload: dict[str, Any] = {
            "connectorId": connector.id,
            "meterValue": [
                {
                    "timestamp": utc_now_iso(),
                    "sampledValue": self._samples(connector, "Sample.Periodic"),
                }
            ],
        }
        if connector.transaction_id is not None:
            payload["transactionId"] = int(connector.transaction_id)
        await self.station.call("MeterValues", payload)

    async def stop(self, connector: Connector, reason: str) -> None:
        assert connector.transaction_id is not None
        samples = self._samples(connector, "Transaction.End")
        payload: dict[str, Any] = {
            "transactionId": int(connector.transaction_id),
            "meterStop": int(connector.meter_wh),
            "timestamp": utc_now_iso(),
            "reason": reason,
            "transactionData": [{"timestamp": utc_now_iso(), "sampledValue": samples}],
        }
        if connector.id_token:
            payload["idTag"] = connector.id_token
        await self.station.call("StopTransaction", payload)
        connector.status = "Finishing"
        await self.send_status(connector)
        connector.status = "Available" if connector.operative else "Unavailable"
        await self.send_status(connector)

    # Incoming

    async def handle(self, action: str, payload: dict[str, Any]) -> Answer:
        handler = getattr(self, f"on_{action}", None)
        if handler is None:
            raise NotImplementedCallError(f"{action} is not simulated")
        answer: Answer = await handler(payload)
        return answer

    def _connector(self, connector_id: int | None) -> Connector | None:
        if connector_id is None or connector_id == 0:
            return self.station.free_connector()
        connector: Connector | None = self.station.connectors.get(connector_id)
        return connector

    async def on_RemoteStartTransaction(self, payload: dict[str, Any]) -> Answer:
        connector = self._connector(payload.get("connectorId"))
        if connector is None or connector.charging or not connector.operative:
            return Answer({"status": "Rejected"})
        if "chargingProfile" in payload:
            profile = payload["chargingProfile"]
            connector.charging_profiles[profile["chargingProfileId"]] = profile

        async def start() -> None:
            await self.station.start_transaction(payload["idTag"], connector.id)

        return Answer({"status": "Accepted"}, start)

    async def on_RemoteStopTransaction(self, payload: dict[str, Any]) -> Answer:
        connector = self.station.connector_of(str(payload["transactionId"]))
        if connector is None:
            return Answer({"status": "Rejected"})

        async def stop() -> None:
            await self.station.stop_transaction(connector.id, "Remote")

        return Answer({"status": "Accepted"}, stop)

    async def on_Reset(self, payload: dict[str, Any]) -> Answer:
        async def reboot() -> None:
            for connector in self.station.connectors.values():
                if connector.charging:
                    await self.station.stop_transaction(
                        connector.id, _RESET_REASONS[payload["type"]]
                    )
            await self.station.boot()

        return Answer({"status": "Accepted"}, reboot)

    async def on_UnlockConnector(self, payload: dict[str, Any]) -> Answer:
        connector = self.station.connectors.get(payload["connectorId"])
        if connector is None:
            return Answer({"status": "NotSupported"})
        if not connector.charging:
            return Answer({"status": "Unlocked"})

        async def stop() -> None:
            await self.station.stop_transaction(connector.id, "UnlockCommand")

        return Answer({"status": "Unlocked"}, stop)

    async def on_ChangeAvailability(self, payload: dict[str, Any]) -> Answer:
        connector_id = payload["connectorId"]
        targets = (
            list(self.station.connectors.values())
            if connector_id == 0
            else [c for c in [self.station.connectors.get(connector_id)] if c is not None]
        )
        return self.change_availability(targets, payload["type"] == "Operative")

    async def on_GetConfiguration(self, payload: dict[str, Any]) -> Answer:
        keys = payload.get("key") or list(self.configuration)
        known = [
            {"key": key, "readonly": readonly, "value": value}
            for key in keys
            if key in self.configuration
            for value, readonly in [self.configuration[key]]
        ]
        answer: dict[str, Any] = {"configurationKey": known}
        unknown = [key for key in keys if key not in self.configuration]
        if unknown:
            answer["unknownKey"] = unknown
        return Answer(answer)

    async def on_ChangeConfiguration(self, payload: dict[str, Any]) -> Answer:
        key, value = payload["key"], payload["value"]
        current = self.configuration.get(key)
        if current is None:
            return Answer({"status": "NotSupported"})
        if current[1]:
            return Answer({"status": "Rejected"})
        self.configuration[key] = (value, False)
        if key == "HeartbeatInterval" and value.isdigit():
            self.station.heartbeat_interval = int(value)
        return Answer({"status": "Accepted"})

    async def on_TriggerMessage(self, payload: dict[str, Any]) -> Answer:
        requested = payload["requestedMessage"]
        connector = self.station.connectors.get(payload.get("connectorId", 1))
        station = self.station

        async def trigger() -> None:
            if requested == "BootNotification":
                await station.boot()
            elif requested == "Heartbeat":
                await station.heartbeat()
            elif requested in ("DiagnosticsStatusNotification", "FirmwareStatusNotification"):
                await station.call(requested, {"status": "Idle"})
            elif connector is not None and requested == "StatusNotification":
                await self.send_status(connector)
            elif connector is not None and requested == "MeterValues":
                await self.meter_values(connector)

        if requested not in _TRIGGERABLE:
            return Answer({"status": "NotImplemented"})
        if connector is None and requested in ("StatusNotification", "MeterValues"):
            return Answer({"status": "Rejected"})
        return Answer({"status": "Accepted"}, trigger)

    async def on_ExtendedTriggerMessage(self, payload: dict[str, Any]) -> Answer:
        requested = payload["requestedMessage"]
        if requested == "SignChargePointCertificate":

            async def sign() -> None:
                csr = self.station.certificate_request()
                await self.station.call("SignCertificate", {"csr": csr})

            return Answer({"status": "Accepted"}, sign)
        if requested == "LogStatusNotification":

            async def log_status() -> None:
                await self.station.call("LogStatusNotification", {"status": "Idle"})

            return Answer({"status": "Accepted"}, log_status)
        # The other messages are the ones TriggerMessage knows, with the same answers.
        return await self.on_TriggerMessage(payload)

    async def on_CertificateSigned(self, payload: dict[str, Any]) -> Answer:
        self.station.certificates.append(payload["certificateChain"])
        return Answer({"status": "Accepted"})

    async def on_InstallCertificate(self, payload: dict[str, Any]) -> Answer:
        self.station.certificates.append(payload["certificate"])
        return Answer({"status": "Accepted"})

    async def on_GetLog(self, payload: dict[str, Any]) -> Answer:
        request_id = payload["requestId"]

        async def upload() -> None:
            for status in ("Uploading", "Uploaded"):
                await self.station.call(
                    "LogStatusNotification", {"status": status, "requestId": request_id}
                )

        return Answer({"status": "Accepted", "filename": f"{self.station.identity}.log"}, upload)

    async def on_ReserveNow(self, payload: dict[str, Any]) -> Answer:
        return self.reserve(self._connector(payload["connectorId"]), payload["reservationId"])

    async def on_CancelReservation(self, payload: dict[str, Any]) -> Answer:
        return self.cancel_reservation(payload["reservationId"])

    async def on_SetChargingProfile(self, payload: dict[str, Any]) -> Answer:
        profile = payload["csChargingProfiles"]
        targets = self._targets(payload["connectorId"])
        for connector in targets:
            connector.charging_profiles[profile["chargingProfileId"]] = profile
        return Answer({"status": "Accepted" if targets else "Rejected"})

    async def on_ClearChargingProfile(self, payload: dict[str, Any]) -> Answer:
        profile_id = payload.get("id")
        cleared = False
        for connector in self._targets(payload.get("connectorId", 0)):
            for key in list(connector.charging_profiles):
                if profile_id is None or key == profile_id:
                    del connector.charging_profiles[key]
                    cleared = True
        return Answer({"status": "Accepted" if cleared else "Unknown"})

    async def on_GetCompositeSchedule(self, payload: dict[str, Any]) -> Answer:
        connector_id = payload["connectorId"]
        profiles = [p for c in self._targets(connector_id) for p in c.charging_profiles.values()]
        if not profiles:
            return Answer({"status": "Rejected"})
        schedule = dict(profiles[0]["chargingSchedule"])
        schedule["duration"] = payload["duration"]
        schedule.setdefault("startSchedule", utc_now_iso())
        return Answer(
            {
                "status": "Accepted",
                "connectorId": connector_id,
                "scheduleStart": schedule["startSchedule"],
                "chargingSchedule": schedule,
            }
        )

    def _targets(self, connector_id: int) -> list[Connector]:
        if connector_id == 0:
            return list(self.station.connectors.values())
        connector = self.station.connectors.get(connector_id)
        return [connector] if connector else []

    async def on_DataTransfer(self, payload: dict[str, Any]) -> Answer:
        return Answer({"status": "UnknownVendorId"})

    async def on_ClearCache(self, payload: dict[str, Any]) -> Answer:
        return Answer({"status": "Accepted"})

    async def on_GetLocalListVersion(self, payload: dict[str, Any]) -> Answer:
        return Answer({"listVersion": self.local_list_version})

    async def on_SendLocalList(self, payload: dict[str, Any]) -> Answer:
        self.local_list_version = payload["listVersion"]
        return Answer({"status": "Accepted"})

    async def on_GetDiagnostics(self, payload: dict[str, Any]) -> Answer:
        async def upload() -> None:
            for status in ("Uploading", "Uploaded"):
                await self.station.call("DiagnosticsStatusNotification", {"status": status})

        return Answer({"fileName": f"{self.station.identity}-diagnostics.log"}, upload)

    async def on_UpdateFirmware(self, payload: dict[str, Any]) -> Answer:
        async def install() -> None:
            for status in ("Downloading", "Downloaded", "Installing", "Installed"):
                await self.station.call("FirmwareStatusNotification", {"status": status})

        return Answer({}, install)
