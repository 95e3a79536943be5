"""Router factories for the two interfaces most modules share.

* :class:`ObjectSender` — ``GET {base}`` (paginated list) and, where the module has it,
  ``GET {base}/{id}[/{child}...]``.
* :class:`ObjectReceiver` — ``GET/PUT/PATCH[/DELETE] {base}/{country_code}/{party_id}/{id}[/...]``
  for client-owned objects, with the checks of :mod:`ocpi.core.interfaces`.

Nested objects (a Location's EVSEs and their Connectors) are described by :class:`Level` entries;
writes to a child are applied to the parent object and handed to ``Crud.update`` as the whole
object, with ``evse_uid``/``connector_id`` (the child ids) and ``patch`` as hints for stores that
update in place. Writes to one object are serialised within the process, so two concurrent PATCHes
to different EVSEs of one Location cannot lose each other's changes.
"""

import asyncio
import inspect
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request, Response
from pydantic import BaseModel

from ocpi.core.context import Caller, OCPIContext
from ocpi.core.enums import RoleEnum
from ocpi.core.exceptions import NotFoundOCPIError, OCPIError
from ocpi.core.interfaces import (
    ObjectSpec,
    adapt,
    check_party,
    check_url_matches_body,
    crud_kwargs,
    dump,
    send_list,
    validate_patch,
)
from ocpi.core.responses import ocpi_response
from ocpi.core.routing import OCPIRouter
from ocpi.core.schemas import OCPIResponse
from ocpi.core.utils import get_module_model, version_module_name
from ocpi.modules.versions.enums import VersionNumber

__all__ = ["Level", "ObjectReceiver", "ObjectSender", "path_params"]


@dataclass(frozen=True, slots=True)
class Level:
    """A child level: ``param`` in the URL, found in the parent's ``list_key`` by ``id_key``."""

    param: str
    list_key: str
    id_key: str
    class_name: str


def path_params(names: Sequence[str]) -> Callable[..., dict[str, str]]:
    """A dependency declaring ``names`` as string path parameters (documented in OpenAPI)."""

    def dependency(**values: str) -> dict[str, str]:
        return values

    dependency.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, annotation=str) for n in names]
    )
    return dependency


def _find_child(parent: dict[str, Any], level: Level, child_id: str) -> dict[str, Any] | None:
    for child in parent.get(level.list_key) or []:
        if str(child.get(level.id_key)) == child_id:
            found: dict[str, Any] = child
            return found
    return None


def _lineage(
    root: dict[str, Any], levels: Sequence[Level], ids: Sequence[str]
) -> list[dict[str, Any]] | None:
    """``[root, child, grandchild ...]`` following ``ids``; ``None`` if one is missing."""
    chain = [root]
    for level, child_id in zip(levels, ids, strict=False):
        child = _find_child(chain[-1], level, child_id)
        if child is None:
            return None
        chain.append(child)
    return chain


def _replace_child(parent: dict[str, Any], level: Level, child: dict[str, Any]) -> bool:
    """Put ``child`` into the parent's list in place (or append); ``True`` when it is new."""
    children = list(parent.get(level.list_key) or [])
    for index, existing in enumerate(children):
        if str(existing.get(level.id_key)) == str(child.get(level.id_key)):
            children[index] = child
            parent[level.list_key] = children
            return False
    children.append(child)
    parent[level.list_key] = children
    return True


def _touch(chain: Sequence[dict[str, Any]], last_updated: Any) -> None:
    """A child's change is also a change of every ancestor (their ``last_updated`` follows)."""
    if last_updated is None:
        return
    for ancestor in chain:
        current = ancestor.get("last_updated")
        if current is None or str(current) < str(last_updated):
            ancestor["last_updated"] = last_updated


