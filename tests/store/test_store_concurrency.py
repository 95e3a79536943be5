"""No lost updates: concurrent writes to one Location from two stores (two connection pools, as
two processes would have) on SQLite and PostgreSQL. Every writer hands over a stale copy of the
Location, as a process that read it before the others wrote would; the store applies each change
to the row as it is inside its write transaction."""

from __future__ import annotations

import asyncio
import copy
from typing import Any

from sqlalchemy import func, select

from ocpi import ModuleID, RoleEnum, VersionNumber
from ocpi.store.models import StoredObject
from tests.ocpi.samples import MINIMAL
from tests.store.conftest import Backend, add_partner, roles_settings

V = VersionNumber.v_2_2_1
LATER = "2030-01-01T00:00:00Z"
UIDS = [f"E{i}" for i in range(8)]


def location() -> dict[str, Any]:
    data = copy.deepcopy(MINIMAL["2.2.1"]["Location"])
    evses = []
    for uid in UIDS:
        evse = copy.deepcopy(MINIMAL["2.2.1"]["EVSE"])
        evse["uid"] = uid
        evses.append(evse)
    data["evses"] = evses
    return data


async def test_concurrent_evse_patches_and_puts_from_two_stores(backend: Backend) -> None:
    first = backend.store(roles_settings(), roles=[RoleEnum.emsp])
    await add_partner(first, "partner", [["NL", "CPO"]])
    second = backend.store(roles_settings(), roles=[RoleEnum.emsp])
    party = {"country_code": "NL", "party_id": "CPO", "auth_token": "partner", "version": V}
    stale = location()
    await first.crud.create(ModuleID.locations, RoleEnum.emsp, stale, **party)

    async def patch(store: Any, uid: str) -> None:
        body = {"status": "CHARGING", "last_updated": LATER}
        await store.crud.update(
            ModuleID.locations,
            RoleEnum.emsp,
            copy.deepcopy(stale),
            "L1",
            evse_uid=uid,
            patch=body,
            **party,
        )

    async def put_evse(store: Any, uid: str) -> None:
        whole = copy.deepcopy(stale)
        evse = copy.deepcopy(MINIMAL["2.2.1"]["EVSE"])
        evse["uid"] = uid
        whole["evses"].append(evse)
        await store.crud.update(
            ModuleID.locations, RoleEnum.emsp, whole, "L1", evse_uid=uid, **party
        )

    writes = [patch(first if i % 2 else second, uid) for i, uid in enumerate(UIDS)]
    writes += [put_evse(second if i % 2 else first, f"N{i}") for i in range(4)]
    await asyncio.gather(*writes)

    stored = await first.crud.get(ModuleID.locations, RoleEnum.emsp, "L1", **party)
    statuses = {e["uid"]: e["status"] for e in stored["evses"]}
    assert {uid: statuses[uid] for uid in UIDS} == dict.fromkeys(UIDS, "CHARGING")
    assert sorted(uid for uid in statuses if uid.startswith("N")) == ["N0", "N1", "N2", "N3"]
    assert [e["uid"] for e in stored["evses"]][: len(UIDS)] == UIDS  # order kept
    assert stored["last_updated"] == LATER


async def test_concurrent_creation_of_one_object_makes_one_row(backend: Backend) -> None:
    stores = [backend.store(roles_settings()) for _ in range(2)]
    await stores[0].start()
    await stores[1].start()
    tariff = copy.deepcopy(MINIMAL["2.2.1"]["Tariff"])

    async def create(index: int) -> None:
        data = dict(tariff, currency=f"E{index:02d}"[:3])
        await stores[index % 2].crud.create(ModuleID.tariffs, RoleEnum.cpo, data, version=V)

    await asyncio.gather(*(create(i) for i in range(6)))
    async with stores[0].db.read() as session:
        count = await session.scalar(select(func.count()).select_from(StoredObject))
    assert count == 1


async def test_calendar_patch_applies_to_the_stored_calendar(backend: Backend) -> None:
    """Bookings: a Calendar write (``calendar_id`` hint) changes that Calendar of the stored
    BookingLocation, not the BookingLocation's own fields, and keeps concurrent changes."""
    store = backend.store(roles_settings(), roles=[RoleEnum.emsp])
    await add_partner(store, "partner", [["NL", "CPO"]])
    party = {
        "country_code": "NL",
        "party_id": "CPO",
        "auth_token": "partner",
        "version": VersionNumber.v_2_3_0,
        "object_type": "booking_location",
    }
    stale = {
        "country_code": "NL",
        "party_id": "CPO",
        "id": "BL1",
        "location_id": "L1",
        "evse_uid": "E1",
        "calendars": [{"id": "C1", "status": "A"}, {"id": "C2", "status": "A"}],
        "last_updated": "2024-01-01T00:00:00Z",
    }
    await store.crud.create(ModuleID.bookings, RoleEnum.emsp, copy.deepcopy(stale), **party)
    await asyncio.gather(
        *(
            store.crud.update(
                ModuleID.bookings,
                RoleEnum.emsp,
                copy.deepcopy(stale),
                "BL1",
                calendar_id=calendar,
                patch={"status": "B", "last_updated": LATER},
                **party,
            )
            for calendar in ("C1", "C2")
        )
    )
    stored = await store.crud.get(ModuleID.bookings, RoleEnum.emsp, "BL1", **party)
    assert stored["calendars"] == [
        {"id": "C1", "status": "B", "last_updated": LATER},
        {"id": "C2", "status": "B", "last_updated": LATER},
    ]
    assert "status" not in stored
    assert stored["last_updated"] == LATER
