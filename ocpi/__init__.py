"""OCPI 2.1.1 / 2.2.1 / 2.3.0 for FastAPI.

Build an application with :func:`get_application`, plugging in your own
:class:`~ocpi.core.crud.Crud`, :class:`~ocpi.core.authentication.authenticator.Authenticator` and
(optionally) :class:`~ocpi.core.adapter.Adapter`.
"""

from ocpi.core.adapter import Adapter, BaseAdapter
from ocpi.core.authentication.authenticator import (
    Authenticator,
    ChargerCertificate,
    ChargerCredentials,
    TokenKind,
    TokenOwner,
)
from ocpi.core.client import OCPIClient, Registration
from ocpi.core.config import Settings
from ocpi.core.crud import Crud
from ocpi.core.enums import Action, EnvironmentType, InterfaceRole, ModuleID, RoleEnum
from ocpi.core.exceptions import (
    AuthorizationOCPIError,
    InvalidParametersOCPIError,
    NotFoundOCPIError,
    OCPIError,
)
from ocpi.core.partner import PartnerClient
from ocpi.core.schemas import OCPIResponse
from ocpi.main import get_application, get_router, mount, ocpi_lifespan
from ocpi.modules.credentials.build import build_credentials
from ocpi.modules.versions.enums import VersionNumber

__all__ = [
    "Action",
    "Adapter",
    "Authenticator",
    "AuthorizationOCPIError",
    "BaseAdapter",
    "ChargerCertificate",
    "ChargerCredentials",
    "Crud",
    "EnvironmentType",
    "InterfaceRole",
    "InvalidParametersOCPIError",
    "ModuleID",
    "NotFoundOCPIError",
    "OCPIClient",
    "OCPIError",
    "OCPIResponse",
    "PartnerClient",
    "Registration",
    "RoleEnum",
    "Settings",
    "TokenKind",
    "TokenOwner",
    "VersionNumber",
    "build_credentials",
    "get_application",
    "get_router",
    "mount",
    "ocpi_lifespan",
]

__version__ = "0.1.0.dev0"
