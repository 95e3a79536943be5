"""Adapters turn the integrator's data into the OCPI object of the version a partner speaks.

:class:`BaseAdapter` (the default) builds the version's schema class from a ``dict`` — or returns
the object unchanged when the Crud already returns a model of that class. Subclass it and override
single methods when your storage shape differs from the OCPI shape::

    class MyAdapter(BaseAdapter):
        @classmethod
        def location_adapter(cls, data, version=VersionNumber.latest):
            return super().location_adapter(to_ocpi_location(data), version)
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from pydantic import BaseModel

from ocpi.core.utils import get_module_model, version_module_name
from ocpi.modules.versions.enums import VersionNumber

__all__ = ["Adapter", "BaseAdapter", "adapt"]

_V = VersionNumber.latest


def adapt(data: Any, module: str, class_name: str, version: VersionNumber | str) -> Any:
    """Validate ``data`` into ``ocpi.modules.<module>.<version>.schemas.<class_name>``."""
    model: type[BaseModel] = get_module_model(class_name, module, version_module_name(version))
    if isinstance(data, model):
        return data
    if isinstance(data, BaseModel):
        data = data.model_dump(exclude_none=True)
    return model.model_validate(data)


class Adapter(ABC):
    """Abstract adapter: one method per OCPI object the library sends out."""

    @classmethod
    @abstractmethod
    def location_adapter(cls, data: Any, version: VersionNumber = _V) -> Any: ...

    @classmethod
    @abstractmethod
    def session_adapter(cls, data: Any, version: VersionNumber = _V) -> Any: ...

    @classmethod
    @abstractmethod
    def charging_preference_adapter(cls, data: Any, version: VersionNumber = _V) -> Any: ...

    @classmethod
    @abstractmethod
    def credentials_adapter(cls, data: Any, version: VersionNumber = _V) -> Any: ...

    @classmethod
    @abstractmethod
    def cdr_adapter(cls, data: Any, version: VersionNumber = _V) -> Any: ...

    @classmethod
    @abstractmethod
    def tariff_adapter(cls, data: Any, version: VersionNumber = _V) -> Any: ...

    @classmethod
    @abstractmethod
    def command_response_adapter(cls, data: Any, version: VersionNumber = _V) -> Any: ...

    @classmethod
    @abstractmethod
    def command_result_adapter(cls, data: Any, version: VersionNumber = _V) -> Any: ...

    @classmethod
    @abstractmethod
    def token_adapter(cls, data: Any, version: VersionNumber = _V) -> Any: ...

    @classmethod
    @abstractmethod
    def authorization_adapter(cls, data: Any, version: VersionNumber = _V) -> Any: ...

    @classmethod
    @abstractmethod
    def hubclientinfo_adapter(cls, data: Any, version: VersionNumber = _V) -> Any: ...

    @classmethod
    @abstractmethod
    def charging_profile_response_adapter(cls, data: Any, version: VersionNumber = _V) -> Any: ...

    @classmethod
    @abstractmethod
    def active_charging_profile_result_adapter(
        cls, data: Any, version: VersionNumber = _V
    ) -> Any: ...

    @classmethod
    @abstractmethod
    def clear_profile_result_adapter(cls, data: Any, version: VersionNumber = _V) -> Any: ...

    # Added after the established contract: concrete, so existing Adapter subclasses keep working.

    @classmethod
    def charging_profile_result_adapter(cls, data: Any, version: VersionNumber = _V) -> Any:
        return adapt(data, "chargingprofiles", "ChargingProfileResult", version)

    @classmethod
    def active_charging_profile_adapter(cls, data: Any, version: VersionNumber = _V) -> Any:
        return adapt(data, "chargingprofiles", "ActiveChargingProfile", version)

    @classmethod
    def terminal_adapter(cls, data: Any, version: VersionNumber = _V) -> Any:
        return adapt(data, "payments", "Terminal", version)

    @classmethod
    def financial_advice_confirmation_adapter(cls, data: Any, version: VersionNumber = _V) -> Any:
        return adapt(data, "payments", "FinancialAdviceConfirmation", version)

    @classmethod
    def booking_adapter(cls, data: Any, version: VersionNumber = _V) -> Any:
        return adapt(data, "bookings", "Booking", version)

    @classmethod
    def booking_location_adapter(cls, data: Any, version: VersionNumber = _V) -> Any:
        return adapt(data, "bookings", "BookingLocation", version)


class BaseAdapter(Adapter):
    """Default adapter: ``dict`` → the version's schema class (objects of that class pass through)."""

    @classmethod
    def location_adapter(cls, data: Any, version: VersionNumber = _V) -> Any:
        return adapt(data, "locations", "Location", version)

    @classmethod
    def session_adapter(cls, data: Any, version: VersionNumber = _V) -> Any:
        return adapt(data, "sessions", "Session", version)

    @classmethod
    def charging_preference_adapter(cls, data: Any, version: VersionNumber = _V) -> Any:
        return adapt(data, "sessions", "ChargingPreferences", version)

    @classmethod
    def credentials_adapter(cls, data: Any, version: VersionNumber = _V) -> Any:
        return adapt(data, "credentials", "Credentials", version)

    @classmethod
    def cdr_adapter(cls, data: Any, version: VersionNumber = _V) -> Any:
        return adapt(data, "cdrs", "CDR", version)

    @classmethod
    def tariff_adapter(cls, data: Any, version: VersionNumber = _V) -> Any:
        return adapt(data, "tariffs", "Tariff", version)

    @classmethod
    def command_response_adapter(cls, data: Any, version: VersionNumber = _V) -> Any:
        return adapt(data, "commands", "CommandResponse", version)

    @classmethod
    def command_result_adapter(cls, data: Any, version: VersionNumber = _V) -> Any:
        return adapt(data, "commands", "CommandResult", version)

    @classmethod
    def token_adapter(cls, data: Any, version: VersionNumber = _V) -> Any:
        return adapt(data, "tokens", "Token", version)

    @classmethod
    def authorization_adapter(cls, data: Any, version: VersionNumber = _V) -> Any:
        return adapt(data, "tokens", "AuthorizationInfo", version)

    @classmethod
    def hubclientinfo_adapter(cls, data: Any, version: VersionNumber = _V) -> Any:
        return adapt(data, "hubclientinfo", "ClientInfo", version)

    @classmethod
    def charging_profile_response_adapter(cls, data: Any, version: VersionNumber = _V) -> Any:
        return adapt(data, "chargingprofiles", "ChargingProfileResponse", version)

    @classmethod
    def active_charging_profile_result_adapter(cls, data: Any, version: VersionNumber = _V) -> Any:
        return adapt(data, "chargingprofiles", "ActiveChargingProfileResult", version)

    @classmethod
    def clear_profile_result_adapter(cls, data: Any, version: VersionNumber = _V) -> Any:
        return adapt(data, "chargingprofiles", "ClearProfileResult", version)
