"""Envelope and push schemas shared by every module."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Generic, TypeVar

from pydantic import BaseModel, Field

from ocpi.core.data_types import URL, DateTime
from ocpi.core.enums import ModuleID

T = TypeVar("T")


def _now() -> datetime:
    return datetime.now(UTC)


class OCPIResponse(BaseModel, Generic[T]):
    """The OCPI response envelope. ``OCPIResponse[Location]`` documents a typed payload.

    Example::

        OCPIResponse(data=location, **status.OCPI_1000_GENERIC_SUCESS_CODE)
    """

    data: T | None = None
    status_code: int
    status_message: str | None = None
    timestamp: DateTime = Field(default_factory=_now)


class Receiver(BaseModel):
    endpoints_url: URL
    auth_token: str


class Push(BaseModel):
    module_id: ModuleID
    object_id: str
    receivers: list[Receiver]


class ReceiverResponse(BaseModel):
    endpoints_url: URL
    status_code: int
    response: dict[str, object] | list[object] | None = None


class PushResponse(BaseModel):
    receiver_responses: list[ReceiverResponse]
