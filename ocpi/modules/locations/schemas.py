"""Location classes that are the same in every version (also used by credentials)."""

from __future__ import annotations

from ocpi.core.data_types import URL, CiString4, OCPIModel, String100
from ocpi.modules.locations.enums import ImageCategory


class Image(OCPIModel):
    url: URL
    thumbnail: URL | None = None
    category: ImageCategory
    type: CiString4
    width: int | None = None
    height: int | None = None


class BusinessDetails(OCPIModel):
    name: String100
    website: URL | None = None
    logo: Image | None = None
