"""Location enums that are the same in every version."""

from __future__ import annotations

from enum import Enum


class ImageCategory(str, Enum):
    charger = "CHARGER"
    entrance = "ENTRANCE"
    location = "LOCATION"
    network = "NETWORK"
    operator = "OPERATOR"
    other = "OTHER"
    owner = "OWNER"
