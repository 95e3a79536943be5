"""OCPI errors. Each carries the OCPI ``status_code`` and the HTTP status it is answered with.

::

    OCPIError                          3000, HTTP 500 (unexpected server failure)
    ├── ClientOCPIError                2000, HTTP 200
    │   ├── InvalidParametersOCPIError 2001, HTTP 200  (``fields`` says which)
    │   ├── NotEnoughInformationOCPIError 2002
    │   ├── UnknownLocationOCPIError   2003
    │   ├── UnknownTokenOCPIError      2004
    │   ├── AuthorizationOCPIError     2000, HTTP 401 (missing / unknown credentials token)
    │   ├── NotFoundOCPIError          2000, HTTP 404 (unknown object)
    │   ├── MethodNotAllowedOCPIError  2000, HTTP 405 (credentials rules)
    │   └── BadRequestOCPIError        2000, HTTP 400 (body is not JSON)
    ├── ServerOCPIError                3000, HTTP 200
    │   ├── ClientAPIOCPIError         3001  (the partner's API could not be used)
    │   ├── UnsupportedVersionOCPIError 3002
    │   └── NoMatchingEndpointsOCPIError 3003
    └── HubOCPIError                   4000 … 4003 (routing through a hub)

Raise them from a ``Crud`` or an ``Adapter``; the library renders the OCPI envelope.
"""

from __future__ import annotations

from typing import Any


class OCPIError(Exception):
    """Base of every OCPI error."""

    status_code: int = 3000
    http_status: int = 500
    default_message: str = "Generic server error"

    def __init__(self, message: str | None = None, *, data: Any = None) -> None:
        self.message = message or self.default_message
        self.data = data
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class ClientOCPIError(OCPIError):
    status_code = 2000
    http_status = 200
    default_message = "Generic client error"


class InvalidParametersOCPIError(ClientOCPIError):
    """2001. ``fields`` lists the offending fields, e.g. ``["body.last_updated"]``."""

    status_code = 2001
    default_message = "Invalid or missing parameters"

    def __init__(
        self, message: str | None = None, *, fields: list[str] | None = None, data: Any = None
    ) -> None:
        self.fields = fields or []
        if self.fields:
            named = ", ".join(self.fields)
            message = f"{message or self.default_message}: {named}"
            if data is None:
                data = [{"field": field} for field in self.fields]
        super().__init__(message, data=data)


class NotEnoughInformationOCPIError(ClientOCPIError):
    status_code = 2002
    default_message = "Not enough information"


class UnknownLocationOCPIError(ClientOCPIError):
    status_code = 2003
    default_message = "Unknown Location"


class UnknownTokenOCPIError(ClientOCPIError):
    status_code = 2004
    default_message = "Unknown Token"


class AuthorizationOCPIError(ClientOCPIError):
    http_status = 401
    default_message = "Your authorization token is invalid."


class NotFoundOCPIError(ClientOCPIError):
    http_status = 404
    default_message = "Object not found."


class MethodNotAllowedOCPIError(ClientOCPIError):
    http_status = 405
    default_message = "Method not allowed"


class BadRequestOCPIError(ClientOCPIError):
    http_status = 400
    default_message = "Request body is not valid JSON"


class ServerOCPIError(OCPIError):
    status_code = 3000
    http_status = 200


class ClientAPIOCPIError(ServerOCPIError):
    status_code = 3001
    default_message = "Unable to use the client's API"


class UnsupportedVersionOCPIError(ServerOCPIError):
    status_code = 3002
    default_message = "Unsupported version"


class NoMatchingEndpointsOCPIError(ServerOCPIError):
    status_code = 3003
    default_message = "No matching endpoints or expected endpoints missing between parties"


class HubOCPIError(OCPIError):
    """Hub routing errors; pass the specific code (4000–4003)."""

    status_code = 4000
    http_status = 200
    default_message = "Generic error"

    def __init__(self, message: str | None = None, *, code: int = 4000, data: Any = None) -> None:
        super().__init__(message, data=data)
        self.status_code = code
