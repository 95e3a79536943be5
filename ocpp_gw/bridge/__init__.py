"""The OCPP → OCPI bridge ("a CPO in a box") and the tariff engine.

:class:`Bridge` wires the gateway to the OCPI application; see ``docs/bridge.md``. The tariff
engine lives in :mod:`ocpp_gw.bridge.tariff_engine`.
"""

from ocpp_gw.bridge.authorizer import Authorization, BridgeAuthorizer
from ocpp_gw.bridge.bridge import Bridge, BridgedGateway
from ocpp_gw.bridge.commands import CommandBridge
from ocpp_gw.bridge.crud import BridgeCrud
from ocpp_gw.bridge.directory import PartnerDirectory, PartnerInfo
from ocpp_gw.bridge.locations import LocationPublisher
from ocpp_gw.bridge.mapping import ConnectorConfig, EvseConfig, StationConfig, StationMap
from ocpp_gw.bridge.outbox import Outbox
from ocpp_gw.bridge.sessions import SessionPublisher
from ocpp_gw.bridge.settings import BridgeSettings, ConnectorDefaults, LocationDefaults
from ocpp_gw.bridge.store_directory import StorePartnerDirectory

__all__ = [
    "Authorization",
    "Bridge",
    "BridgeAuthorizer",
    "BridgeCrud",
    "BridgeSettings",
    "BridgedGateway",
    "CommandBridge",
    "ConnectorConfig",
    "ConnectorDefaults",
    "EvseConfig",
    "LocationDefaults",
    "LocationPublisher",
    "Outbox",
    "PartnerDirectory",
    "PartnerInfo",
    "SessionPublisher",
    "StationConfig",
    "StationMap",
    "StorePartnerDirectory",
]
