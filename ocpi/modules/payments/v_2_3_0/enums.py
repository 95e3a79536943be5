"""Payment enums of OCPI 2.3.0."""

from __future__ import annotations

from enum import Enum

__all__ = ["CaptureStatusCode", "InvoiceCreator"]


class InvoiceCreator(str, Enum):
    """Which party issues the driver's invoice for a payment-terminal session."""

    cpo = "CPO"
    ptp = "PTP"


class CaptureStatusCode(str, Enum):
    """Outcome of capturing the payment at the payment service provider."""

    success = "SUCCESS"
    partial_success = "PARTIAL_SUCCESS"
    failed = "FAILED"