@dataclass
class ObjectSender:
    """Factory of a Sender router: list, and optionally single objects by id."""

    spec: ObjectSpec
    get_object: bool = False
    levels: tuple[Level, ...] = ()
    id_param: str = "object_id"
    #: Adds module-specific routes (e.g. tokens' real-time authorization) to the router.
    add_routes: Callable[[OCPIContext, VersionNumber, RoleEnum, str, APIRouter], None] | None = None

    def __call__(
        self, ctx: OCPIContext, version: VersionNumber, role: RoleEnum | None, base: str
    ) -> APIRouter:
        spec = self.spec
        acting = role or ctx.primary_role
        router = OCPIRouter(tags=[f"{spec.module.value} {version.value} (sender)"])
        model = spec.model(version)

        async def caller(request: Request) -> Caller:
            return await ctx.authenticate(request, version)

        async def list_objects(
            request: Request, who: Annotated[Caller, Depends(caller)]
        ) -> Response:
            return await send_list(ctx, request, who, spec, version, acting)

        router.add_api_route(
            base,
            list_objects,
            methods=["GET"],
            response_model=OCPIResponse[list[model]],  # type: ignore[valid-type]
            summary=f"List {spec.module.value}",
        )
        if self.get_object:
            names = [self.id_param] + [level.param for level in self.levels]
            for depth in range(len(names)):
                self._add_get(ctx, router, version, acting, base, names[: depth + 1], caller)
        if self.add_routes is not None:
            self.add_routes(ctx, version, acting, base, router)
        return router

    def _add_get(
        self,
        ctx: OCPIContext,
        router: APIRouter,
        version: VersionNumber,
        role: RoleEnum,
        base: str,
        names: list[str],
        caller: Callable[..., Any],
    ) -> None:
        spec, levels = self.spec, self.levels[: len(names) - 1]
        class_name = levels[-1].class_name if levels else spec.class_name
        model: Any = get_module_model(class_name, spec.module.value, version_module_name(version))

        async def get_one(
            request: Request,
            who: Annotated[Caller, Depends(caller)],
            ids: Annotated[dict[str, str], Depends(path_params(names))],
        ) -> Response:
            object_id = ids[names[0]]
            item = await ctx.crud.get(
                spec.module, role, object_id, **crud_kwargs(request, who, version)
            )
            if item is None:
                raise NotFoundOCPIError(f"Unknown {spec.class_name} {object_id}")
            adapted = adapt(ctx, spec.adapter, item, version)
            if not levels:
                return ocpi_response(adapted)
            chain = _lineage(dump(adapted), levels, [ids[n] for n in names[1:]])
            if chain is None:
                raise NotFoundOCPIError(f"Unknown {class_name}")
            return ocpi_response(chain[-1])

        path = base + "".join(f"/{{{n}}}" for n in names)
        router.add_api_route(
            path,
            get_one,
            methods=["GET"],
            response_model=OCPIResponse[model],
            summary=f"Get one {class_name}",
        )


