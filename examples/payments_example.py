"""A payment terminal provider (PTP) and a CPO over real HTTP: terminal activation, creation at
the CPO, location assignment, and the financial advice confirmation after a capture.

Run it: ``python -m examples.payments_example``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from examples.platform_pair import running_pair
from ocpi import ModuleID, RoleEnum
from ocpi.modules.payments import client as payments


async def main() -> dict[str, Any]:
    async with running_pair(
        (RoleEnum.ptp, "PTP"), (RoleEnum.cpo, "CPO"), [ModuleID.payments]
    ) as pair:
        to_cpo, to_ptp = pair.to_b, pair.to_a
        # --8<-- [start:terminal]
        # CPO side: ask the PTP to activate the terminal built into a station.
        await payments.activate_terminal(
            to_ptp, {"reference": "SN-0042", "last_updated": "2025-03-01T10:00:00Z"}
        )
        # PTP side: the terminal now exists (with an id the PTP chose); create it at the CPO.
        (terminal,) = [t async for t in payments.pull_terminals(to_ptp)]
        await payments.post_terminal(to_cpo, terminal)
        # CPO side: assign the locations this terminal serves.
        await payments.patch_terminal(
            to_ptp, terminal["terminal_id"], {"location_ids": ["LOC1", "LOC2"]}
        )
        assigned = await payments.get_terminal(to_ptp, terminal["terminal_id"])
        # --8<-- [end:terminal]

        # --8<-- [start:confirmation]
        # PTP side: after capturing at the payment service provider, confirm it to the CPO,
        # which adds the EFT data to its invoice for the session with this authorization.
        await payments.post_financial_advice_confirmation(
            to_cpo,
            {
                "id": "FAC-1",
                "authorization_reference": "pp-100100-1948213567",
                "total_costs": {"before_taxes": 4.00, "taxes": [{"name": "VAT", "amount": 0.40}]},
                "currency": "EUR",
                "eft_data": ["Mastercard", "Nr: **** 1234", "Amount: EUR 4.40"],
                "capture_status_code": "SUCCESS",
                "last_updated": "2025-03-01T11:00:00Z",
            },
        )
        # --8<-- [end:confirmation]
        at_cpo = await payments.get_posted_financial_advice_confirmation(to_cpo, "FAC-1")
        terminal_at_cpo = await payments.get_posted_terminal(to_cpo, terminal["terminal_id"])
    result = {
        "terminal_reference_at_cpo": terminal_at_cpo["reference"],
        "location_ids": assigned["location_ids"],
        "capture_status": at_cpo["capture_status_code"],
    }
    print(result)
    return result


if __name__ == "__main__":
    asyncio.run(main())
