"""The chargingprofiles module: smart-charging limits sent to a session via the CPO.

``complete_charging_profile(app, response_url, result)`` posts the asynchronous result of a
charging-profile request; the client helpers are in :mod:`ocpi.modules.chargingprofiles.client`.
"""

from ocpi.modules.chargingprofiles.client import (
    charging_profile_response_url,
    delete_charging_profile,
    get_active_charging_profile,
    push_active_charging_profile,
    set_charging_profile,
)
from ocpi.modules.chargingprofiles.router import complete_charging_profile

__all__ = [
    "charging_profile_response_url",
    "complete_charging_profile",
    "delete_charging_profile",
    "get_active_charging_profile",
    "push_active_charging_profile",
    "set_charging_profile",
]