@dataclass
class ObjectReceiver:
    """Factory of a Receiver router for client-owned objects."""

    spec: ObjectSpec
    levels: tuple[Level, ...] = ()
    id_param: str = "object_id"
    methods: tuple[str, ...] = ("GET", "PUT", "PATCH")
    #: Query parameters passed to every Crud call (e.g. tokens' ``type`` → ``token_type``).
    query: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    #: Error for an unknown parent when writing a child (locations: 2003 Unknown Location).
    unknown_parent: type[OCPIError] = NotFoundOCPIError
    _locks: weakref.WeakValueDictionary[tuple[str, ...], asyncio.Lock] = field(
        default_factory=weakref.WeakValueDictionary, init=False, repr=False
    )

    def lock(self, *key: str) -> asyncio.Lock:
        lock = self._locks.get(key)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[key] = lock
        return lock

    def __call__(
        self, ctx: OCPIContext, version: VersionNumber, role: RoleEnum | None, base: str
    ) -> APIRouter:
        acting = role or ctx.primary_role
        router = OCPIRouter(tags=[f"{self.spec.module.value} {version.value} (receiver)"])
        names = [self.id_param] + [level.param for level in self.levels]
        for depth in range(len(names)):
            self._add_routes(ctx, router, version, acting, base, names[: depth + 1])
        return router

    def _extra_kwargs(self, request: Request) -> dict[str, Any]:
        return {
            kwarg: request.query_params.get(param, default)
            for param, (kwarg, default) in self.query.items()
        }

    def _add_routes(
        self,
        ctx: OCPIContext,
        router: APIRouter,
        version: VersionNumber,
        role: RoleEnum,
        base: str,
        names: list[str],
    ) -> None:
        spec = self.spec
        levels = self.levels[: len(names) - 1]
        class_name = levels[-1].class_name if levels else spec.class_name
        model: type[BaseModel] = get_module_model(
            class_name, spec.module.value, version_module_name(version)
        )
        root_model = spec.model(version)
        id_key = levels[-1].id_key if levels else spec.id_field
        ids_dependency = path_params(["country_code", "party_id", *names])
        receiver = self

        async def caller(request: Request) -> Caller:
            return await ctx.authenticate(request, version)

        def unpack(ids: dict[str, str]) -> tuple[str, str, str, list[str]]:
            return ids["country_code"], ids["party_id"], ids[names[0]], [ids[n] for n in names[1:]]

        def kwargs(
            request: Request, who: Caller, cc: str, pid: str, **extra: Any
        ) -> dict[str, Any]:
            hints = {level.param: ids for level, ids in extra.pop("_children", [])}
            return crud_kwargs(
                request,
                who,
                version,
                country_code=cc,
                party_id=pid,
                **receiver._extra_kwargs(request),
                **hints,
                **extra,
            )

        async def load(request: Request, who: Caller, cc: str, pid: str, object_id: str) -> Any:
            stored = await ctx.crud.get(
                spec.module, role, object_id, **kwargs(request, who, cc, pid)
            )
            return None if stored is None else dump(adapt(ctx, spec.adapter, stored, version))

        async def get_object(
            request: Request,
            who: Annotated[Caller, Depends(caller)],
            ids: Annotated[dict[str, str], Depends(ids_dependency)],
        ) -> Response:
            cc, pid, object_id, child_ids = unpack(ids)
            check_party(who, cc, pid, "GET")
            current = await load(request, who, cc, pid, object_id)
            chain = None if current is None else _lineage(current, levels, child_ids)
            if chain is None:
                raise NotFoundOCPIError(f"Unknown {class_name}")
            return ocpi_response(chain[-1])

        async def put_object(
            request: Request,
            body: Annotated[model, Body()],  # type: ignore[valid-type]
            who: Annotated[Caller, Depends(caller)],
            ids: Annotated[dict[str, str], Depends(ids_dependency)],
        ) -> Response:
            cc, pid, object_id, child_ids = unpack(ids)
            check_party(who, cc, pid, "PUT")
            data = dump(body)
            url_id = child_ids[-1] if levels else object_id
            check_url_matches_body(data, id_key, url_id, *((cc, pid) if not levels else ()))
            async with receiver.lock(spec.module.value, cc, pid, object_id):
                current = await load(request, who, cc, pid, object_id)
                if not levels:
                    extra = kwargs(request, who, cc, pid)
                    if current is None:
                        await ctx.crud.create(spec.module, role, data, **extra)
                        return ocpi_response(http_status=201)
                    await ctx.crud.update(spec.module, role, data, object_id, **extra)
                    return ocpi_response()
                chain = None if current is None else _lineage(current, levels[:-1], child_ids[:-1])
                if chain is None:
                    raise receiver.unknown_parent(f"Unknown parent of {class_name} {url_id}")
                created = _replace_child(chain[-1], levels[-1], data)
                _touch(chain, data.get("last_updated"))
                await ctx.crud.update(
                    spec.module,
                    role,
                    current,
                    object_id,
                    **kwargs(
                        request, who, cc, pid, _children=list(zip(levels, child_ids, strict=True))
                    ),
                )
                return ocpi_response(http_status=201 if created else 200)

        async def patch_object(
            request: Request,
            body: Annotated[dict[str, Any], Body()],
            who: Annotated[Caller, Depends(caller)],
            ids: Annotated[dict[str, str], Depends(ids_dependency)],
        ) -> Response:
            cc, pid, object_id, child_ids = unpack(ids)
            check_party(who, cc, pid, "PATCH")
            url_id = child_ids[-1] if levels else object_id
            check_url_matches_body(body, id_key, url_id, *((cc, pid) if not levels else ()))
            async with receiver.lock(spec.module.value, cc, pid, object_id):
                current = await load(request, who, cc, pid, object_id)
                chain = None if current is None else _lineage(current, levels, child_ids)
                if current is None or chain is None:
                    raise NotFoundOCPIError(f"Unknown {class_name}")
                merged = validate_patch(model, chain[-1], body)
                chain[-1].clear()
                chain[-1].update(merged)
                _touch(chain[:-1], body.get("last_updated"))
                if levels:
                    root_model.model_validate(current)
                hints = list(zip(levels, child_ids, strict=True))
                await ctx.crud.update(
                    spec.module,
                    role,
                    current,
                    object_id,
                    **kwargs(request, who, cc, pid, _children=hints, patch=body),
                )
            return ocpi_response()

        async def delete_object(
            request: Request,
            who: Annotated[Caller, Depends(caller)],
            ids: Annotated[dict[str, str], Depends(ids_dependency)],
        ) -> Response:
            cc, pid, object_id, _ = unpack(ids)
            check_party(who, cc, pid, "DELETE")
            async with receiver.lock(spec.module.value, cc, pid, object_id):
                if await load(request, who, cc, pid, object_id) is None:
                    raise NotFoundOCPIError(f"Unknown {class_name}")
                await ctx.crud.delete(spec.module, role, object_id, **kwargs(request, who, cc, pid))
            return ocpi_response()

        path = base + "/{country_code}/{party_id}" + "".join(f"/{{{n}}}" for n in names)
        endpoints: dict[str, tuple[Callable[..., Any], Any]] = {
            "GET": (get_object, OCPIResponse[model]),  # type: ignore[valid-type]
            "PUT": (put_object, OCPIResponse[None]),
            "PATCH": (patch_object, OCPIResponse[None]),
            "DELETE": (delete_object, OCPIResponse[None]),
        }
        for method in self.methods:
            if method == "DELETE" and levels:
                continue
            endpoint, response_model = endpoints[method]
            router.add_api_route(
                path,
                endpoint,
                methods=[method],
                response_model=response_model,
                summary=f"{method} {class_name}",
            )
