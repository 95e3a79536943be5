"""Location enums of OCPI 2.2.1."""

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
    "ParkingRestriction",
    "ParkingType",
    "PowerType",
    "Status",
]


class Capability(str, Enum):
    charging_profile_capable = "CHARGING_PROFILE_CAPABLE"
    charging_preferences_capable = "CHARGING_PREFERENCES_CAPABLE"
    chip_card_support = "CHIP_CARD_SUPPORT"
    contactless_card_support = "CONTACTLESS_CARD_SUPPORT"
    credit_card_payable = "CREDIT_CARD_PAYABLE"
    debit_card_payable = "DEBIT_CARD_PAYABLE"
    ped_terminal = "PED_TERMINAL"
    remote_start_stop_capable = "REMOTE_START_STOP_CAPABLE"
    reservable = "RESERVABLE"
    rfid_reader = "RFID_READER"
    start_session_connector_required = "START_SESSION_CONNECTOR_REQUIRED"
    token_group_capable = "TOKEN_GROUP_CAPABLE"  # noqa: S105 - an enum value, not a secret
    unlock_capable = "UNLOCK_CAPABLE"


class ConnectorType(str, Enum):
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
    nema_5_20 = "NEMA_5_20"
    nema_6_30 = "NEMA_6_30"
    nema_6_50 = "NEMA_6_50"
    nema_10_30 = "NEMA_10_30"
    nema_10_50 = "NEMA_10_50"
    nema_14_30 = "NEMA_14_30"
    nema_14_50 = "NEMA_14_50"
    pantograph_bottom_up = "PANTOGRAPH_BOTTOM_UP"
    pantograph_top_down = "PANTOGRAPH_TOP_DOWN"
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
    bike_sharing = "BIKE_SHARING"
    bus_stop = "BUS_STOP"
    taxi_stand = "TAXI_STAND"
    tram_stop = "TRAM_STOP"
    metro_station = "METRO_STATION"
    train_station = "TRAIN_STATION"
    airport = "AIRPORT"
    parking_lot = "PARKING_LOT"
    carpool_parking = "CARPOOL_PARKING"
    fuel_station = "FUEL_STATION"
    wifi = "WIFI"


class ParkingType(str, Enum):
    along_motorway = "ALONG_MOTORWAY"
    parking_garage = "PARKING_GARAGE"
    parking_lot = "PARKING_LOT"
    on_driveway = "ON_DRIVEWAY"
    on_street = "ON_STREET"
    underground_garage = "UNDERGROUND_GARAGE"


class PowerType(str, Enum):
    ac_1_phase = "AC_1_PHASE"
    ac_2_phase = "AC_2_PHASE"
    ac_2_phase_split = "AC_2_PHASE_SPLIT"
    ac_3_phase = "AC_3_PHASE"
    dc = "DC"
