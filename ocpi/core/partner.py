"""Calling one registered partner through the endpoints it advertised.

:class:`PartnerClient` binds an :class:`~ocpi.core.client.OCPIClient` to a partner: its version,
its endpoints (from ``/{version}/details``) and the token we use to call it (the token C it issued
to us, or the token B we handed it when it registered with us)::

    partner = PartnerClient(client, version="2.2.1", endpoints=endpoints, token=token_c)
    async for location in partner.pull(ModuleID.locations, date_from=yesterday):
        ...
    await partner.put(ModuleID.sessions, session, "NL", "CPO", session["id"])

Receiver URLs of client-owned objects are ``{endpoint}/{country_code}/{party_id}/{id}[...]``; the
helpers take the path parts explicitly, so every module of every version goes through the same
few methods.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ocpi.core.client import OCPIClient, OCPIResult
from ocpi.core.data_types import format_datetime
from ocpi.core.enums import InterfaceRole, ModuleID
from ocpi.core.exceptions import NoMatchingEndpointsOCPIError
from ocpi.core.routing import RoutingHeaders
from ocpi.core.spec import transport_spec
from ocpi.modules.versions.enums import VersionNumber

__all__ = ["PartnerClient"]


@dataclass
class PartnerClient:
    """One partner as seen by our outbound calls."""

    client: OCPIClient
    version: VersionNumber | str
    endpoints: Sequence[Mapping[str, Any]]
    token: str
    routing: RoutingHeaders | None = None

    def endpoint(self, module: ModuleID | str, interface: InterfaceRole) -> str:
        """The partner's URL for ``module``'s ``interface`` (2.1.1 endpoints have no interface)."""
        identifier = module.value if isinstance(module, ModuleID) else module
        with_roles = transport_spec(self.version).endpoint_roles
        for endpoint in self.endpoints:
            if endpoint.get("identifier") != identifier:
                continue
            if with_roles and endpoint.get("role") != interface.value:
                continue
            url: str = endpoint["url"]
            return url.rstrip("/")
        raise NoMatchingEndpointsOCPIError(
            f"The partner advertises no {identifier} {interface.value.lower()} endpoint"
        )

    def url(self, module: ModuleID | str, interface: InterfaceRole, *parts: str | int) -> str:
        base = self.endpoint(module, interface)
        return "/".join([base, *(str(part) for part in parts)])

    async def call(
        self,
        method: str,
        url: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
    ) -> OCPIResult:
        """Any request to the partner with our token, version and routing headers."""
        return await self.client.request(
            method,
            url,
            token=self.token,
            version=self.version,
            json=json,
            params=params,
            routing=self.routing,
        )

    # -- Sender interfaces of the partner (we pull) -----------------------------------------

    async def pull(
        self,
        module: ModuleID | str,
        *,
        date_from: datetime | None = None,
        date_to: datetime | None = None,
        limit: int | None = None,
        interface: InterfaceRole = InterfaceRole.sender,
    ) -> AsyncIterator[Any]:
        """Every object of the partner's list, page after page (following ``Link``)."""
        params: dict[str, Any] = {}
        if date_from is not None:
            params["date_from"] = format_datetime(date_from)
        if date_to is not None:
            params["date_to"] = format_datetime(date_to)
        if limit is not None:
            params["limit"] = limit
        async for item in self.client.iterate(
            self.endpoint(module, interface),
            token=self.token,
            version=self.version,
            params=params or None,
            routing=self.routing,
        ):
            yield item

    async def get(
        self,
        module: ModuleID | str,
        *parts: str | int,
        interface: InterfaceRole = InterfaceRole.sender,
        params: Mapping[str, Any] | None = None,
    ) -> Any:
        """One object (``GET {endpoint}/{parts...}``); returns the envelope's ``data``."""
        result = await self.call("GET", self.url(module, interface, *parts), params=params)
        return result.data

    # -- Receiver interfaces of the partner (we push) ---------------------------------------

    async def put(
        self,
        module: ModuleID | str,
        obj: Any,
        *parts: str | int,
        params: Mapping[str, Any] | None = None,
    ) -> OCPIResult:
        """``PUT`` an object (or EVSE/connector) to the partner's Receiver."""
        url = self.url(module, InterfaceRole.receiver, *parts)
        return await self.call("PUT", url, json=obj, params=params)

    async def patch(
        self,
        module: ModuleID | str,
        changes: Mapping[str, Any],
        *parts: str | int,
        params: Mapping[str, Any] | None = None,
    ) -> OCPIResult:
        """``PATCH`` changes (must include ``last_updated``) to the partner's Receiver."""
        url = self.url(module, InterfaceRole.receiver, *parts)
        return await self.call("PATCH", url, json=changes, params=params)

    async def delete(self, module: ModuleID | str, *parts: str | int) -> OCPIResult:
        return await self.call("DELETE", self.url(module, InterfaceRole.receiver, *parts))

    async def post(
        self,
        module: ModuleID | str,
        body: Any,
        *parts: str | int,
        interface: InterfaceRole = InterfaceRole.receiver,
        params: Mapping[str, Any] | None = None,
    ) -> OCPIResult:
        """``POST`` to one of the partner's endpoints (a CDR, a command, a booking request ...)."""
        url = self.url(module, interface, *parts)
        return await self.call("POST", url, json=body, params=params)

    async def post_cdr(self, cdr: Any) -> str | None:
        """``POST`` a CDR; returns the URL of the ``Location`` header the partner answered."""
        result = await self.post(ModuleID.cdrs, cdr)
        location: str | None = result.headers.get("location")
        return location

    async def authorize(
        self,
        token_uid: str,
        token_type: str = "RFID",  # noqa: S107 - a token type, not a secret
        location_references: Any = None,
    ) -> Any:
        """Real-time authorization at the eMSP; returns the ``AuthorizationInfo`` data."""
        url = self.url(ModuleID.tokens, InterfaceRole.sender, token_uid, "authorize")
        result = await self.call("POST", url, json=location_references, params={"type": token_type})
        return result.data

    async def post_result(self, response_url: str, result: Any) -> OCPIResult:
        """``POST`` an asynchronous result (command, charging profile) to a ``response_url``."""
        return await self.call("POST", response_url, json=result)
