"""Version converters: every sample object converted to every version validates in that version's
model, and a round trip through the canonical form gives the original back where nothing is
lost."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from ocpi import ModuleID
from ocpi.core.utils import get_module_model
from ocpi.store.convert import STASH, convert, from_canonical, to_canonical
from tests.ocpi.samples import MINIMAL, TOKENS

VERSIONS = ["2.1.1", "2.2.1", "2.3.0"]
OBJECTS = [
    (ModuleID.locations, "Location"),
    (ModuleID.sessions, "Session"),
    (ModuleID.cdrs, "CDR"),
    (ModuleID.tariffs, "Tariff"),
    (ModuleID.tokens, "Token"),
]


def sample(version: str, class_name: str) -> dict[str, Any]:
    if class_name == "Token":
        return copy.deepcopy(TOKENS[version])
    data = copy.deepcopy(MINIMAL[version][class_name])
    if class_name == "Location":
        evse = copy.deepcopy(MINIMAL[version]["EVSE"])
        data["evses"] = [evse]
    return data


def validate(module: ModuleID, class_name: str, version: str, data: dict[str, Any]) -> None:
    folder = "v_" + version.replace(".", "_")
    model = get_module_model(class_name, module.value, folder)
    model.model_validate(data)


@pytest.mark.parametrize(("module", "class_name"), OBJECTS, ids=[o[1] for o in OBJECTS])
@pytest.mark.parametrize("source", VERSIONS)
@pytest.mark.parametrize("target", VERSIONS)
def test_converted_objects_validate(
    module: ModuleID, class_name: str, source: str, target: str
) -> None:
    data = sample(source, class_name)
    stored = to_canonical(module, data, source, country_code="NL", party_id="CPO")
    validate(module, class_name, "2.3.0", {k: v for k, v in stored.items() if k != STASH})
    served = from_canonical(module, stored, target)
    assert STASH not in served
    validate(module, class_name, target, served)
    if source == target:
        assert served == data


def test_211_location_gets_party_and_maps_type() -> None:
    location = sample("2.1.1", "Location")
    stored = to_canonical(ModuleID.locations, location, "2.1.1", country_code="NL", party_id="CPO")
    assert (stored["country_code"], stored["party_id"]) == ("NL", "CPO")
    assert stored["parking_type"] == "ON_STREET"
    connector = stored["evses"][0]["connectors"][0]
    assert (connector["max_voltage"], connector["max_amperage"]) == (230, 16)
    down = convert(ModuleID.locations, stored, "2.3.0", "2.1.1")
    assert down["type"] == "ON_STREET"
    assert "country_code" not in down


def test_prices_between_221_and_230() -> None:
    session = sample("2.2.1", "Session")
    session["total_cost"] = {"excl_vat": 10, "incl_vat": 12.1}
    stored = to_canonical(ModuleID.sessions, session, "2.2.1")
    assert stored["total_cost"] == {
        "before_taxes": 10,
        "taxes": [{"name": "VAT", "amount": 2.1}],
    }
    assert from_canonical(ModuleID.sessions, stored, "2.2.1")["total_cost"] == {
        "excl_vat": 10,
        "incl_vat": 12.1,
    }
    tariff = to_canonical(ModuleID.tariffs, sample("2.2.1", "Tariff"), "2.2.1")
    assert tariff["tax_included"] == "NO"


def test_230_only_values_are_mapped_down() -> None:
    token = sample("2.3.0", "Token")  # type EMAID
    assert from_canonical(ModuleID.tokens, token, "2.2.1")["type"] == "OTHER"
    down_211 = from_canonical(ModuleID.tokens, token, "2.1.1")
    assert down_211["type"] == "OTHER"
    assert down_211["auth_id"] == token["contract_id"]


def test_211_session_location_survives_the_round_trip() -> None:
    session = sample("2.1.1", "Session")
    session["location"]["evses"] = [copy.deepcopy(MINIMAL["2.1.1"]["EVSE"])]
    stored = to_canonical(ModuleID.sessions, session, "2.1.1", country_code="NL", party_id="CPO")
    assert (stored["location_id"], stored["evse_uid"], stored["connector_id"]) == ("L1", "E1", "1")
    assert stored["cdr_token"]["uid"] == "A1"
    assert from_canonical(ModuleID.sessions, stored, "2.1.1") == session
    # Written in 2.2.1 (no stash), a Session still becomes a valid 2.1.1 one.
    newer = to_canonical(ModuleID.sessions, sample("2.2.1", "Session"), "2.2.1")
    down = from_canonical(ModuleID.sessions, newer, "2.1.1")
    assert down["location"]["evses"][0]["uid"] == "E1"
    validate(ModuleID.sessions, "Session", "2.1.1", down)


def test_modules_without_converters_pass_through() -> None:
    info = {"party_id": "ABC", "country_code": "NL", "role": "CPO", "status": "CONNECTED"}
    assert convert(ModuleID.hub_client_info, info, "2.2.1", "2.3.0") == info
