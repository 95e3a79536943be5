"""Charging profile classes (the same in 2.2.1 and 2.3.0)."""

from __future__ import annotations

from pydantic import Field

from ocpi.core.data_types import URL, DateTime, Number, OCPIModel
from ocpi.modules.chargingprofiles.enums import (
    ChargingProfileResponseType,
    ChargingProfileResultType,
    ChargingRateUnit,
)

__all__ = [
    "ActiveChargingProfile",
    "ActiveChargingProfileResult",
    "ChargingProfile",
    "ChargingProfilePeriod",
    "ChargingProfileResponse",
    "ChargingProfileResult",
    "ClearProfileResult",
    "SetChargingProfile",
]


class ChargingProfilePeriod(OCPIModel):
    """One limit of a profile, from ``start_period`` until the next period starts."""

    start_period: int = Field(description="Seconds from the start of the profile.")
    limit: Number = Field(description="Limit in the profile's charging_rate_unit.")


class ChargingProfile(OCPIModel):
    """Limits on power or current over time.

    Example::

        ChargingProfile(
            charging_rate_unit=ChargingRateUnit.w,
            charging_profile_period=[ChargingProfilePeriod(start_period=0, limit=11000)],
        )
    """

    start_date_time: DateTime | None = Field(
        default=None, description="Start of an absolute profile; absent: relative to session."
    )
    duration: int | None = Field(
        default=None, description="Seconds; absent: the last period runs on indefinitely."
    )
    charging_rate_unit: ChargingRateUnit
    min_charging_rate: Number | None = Field(
        default=None, description="Lowest rate the EV charges efficiently at."
    )
    charging_profile_period: list[ChargingProfilePeriod] | None = None


class ActiveChargingProfile(OCPIModel):
    """The profile a charge point is applying, as calculated at ``start_date_time``."""

    start_date_time: DateTime
    charging_profile: ChargingProfile


class SetChargingProfile(OCPIModel):
    """Body of the request that sets a charging profile on a session."""

    charging_profile: ChargingProfile
    response_url: URL = Field(description="Where the CPO posts the ChargingProfileResult.")


class ChargingProfileResponse(OCPIModel):
    """The CPO's synchronous answer to a charging profile request."""

    result: ChargingProfileResponseType
    timeout: int = Field(description="Seconds the sender should wait for the result.")


class ActiveChargingProfileResult(OCPIModel):
    """Asynchronous result of a GET ActiveChargingProfile request."""

    result: ChargingProfileResultType
    profile: ActiveChargingProfile | None = Field(
        default=None, description="Present when result is ACCEPTED."
    )


class ChargingProfileResult(OCPIModel):
    """Asynchronous result of setting a charging profile."""

    result: ChargingProfileResultType


class ClearProfileResult(OCPIModel):
    """Asynchronous result of removing a charging profile."""

    result: ChargingProfileResultType
