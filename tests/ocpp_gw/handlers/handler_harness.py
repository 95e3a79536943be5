"""Harness running default handlers against a real in-process GatewayServices, with schema checks.

``Services`` implements :class:`ocpp_gw.handlers.base.GatewayServices` with the real
``MemoryStateStore`` and ``EventBus``; its authorizer answers from a table the test fills in.
``Station.send`` validates the request against the official schema, runs the handler the way
the gateway does and validates the result against the response schema.
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import fastjsonschema
import ocpp

from ocpp_gw.events import Event, EventBus
from ocpp_gw.handlers import v16, v21, v201
from ocpp_gw.handlers.base import (
    AuthorizationDecision,
    CallContext,
    HandlerTable,
    IdTokenInfo,
    OCPPVersion,
)
from ocpp_gw.state import MemoryStateStore

E = TypeVar("E", bound=Event)

SCHEMA_DIRS = {OCPPVersion.v16: "v16", OCPPVersion.v201: "v201", OCPPVersion.v21: "v21"}
DEFAULT_TABLES = {
    OCPPVersion.v16: v16.HANDLERS,
    OCPPVersion.v201: v201.HANDLERS,
    OCPPVersion.v21: v21.HANDLERS,
}


@functools.cache
def validator(version: OCPPVersion, name: str) -> Callable[[Any], Any] | None:
    path = Path(ocpp.__file__).parent / SCHEMA_DIRS[version] / "schemas" / f"{name}.json"
    if not path.exists():
        return None
    compiled: Callable[[Any], Any] = fastjsonschema.compile(
        json.loads(path.read_text()), use_default=False
    )
    return compiled


def request_schema(version: OCPPVersion, action: str) -> Callable[[Any], Any]:
    names = [action] if version is OCPPVersion.v16 else [f"{action}Request", action]
    for name in names:
        found = validator(version, name)
        if found is not None:
            return found
    raise AssertionError(f"no request schema for {version.value} {action}")


def response_schema(version: OCPPVersion, action: str) -> Callable[[Any], Any] | None:
    """``None`` for 2.1 SEND messages, which have no response."""
    return validator(version, f"{action}Response")


@dataclass
class Services:
    """A real GatewayServices: memory state, event bus, a table-driven authorizer."""

    state: MemoryStateStore = field(default_factory=MemoryStateStore)
    events: EventBus = field(default_factory=EventBus)
    decisions: dict[str, AuthorizationDecision] = field(default_factory=dict)
    authorized: list[IdTokenInfo] = field(default_factory=list)
    calls: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    emitted: list[Event] = field(default_factory=list)

    def __post_init__(self) -> None:
        async def collect(event: Event) -> None:
            self.emitted.append(event)

        self.events.add(Event, collect)

    async def call(
        self,
        charge_point_id: str,
        action: str,
        payload: dict[str, Any],
        *,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        self.calls.append((charge_point_id, action, payload))
        return {"status": "Accepted"}

    async def authorize(self, charge_point_id: str, token: IdTokenInfo) -> AuthorizationDecision:
        self.authorized.append(token)
        return self.decisions.get(token.id_token, AuthorizationDecision(status="Unknown"))

    def of(self, event_type: type[E]) -> list[E]:
        return [e for e in self.emitted if isinstance(e, event_type)]


_ids = itertools.count(1)


@dataclass
class Station:
    """One station identity speaking one version to the default (or a given) handler table."""

    services: Services
    version: OCPPVersion
    charge_point_id: str = "CP1"
    table: HandlerTable | None = None

    async def send(self, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        request_schema(self.version, action)(payload)
        table = self.table or DEFAULT_TABLES[self.version]
        handler = table.get(action)
        assert handler is not None, f"no default handler for {action}"
        ctx = CallContext(
            charge_point_id=self.charge_point_id,
            version=self.version,
            unique_id=str(next(_ids)),
            action=action,
            gateway=self.services,
        )
        result = await handler(ctx, payload)
        schema = response_schema(self.version, action)
        if schema is not None:
            schema(result)
        return result
