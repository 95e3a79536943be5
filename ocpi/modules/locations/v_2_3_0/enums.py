"""Location enums of OCPI 2.3.0.

2.3.0 marks many of these as OpenEnum; the schemas then type the field as
``OpenEnum[X]`` so that unknown strings are kept. Enums whose values did not change are
re-exported from 2.2.1 or the shared module.
"""

from __future__ import annotations

from enum import Enum

from ocpi.modules.locations.enums import (
    ConnectorFormat,
    EnergySourceCategory,
    EnvironmentalImpactCategory,
    ImageCategory,
    Status,
)
from ocpi.modules.locations.v_2_2_1.enums import Capability, Facility, ParkingType, PowerType

__all__ = [
    "Capability",
    "ConnectorCapability",
    "ConnectorFormat",
    "ConnectorType",
    "EVSEPosition",
    "EnergySourceCategory",
    "EnvironmentalImpactCategory",
    "Facility",
    "ImageCategory",
    "ParkingDirection",
    "ParkingRestriction",
    "ParkingType",
    "PowerType",
    "Status",
    "VehicleType",
]


class ConnectorCapability(str, Enum):
    """Plug and Charge support of a connector (new in 2.3.0, open enum)."""

    iso_15118_2_plug_and_charge = "ISO_15118_2_PLUG_AND_CHARGE"
    iso_15118_20_plug_and_charge = "ISO_15118_20_PLUG_AND_CHARGE"


class ConnectorType(str, Enum):
    """Open enum in 2.3.0; adds MCS and SAE J3400 (NACS)."""

    chademo = "CHADEMO"
    chaoji = "CHAOJI"
    domestic_a = "DOMESTIC_A"
    domestic_b = "DOMESTIC_B"
    domestic_c = "DOMESTIC_C"
    domestic_d = "DOMESTIC_D"
    domestic_e = "DOMESTIC_E"
    domestic_f = "DOMESTIC_F"
    domestic_g = "DOMESTIC_G"
    domestic_h = "DOMESTIC_H"
    domestic_i = "DOMESTIC_I"
    domestic_j = "DOMESTIC_J"
    domestic_k = "DOMESTIC_K"
    domestic_l = "DOMESTIC_L"
    domestic_m = "DOMESTIC_M"
    domestic_n = "DOMESTIC_N"
    domestic_o = "DOMESTIC_O"
    gbt_ac = "GBT_AC"
    gbt_dc = "GBT_DC"
    iec_60309_2_single_16 = "IEC_60309_2_single_16"
    iec_60309_2_three_16 = "IEC_60309_2_three_16"
    iec_60309_2_three_32 = "IEC_60309_2_three_32"
    iec_60309_2_three_64 = "IEC_60309_2_three_64"
    iec_62196_t1 = "IEC_62196_T1"
    iec_62196_t1_combo = "IEC_62196_T1_COMBO"
    iec_62196_t2 = "IEC_62196_T2"
    iec_62196_t2_combo = "IEC_62196_T2_COMBO"
    iec_62196_t3a = "IEC_62196_T3A"
    iec_62196_t3c = "IEC_62196_T3C"
    mcs = "MCS"
    nema_5_20 = "NEMA_5_20"
    nema_6_30 = "NEMA_6_30"
    nema_6_50 = "NEMA_6_50"
    nema_10_30 = "NEMA_10_30"
    nema_10_50 = "NEMA_10_50"
    nema_14_30 = "NEMA_14_30"
    nema_14_50 = "NEMA_14_50"
    pantograph_bottom_up = "PANTOGRAPH_BOTTOM_UP"
    pantograph_top_down = "PANTOGRAPH_TOP_DOWN"
    sae_j3400 = "SAE_J3400"
    tesla_r = "TESLA_R"
    tesla_s = "TESLA_S"


class EVSEPosition(str, Enum):
    """Where the EVSE stands relative to a vehicle in the parking space."""

    left = "LEFT"
    right = "RIGHT"
    center_ = "CENTER"  # trailing underscore: ``center`` would shadow ``str.center``


class ParkingDirection(str, Enum):
    """How a parking space is oriented to the road it is entered from."""

    parallel = "PARALLEL"
    perpendicular = "PERPENDICULAR"
    angle = "ANGLE"


class ParkingRestriction(str, Enum):
    """Who may park at the EVSE; 2.3.0 adds employees, taxis and tenants (open enum)."""

    customers = "CUSTOMERS"
    disabled = "DISABLED"
    employees = "EMPLOYEES"
    ev_only = "EV_ONLY"
    motorcycles = "MOTORCYCLES"
    plugged = "PLUGGED"
    taxis = "TAXIS"
    tenants = "TENANTS"


class VehicleType(str, Enum):
    """Vehicle categories a parking space is made for (open enum)."""

    motorcycle = "MOTORCYCLE"
    personal_vehicle = "PERSONAL_VEHICLE"
    personal_vehicle_with_trailer = "PERSONAL_VEHICLE_WITH_TRAILER"
    van = "VAN"
    semi_tractor = "SEMI_TRACTOR"
    rigid = "RIGID"
    truck_with_trailer = "TRUCK_WITH_TRAILER"
    bus = "BUS"
    disabled = "DISABLED"
