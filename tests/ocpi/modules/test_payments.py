"""payments (2.3.0) over HTTP: the PTP's Sender (terminals, activation, assignment, confirmations),
the CPO's Receiver, ``/details``, and a PTP ↔ CPO round trip through the client helpers."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from ocpi import ModuleID, RoleEnum
from ocpi.modules.payments import client as payments
from ocpi.modules.payments.v_2_3_0.schemas import FinancialAdviceConfirmation, Terminal
from tests.conftest import LoopbackServer
from tests.ocpi.modules.hub_payments_bookings_apps import TS, Platform, platform, registered_pair

MODULE = ModuleID.payments
SHARED_ID = "452cf8a1-79aa-4a0e-9aee-dc788586053c"  # the spec's examples reuse it for both kinds

TERMINAL: dict[str, Any] = {
    "terminal_id": SHARED_ID,
    "customer_reference": "ChargePoint",
    "address": "Street 1",
    "city": "Vienna",
    "country": "AUT",
    "coordinates": {"latitude": "51.047599", "longitude": "3.729944"},
    "invoice_base_url": "https://somecompany.com/invoices",
    "invoice_creator": "CPO",
    "location_ids": [],
    "last_updated": TS,
}
CONFIRMATION: dict[str, Any] = {
    "id": SHARED_ID,
    "authorization_reference": "pp-100100-1948213567",
    "total_costs": {"before_taxes": 4.00},
    "currency": "EUR",
    "eft_data": ["Mastercard", "AID: 1234", "Amount: EUR 4.40"],
    "capture_status_code": "SUCCESS",
    "capture_status_message": "Capture successful at PSP",
    "last_updated": TS,
}


def terminal(terminal_id: str = SHARED_ID, **extra: Any) -> dict[str, Any]:
    return {**copy.deepcopy(TERMINAL), "terminal_id": terminal_id, **extra}


def confirmation(confirmation_id: str = SHARED_ID, **extra: Any) -> dict[str, Any]:
    return {**copy.deepcopy(CONFIRMATION), "id": confirmation_id, **extra}


@pytest.fixture
async def ptp() -> AsyncIterator[Platform]:
    async with platform(
        [RoleEnum.ptp], [MODULE], caller_roles=[("NL", "CPO", "CPO")], PAGINATION_MAX_LIMIT=2
    ) as p:
        yield p


@pytest.fixture
async def cpo() -> AsyncIterator[Platform]:
    async with platform([RoleEnum.cpo], [MODULE], caller_roles=[("AT", "PTP", "PTP")]) as p:
        yield p


def test_the_samples_are_spec_valid() -> None:
    Terminal.model_validate(TERMINAL)
    FinancialAdviceConfirmation.model_validate(CONFIRMATION)


async def test_details_advertise_payments(ptp: Platform, cpo: Platform) -> None:
    for app, role, interface in ((ptp, "ptp", "SENDER"), (cpo, "cpo", "RECEIVER")):
        details = await app.http.get("/ocpi/2.3.0/details", headers=app.headers())
        (endpoint,) = [
            e for e in details.json()["data"]["endpoints"] if e["identifier"] == "payments"
        ]
        assert endpoint == {
            "identifier": "payments",
            "role": interface,
            "url": f"https://p.example.com/ocpi/{role}/2.3.0/payments/",
        }
    async with platform([RoleEnum.cpo], [MODULE], "2.2.1") as older:
        details = await older.http.get("/ocpi/2.2.1/details", headers=older.headers())
        assert "payments" not in {e["identifier"] for e in details.json()["data"]["endpoints"]}


# -- the PTP's Sender ------------------------------------------------------------------------


async def test_sender_lists_and_gets_terminals_and_confirmations(ptp: Platform) -> None:
    for index in range(3):
        day = f"2025-03-0{index + 1}T00:00:00Z"
        ptp.put_object(MODULE, f"terminal/T{index}", terminal(f"T{index}", last_updated=day))
    ptp.put_object(MODULE, f"financial_advice_confirmation/{SHARED_ID}", confirmation())
    ptp.put_object(MODULE, f"terminal/{SHARED_ID}", terminal(last_updated="2025-04-01T00:00:00Z"))

    first = await ptp.call("GET", "ptp", "payments", "terminals")
    assert [t["terminal_id"] for t in first.json()["data"]] == ["T0", "T1"]
    assert first.headers["x-total-count"] == "4"
    next_url = first.headers["link"].split(";")[0].strip("<>")
    assert next_url.startswith("https://p.example.com/ocpi/ptp/2.3.0/payments/terminals")
    rest = await ptp.http.get(next_url.replace("https://p.example.com", ""), headers=ptp.headers())
    assert [t["terminal_id"] for t in rest.json()["data"]] == ["T2", SHARED_ID]
    assert "link" not in rest.headers
    dated = await ptp.call(
        "GET", "ptp", "payments", "terminals", params={"date_from": "2025-03-03T00:00:00Z"}
    )
    assert [t["terminal_id"] for t in dated.json()["data"]] == ["T2", SHARED_ID]

    one = await ptp.call("GET", "ptp", "payments", "terminals", "T1")
    assert one.json()["data"]["terminal_id"] == "T1"
    Terminal.model_validate(one.json()["data"])
    # A terminal and a confirmation with the same id are different objects.
    same_id = await ptp.call("GET", "ptp", "payments", "terminals", SHARED_ID)
    assert same_id.json()["data"]["last_updated"] == "2025-04-01T00:00:00Z"
    confirmations = await ptp.call("GET", "ptp", "payments", "financial-advice-confirmations")
    assert confirmations.json()["data"] == [confirmation()]
    assert confirmations.headers["x-total-count"] == "1"
    fac = await ptp.call("GET", "ptp", "payments", "financial-advice-confirmations", SHARED_ID)
    assert fac.json()["data"]["capture_status_code"] == "SUCCESS"
    for kind in ("terminals", "financial-advice-confirmations"):
        missing = await ptp.call("GET", "ptp", "payments", kind, "NOPE")
        assert missing.status_code == 404


async def test_sender_activates_and_deactivates_terminals(ptp: Platform) -> None:
    activation: dict[str, Any] = {
        "terminal_id": "a06dc823-3e5a-40c8-89cf-1b5b9e941412",
        "location_ids": ["df37373d-1669-4127-a6ac-d86750095119"],
        "reference": "Term-SerialNumber",
        "last_updated": "2019-12-10T17:16:15Z",
    }
    answer = await ptp.call("POST", "ptp", "payments", "terminals", "activate", body=activation)
    assert answer.status_code == 200
    assert answer.json()["status_code"] == 1000
    assert ptp.store.objects[(MODULE, f"terminal/{activation['terminal_id']}")] == activation
    # Without a terminal_id: the PTP (here the memory backend) assigns one.
    no_id = {k: v for k, v in activation.items() if k != "terminal_id"}
    answer = await ptp.call("POST", "ptp", "payments", "terminals", "activate", body=no_id)
    assert answer.json()["status_code"] == 1000
    assigned = [
        o
        for (m, k), o in ptp.store.objects.items()
        if o.get("reference") and k != f"terminal/{activation['terminal_id']}"
    ]
    assert len(assigned) == 1 and assigned[0]["terminal_id"]
    invalid = await ptp.call(
        "POST", "ptp", "payments", "terminals", "activate", body={"invoice_creator": "BANK"}
    )
    assert invalid.json()["status_code"] == 2001

    gone = await ptp.call(
        "POST", "ptp", "payments", "terminals", activation["terminal_id"], "deactivate"
    )
    assert gone.json()["status_code"] == 1000
    assert (MODULE, f"terminal/{activation['terminal_id']}") not in ptp.store.objects
    again = await ptp.call(
        "POST", "ptp", "payments", "terminals", activation["terminal_id"], "deactivate"
    )
    assert again.status_code == 404


async def test_sender_put_replaces_a_terminal(ptp: Platform) -> None:
    ptp.put_object(MODULE, "terminal/T1", terminal("T1", location_ids=["L1"]))
    # The spec's own example PUT body carries no terminal_id: the URL's is used.
    update = {
        "customer_reference": "OMV",
        "invoice_base_url": "https://x.example/inv",
        "last_updated": "2025-05-01T00:00:00Z",
    }
    answer = await ptp.call("PUT", "ptp", "payments", "terminals", "T1", body=update)
    assert answer.json()["status_code"] == 1000
    assert ptp.store.objects[(MODULE, "terminal/T1")] == {**update, "terminal_id": "T1"}
    other = await ptp.call(
        "PUT", "ptp", "payments", "terminals", "T1", body={**update, "terminal_id": "T2"}
    )
    assert other.json()["status_code"] == 2001
    assert other.json()["data"] == [{"field": "body.terminal_id"}]
    unknown = await ptp.call("PUT", "ptp", "payments", "terminals", "T9", body=update)
    assert unknown.status_code == 404
    invalid = await ptp.call("PUT", "ptp", "payments", "terminals", "T1", body={"city": "Wien"})
    assert invalid.json()["status_code"] == 2001  # last_updated is required


async def test_sender_patch_assigns_locations_and_evses(ptp: Platform) -> None:
    ptp.put_object(MODULE, "terminal/T1", terminal("T1"))
    # The spec's example PATCH has no last_updated; the PTP stamps the change itself.
    assignment = {"location_ids": ["L1", "L2"]}
    answer = await ptp.call("PATCH", "ptp", "payments", "terminals", "T1", body=assignment)
    assert answer.json()["status_code"] == 1000
    stored = ptp.store.objects[(MODULE, "terminal/T1")]
    assert stored["location_ids"] == ["L1", "L2"]
    assert stored["last_updated"] > TS
    assert stored["city"] == "Vienna"  # untouched fields stay
    evses = {"evse_uids": ["E1"], "last_updated": "2030-01-01T00:00:00Z"}
    await ptp.call("PATCH", "ptp", "payments", "terminals", "T1", body=evses)
    stored = ptp.store.objects[(MODULE, "terminal/T1")]
    assert (stored["evse_uids"], stored["location_ids"]) == (["E1"], ["L1", "L2"])
    assert stored["last_updated"] == "2030-01-01T00:00:00Z"

    bad = await ptp.call("PATCH", "ptp", "payments", "terminals", "T1", body={"location_ids": "L3"})
    assert bad.json()["status_code"] == 2001
    assert bad.json()["data"][0]["field"] == "body.location_ids"
    other = await ptp.call(
        "PATCH", "ptp", "payments", "terminals", "T1", body={"terminal_id": "T2"}
    )
    assert other.json()["status_code"] == 2001
    missing = await ptp.call("PATCH", "ptp", "payments", "terminals", "T9", body=assignment)
    assert missing.status_code == 404


# -- the CPO's Receiver ----------------------------------------------------------------------


async def test_receiver_takes_terminals_from_the_ptp(cpo: Platform) -> None:
    minimal = {"terminal_id": "T1"}  # the spec's "minimal terminal" example
    url = cpo.url("cpo", "payments", "terminals") + "/"  # as in the spec's examples
    created = await cpo.http.post(url, json=minimal, headers=cpo.headers())
    assert created.status_code == 201
    stored = cpo.store.objects[(MODULE, "terminal/T1")]
    assert stored["terminal_id"] == "T1" and stored["last_updated"]
    again = await cpo.call("POST", "cpo", "payments", "terminals", body=terminal("T1"))
    assert again.status_code == 200
    got = await cpo.call("GET", "cpo", "payments", "terminals", "T1")
    assert got.json()["data"] == terminal("T1")
    assert (await cpo.call("GET", "cpo", "payments", "terminals", "T2")).status_code == 404
    invalid = await cpo.call("POST", "cpo", "payments", "terminals", body={"city": "Wien"})
    assert invalid.json()["status_code"] == 2001
    assert invalid.json()["data"][0]["field"].endswith("terminal_id")
    # The Receiver has no list and no PTP-only operations.
    assert (await cpo.call("GET", "cpo", "payments", "terminals")).status_code in (404, 405)
    activate = await cpo.call("POST", "cpo", "payments", "terminals", "activate", body=minimal)
    assert activate.status_code in (404, 405)


async def test_receiver_takes_financial_advice_confirmations(cpo: Platform) -> None:
    created = await cpo.call(
        "POST", "cpo", "payments", "financial-advice-confirmations", body=confirmation()
    )
    assert created.status_code == 201
    # A failed capture, as in the spec's example, carries no EFT data.
    failed = confirmation("F2", capture_status_code="FAILED", total_costs={"before_taxes": 0})
    del failed["eft_data"]
    created = await cpo.call(
        "POST", "cpo", "payments", "financial-advice-confirmations", body=failed
    )
    assert created.status_code == 201
    got = await cpo.call("GET", "cpo", "payments", "financial-advice-confirmations", "F2")
    assert got.json()["data"] == failed
    invalid = await cpo.call(
        "POST",
        "cpo",
        "payments",
        "financial-advice-confirmations",
        body=confirmation("F3", capture_status_code="MAYBE"),
    )
    assert invalid.json()["status_code"] == 2001
    assert (MODULE, "financial_advice_confirmation/F3") not in cpo.store.objects
    unknown = await cpo.call("GET", "cpo", "payments", "financial-advice-confirmations", "F9")
    assert unknown.status_code == 404


async def test_ptp_and_cpo_round_trip_through_the_client_helpers(
    loopback: Callable[[], LoopbackServer],
) -> None:
    async with registered_pair(
        loopback, (RoleEnum.ptp, "PTP"), (RoleEnum.cpo, "CPO"), [MODULE]
    ) as pair:
        to_ptp, to_cpo = pair.to_a, pair.to_b
        # The CPO asks the PTP to activate a station's terminal; the PTP assigns the id ...
        await payments.activate_terminal(to_ptp, {"reference": "SN-1", "last_updated": TS})
        (created,) = [t async for t in payments.pull_terminals(to_ptp)]
        terminal_id = created["terminal_id"]
        # ... and creates it at the CPO.
        posted = await payments.post_terminal(to_cpo, created)
        assert posted.http_status == 201
        assert (await payments.get_posted_terminal(to_cpo, terminal_id))["reference"] == "SN-1"

        # The CPO assigns locations, then replaces the invoice data.
        await payments.patch_terminal(to_ptp, terminal_id, {"location_ids": ["LOC1"]})
        assert (await payments.get_terminal(to_ptp, terminal_id))["location_ids"] == ["LOC1"]
        replaced = {**created, "location_ids": ["LOC1"], "invoice_creator": "CPO"}
        await payments.put_terminal(to_ptp, Terminal.model_validate(replaced))
        assert (await payments.get_terminal(to_ptp, terminal_id))["invoice_creator"] == "CPO"

        # After the capture the PTP confirms it to the CPO; the CPO can also pull it.
        fac = confirmation("FAC1")
        await payments.post_financial_advice_confirmation(to_cpo, fac)
        assert await payments.get_posted_financial_advice_confirmation(to_cpo, "FAC1") == fac
        pair.a_store.objects[(MODULE, "financial_advice_confirmation/FAC1")] = fac
        pulled = [f async for f in payments.pull_financial_advice_confirmations(to_ptp)]
        assert pulled == [fac]
        assert (await payments.get_financial_advice_confirmation(to_ptp, "FAC1"))["id"] == "FAC1"

        await payments.deactivate_terminal(to_ptp, terminal_id)
        assert [t async for t in payments.pull_terminals(to_ptp)] == []
