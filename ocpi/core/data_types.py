"""OCPI primitive types (``types`` chapter of every version).

Fields use the ``Annotated`` aliases (``String36``, ``CiString3`` ...), which validate in pydantic's
core and serialise as plain ``str``. ``String(n)``, ``CiString(n)`` and ``URL`` stay callable for
code written against the established OCPI library::

    class MyModel(BaseModel):
        name: String255                 # preferred
        legacy: String(255)  # type: ignore[valid-type]   # still works at runtime

Timestamps are always UTC: a value without a zone is read as UTC, a value with an offset is
converted, and output is ``YYYY-MM-DDTHH:MM:SS[.mmm]Z`` (at most 25 characters, as the spec says).
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import Annotated, Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    PlainSerializer,
    StringConstraints,
)
from pydantic_core import core_schema

__all__ = [
    "URL",
    "CiString",
    "CiString2",
    "CiString3",
    "CiString4",
    "CiString5",
    "CiString10",
    "CiString15",
    "CiString20",
    "CiString25",
    "CiString32",
    "CiString36",
    "CiString39",
    "CiString45",
    "CiString48",
    "CiString64",
    "CiString255",
    "CiString255NonEmpty",
    "DateTime",
    "DisplayText",
    "Number",
    "OCPIModel",
    "OpenEnum",
    "Price",
    "String",
    "String2",
    "String3",
    "String4",
    "String5",
    "String10",
    "String11",
    "String12",
    "String15",
    "String16",
    "String20",
    "String32",
    "String36",
    "String39",
    "String45",
    "String48",
    "String50",
    "String64",
    "String100",
    "String255",
    "String512",
    "String5000",
    "format_datetime",
    "parse_datetime",
]


def _ascii(value: str) -> str:
    if not value.isascii():
        raise ValueError("must contain ASCII characters only")
    return value


def String(max_length: int = 255) -> Any:
    """Case-sensitive printable UTF-8 string of at most ``max_length`` characters."""
    return Annotated[str, StringConstraints(max_length=max_length)]


def CiString(max_length: int = 255) -> Any:
    """Case-insensitive ASCII string of at most ``max_length`` characters (case kept as sent)."""
    return Annotated[str, StringConstraints(max_length=max_length), AfterValidator(_ascii)]


String2 = Annotated[str, StringConstraints(max_length=2)]
String3 = Annotated[str, StringConstraints(max_length=3)]
String4 = Annotated[str, StringConstraints(max_length=4)]
String5 = Annotated[str, StringConstraints(max_length=5)]
String10 = Annotated[str, StringConstraints(max_length=10)]
String11 = Annotated[str, StringConstraints(max_length=11)]
String12 = Annotated[str, StringConstraints(max_length=12)]
String15 = Annotated[str, StringConstraints(max_length=15)]
String16 = Annotated[str, StringConstraints(max_length=16)]
String20 = Annotated[str, StringConstraints(max_length=20)]
String32 = Annotated[str, StringConstraints(max_length=32)]
String36 = Annotated[str, StringConstraints(max_length=36)]
String39 = Annotated[str, StringConstraints(max_length=39)]
String45 = Annotated[str, StringConstraints(max_length=45)]
String48 = Annotated[str, StringConstraints(max_length=48)]
String50 = Annotated[str, StringConstraints(max_length=50)]
String64 = Annotated[str, StringConstraints(max_length=64)]
String100 = Annotated[str, StringConstraints(max_length=100)]
String255 = Annotated[str, StringConstraints(max_length=255)]
String512 = Annotated[str, StringConstraints(max_length=512)]
String5000 = Annotated[str, StringConstraints(max_length=5000)]

CiString2 = Annotated[str, StringConstraints(max_length=2), AfterValidator(_ascii)]
CiString3 = Annotated[str, StringConstraints(max_length=3), AfterValidator(_ascii)]
CiString4 = Annotated[str, StringConstraints(max_length=4), AfterValidator(_ascii)]
CiString5 = Annotated[str, StringConstraints(max_length=5), AfterValidator(_ascii)]
CiString10 = Annotated[str, StringConstraints(max_length=10), AfterValidator(_ascii)]
CiString15 = Annotated[str, StringConstraints(max_length=15), AfterValidator(_ascii)]
CiString20 = Annotated[str, StringConstraints(max_length=20), AfterValidator(_ascii)]
CiString25 = Annotated[str, StringConstraints(max_length=25), AfterValidator(_ascii)]
CiString32 = Annotated[str, StringConstraints(max_length=32), AfterValidator(_ascii)]
CiString36 = Annotated[str, StringConstraints(max_length=36), AfterValidator(_ascii)]
CiString39 = Annotated[str, StringConstraints(max_length=39), AfterValidator(_ascii)]
CiString45 = Annotated[str, StringConstraints(max_length=45), AfterValidator(_ascii)]
CiString48 = Annotated[str, StringConstraints(max_length=48), AfterValidator(_ascii)]
CiString64 = Annotated[str, StringConstraints(max_length=64), AfterValidator(_ascii)]
CiString255 = Annotated[str, StringConstraints(max_length=255), AfterValidator(_ascii)]


CiString255NonEmpty = Annotated[
    str, StringConstraints(min_length=1, max_length=255), AfterValidator(_ascii)
]
"""A CiString(255) that may not be empty (payments)."""

_EnumT = TypeVar("_EnumT", bound=Enum)

OpenEnum = Annotated[_EnumT | str, Field(union_mode="left_to_right")]
"""A field typed as an OCPI 2.3.0 *OpenEnum*: known values become the enum member, other strings
are kept as they are (``type: OpenEnum[TokenType]``)."""


class URL(str):
    """An URL (string(255)). Validated values are plain ``str``; ``URL("...")`` still works."""

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.str_schema(max_length=255)


def parse_datetime(value: str | datetime) -> datetime:
    """Parse an OCPI timestamp; naive values are UTC, offsets are converted to UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.strip().replace("z", "Z"))
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def format_datetime(value: datetime) -> str:
    """Format a timestamp the way OCPI wants it on the wire (UTC, ``Z``, at most milliseconds)."""
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if value.microsecond:
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


DateTime = Annotated[
    datetime,
    AfterValidator(parse_datetime),
    PlainSerializer(format_datetime, return_type=str, when_used="json"),
]
"""RFC 3339 timestamp in UTC."""

Number = float
"""Decimal number; JSON number on the wire."""


class OCPIModel(BaseModel):
    """Base of every OCPI object: unknown fields are accepted and kept, enums stored as values."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class DisplayText(OCPIModel):
    language: CiString2
    text: String512


class Price(OCPIModel):
    """Price in 2.2.1 (``excl_vat`` / ``incl_vat``). 2.3.0 has its own ``Price`` with taxes."""

    excl_vat: Number
    incl_vat: Number | None = None
