"""OCPI status codes (``status_codes`` chapter), as the dicts the contract spreads into responses::

OCPIResponse(data=obj, **status.OCPI_1000_GENERIC_SUCESS_CODE)
"""

from __future__ import annotations

from typing import Final, TypedDict


class StatusDict(TypedDict):
    status_code: int
    status_message: str


def _status(code: int, message: str) -> StatusDict:
    return {"status_code": code, "status_message": message}


OCPI_1000_GENERIC_SUCESS_CODE: Final = _status(1000, "Generic success code")
#: Correctly spelled alias of the contract's historic name.
OCPI_1000_GENERIC_SUCCESS_CODE: Final = OCPI_1000_GENERIC_SUCESS_CODE

OCPI_2000_GENERIC_CLIENT_ERROR: Final = _status(2000, "Generic client error")
OCPI_2001_INVALID_OR_MISSING_PARAMETERS: Final = _status(2001, "Invalid or missing parameters")
OCPI_2002_NOT_ENOUGH_INFORMATION: Final = _status(2002, "Not enough information")
OCPI_2003_UNKNOWN_LOCATION: Final = _status(2003, "Unknown Location")
OCPI_2004_UNKNOWN_TOKEN: Final = _status(2004, "Unknown Token")

OCPI_3000_GENERIC_SERVER_ERROR: Final = _status(3000, "Generic server error")
OCPI_3001_UNABLE_TO_USE_CLIENTS_API: Final = _status(3001, "Unable to use the client's API")
OCPI_3002_UNSUPPORTED_VERSION: Final = _status(3002, "Unsupported version")
OCPI_3003_NO_MATCHING_ENDPOINT: Final = _status(
    3003, "No matching endpoints or expected endpoints missing between parties"
)

OCPI_4000_GENERIC_ERROR: Final = _status(4000, "Generic error")
OCPI_4001_UNKNOWN_RECEIVER: Final = _status(4001, "Unknown receiver (TO address is unknown)")
OCPI_4002_TIMEOUT_ON_FORWARDED_REQUEST: Final = _status(
    4002, "Timeout on forwarded request (message is forwarded, but request times out)"
)
OCPI_4003_CONNECTION_PROBLEM: Final = _status(
    4003, "Connection problem (receiving party is not connected)"
)
