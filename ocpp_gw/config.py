"""Gateway settings, read from ``OCPP_*`` environment variables or given in code.

::

    settings = GatewaySettings(versions=["2.0.1", "1.6"], security_profiles=[2, 3],
                               api_token="s3cret", trusted_proxies=["10.0.0.0/8"])

Environment: ``OCPP_VERSIONS='["1.6","2.0.1"]'``, ``OCPP_SECURITY_PROFILES='[1,2]'``,
``OCPP_API_TOKEN=...`` and so on (one variable per field, upper-case).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ocpp_gw.handlers.base import OCPPVersion

__all__ = ["GatewaySettings"]


class GatewaySettings(BaseSettings):
    """Everything configurable about one :class:`ocpp_gw.OCPPGateway`."""

    model_config = SettingsConfigDict(env_prefix="OCPP_", extra="ignore")

    #: WebSocket route prefix; stations connect to ``{path_prefix}/{charge_point_id}``.
    path_prefix: str = "/ocpp"
    #: Prefix of the REST command API router.
    api_prefix: str = "/api/ocpp"
    #: Enabled OCPP versions. The client's order of preference decides among them.
    versions: list[OCPPVersion] = Field(
        default_factory=lambda: [OCPPVersion.v16, OCPPVersion.v201, OCPPVersion.v21]
    )
    #: Security profiles a station may connect with: 0 (no credentials), 1 (Basic auth over
    #: plain WebSocket), 2 (TLS + Basic auth), 3 (TLS client certificate).
    security_profiles: list[int] = Field(default_factory=lambda: [1, 2, 3])
    #: Development switch: accept every station without asking the authenticator.
    accept_unknown_chargers: bool = False

    #: Default timeout (seconds) of a CSMS-initiated CALL, queueing included.
    call_timeout: float = 30.0
    #: Close a connection that sent no OCPP message for this long (``None``: never). Keep it above
    #: the heartbeat interval handed out in BootNotification.
    idle_timeout: float | None = 3600.0
    #: A station's ``last_seen`` in the state store follows its messages, written at most once
    #: per this many seconds per station (``None``: only Heartbeat and boot update it).
    last_seen_interval: float | None = 30.0
    #: Largest accepted frame in bytes (also pass it to uvicorn as ``ws_max_size``).
    max_frame_size: int = 1024 * 1024
    #: Invalid frames tolerated per ``bad_message_window`` before the connection is closed
    #: (``None``: never close for bad frames).
    bad_message_budget: int | None = 20
    bad_message_window: float = 60.0
    #: Validate handler results against the response schema (an invalid result becomes an
    #: ``InternalError`` CALLERROR and is logged).
    validate_responses: bool = True
    #: Compile every schema of the enabled versions in a worker thread when the gateway starts,
    #: so no station waits for a compilation; until it finishes, schemas compile on first use.
    precompile_schemas: bool = True
    #: Once the schemas are precompiled, tune the garbage collector for a long-running server:
    #: move every object alive so far (modules, compiled validators, the application) out of
    #: its reach with ``gc.freeze()`` and collect less often (``gc.set_threshold(*gc_thresholds)``).
    #: Full collections otherwise pause the event loop for milliseconds, which is what the
    #: paced p99 latency is made of. Process-wide, so off by default for a gateway embedded in
    #: someone else's service; the standalone server (``ocpi-ocpp serve``) turns it on.
    tune_gc_after_start: bool = False
    #: Thresholds given to ``gc.set_threshold`` by ``tune_gc_after_start`` (CPython's default is
    #: ``(700, 10, 10)``; garbage without reference cycles is freed at once either way).
    gc_thresholds: tuple[int, int, int] = (50_000, 20, 100)
    #: CALLs of one station processed at the same time. The protocol allows one; a few more are
    #: tolerated, beyond that the station gets a CALLERROR (and it counts as a bad message).
    max_concurrent_calls: int = 8
    #: How long :meth:`OCPPGateway.stop` waits for handlers to finish.
    shutdown_timeout: float = 5.0

    #: Bearer token protecting the REST command API (``None``: the API answers 503).
    api_token: SecretStr | None = None

    #: Proxies allowed to forward a client certificate (addresses or CIDR networks).
    trusted_proxies: list[str] = Field(default_factory=list)
    #: Header carrying the forwarded client certificate (PEM, URL-encoded PEM, or a subject DN).
    client_cert_header: str = "x-ssl-client-cert"
    #: Header carrying the proxy's verification result (``SUCCESS`` accepted); empty to skip.
    client_cert_verify_header: str = "x-ssl-client-verify"
    #: Required ``O`` of a station certificate's subject (``None``: not checked).
    client_cert_organization: str | None = None

    #: Identifies this process in the charger registry (several gateways behind one Redis).
    node_id: str | None = None
    #: How often this node refreshes its registry entries (keep it well below the registry's
    #: TTL, 90 s for :class:`~ocpp_gw.registry.RedisChargerRegistry`).
    registry_refresh_interval: float = 30.0

    #: uvicorn-level WebSocket options, returned by :meth:`OCPPGateway.uvicorn_options`.
    ws_ping_interval: float | None = 20.0
    ws_ping_timeout: float | None = 20.0
    ws_per_message_deflate: bool = True

    @field_validator("path_prefix", "api_prefix")
    @classmethod
    def _normalise_prefix(cls, value: str) -> str:
        value = value.strip()
        if value and not value.startswith("/"):
            value = "/" + value
        return value.rstrip("/")

    @field_validator("security_profiles")
    @classmethod
    def _check_profiles(cls, value: list[int]) -> list[int]:
        if any(profile not in (0, 1, 2, 3) for profile in value):
            raise ValueError("security profiles are 0, 1, 2 or 3")
        return value

    @field_validator("versions", mode="before")
    @classmethod
    def _accept_subprotocol_names(cls, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return [v.removeprefix("ocpp") if isinstance(v, str) else v for v in value]
        return value

    @property
    def subprotocols(self) -> frozenset[str]:
        return frozenset(version.subprotocol for version in self.versions)
