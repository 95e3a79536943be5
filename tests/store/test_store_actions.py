"""Commands, charging profiles and hub client info over HTTP with the store as Crud: what the
store answers by itself (never a fake ACCEPTED), the ``actions`` hook the OCPP bridge uses, and
objects stored as received."""

from __future__ import annotations

import copy
from typing import Any

import httpx
from sqlalchemy import select

from ocpi import Action, ModuleID, RoleEnum, VersionNumber, get_application
from ocpi.core.utils import encode_string_base64
from ocpi.store import SQLCrud, Store
from ocpi.store.models import StoredObject
from tests.ocpi.samples import MINIMAL, TOKENS
from tests.store.conftest import Backend, add_partner, roles_settings

V = VersionNumber.v_2_2_1
HEADERS = {"Authorization": f"Token {encode_string_base64('partner')}"}


def app_of(store: Store, role: RoleEnum, modules: list[ModuleID]) -> Any:
    return get_application(
        version_numbers=[V],
        roles=[role],
        crud=store.crud,
        modules=modules,
        authenticator=store.authenticator,
        settings=store.settings,
    )


def start_session() -> dict[str, Any]:
    return {
        "response_url": "https://emsp.example.com/commands/START_SESSION/1",
        "token": copy.deepcopy(TOKENS["2.2.1"]),
        "location_id": "L1",
    }


async def test_commands_without_a_bridge_are_not_supported(backend: Backend) -> None:
    store = backend.store(roles_settings(), roles=[RoleEnum.cpo])
    await add_partner(store, "partner", [["DE", "TNM"]])
    location = copy.deepcopy(MINIMAL["2.2.1"]["Location"])
    await store.crud.create(ModuleID.locations, RoleEnum.cpo, location, version=V)
    app = app_of(store, RoleEnum.cpo, [ModuleID.commands, ModuleID.locations])
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as http:
        answer = await http.post(
            "/ocpi/cpo/2.2.1/commands/START_SESSION", json=start_session(), headers=HEADERS
        )
        assert answer.json()["data"]["result"] == "NOT_SUPPORTED", answer.text
        unknown = await http.post(
            "/ocpi/cpo/2.2.1/commands/START_SESSION",
            json=dict(start_session(), location_id="NOPE"),
            headers=HEADERS,
        )
        assert unknown.json()["status_code"] == 2003
    async with store.db.read() as session:
        rows = list(await session.scalars(select(StoredObject).where(StoredObject.kind != "")))
    assert [(r.module, r.kind, r.doc["command"], r.doc["location_id"]) for r in rows] == [
        ("commands", "command", "START_SESSION", "L1")
    ]


async def test_actions_hook_answers_commands_and_profiles(backend: Backend) -> None:
    calls: list[tuple[ModuleID, Action]] = []

    async def bridge(
        module: ModuleID,
        role: RoleEnum | None,
        action: Action,
        data: dict[str, Any] | None,
        kwargs: dict[str, Any],
    ) -> Any:
        calls.append((module, action))
        return {"result": "REJECTED", "timeout": 0}

    store = backend.store(roles_settings(), roles=[RoleEnum.cpo], actions=bridge)
    await add_partner(store, "partner", [["DE", "TNM"]])
    await store.crud.create(
        ModuleID.locations, RoleEnum.cpo, copy.deepcopy(MINIMAL["2.2.1"]["Location"]), version=V
    )
    session = copy.deepcopy(MINIMAL["2.2.1"]["Session"])
    await store.crud.create(ModuleID.sessions, RoleEnum.cpo, session, version=V)
    app = app_of(store, RoleEnum.cpo, [ModuleID.commands, ModuleID.charging_profile])
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as http:
        answer = await http.post(
            "/ocpi/cpo/2.2.1/commands/START_SESSION", json=start_session(), headers=HEADERS
        )
        assert answer.json()["data"]["result"] == "REJECTED"
        profile = await http.get(
            "/ocpi/cpo/2.2.1/chargingprofiles/S1",
            params={"duration": 900, "response_url": "https://emsp.example.com/cp/1"},
            headers=HEADERS,
        )
        assert profile.json()["data"]["result"] == "REJECTED"
    assert calls == [
        (ModuleID.commands, Action.send_command),
        (ModuleID.charging_profile, Action.send_get_chargingprofile),
    ]


