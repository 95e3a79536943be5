"""``GET /versions`` and ``GET /{version}/details``, produced from the module registry.

Both answer with token A or token C (registration starts here); with ``VERSIONS_REQUIRE_AUTH``
off they answer anyone. URLs are absolute: ``PROTOCOL://OCPI_HOST`` plus whatever prefix the
host application mounted us under.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from ocpi.core.context import OCPIContext
from ocpi.core.registry import ModuleRegistry
from ocpi.core.responses import ocpi_response
from ocpi.core.routing import OCPIRouter
from ocpi.core.schemas import OCPIResponse
from ocpi.core.spec import transport_spec
from ocpi.core.utils import get_module_model, version_module_name
from ocpi.modules.versions.enums import VersionNumber
from ocpi.modules.versions.schemas import Version

__all__ = ["make_versions_router"]


def make_versions_router(ctx: OCPIContext, registry: ModuleRegistry) -> APIRouter:
    router = OCPIRouter(tags=["versions"])
    prefix = ctx.prefix_path()
    versions_path = f"{prefix}/versions"
    slash = ctx.slash()

    async def check_caller(request: Request, version: VersionNumber | None) -> None:
        if ctx.settings.VERSIONS_REQUIRE_AUTH:
            await ctx.authenticate(request, version, allow_token_a=True)

    async def get_versions(request: Request) -> Response:
        await check_caller(request, None)
        base = ctx.public_origin() + ctx.mount_path(request, versions_path) + prefix
        data = [{"version": v.value, "url": f"{base}/{v.value}/details{slash}"} for v in versions]
        return ocpi_response(data)

    router.add_api_route(
        versions_path,
        get_versions,
        methods=["GET"],
        response_model=OCPIResponse[list[Version]],
        summary="Versions this platform supports",
    )

    versions = list(dict.fromkeys(ctx.version_numbers))
    for version in versions:
        detail_model: Any = get_module_model(
            "VersionDetail", "versions", version_module_name(version)
        )
        router.add_api_route(
            f"{prefix}/{version.value}/details",
            _details_endpoint(ctx, registry, version, check_caller),
            methods=["GET"],
            response_model=OCPIResponse[detail_model],
            summary=f"Endpoints of OCPI {version.value}",
        )
    return router


def _details_endpoint(
    ctx: OCPIContext, registry: ModuleRegistry, version: VersionNumber, check_caller: Any
) -> Any:
    spec = transport_spec(version)
    own_path = f"{ctx.prefix_path()}/{version.value}/details"
    active = registry.active(ctx, version)
    slash = ctx.slash()

    async def get_details(request: Request) -> Response:
        await check_caller(request, version)
        origin = ctx.public_origin() + ctx.mount_path(request, own_path)
        endpoints: list[dict[str, Any]] = []
        seen: set[tuple[str, str | None]] = set()
        for endpoint in active:
            url = f"{origin}{endpoint.path}{slash}"
            for interface in endpoint.entry.interfaces:
                role = interface.value if spec.endpoint_roles else None
                key = (endpoint.entry.module.value + url, role)
                if key in seen:
                    continue
                seen.add(key)
                item = {"identifier": endpoint.entry.module.value, "url": url}
                if role is not None:
                    item["role"] = role
                endpoints.append(item)
        return ocpi_response({"version": version.value, "endpoints": endpoints})

    return get_details
