"""Locations: the CPO's Sender (list, and a Location, EVSE or Connector by id) and the Receiver of
eMSPs, NSPs and NAPs (GET/PUT/PATCH at the three levels)."""

from ocpi.core.enums import InterfaceRole, ModuleID, RoleEnum
from ocpi.core.exceptions import UnknownLocationOCPIError
from ocpi.core.interfaces import ObjectSpec
from ocpi.core.object_routers import Level, ObjectReceiver, ObjectSender
from ocpi.core.registry import ModuleEntry
from ocpi.core.spec import SUPPORTED_VERSIONS

__all__ = ["ENTRIES", "LEVELS", "SPEC"]

SPEC = ObjectSpec(ModuleID.locations, "Location", "location_adapter")
LEVELS = (
    Level("evse_uid", "evses", "uid", "EVSE"),
    Level("connector_id", "connectors", "id", "Connector"),
)

ENTRIES = [
    ModuleEntry(
        ModuleID.locations,
        (InterfaceRole.sender,),
        frozenset(SUPPORTED_VERSIONS),
        frozenset({RoleEnum.cpo}),
        ObjectSender(SPEC, get_object=True, levels=LEVELS, id_param="location_id"),
    ),
    ModuleEntry(
        ModuleID.locations,
        (InterfaceRole.receiver,),
        frozenset(SUPPORTED_VERSIONS),
        frozenset({RoleEnum.emsp, RoleEnum.nsp, RoleEnum.nap}),
        ObjectReceiver(
            SPEC, levels=LEVELS, id_param="location_id", unknown_parent=UnknownLocationOCPIError
        ),
    ),
]
