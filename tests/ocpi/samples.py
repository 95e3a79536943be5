"""Minimal spec-valid OCPI objects per version, shared by the schema and router tests."""

from __future__ import annotations

from typing import Any

TS = "2024-05-02T14:15:01Z"
GEO = {"latitude": "52.370216", "longitude": "4.895168"}


def _minimal_221(version: str) -> dict[str, dict[str, Any]]:
    price = {"excl_vat": 1.5} if version == "2.2.1" else {"before_taxes": 1.5}
    token = {
        "country_code": "NL",
        "party_id": "MSP",
        "uid": "04A1B2C3",
        "type": "RFID",
        "contract_id": "NL-MSP-C12345678-X",
    }
    connector = {
        "id": "1",
        "standard": "IEC_62196_T2",
        "format": "SOCKET",
        "power_type": "AC_3_PHASE",
        "max_voltage": 230,
        "max_amperage": 16,
        "last_updated": TS,
    }
    tariff = {
        "country_code": "NL",
        "party_id": "CPO",
        "id": "T1",
        "currency": "EUR",
        "elements": [{"price_components": [{"type": "ENERGY", "price": 0.3, "step_size": 1}]}],
        "last_updated": TS,
    }
    if version == "2.3.0":
        tariff["tax_included"] = "NO"
    period = {"start_date_time": TS, "dimensions": [{"type": "ENERGY", "volume": 5}]}
    return {
        "Connector": connector,
        "EVSE": {"uid": "E1", "status": "AVAILABLE", "connectors": [connector], "last_updated": TS},
        "Location": {
            "country_code": "NL",
            "party_id": "CPO",
            "id": "L1",
            "publish": True,
            "address": "Damrak 1",
            "city": "Amsterdam",
            "country": "NLD",
            "coordinates": GEO,
            "time_zone": "Europe/Amsterdam",
            "last_updated": TS,
        },
        "Tariff": tariff,
        "ChargingPreferences": {"profile_type": "FAST"},
        "Session": {
            "country_code": "NL",
            "party_id": "CPO",
            "id": "S1",
            "start_date_time": TS,
            "kwh": 0,
            "cdr_token": token,
            "auth_method": "WHITELIST",
            "location_id": "L1",
            "evse_uid": "E1",
            "connector_id": "1",
            "currency": "EUR",
            "status": "ACTIVE",
            "last_updated": TS,
        },
        "CDR": {
            "country_code": "NL",
            "party_id": "CPO",
            "id": "C1",
            "start_date_time": TS,
            "end_date_time": TS,
            "cdr_token": token,
            "auth_method": "COMMAND",
            "cdr_location": {
                "id": "L1",
                "address": "Damrak 1",
                "city": "Amsterdam",
                "country": "NLD",
                "coordinates": GEO,
                "evse_uid": "E1",
                "evse_id": "NL*CPO*E1",
                "connector_id": "1",
                "connector_standard": "IEC_62196_T2",
                "connector_format": "SOCKET",
                "connector_power_type": "AC_3_PHASE",
            },
            "currency": "EUR",
            "charging_periods": [period],
            "total_cost": price,
            "total_energy": 5,
            "total_time": 0.5,
            "last_updated": TS,
        },
    }


def _minimal_211() -> dict[str, dict[str, Any]]:
    connector = {
        "id": "1",
        "standard": "IEC_62196_T2",
        "format": "CABLE",
        "power_type": "AC_3_PHASE",
        "voltage": 230,
        "amperage": 16,
        "last_updated": TS,
    }
    location = {
        "id": "L1",
        "type": "ON_STREET",
        "address": "Damrak 1",
        "city": "Amsterdam",
        "postal_code": "1012",
        "country": "NLD",
        "coordinates": GEO,
        "last_updated": TS,
    }
    return {
        "Connector": connector,
        "EVSE": {"uid": "E1", "status": "AVAILABLE", "connectors": [connector], "last_updated": TS},
        "Location": location,
        "Tariff": {
            "id": "T1",
            "currency": "EUR",
            "elements": [{"price_components": [{"type": "TIME", "price": 2, "step_size": 60}]}],
            "last_updated": TS,
        },
        "Session": {
            "id": "S1",
            "start_datetime": TS,
            "kwh": 0,
            "auth_id": "A1",
            "auth_method": "WHITELIST",
            "location": location,
            "currency": "EUR",
            "status": "PENDING",
            "last_updated": TS,
        },
        "CDR": {
            "id": "C1",
            "start_date_time": TS,
            "stop_date_time": TS,
            "auth_id": "A1",
            "auth_method": "AUTH_REQUEST",
            "location": location,
            "currency": "EUR",
            "charging_periods": [
                {"start_date_time": TS, "dimensions": [{"type": "TIME", "volume": 0.5}]}
            ],
            "total_cost": 1,
            "total_energy": 5,
            "total_time": 0.5,
            "last_updated": TS,
        },
    }


MINIMAL = {
    "2.1.1": _minimal_211(),
    "2.2.1": _minimal_221("2.2.1"),
    "2.3.0": _minimal_221("2.3.0"),
}

#: A Token per version (the token chapter's examples).
TOKENS: dict[str, dict[str, Any]] = {
    "2.1.1": {
        "uid": "012345678",
        "type": "RFID",
        "auth_id": "DE8ACC12E46L89",
        "issuer": "TheNewMotion",
        "valid": True,
        "whitelist": "ALLOWED",
        "last_updated": TS,
    },
    "2.2.1": {
        "country_code": "DE",
        "party_id": "TNM",
        "uid": "bdf21bce",
        "type": "APP_USER",
        "contract_id": "DE8ACC12E46L89",
        "issuer": "TheNewMotion",
        "valid": True,
        "whitelist": "NEVER",
        "last_updated": TS,
    },
}
TOKENS["2.3.0"] = {**TOKENS["2.2.1"], "type": "EMAID"}
