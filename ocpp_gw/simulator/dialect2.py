"""What a simulated OCPP 2.0.1 / 2.1 charging station sends, and how it answers CSMS commands.

Each simulated EVSE has one connector (``connectorId`` 1); transactions are reported with
TransactionEvent and the device model is a small fixed set of variables.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from ocpp_gw.handlers.base import utc_now_iso
from ocpp_gw.protocol.errors import NotImplementedCallError
from ocpp_gw.simulator.station import Answer, Connector, Dialect, SimulatedStation

logger = logging.getLogger(__name__)

__all__ = ["Dialect2"]

# Stop reason → the trigger that ends the transaction.
_STOP_TRIGGERS = {
    "Remote": "RemoteStop",
    "ImmediateReset": "ResetCommand",
    "DeAuthorized": "Deauthorized",
    "EVDisconnected": "EVCommunicationLost",
}


class Dialect2(Dialect):
    def __init__(self, station: SimulatedStation) -> None:
        super().__init__(station)
        self.version = station.version
        self.boot_reason = "PowerUp"
        self.local_list_version = 0
        # (component, variable) → [value, mutability, dataType]
        self.variables: dict[tuple[str, str], list[str]] = {
            ("OCPPCommCtrlr", "HeartbeatInterval"): ["300", "ReadWrite", "integer"],
            ("SampledDataCtrlr", "TxUpdatedInterval"): ["60", "ReadWrite", "integer"],
            ("AuthCtrlr", "AuthorizeRemoteStart"): ["false", "ReadWrite", "boolean"],
            ("SecurityCtrlr", "SecurityProfile"): ["1", "ReadOnly", "integer"],
            ("ChargingStation", "Model"): [station.model, "ReadOnly", "string"],
            ("ChargingStation", "VendorName"): [station.vendor, "ReadOnly", "string"],
        }

    # Outgoing

    async def boot(self) -> dict[str, Any]:
        answer = await self.station.call(
            "BootNotification",
            {
                "reason": self.boot_reason,
                "chargingStation": {
                    "model": self.station.model,
                    "vendorName": self.station.vendor,
                    "serialNumber": f"SIM-{self.station.identity}"[:25],
                    "firmwareVersion": "sim-2.0",
                },
            },
        )
        if answer["status"] == "Accepted":
            self.variables[("OCPPCommCtrlr", "HeartbeatInterval")][0] = str(answer["interval"])
        return answer

    async def send_status(self, connector: Connector) -> None:
        await self.station.call(
            "StatusNotification",
            {
                "timestamp": utc_now_iso(),
                "connectorStatus": connector.status,
                "evseId": connector.id,
                "connectorId": 1,
            },
        )

    async def authorize(self, id_token: str) -> str:
        answer = await self.station.call(
            "Authorize", {"idToken": {"idToken": id_token, "type": "ISO14443"}}
        )
        status: str = answer["idTokenInfo"]["status"]
        return status

    def _meter_value(self, connector: Connector, context: str) -> dict[str, Any]:
        meter = connector.read_meter(self.station.power_w, self.station.time_scale)
        samples: list[dict[str, Any]] = [
            {
                "value": meter,
                "context": context,
                "measurand": "Energy.Active.Import.Register",
                "unitOfMeasure": {"unit": "Wh"},
            }
        ]
        if connector.charging and context != "Transaction.End":
            samples.append(
                {
                    "value": self.station.power_w,
                    "context": context,
                    "measurand": "Power.Active.Import",
                    "unitOfMeasure": {"unit": "W"},
                }
            )
        return {"timestamp": utc_now_iso(), "sampledValue": samples}

    async def _transaction_event(
        self,
        connector: Connector,
        event_type: str,
        trigger: str,
        info: dict[str, Any],
        context: str,
        *,
        with_token: bool = False,
    ) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "eventType": event_type,
            "timestamp": utc_now_iso(),
            "triggerReason": trigger,
            "seqNo": connector.seq_no,
            "transactionInfo": info,
            "meterValue": [self._meter_value(connector, context)],
        }
        if event_type == "Started":
            payload["evse"] = {"id": connector.id, "connectorId": 1}
        if with_token and connector.id_token is not None:
            payload["idToken"] = {"idToken": connector.id_token, "type": "ISO14443"}
        if connector.reservation_id is not None and event_type == "Started":
            payload["reservationId"] = connector.reservation_id
            connector.reservation_id = None
        connector.seq_no += 1
        return await self.station.call("TransactionEvent", payload)

    async def start(self, connector: Connector, id_token: str) -> tuple[str, bool]:
        connector.status = "Occupied"
        await self.send_status(connector)
        transaction_id = str(uuid.uuid4())
        # The meter must run from the Started message on; the station marks the connector busy
        # with the id the TransactionEvent carries.
        connector.transaction_id = transaction_id
        info: dict[str, Any] = {"transactionId": transaction_id, "chargingState": "Charging"}
        remote = connector.remote_start_id is not None
        if remote:
            info["remoteStartId"] = connector.remote_start_id
        answer = await self._transaction_event(
            connector,
            "Started",
            "RemoteStart" if remote else "Authorized",
            info,
            "Transaction.Begin",
            with_token=True,
        )
        status = answer.get("idTokenInfo", {}).get("status")
        if status != "Accepted":
            logger.info("%s token not accepted at start: %s", self.station.identity, status)
        return transaction_id, status == "Accepted"

    async def meter_values(self, connector: Connector) -> None:
        if connector.transaction_id is None:
            await self.station.call(
                "MeterValues",
                {
                    "evseId": connector.id,
                    "meterValue": [self._meter_value(connector, "Sample.Clock")],
                },
            )
            return
        await self._transaction_event(
            connector,
            "Updated",
            "MeterValuePeriodic",
            {"transactionId": connector.transaction_id, "chargingState": "Charging"},
            "Sample.Periodic",
        )

    async def stop(self, connector: Connector, reason: str) -> None:
        assert connector.transaction_id is not None
        await self._transaction_event(
            connector,
            "Ended",
            _STOP_TRIGGERS.get(reason, "StopAuthorized"),
            {"transactionId": connector.transaction_id, "stoppedReason": reason},
            "Transaction.End",
            with_token=reason == "Local",
        )
        connector.status = "Available" if connector.operative else "Unavailable"
        await self.send_status(connector)

    # Incoming

    async def handle(self, action: str, payload: dict[str, Any]) -> Answer:
        handler = getattr(self, f"on_{action}", None)
        if handler is None:
            raise NotImplementedCallError(f"{action} is not simulated")
        answer: Answer = await handler(payload)
        return answer

    def _evse(self, evse_id: int | None) -> Connector | None:
        if evse_id is None or evse_id == 0:
            return self.station.free_connector()
        connector: Connector | None = self.station.connectors.get(evse_id)
        return connector

    def _targets(self, evse_id: int | None) -> list[Connector]:
        if not evse_id:
            return list(self.station.connectors.values())
        connector = self.station.connectors.get(evse_id)
        return [connector] if connector else []

    async def on_RequestStartTransaction(self, payload: dict[str, Any]) -> Answer:
        connector = self._evse(payload.get("evseId"))
        if connector is None or connector.charging or not connector.operative:
            return Answer({"status": "Rejected"})
        if "chargingProfile" in payload:
            profile = payload["chargingProfile"]
            connector.charging_profiles[profile["id"]] = profile

        async def start() -> None:
            await self.station.start_transaction(
                payload["idToken"]["idToken"],
                connector.id,
                remote_start_id=payload["remoteStartId"],
            )

        return Answer({"status": "Accepted"}, start)

    async def on_RequestStopTransaction(self, payload: dict[str, Any]) -> Answer:
        connector = self.station.connector_of(payload["transactionId"])
        if connector is None:
            return Answer({"status": "Rejected"})

        async def stop() -> None:
            await self.station.stop_transaction(connector.id, "Remote")

        return Answer({"status": "Accepted"}, stop)

    async def on_Reset(self, payload: dict[str, Any]) -> Answer:
        async def reboot() -> None:
            for connector in self._targets(payload.get("evseId")):
                if connector.charging:
                    await self.station.stop_transaction(connector.id, "ImmediateReset")
            if not payload.get("evseId"):
                self.boot_reason = "RemoteReset"
                await self.station.boot()

        return Answer({"status": "Accepted"}, reboot)

    async def on_UnlockConnector(self, payload: dict[str, Any]) -> Answer:
        connector = self.station.connectors.get(payload["evseId"])
        if connector is None or payload["connectorId"] != 1:
            return Answer({"status": "UnknownConnector"})
        if connector.charging:
            return Answer({"status": "OngoingAuthorizedTransaction"})
        return Answer({"status": "Unlocked"})

    async def on_ChangeAvailability(self, payload: dict[str, Any]) -> Answer:
        targets = self._targets((payload.get("evse") or {}).get("id"))
        return self.change_availability(targets, payload["operationalStatus"] == "Operative")

    async def on_GetVariables(self, payload: dict[str, Any]) -> Answer:
        results = []
        for request in payload["getVariableData"]:
            component, variable = request["component"], request["variable"]
            result: dict[str, Any] = {"component": component, "variable": variable}
            entry = self.variables.get((component["name"], variable["name"]))
            if not any(c == component["name"] for c, _ in self.variables):
                result["attributeStatus"] = "UnknownComponent"
            elif entry is None:
                result["attributeStatus"] = "UnknownVariable"
            elif request.get("attributeType", "Actual") != "Actual":
                result["attributeStatus"] = "NotSupportedAttributeType"
            else:
                result.update(attributeStatus="Accepted", attributeValue=entry[0])
            results.append(result)
        return Answer({"getVariableResult": results})

    async def on_SetVariables(self, payload: dict[str, Any]) -> Answer:
        results = []
        for request in payload["setVariableData"]:
            component, variable = request["component"], request["variable"]
            entry = self.variables.get((component["name"], variable["name"]))
            if entry is None:
                status = "UnknownVariable"
            elif entry[1] == "ReadOnly":
                status = "Rejected"
            else:
                entry[0] = request["attributeValue"]
                status = "Accepted"
                if variable["name"] == "HeartbeatInterval" and entry[0].isdigit():
                    self.station.heartbeat_interval = int(entry[0])
            results.append(
                {"attributeStatus": status, "component": component, "variable": variable}
            )
        return Answer({"setVariableResult": results})

    async def on_GetBaseReport(self, payload: dict[str, Any]) -> Answer:
        async def report() -> None:
            await self.station.call(
                "NotifyReport",
                {
                    "requestId": payload["requestId"],
                    "generatedAt": utc_now_iso(),
                    "seqNo": 0,
                    "tbc": False,
                    "reportData": [
                        {
                            "component": {"name": component},
                            "variable": {"name": variable},
                            "variableAttribute": [
                                {"type": "Actual", "value": value, "mutability": mutability}
                            ],
                            "variableCharacteristics": {
                                "dataType": data_type,
                                "supportsMonitoring": False,
                            },
                        }
                        for (component, variable), (value, mutability, data_type) in (
                            self.variables.items()
                        )
                    ],
                },
            )

        return Answer({"status": "Accepted"}, report)

    async def on_TriggerMessage(self, payload: dict[str, Any]) -> Answer:
        requested = payload["requestedMessage"]
        targets = self._targets((payload.get("evse") or {}).get("id"))
        station = self.station

        async def statuses() -> None:
            for connector in targets:
                await self.send_status(connector)

        async def meters() -> None:
            for connector in targets:
                await self.meter_values(connector)

        async def transactions() -> None:
            for connector in targets:
                if connector.transaction_id is not None:
                    await self._transaction_event(
                        connector,
                        "Updated",
                        "Trigger",
                        {"transactionId": connector.transaction_id, "chargingState": "Charging"},
                        "Trigger",
                    )

        async def idle(action: str) -> None:
            await station.call(action, {"status": "Idle"})

        async def boot() -> None:
            await station.boot()

        async def heartbeat() -> None:
            await station.heartbeat()

        async def log_status() -> None:
            await idle("LogStatusNotification")

        async def firmware_status() -> None:
            await idle("FirmwareStatusNotification")

        async def sign() -> None:
            await station.call(
                "SignCertificate",
                {
                    "csr": station.certificate_request(),
                    "certificateType": "ChargingStationCertificate",
                },
            )

        messages = {
            "SignChargingStationCertificate": sign,
            "BootNotification": boot,
            "Heartbeat": heartbeat,
            "StatusNotification": statuses,
            "MeterValues": meters,
            "TransactionEvent": transactions,
            "LogStatusNotification": log_status,
            "FirmwareStatusNotification": firmware_status,
        }
        send = messages.get(requested)
        if send is None:
            return Answer({"status": "NotImplemented"})
        return Answer({"status": "Accepted"}, send)

    async def on_CertificateSigned(self, payload: dict[str, Any]) -> Answer:
        self.station.certificates.append(payload["certificateChain"])
        return Answer({"status": "Accepted"})

    async def on_InstallCertificate(self, payload: dict[str, Any]) -> Answer:
        self.station.certificates.append(payload["certificate"])
        return Answer({"status": "Accepted"})

    async def on_ReserveNow(self, payload: dict[str, Any]) -> Answer:
        return self.reserve(self._evse(payload.get("evseId")), payload["id"])

    async def on_CancelReservation(self, payload: dict[str, Any]) -> Answer:
        return self.cancel_reservation(payload["reservationId"])

    async def on_SetChargingProfile(self, payload: dict[str, Any]) -> Answer:
        profile = payload["chargingProfile"]
        targets = self._targets(payload["evseId"])
        for connector in targets:
            connector.charging_profiles[profile["id"]] = profile
        return Answer({"status": "Accepted" if targets else "Rejected"})

    async def on_ClearChargingProfile(self, payload: dict[str, Any]) -> Answer:
        profile_id = payload.get("chargingProfileId")
        criteria = payload.get("chargingProfileCriteria") or {}
        cleared = False
        for connector in self._targets(criteria.get("evseId")):
            for key, profile in list(connector.charging_profiles.items()):
                purpose = criteria.get("chargingProfilePurpose")
                if (profile_id is None or key == profile_id) and (
                    purpose is None or profile.get("chargingProfilePurpose") == purpose
                ):
                    del connector.charging_profiles[key]
                    cleared = True
        return Answer({"status": "Accepted" if cleared else "Unknown"})

    async def on_GetCompositeSchedule(self, payload: dict[str, Any]) -> Answer:
        evse_id = payload["evseId"]
        profiles = [p for c in self._targets(evse_id) for p in c.charging_profiles.values()]
        if not profiles:
            return Answer({"status": "Rejected"})
        schedule = profiles[0]["chargingSchedule"][0]
        return Answer(
            {
                "status": "Accepted",
                "schedule": {
                    "evseId": evse_id,
                    "duration": payload["duration"],
                    "scheduleStart": schedule.get("startSchedule", utc_now_iso()),
                    "chargingRateUnit": schedule["chargingRateUnit"],
                    "chargingSchedulePeriod": schedule["chargingSchedulePeriod"],
                },
            }
        )

    async def on_GetTransactionStatus(self, payload: dict[str, Any]) -> Answer:
        answer: dict[str, Any] = {"messagesInQueue": False}
        if "transactionId" in payload:
            answer["ongoingIndicator"] = (
                self.station.connector_of(payload["transactionId"]) is not None
            )
        return Answer(answer)

    async def on_DataTransfer(self, payload: dict[str, Any]) -> Answer:
        return Answer({"status": "UnknownVendorId"})

    async def on_ClearCache(self, payload: dict[str, Any]) -> Answer:
        return Answer({"status": "Accepted"})

    async def on_CostUpdated(self, payload: dict[str, Any]) -> Answer:
        logger.info("%s cost now %s", self.station.identity, payload["totalCost"])
        return Answer({})

    async def on_GetLocalListVersion(self, payload: dict[str, Any]) -> Answer:
        return Answer({"versionNumber": self.local_list_version})

    async def on_SendLocalList(self, payload: dict[str, Any]) -> Answer:
        self.local_list_version = payload["versionNumber"]
        return Answer({"status": "Accepted"})

    async def on_GetLog(self, payload: dict[str, Any]) -> Answer:
        request_id = payload["requestId"]

        async def upload() -> None:
            for status in ("Uploading", "Uploaded"):
                await self.station.call(
                    "LogStatusNotification", {"status": status, "requestId": request_id}
                )

        return Answer({"status": "Accepted", "filename": f"{self.station.identity}.log"}, upload)

    async def on_UpdateFirmware(self, payload: dict[str, Any]) -> Answer:
        request_id = payload["requestId"]

        async def install() -> None:
            for status in ("Downloading", "Downloaded", "Installing", "Installed"):
                await self.station.call(
                    "FirmwareStatusNotification", {"status": status, "requestId": request_id}
                )

        return Answer({"status": "Accepted"}, install)
