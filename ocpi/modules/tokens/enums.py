"""Token enums that are the same in every version, and the ``OpenEnum`` field alias.

``OpenEnum[X]`` is for 2.3.0 fields the spec marks as OpenEnum: a known value becomes the
member of ``X``, any other string is kept as a plain ``str``::

    class Token(OCPIModel):
        type: OpenEnum[TokenType]

    Token(type="RFID").type      # TokenType.rfid
    Token(type="X_CUSTOM").type  # 'X_CUSTOM'
"""

from __future__ import annotations

from enum import Enum

from ocpi.core.data_types import OpenEnum

__all__ = ["AllowedType", "OpenEnum", "WhitelistType"]


# Left-to-right, because pydantic's default "smart" union would pick ``str`` for a known value.


class AllowedType(str, Enum):
    """Outcome of a real-time authorization (called ``Allowed`` in 2.1.1)."""

    allowed = "ALLOWED"
    blocked = "BLOCKED"
    expired = "EXPIRED"
    no_credit = "NO_CREDIT"
    not_allowed = "NOT_ALLOWED"


class WhitelistType(str, Enum):
    """When a CPO may authorize a token from its local cache instead of asking the eMSP."""

    always = "ALWAYS"
    allowed = "ALLOWED"
    allowed_offline = "ALLOWED_OFFLINE"
    never = "NEVER"
