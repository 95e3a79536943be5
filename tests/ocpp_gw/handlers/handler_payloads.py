"""One schema-valid example of every charger-initiated message, per OCPP version."""

from __future__ import annotations

from typing import Any

from ocpp_gw.handlers.base import OCPPVersion

T = "2026-01-01T12:00:00.000Z"
T_LATER = "2026-01-01T13:00:00.000Z"

TOKEN = {"idToken": "TAG1", "type": "ISO14443"}
SCHEDULE = {
    "id": 1,
    "chargingRateUnit": "W",
    "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 11000.0}],
}

V16: dict[str, dict[str, Any]] = {
    "Authorize": {"idTag": "TAG1"},
    "BootNotification": {
        "chargePointVendor": "ACME",
        "chargePointModel": "Fast 50",
        "chargePointSerialNumber": "SN1",
        "firmwareVersion": "1.0.3",
        "iccid": "8931",
        "meterType": "DC meter",
    },
    "DataTransfer": {"vendorId": "com.acme", "messageId": "ping", "data": "hello"},
    "DiagnosticsStatusNotification": {"status": "Uploaded"},
    "FirmwareStatusNotification": {"status": "Installed"},
    "Heartbeat": {},
    "MeterValues": {
        "connectorId": 1,
        "meterValue": [
            {
                "timestamp": T,
                "sampledValue": [
                    {"value": "1.5", "unit": "kWh", "measurand": "Energy.Active.Import.Register"},
                    {"value": "7.2", "unit": "kW", "measurand": "Power.Active.Import"},
                ],
            }
        ],
    },
    "StartTransaction": {"connectorId": 1, "idTag": "TAG1", "meterStart": 1000, "timestamp": T},
    "StatusNotification": {
        "connectorId": 1,
        "errorCode": "NoError",
        "status": "Available",
        "timestamp": T,
    },
    "StopTransaction": {
        "transactionId": 1,
        "meterStop": 2000,
        "timestamp": T_LATER,
        "idTag": "TAG1",
        "reason": "Local",
    },
    "SecurityEventNotification": {"type": "FirmwareUpdated", "timestamp": T},
    "SignCertificate": {"csr": "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n"},
    "SignedFirmwareStatusNotification": {"status": "SignatureVerified", "requestId": 3},
    "LogStatusNotification": {"status": "Uploaded", "requestId": 4},
}

V201: dict[str, dict[str, Any]] = {
    "Authorize": {"idToken": TOKEN},
    "BootNotification": {
        "chargingStation": {
            "model": "Fast 50",
            "vendorName": "ACME",
            "serialNumber": "SN1",
            "firmwareVersion": "2.0.0",
            "modem": {"iccid": "8931", "imsi": "2040"},
        },
        "reason": "PowerUp",
    },
    "ClearedChargingLimit": {"chargingLimitSource": "EMS", "evseId": 1},
    "DataTransfer": {"vendorId": "com.acme", "messageId": "ping", "data": {"n": 1}},
    "FirmwareStatusNotification": {"status": "Installed", "requestId": 1},
    "Get15118EVCertificate": {
        "iso15118SchemaVersion": "urn:iso:15118:2:2013:MsgDef",
        "action": "Install",
        "exiRequest": "AAAA",
    },
    "GetCertificateStatus": {
        "ocspRequestData": {
            "hashAlgorithm": "SHA256",
            "issuerNameHash": "aa",
            "issuerKeyHash": "bb",
            "serialNumber": "01",
            "responderURL": "http://ocsp.example",
        }
    },
    "Heartbeat": {},
    "LogStatusNotification": {"status": "Uploading", "requestId": 2},
    "MeterValues": {
        "evseId": 1,
        "meterValue": [
            {
                "timestamp": T,
                "sampledValue": [
                    {"value": 1.5, "unitOfMeasure": {"unit": "kWh"}},
                    {
                        "value": 72,
                        "measurand": "Power.Active.Import",
                        "unitOfMeasure": {"unit": "W", "multiplier": 2},
                    },
                ],
            }
        ],
    },
    "NotifyChargingLimit": {
        "chargingLimit": {"chargingLimitSource": "EMS", "isGridCritical": True},
        "evseId": 1,
        "chargingSchedule": [SCHEDULE],
    },
    "NotifyCustomerInformation": {
        "data": "customer data",
        "seqNo": 0,
        "generatedAt": T,
        "requestId": 5,
    },
    "NotifyDisplayMessages": {
        "requestId": 6,
        "messageInfo": [
            {"id": 1, "priority": "NormalCycle", "message": {"format": "UTF8", "content": "Hi"}}
        ],
    },
    "NotifyEVChargingNeeds": {
        "evseId": 1,
        "chargingNeeds": {
            "requestedEnergyTransfer": "AC_three_phase",
            "acChargingParameters": {
                "energyAmount": 20000,
                "evMinCurrent": 6,
                "evMaxCurrent": 32,
                "evMaxVoltage": 400,
            },
        },
    },
    "NotifyEVChargingSchedule": {"timeBase": T, "evseId": 1, "chargingSchedule": SCHEDULE},
    "NotifyEvent": {
        "generatedAt": T,
        "seqNo": 0,
        "eventData": [
            {
                "eventId": 1,
                "timestamp": T,
                "trigger": "Delta",
                "actualValue": "Occupied",
                "component": {"name": "Connector", "evse": {"id": 1, "connectorId": 1}},
                "variable": {"name": "AvailabilityState"},
                "eventNotificationType": "HardWiredNotification",
            }
        ],
    },
    "NotifyMonitoringReport": {
        "requestId": 7,
        "seqNo": 0,
        "generatedAt": T,
        "monitor": [
            {
                "component": {"name": "EVSE", "evse": {"id": 1}},
                "variable": {"name": "Power"},
                "variableMonitoring": [
                    {
                        "id": 1,
                        "transaction": False,
                        "value": 1000,
                        "type": "UpperThreshold",
                        "severity": 4,
                    }
                ],
            }
        ],
    },
    "NotifyReport": {
        "requestId": 8,
        "generatedAt": T,
        "seqNo": 0,
        "tbc": True,
        "reportData": [
            {
                "component": {"name": "OCPPCommCtrlr"},
                "variable": {"name": "HeartbeatInterval"},
                "variableAttribute": [
                    {"type": "Actual", "value": "300", "mutability": "ReadWrite"}
                ],
                "variableCharacteristics": {
                    "dataType": "integer",
                    "supportsMonitoring": False,
                    "unit": "s",
                },
            }
        ],
    },
    "PublishFirmwareStatusNotification": {
        "status": "Published",
        "location": ["http://controller.local/fw.bin"],
        "requestId": 9,
    },
    "ReportChargingProfiles": {
        "requestId": 10,
        "chargingLimitSource": "CSO",
        "evseId": 1,
        "chargingProfile": [
            {
                "id": 1,
                "stackLevel": 0,
                "chargingProfilePurpose": "TxDefaultProfile",
                "chargingProfileKind": "Absolute",
                "chargingSchedule": [{**SCHEDULE, "startSchedule": T}],
            }
        ],
    },
    "ReservationStatusUpdate": {"reservationId": 11, "reservationUpdateStatus": "Expired"},
    "SecurityEventNotification": {
        "type": "SettingSystemTime",
        "timestamp": T,
        "techInfo": "ntp",
    },
    "SignCertificate": {"csr": "CSR-PEM", "certificateType": "ChargingStationCertificate"},
    "StatusNotification": {
        "timestamp": T,
        "connectorStatus": "Occupied",
        "evseId": 1,
        "connectorId": 1,
    },
    "TransactionEvent": {
        "eventType": "Started",
        "timestamp": T,
        "triggerReason": "Authorized",
        "seqNo": 0,
        "transactionInfo": {"transactionId": "tx-1", "chargingState": "EVConnected"},
        "evse": {"id": 1, "connectorId": 1},
        "idToken": TOKEN,
        "meterValue": [
            {
                "timestamp": T,
                "sampledValue": [
                    {
                        "value": 1000,
                        "context": "Transaction.Begin",
                        "measurand": "Energy.Active.Import.Register",
                        "unitOfMeasure": {"unit": "Wh"},
                    }
                ],
            }
        ],
    },
}

