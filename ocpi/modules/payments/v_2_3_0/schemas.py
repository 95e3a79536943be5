"""Payment classes of OCPI 2.3.0.

The Terminal activation request sends a Terminal whose ``terminal_id`` may be absent (the PTP
assigns it), so ``TerminalActivation`` holds the Terminal fields with an optional ID and
``Terminal`` makes the ID required.
"""

from __future__ import annotations

from pydantic import Field

from ocpi.core.data_types import (
    URL,
    CiString2,
    CiString3,
    CiString20,
    CiString36,
    DateTime,
    OCPIModel,
)
from ocpi.modules.locations.v_2_3_0.schemas import GeoLocation
from ocpi.modules.payments.v_2_3_0.enums import CaptureStatusCode, InvoiceCreator
from ocpi.modules.tariffs.v_2_3_0.schemas import Price, TaxAmount
from ocpi.modules.tokens.schemas import CiString10, CiString45, CiString255NonEmpty

__all__ = [
    "FinancialAdviceConfirmation",
    "GeoLocation",
    "Price",
    "TaxAmount",
    "Terminal",
    "TerminalActivation",
]


class TerminalActivation(OCPIModel):
    """Body of the activation request: a Terminal that may not have its ID yet."""

    terminal_id: CiString36 | None = None
    customer_reference: CiString36 | None = Field(
        default=None, description="Links the terminal to a CPO back office (CSMS)."
    )
    party_id: CiString3 | None = Field(
        default=None, description="Alternative to customer_reference."
    )
    country_code: CiString2 | None = Field(
        default=None, description="Alternative to customer_reference."
    )
    address: CiString45 | None = None
    city: CiString45 | None = None
    postal_code: CiString10 | None = None
    state: CiString20 | None = None
    country: CiString3 | None = Field(default=None, description="ISO 3166-1 alpha-3 code.")
    coordinates: GeoLocation | None = None
    invoice_base_url: URL | None = Field(
        default=None, description="Base of the invoice URL; the authorization reference follows."
    )
    invoice_creator: InvoiceCreator | None = None
    reference: CiString36 | None = Field(
        default=None, description="The PTP's own reference, e.g. the serial number."
    )
    location_ids: list[CiString36] | None = None
    evse_uids: list[CiString36] | None = None
    last_updated: DateTime


class Terminal(TerminalActivation):
    """A physical payment terminal and the locations/EVSEs assigned to it.

    Example::

        Terminal(terminal_id="452cf8a1", invoice_creator=InvoiceCreator.cpo,
                 location_ids=["LOC1"], last_updated="2018-12-10T17:16:15Z")
    """

    terminal_id: CiString36


class FinancialAdviceConfirmation(OCPIModel):
    """What a PTP captured for a session, with the payment data the invoice must show.

    Matched to the session through ``authorization_reference`` (the one of StartSession).
    """

    id: CiString36
    authorization_reference: CiString36
    total_costs: Price = Field(description="Amount actually captured, taxes included.")
    currency: CiString3 = Field(description="ISO 4217 currency code.")
    eft_data: list[CiString255NonEmpty] = Field(
        min_length=1, description="Payment (EFT) lines to print on the invoice."
    )
    capture_status_code: CaptureStatusCode
    capture_status_message: CiString255NonEmpty | None = None
    last_updated: DateTime
