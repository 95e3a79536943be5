"""CDR of OCPI 2.2.1, with ``CdrToken``, ``CdrLocation`` and ``ChargingPeriod`` that sessions
use as well.

The ``*Base`` classes hold the fields 2.2.1 and 2.3.0 share; 2.3.0 changes token and connector
types to open enums, money to its ``Price`` with taxes, and (bookings extension) adds dimension
types.
"""

from __future__ import annotations

from pydantic import Field

from ocpi.core.data_types import (
    CiString2,
    CiString3,
    CiString32,
    CiString36,
    CiString39,
    CiString48,
    DateTime,
    Number,
    OCPIModel,
    Price,
    String3,
    String255,
    String512,
    String5000,
)
from ocpi.modules.cdrs.v_2_2_1.enums import AuthMethod, CdrDimensionType
from ocpi.modules.locations.schemas import GeoLocation, String10, String20, String45
from ocpi.modules.locations.v_2_2_1.enums import ConnectorFormat, ConnectorType, PowerType
from ocpi.modules.tariffs.v_2_2_1.schemas import Tariff
from ocpi.modules.tokens.v_2_2_1.enums import TokenType

__all__ = [
    "CDR",
    "CDRBase",
    "CdrDimension",
    "CdrLocation",
    "CdrLocationBase",
    "CdrToken",
    "CdrTokenBase",
    "ChargingPeriod",
    "CiString32",
    "GeoLocation",
    "Price",
    "SignedData",
    "SignedValue",
    "String5000",
    "Tariff",
]

# Lengths that ``ocpi.core.data_types`` does not define (yet).


class CdrDimension(OCPIModel):
    type: CdrDimensionType
    volume: Number


class ChargingPeriod(OCPIModel):
    """A stretch of a session; it lasts until the next period starts or the session ends."""

    start_date_time: DateTime
    dimensions: list[CdrDimension] = Field(min_length=1)
    tariff_id: CiString36 | None = Field(
        default=None, description="Tariff that applies in this period; absent if none."
    )


class CdrTokenBase(OCPIModel):
    """The token that started a session, as far as CDRs and sessions need it."""

    country_code: CiString2
    party_id: CiString3
    uid: CiString36
    contract_id: CiString36


class CdrToken(CdrTokenBase):
    type: TokenType


class CdrLocationBase(OCPIModel):
    """The location, EVSE and connector of a session, flattened into one object."""

    id: CiString36
    name: String255 | None = None
    address: String45
    city: String45
    postal_code: String10 | None = None
    state: String20 | None = None
    country: String3 = Field(description="ISO 3166-1 alpha-3 country code.")
    coordinates: GeoLocation
    evse_uid: CiString36
    evse_id: CiString48
    connector_id: CiString36
    connector_format: ConnectorFormat
    connector_power_type: PowerType


class CdrLocation(CdrLocationBase):
    connector_standard: ConnectorType


class SignedValue(OCPIModel):
    nature: CiString32 = Field(description="The event the value belongs to, e.g. Start or End.")
    plain_data: String512
    signed_data: String5000 = Field(description="Base64 encoded.")


class SignedData(OCPIModel):
    """Calibration-law (e.g. German Eichrecht) signed meter values of a session."""

    encoding_method: CiString36
    encoding_method_version: int | None = None
    public_key: String512 | None = Field(default=None, description="Base64 encoded.")
    signed_values: list[SignedValue] = Field(min_length=1)
    url: String512 | None = Field(default=None, description="Where a driver can verify the data.")


class CDRBase(OCPIModel):
    country_code: CiString2
    party_id: CiString3
    id: CiString39
    start_date_time: DateTime
    end_date_time: DateTime
    session_id: CiString36 | None = None
    auth_method: AuthMethod
    authorization_reference: CiString36 | None = None
    meter_id: String255 | None = None
    currency: String3 = Field(description="ISO 4217 currency code.")
    signed_data: SignedData | None = None
    total_energy: Number = Field(description="kWh.")
    total_time: Number = Field(description="Hours, charging and not charging.")
    total_parking_time: Number | None = Field(default=None, description="Hours not charging.")
    remark: String255 | None = None
    invoice_reference_id: CiString39 | None = None
    credit: bool | None = None
    credit_reference_id: CiString39 | None = Field(
        default=None, description="Id of the CDR that a credit CDR cancels."
    )
    home_charging_compensation: bool | None = None
    last_updated: DateTime


class CDR(CDRBase):
    cdr_token: CdrToken
    charging_periods: list[ChargingPeriod] = Field(min_length=1)
    cdr_location: CdrLocation
    tariffs: list[Tariff] | None = None
    total_cost: Price
    total_fixed_cost: Price | None = None
    total_energy_cost: Price | None = None
    total_time_cost: Price | None = None
    total_parking_cost: Price | None = None
    total_reservation_cost: Price | None = None