V21_NEW: dict[str, dict[str, Any]] = {
    "BatterySwap": {
        "eventType": "BatteryIn",
        "requestId": 1,
        "idToken": TOKEN,
        "batteryData": [{"evseId": 1, "serialNumber": "B1", "soC": 50, "soH": 90}],
    },
    "ClosePeriodicEventStream": {"id": 1},
    "GetCertificateChainStatus": {
        "certificateStatusRequests": [
            {
                "certificateHashData": {
                    "hashAlgorithm": "SHA256",
                    "issuerNameHash": "aa",
                    "issuerKeyHash": "bb",
                    "serialNumber": "01",
                },
                "source": "OCSP",
                "urls": ["http://ocsp.example"],
            }
        ]
    },
    "NotifyDERAlarm": {"controlType": "FreqDroop", "timestamp": T, "gridEventFault": "OverCurrent"},
    "NotifyDERStartStop": {"controlId": "c1", "started": True, "timestamp": T},
    "NotifyPeriodicEventStream": {
        "id": 1,
        "pending": 0,
        "basetime": T,
        "data": [{"t": 0.5, "v": "12"}],
    },
    "NotifyPriorityCharging": {"transactionId": "tx-1", "activated": True},
    "NotifySettlement": {
        "pspRef": "psp1",
        "status": "Settled",
        "settlementAmount": 12.5,
        "settlementTime": T,
        "transactionId": "tx-1",
    },
    "OpenPeriodicEventStream": {
        "constantStreamData": {"id": 1, "variableMonitoringId": 2, "params": {"interval": 10}}
    },
    "PullDynamicScheduleUpdate": {"chargingProfileId": 3},
    "ReportDERControl": {"requestId": 12},
    "VatNumberValidation": {"vatNumber": "NL123", "evseId": 1},
}

V21_CHANGED: dict[str, dict[str, Any]] = {
    "NotifyMonitoringReport": {
        **V201["NotifyMonitoringReport"],
        "monitor": [
            {
                **V201["NotifyMonitoringReport"]["monitor"][0],
                "variableMonitoring": [
                    {
                        **V201["NotifyMonitoringReport"]["monitor"][0]["variableMonitoring"][0],
                        "eventNotificationType": "CustomMonitor",
                    }
                ],
            }
        ],
    },
}

SAMPLES: dict[OCPPVersion, dict[str, dict[str, Any]]] = {
    OCPPVersion.v16: V16,
    OCPPVersion.v201: V201,
    OCPPVersion.v21: {**V201, **V21_CHANGED, **V21_NEW},
}
