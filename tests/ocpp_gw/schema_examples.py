"""Smallest valid instances of the official OCPP JSON schemas (for tests of every message).

``example(version, name)`` walks the schema file ``name`` (``"Reset"``, ``"ResetRequest"``,
``"ResetResponse"``) and builds an instance holding the required properties only: the first
value of every enum, the minimum of every number, one item in every array that needs one and a
timestamp for ``date-time`` strings. The result is checked against the schema by the caller.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import ocpp
import orjson

from ocpp_gw.handlers.base import OCPPVersion

__all__ = ["NOW", "example", "schema_names"]

NOW = "2024-01-01T00:00:00.000Z"
_DIRS = {OCPPVersion.v16: "v16", OCPPVersion.v201: "v201", OCPPVersion.v21: "v21"}


def _directory(version: OCPPVersion) -> Path:
    return Path(ocpp.__file__).parent / _DIRS[version] / "schemas"


def schema_names(version: OCPPVersion) -> set[str]:
    """Every schema file name (without ``.json``) of ``version``."""
    return {path.stem for path in _directory(version).glob("*.json")}


@functools.cache
def _schema(version: OCPPVersion, name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = orjson.loads((_directory(version) / f"{name}.json").read_bytes())
    return loaded


def example(version: OCPPVersion, name: str) -> dict[str, Any]:
    """The smallest valid instance of schema ``name`` of ``version``."""
    root = _schema(version, name)
    instance = _instance(root, root)
    assert isinstance(instance, dict)
    return instance


def _instance(node: dict[str, Any], root: dict[str, Any]) -> Any:
    ref = node.get("$ref")
    if ref is not None:
        target: Any = root
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
        return _instance(target, root)
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type")
    if kind == "object":
        properties = node.get("properties", {})
        return {name: _instance(properties[name], root) for name in node.get("required", [])}
    if kind == "array":
        return [_instance(node["items"], root) for _ in range(max(1, node.get("minItems", 0)))]
    if kind == "integer":
        return int(node.get("minimum", 1))
    if kind == "number":
        return float(node.get("minimum", 1.0))
    if kind == "boolean":
        return True
    if kind == "string":
        if node.get("format") == "date-time":
            return NOW
        if node.get("format") == "uri":
            return "https://example.com/upload"
        return "x" * min(4, node.get("maxLength", 4))
    raise AssertionError(f"no example for schema node {node!r}")


#: The messages a station sends (the CSMS answers), per version — from the specs' message lists.
CHARGER_INITIATED = {
    OCPPVersion.v16: {
        # core and feature profiles
        "Authorize",
        "BootNotification",
        "DataTransfer",
        "DiagnosticsStatusNotification",
        "FirmwareStatusNotification",
        "Heartbeat",
        "MeterValues",
        "StartTransaction",
        "StatusNotification",
        "StopTransaction",
        # security whitepaper
        "LogStatusNotification",
        "SecurityEventNotification",
        "SignCertificate",
        "SignedFirmwareStatusNotification",
    },
    OCPPVersion.v201: {
        "Authorize",
        "BootNotification",
        "ClearedChargingLimit",
        "DataTransfer",
        "FirmwareStatusNotification",
        "Get15118EVCertificate",
        "GetCertificateStatus",
        "Heartbeat",
        "LogStatusNotification",
        "MeterValues",
        "NotifyChargingLimit",
        "NotifyCustomerInformation",
        "NotifyDisplayMessages",
        "NotifyEVChargingNeeds",
        "NotifyEVChargingSchedule",
        "NotifyEvent",
        "NotifyMonitoringReport",
        "NotifyReport",
        "PublishFirmwareStatusNotification",
        "ReportChargingProfiles",
        "ReservationStatusUpdate",
        "SecurityEventNotification",
        "SignCertificate",
        "StatusNotification",
        "TransactionEvent",
    },
}
CHARGER_INITIATED[OCPPVersion.v21] = CHARGER_INITIATED[OCPPVersion.v201] | {
    "BatterySwap",
    "ClosePeriodicEventStream",
    "GetCertificateChainStatus",
    "NotifyDERAlarm",
    "NotifyDERStartStop",
    "NotifyPeriodicEventStream",
    "NotifyPriorityCharging",
    "NotifySettlement",
    "OpenPeriodicEventStream",
    "PullDynamicScheduleUpdate",
    "ReportDERControl",
    "VatNumberValidation",
}
