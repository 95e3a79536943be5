"""Building *our* credentials object for the version a partner speaks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from ocpi.core.config import Settings
from ocpi.core.enums import RoleEnum
from ocpi.core.spec import transport_spec
from ocpi.core.utils import get_module_model, version_module_name
from ocpi.modules.versions.enums import VersionNumber

__all__ = ["build_credentials", "versions_url"]


def versions_url(settings: Settings, mount_path: str = "") -> str:
    """Our public versions URL, e.g. ``https://cpo.example.com/ocpi/versions``."""
    prefix = settings.OCPI_PREFIX.strip("/")
    origin = f"{settings.PROTOCOL}://{settings.OCPI_HOST.rstrip('/')}{mount_path.rstrip('/')}"
    path = f"/{prefix}/versions" if prefix else "/versions"
    return f"{origin}{path}{'/' if settings.TRAILING_SLASH else ''}"


def build_credentials(
    settings: Settings,
    token: str,
    version: VersionNumber | str,
    *,
    roles: Sequence[RoleEnum] = (RoleEnum.cpo,),
    business_details: dict[str, Any] | None = None,
    url: str | None = None,
    hub_party_id: str | None = None,
) -> BaseModel:
    """Our credentials for ``version``: ``token`` is the token the partner must use to call us.

    ``business_details`` defaults to ``{"name": settings.PROJECT_NAME}``; country and party come
    from ``settings.COUNTRY_CODE`` / ``settings.PARTY_ID``.
    """
    spec = transport_spec(version)
    model: type[BaseModel] = get_module_model(
        "Credentials", "credentials", version_module_name(spec.version)
    )
    details = business_details or {"name": settings.PROJECT_NAME}
    data: dict[str, Any] = {"token": token, "url": url or versions_url(settings)}
    party = {"party_id": settings.PARTY_ID, "country_code": settings.COUNTRY_CODE}
    if spec.credentials_roles:
        data["roles"] = [
            {"role": RoleEnum(role).value, "business_details": details, **party} for role in roles
        ]
        if spec.hub_party_id and hub_party_id:
            data["hub_party_id"] = hub_party_id
    else:
        data.update(business_details=details, **party)
    return model.model_validate(data)
