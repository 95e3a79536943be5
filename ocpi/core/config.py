"""Settings.

``settings`` is the process-wide default, read from the environment the way the established OCPI
library reads it. Every :func:`ocpi.get_application` call may receive its own :class:`Settings`, so
two applications with different parties can live in one process.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Configuration of one OCPI application.

    Example::

        Settings(COUNTRY_CODE="NL", PARTY_ID="ABC", OCPI_HOST="cpo.example.com")
    """

    model_config = SettingsConfigDict(case_sensitive=True, env_file=".env", extra="ignore")

    ENVIRONMENT: str = "production"
    NO_AUTH: bool = False
    VERSIONS_REQUIRE_AUTH: bool = True
    PROJECT_NAME: str = "OCPI"
    BACKEND_CORS_ORIGINS: Annotated[list[str], NoDecode] = []
    OCPI_HOST: str = "www.example.com"
    OCPI_PREFIX: str = "ocpi"
    PUSH_PREFIX: str = "push"
    PROTOCOL: str = "https"
    COUNTRY_CODE: str = "US"
    PARTY_ID: str = "NON"
    COMMAND_AWAIT_TIME: int = 5
    GET_ACTIVE_PROFILE_AWAIT_TIME: int = 5
    TRAILING_SLASH: bool = True
    #: Largest page served by list endpoints (announced in ``X-Limit``).
    PAGINATION_MAX_LIMIT: int = 100
    #: Page size when the client sends no ``limit``.
    PAGINATION_DEFAULT_LIMIT: int = 50
    #: Seconds before an outbound OCPI request times out.
    CLIENT_TIMEOUT: float = 10.0
    #: Extra attempts for an outbound request after a transport error or a 5xx.
    CLIENT_RETRIES: int = 2

    @field_validator("BACKEND_CORS_ORIGINS", mode="before")
    @classmethod
    def _split_origins(cls, value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                import json

                return json.loads(text)
            return [part.strip() for part in text.split(",") if part.strip()]
        return value

    @property
    def base_url(self) -> str:
        """Public URL of the OCPI root, e.g. ``https://cpo.example.com/ocpi``."""
        prefix = self.OCPI_PREFIX.strip("/")
        root = f"{self.PROTOCOL}://{self.OCPI_HOST.rstrip('/')}"
        return f"{root}/{prefix}" if prefix else root


settings = Settings()
