"""Calling a partner's payments endpoints (2.3.0).

The CPO calls the PTP's Sender (terminals and financial advice confirmations); the PTP calls the
CPO's Receiver to create terminals and confirmations there::

    await post_terminal(to_cpo, {"terminal_id": "T1", "last_updated": now})
    await patch_terminal(to_ptp, "T1", {"location_ids": ["LOC1"], "last_updated": now})
    terminals = [t async for t in pull_terminals(to_ptp)]
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from datetime import datetime
from typing import Any

from ocpi.core.client import OCPIResult
from ocpi.core.data_types import format_datetime
from ocpi.core.enums import InterfaceRole, ModuleID
from ocpi.core.interfaces import dump
from ocpi.core.partner import PartnerClient
from ocpi.modules.payments.router import FACS_PATH, TERMINALS_PATH

__all__ = [
    "activate_terminal",
    "deactivate_terminal",
    "get_financial_advice_confirmation",
    "get_posted_financial_advice_confirmation",
    "get_posted_terminal",
    "get_terminal",
    "patch_terminal",
    "post_financial_advice_confirmation",
    "post_terminal",
    "pull_financial_advice_confirmations",
    "pull_terminals",
    "put_terminal",
]

_MODULE = ModuleID.payments
_SENDER = InterfaceRole.sender
_RECEIVER = InterfaceRole.receiver


async def _pull(
    partner: PartnerClient,
    segment: str,
    date_from: datetime | None,
    date_to: datetime | None,
    limit: int | None,
) -> AsyncIterator[Any]:
    params: dict[str, Any] = {}
    if date_from is not None:
        params["date_from"] = format_datetime(date_from)
    if date_to is not None:
        params["date_to"] = format_datetime(date_to)
    if limit is not None:
        params["limit"] = limit
    async for item in partner.client.iterate(
        partner.url(_MODULE, _SENDER, segment),
        token=partner.token,
        version=partner.version,
        params=params or None,
        routing=partner.routing,
    ):
        yield item


# -- the PTP's Sender (called by the CPO) ------------------------------------------------------


async def pull_terminals(
    ptp: PartnerClient,
    *,
    date_from: datetime | None = None,
    date_to: datetime | None = None,
    limit: int | None = None,
) -> AsyncIterator[Any]:
    """Every Terminal of the PTP's list, following the pages."""
    async for terminal in _pull(ptp, TERMINALS_PATH, date_from, date_to, limit):
        yield terminal


async def get_terminal(ptp: PartnerClient, terminal_id: str) -> Any:
    """One Terminal from the PTP."""
    return await ptp.get(_MODULE, TERMINALS_PATH, terminal_id)


async def activate_terminal(ptp: PartnerClient, terminal: Mapping[str, Any] | Any) -> OCPIResult:
    """Ask the PTP to activate a terminal (``terminal_id`` may be left out: the PTP assigns it)."""
    return await ptp.post(_MODULE, dump(terminal), TERMINALS_PATH, "activate", interface=_SENDER)


async def deactivate_terminal(ptp: PartnerClient, terminal_id: str) -> OCPIResult:
    """Ask the PTP to deactivate a terminal."""
    return await ptp.post(
        _MODULE, None, TERMINALS_PATH, terminal_id, "deactivate", interface=_SENDER
    )


async def put_terminal(ptp: PartnerClient, terminal: Mapping[str, Any] | Any) -> OCPIResult:
    """Replace the data of a terminal at the PTP (the URL uses the object's ``terminal_id``)."""
    data = dump(terminal)
    url = ptp.url(_MODULE, _SENDER, TERMINALS_PATH, data["terminal_id"])
    return await ptp.call("PUT", url, json=data)


async def patch_terminal(
    ptp: PartnerClient, terminal_id: str, changes: Mapping[str, Any]
) -> OCPIResult:
    """Update part of a terminal at the PTP, e.g. its ``location_ids`` / ``evse_uids``."""
    url = ptp.url(_MODULE, _SENDER, TERMINALS_PATH, terminal_id)
    return await ptp.call("PATCH", url, json=dict(changes))


async def pull_financial_advice_confirmations(
    ptp: PartnerClient,
    *,
    date_from: datetime | None = None,
    date_to: datetime | None = None,
    limit: int | None = None,
) -> AsyncIterator[Any]:
    """Every Financial Advice Confirmation of the PTP's list, following the pages."""
    async for confirmation in _pull(ptp, FACS_PATH, date_from, date_to, limit):
        yield confirmation


async def get_financial_advice_confirmation(ptp: PartnerClient, confirmation_id: str) -> Any:
    """One Financial Advice Confirmation from the PTP."""
    return await ptp.get(_MODULE, FACS_PATH, confirmation_id)


# -- the CPO's Receiver (called by the PTP) ----------------------------------------------------


async def post_terminal(cpo: PartnerClient, terminal: Mapping[str, Any] | Any) -> OCPIResult:
    """Create (or send again) a Terminal in the CPO's system."""
    return await cpo.post(_MODULE, dump(terminal), TERMINALS_PATH)


async def get_posted_terminal(cpo: PartnerClient, terminal_id: str) -> Any:
    """The Terminal as the CPO stores it."""
    return await cpo.get(_MODULE, TERMINALS_PATH, terminal_id, interface=_RECEIVER)


async def post_financial_advice_confirmation(
    cpo: PartnerClient, confirmation: Mapping[str, Any] | Any
) -> OCPIResult:
    """Send what was captured for a session (matched by ``authorization_reference``)."""
    return await cpo.post(_MODULE, dump(confirmation), FACS_PATH)


async def get_posted_financial_advice_confirmation(cpo: PartnerClient, confirmation_id: str) -> Any:
    """The Financial Advice Confirmation as the CPO stores it."""
    return await cpo.get(_MODULE, FACS_PATH, confirmation_id, interface=_RECEIVER)
