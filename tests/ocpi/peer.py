"""An HTTP client for one of our OCPI apps, acting as the partner holding the token ``partner``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from ocpi import RoleEnum
from ocpi.core.utils import encode_string_base64


@dataclass
class Peer:
    http: httpx.AsyncClient
    version: str
    role: RoleEnum

    def headers(self, token: str = "partner") -> dict[str, str]:
        if self.version == "2.1.1":
            return {"Authorization": f"Token {token}"}
        return {"Authorization": f"Token {encode_string_base64(token)}"}

    def url(self, module: str, *parts: str) -> str:
        return "/".join([f"/ocpi/{self.role.value.lower()}/{self.version}/{module}", *parts])

    async def get(self, module: str, *parts: str, **kw: Any) -> httpx.Response:
        return await self.http.get(self.url(module, *parts), headers=self.headers(), **kw)

    async def send(
        self, method: str, module: str, *parts: str, body: Any = None, **kw: Any
    ) -> httpx.Response:
        return await self.http.request(
            method, self.url(module, *parts), json=body, headers=self.headers(), **kw
        )
