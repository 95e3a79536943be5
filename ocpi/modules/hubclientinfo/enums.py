"""Hub client info enums (the same in 2.2.1 and 2.3.0)."""

from __future__ import annotations

from enum import Enum

__all__ = ["ConnectionStatus"]


class ConnectionStatus(str, Enum):
    connected = "CONNECTED"
    offline = "OFFLINE"
    planned = "PLANNED"
    suspended = "SUSPENDED"