async def test_a_crud_subclass_overrides_behaviour(backend: Backend) -> None:
    class Preferring(SQLCrud):
        @classmethod
        async def update(
            cls, module: ModuleID, role: RoleEnum, data: dict[str, Any], id: Any, **kwargs: Any
        ) -> Any:
            if kwargs.get("charging_preferences"):
                return "DEPARTURE_REQUIRED"
            return await super().update(module, role, data, id, **kwargs)

    store = backend.store(roles_settings(), roles=[RoleEnum.cpo], crud_class=Preferring)
    await add_partner(store, "partner", [["DE", "TNM"]])
    assert issubclass(store.crud, Preferring)
    app = app_of(store, RoleEnum.cpo, [ModuleID.sessions])
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as http:
        answer = await http.put(
            "/ocpi/cpo/2.2.1/sessions/S1/charging_preferences",
            json={"profile_type": "FAST"},
            headers=HEADERS,
        )
    assert answer.json()["data"] == "DEPARTURE_REQUIRED"


async def test_charging_profiles_without_a_bridge_are_not_supported(backend: Backend) -> None:
    store = backend.store(roles_settings(), roles=[RoleEnum.cpo])
    await add_partner(store, "partner", [["DE", "TNM"]])
    session = copy.deepcopy(MINIMAL["2.2.1"]["Session"])
    await store.crud.create(ModuleID.sessions, RoleEnum.cpo, session, version=V)
    app = app_of(store, RoleEnum.cpo, [ModuleID.charging_profile])
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as http:
        answer = await http.delete(
            "/ocpi/cpo/2.2.1/chargingprofiles/S1",
            params={"response_url": "https://emsp.example.com/cp/2"},
            headers=HEADERS,
        )
        assert answer.json()["data"]["result"] == "NOT_SUPPORTED"
        unknown = await http.delete(
            "/ocpi/cpo/2.2.1/chargingprofiles/S9",
            params={"response_url": "https://emsp.example.com/cp/3"},
            headers=HEADERS,
        )
        assert unknown.json()["data"]["result"] == "UNKNOWN_SESSION"


async def test_hub_client_info_is_stored_as_received(backend: Backend) -> None:
    store = backend.store(roles_settings(), roles=[RoleEnum.cpo])
    await add_partner(store, "partner", [["NL", "HUB"]])
    app = app_of(store, RoleEnum.cpo, [ModuleID.hub_client_info])
    info = {
        "party_id": "ABC",
        "country_code": "NL",
        "role": "EMSP",
        "status": "CONNECTED",
        "last_updated": "2024-05-02T14:15:01Z",
    }
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as http:
        url = "/ocpi/cpo/2.2.1/hubclientinfo/NL/ABC"
        created = await http.put(url, json=info, headers=HEADERS)
        assert created.status_code == 201
        again = await http.put(url, json=dict(info, status="OFFLINE"), headers=HEADERS)
        assert again.status_code == 200
        fetched = await http.get(url, headers=HEADERS)
        assert fetched.json()["data"]["status"] == "OFFLINE"
        assert (await http.get(url.replace("ABC", "XYZ"), headers=HEADERS)).status_code == 404


async def test_payments_terminal_activation_and_deactivation(backend: Backend) -> None:
    store = backend.store(roles_settings(), roles=[RoleEnum.ptp])
    await add_partner(store, "partner", [["NL", "CPO"]])
    app = get_application(
        version_numbers=[VersionNumber.v_2_3_0],
        roles=[RoleEnum.ptp],
        crud=store.crud,
        modules=[ModuleID.payments],
        authenticator=store.authenticator,
        settings=store.settings,
    )
    base = "/ocpi/ptp/2.3.0/payments/terminals"
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as http:
        activated = await http.post(
            f"{base}/activate",
            json={"customer_reference": "CPO-1", "last_updated": "2024-05-02T14:15:01Z"},
            headers=HEADERS,
        )
        assert activated.json()["status_code"] == 1000
        (terminal,) = (await http.get(base, headers=HEADERS)).json()["data"]
        assert terminal["customer_reference"] == "CPO-1"
        url = f"{base}/{terminal['terminal_id']}"
        patched = await http.patch(url, json={"location_ids": ["L1"]}, headers=HEADERS)
        assert patched.json()["status_code"] == 1000
        assert (await http.get(url, headers=HEADERS)).json()["data"]["location_ids"] == ["L1"]
        await http.post(f"{url}/deactivate", headers=HEADERS)
        assert (await http.get(url, headers=HEADERS)).status_code == 404
