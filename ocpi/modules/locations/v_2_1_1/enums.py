"""Location enums of OCPI 2.1.1."""

from __future__ import annotations

from enum import Enum

from ocpi.modules.locations.enums import (
    ConnectorFormat,
    EnergySourceCategory,
    EnvironmentalImpactCategory,
    ImageCategory,
    ParkingRestriction,
    Status,
)

__all__ = [
    "Capability",
    "ConnectorFormat",
    "ConnectorType",
    "EnergySourceCategory",
    "EnvironmentalImpactCategory",
    "Facility",
    "ImageCategory",
    "LocationType",
    "ParkingRestriction",
    "PowerType",
    "Status",
]


class Capability(str, Enum):
    charging_profile_capable = "CHARGING_PROFILE_CAPABLE"
    credit_card_payable = "CREDIT_CARD_PAYABLE"
    remote_start_stop_capable = "REMOTE_START_STOP_CAPABLE"
    reservable = "RESERVABLE"
    rfid_reader = "RFID_READER"
    unlock_capable = "UNLOCK_CAPABLE"


class ConnectorType(str, Enum):
    chademo = "CHADEMO"
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
    tesla_r = "TESLA_R"
    tesla_s = "TESLA_S"


class Facility(str, Enum):
    hotel = "HOTEL"
    restaurant = "RESTAURANT"
    cafe = "CAFE"
    mall = "MALL"
    supermarket = "SUPERMARKET"
    sport = "SPORT"
    recreation_area = "RECREATION_AREA"
    nature = "NATURE"
    museum = "MUSEUM"
    bus_stop = "BUS_STOP"
    taxi_stand = "TAXI_STAND"
    train_station = "TRAIN_STATION"
    airport = "AIRPORT"
    carpool_parking = "CARPOOL_PARKING"
    fuel_station = "FUEL_STATION"
    wifi = "WIFI"


class LocationType(str, Enum):
    """General kind of place (2.1.1 only; 2.2.1 replaced it by ``ParkingType``)."""

    on_street = "ON_STREET"
    parking_garage = "PARKING_GARAGE"
    underground_garage = "UNDERGROUND_GARAGE"
    parking_lot = "PARKING_LOT"
    other = "OTHER"
    unknown = "UNKNOWN"


class PowerType(str, Enum):
    ac_1_phase = "AC_1_PHASE"
    ac_3_phase = "AC_3_PHASE"
    dc = "DC"
