"""Tariffs: the CPO's Sender (list) and the eMSP's Receiver (GET/PUT/DELETE; PATCH in 2.1.1)."""

from ocpi.core.enums import InterfaceRole, ModuleID, RoleEnum
from ocpi.core.interfaces import ObjectSpec
from ocpi.core.object_routers import ObjectReceiver, ObjectSender
from ocpi.core.registry import ModuleEntry
from ocpi.modules.versions.enums import VersionNumber

__all__ = ["ENTRIES", "SPEC"]

SPEC = ObjectSpec(ModuleID.tariffs, "Tariff", "tariff_adapter")
_ALL = frozenset({VersionNumber.v_2_1_1, VersionNumber.v_2_2_1, VersionNumber.v_2_3_0})
_RECEIVERS = frozenset({RoleEnum.emsp, RoleEnum.nsp, RoleEnum.nap})

ENTRIES = [
    ModuleEntry(
        ModuleID.tariffs,
        (InterfaceRole.sender,),
        _ALL,
        frozenset({RoleEnum.cpo}),
        ObjectSender(SPEC),
    ),
    ModuleEntry(
        ModuleID.tariffs,
        (InterfaceRole.receiver,),
        frozenset({VersionNumber.v_2_1_1}),
        _RECEIVERS,
        ObjectReceiver(SPEC, id_param="tariff_id", methods=("GET", "PUT", "PATCH", "DELETE")),
    ),
    ModuleEntry(
        ModuleID.tariffs,
        (InterfaceRole.receiver,),
        _ALL - {VersionNumber.v_2_1_1},
        _RECEIVERS,
        ObjectReceiver(SPEC, id_param="tariff_id", methods=("GET", "PUT", "DELETE")),
    ),
]
