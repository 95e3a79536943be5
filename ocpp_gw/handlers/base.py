"""The handler interface shared by the dispatcher and the per-version default handlers.

A handler answers one charger-initiated CALL. It receives the already schema-validated payload as
the station sent it (camelCase keys, no conversion) and returns the CALLRESULT payload, which must
be valid against the version's response schema::

    table = HandlerTable(OCPPVersion.v16)

    @table.on("Heartbeat")
    async def heartbeat(ctx: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
        return {"currentTime": utc_now_iso()}

Raise :class:`ocpp_gw.protocol.errors.OCPPCallError` subclasses (or any exception, which becomes an
``InternalError``) to answer with a CALLERROR.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from ocpp_gw.events import EventBus
    from ocpp_gw.state import ChargerStateStore

__all__ = [
    "AuthorizationDecision",
    "Authorizer",
    "CallContext",
    "GatewayServices",
    "Handler",
    "HandlerTable",
    "IdTokenInfo",
    "OCPPVersion",
    "utc_now_iso",
]


class OCPPVersion(str, Enum):
    """OCPP versions the gateway speaks; ``subprotocol`` is the WebSocket subprotocol name."""

    v16 = "1.6"
    v201 = "2.0.1"
    v21 = "2.1"

    @property
    def subprotocol(self) -> str:
        return f"ocpp{self.value}"

    @classmethod
    def from_subprotocol(cls, name: str) -> OCPPVersion:
        return cls(name.removeprefix("ocpp"))


def utc_now_iso() -> str:
    """Current time as OCPP wants it: UTC, ``Z`` suffix, millisecond precision."""
    now = datetime.now(UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


@dataclass(frozen=True, slots=True)
class IdTokenInfo:
    """A token presented at a station, version-neutral.

    1.6 ``idTag`` becomes ``id_token`` with ``type=None``; 2.x ``idToken``/``type`` map directly.
    """

    id_token: str
    type: str | None = None
    evse_id: int | None = None
    connector_id: int | None = None
    additional_info: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class AuthorizationDecision:
    """The CSMS's verdict on a token, in 2.x ``AuthorizationStatusEnumType`` words.

    Handlers translate ``status`` for 1.6 (``Unknown``/``NoCredit``/``NotAllowedTypeEVSE``/
    ``NotAtThisLocation``/``NotAtThisTime`` become ``Invalid``).
    """

    status: str
    expiry_date: datetime | None = None
    parent_id_token: str | None = None
    group_id_token: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def accepted(self) -> bool:
        return self.status == "Accepted"


class Authorizer(Protocol):
    """Decides whether a token may charge (the OCPI bridge plugs in eMSP tokens here)."""

    async def __call__(self, charge_point_id: str, token: IdTokenInfo) -> AuthorizationDecision: ...


class GatewayServices(Protocol):
    """What a handler may use from the gateway."""

    @property
    def events(self) -> EventBus: ...

    @property
    def state(self) -> ChargerStateStore: ...

    async def call(
        self,
        charge_point_id: str,
        action: str,
        payload: dict[str, Any],
        *,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """Send a CSMS-initiated CALL to a station and return its CALLRESULT payload."""
        ...

    async def authorize(self, charge_point_id: str, token: IdTokenInfo) -> AuthorizationDecision:
        """Run the configured :class:`Authorizer`."""
        ...


@dataclass(frozen=True, slots=True)
class CallContext:
    """Everything a handler knows about the CALL besides its payload."""

    charge_point_id: str
    version: OCPPVersion
    unique_id: str
    action: str
    gateway: GatewayServices


Handler = Callable[[CallContext, dict[str, Any]], Awaitable[dict[str, Any]]]


class HandlerTable:
    """Action name → handler for one OCPP version; ``copy()`` a default table to customise it."""

    def __init__(self, version: OCPPVersion, handlers: dict[str, Handler] | None = None) -> None:
        self.version = version
        self._handlers: dict[str, Handler] = dict(handlers or {})

    def on(self, action: str) -> Callable[[Handler], Handler]:
        """Decorator registering (or replacing) the handler of ``action``."""

        def register(handler: Handler) -> Handler:
            self._handlers[action] = handler
            return handler

        return register

    def get(self, action: str) -> Handler | None:
        return self._handlers.get(action)

    def __contains__(self, action: object) -> bool:
        return action in self._handlers

    def __iter__(self) -> Iterator[str]:
        return iter(self._handlers)

    def __len__(self) -> int:
        return len(self._handlers)

    def copy(self) -> HandlerTable:
        return HandlerTable(self.version, self._handlers)
