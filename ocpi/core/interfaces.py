"""Building blocks shared by every module's Sender and Receiver routers.

A module describes its objects as data (:class:`ObjectSpec`); the functions here implement the
behaviour every module shares once:

* Sender lists: pagination, Crud ``list``, adapter, paginated answer.
* Receivers of client-owned objects (``/{country_code}/{party_id}/{id}``): the URL's party must
  belong to the caller, the URL id must match the body's id (2001), PUT is an upsert (201 when
  created), PATCH must carry ``last_updated`` (2001) and is merged into the stored object — lists of
  identified children (EVSEs, connectors) are merged by id, never reordered or dropped — and the
  result is validated before the Crud sees it.

Objects handed back by the integrator are not re-validated on the way out when the default
:class:`~ocpi.core.adapter.BaseAdapter` is in use: plain data goes straight to the serialiser.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from fastapi import Request, Response
from pydantic import BaseModel, ValidationError

from ocpi.core.adapter import BaseAdapter
from ocpi.core.context import Caller, OCPIContext
from ocpi.core.enums import ModuleID, RoleEnum
from ocpi.core.exceptions import InvalidParametersOCPIError, NotFoundOCPIError
from ocpi.core.pagination import paginated_response, parse_pagination
from ocpi.core.routing import request_routing
from ocpi.core.utils import get_module_model, version_module_name
from ocpi.modules.versions.enums import VersionNumber

__all__ = [
    "ObjectSpec",
    "adapt",
    "check_party",
    "check_url_matches_body",
    "crud_kwargs",
    "dump",
    "merge_patch",
    "send_list",
    "validate_patch",
]

logger = logging.getLogger(__name__)

#: Keys identifying children inside lists, for merging PATCH bodies (EVSEs by uid, connectors by id).
CHILD_KEYS = ("uid", "id")


@dataclass(frozen=True, slots=True)
class ObjectSpec:
    """What the generic interfaces need to know about one kind of OCPI object."""

    module: ModuleID
    class_name: str
    adapter: str
    id_field: str = "id"

    def model(self, version: VersionNumber) -> type[BaseModel]:
        return _model(self.module.value, self.class_name, version_module_name(version))


@cache
def _model(module: str, class_name: str, version_folder: str) -> type[BaseModel]:
    model: type[BaseModel] = get_module_model(class_name, module, version_folder)
    return model


def crud_kwargs(
    request: Request, caller: Caller, version: VersionNumber, **extra: Any
) -> dict[str, Any]:
    """The keyword arguments every Crud call receives."""
    kwargs: dict[str, Any] = {"auth_token": caller.token, "version": version}
    routing = request_routing(request)
    if routing is not None:
        kwargs["routing"] = routing
    kwargs.update(extra)
    return kwargs


def _uses_default(adapter: Any, name: str) -> bool:
    method = getattr(adapter, name, None)
    return getattr(method, "__func__", method) is getattr(BaseAdapter, name).__func__


def adapt(ctx: OCPIContext, adapter_name: str, data: Any, version: VersionNumber) -> Any:
    """Run the integrator's adapter; with the default adapter, plain data passes untouched."""
    if isinstance(data, Mapping) and _uses_default(ctx.adapter, adapter_name):
        return data
    return getattr(ctx.adapter, adapter_name)(data, version)


def dump(value: Any) -> dict[str, Any]:
    """A JSON-ready dict of an OCPI object (model or mapping)."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    from ocpi.core.responses import to_wire

    result: dict[str, Any] = to_wire(value)
    return result


async def send_list(
    ctx: OCPIContext,
    request: Request,
    caller: Caller,
    spec: ObjectSpec,
    version: VersionNumber,
    role: RoleEnum,
    **extra: Any,
) -> Response:
    """A Sender's ``GET`` list: one page from ``Crud.list``, adapted, with pagination headers."""
    filters = parse_pagination(request, ctx.settings)
    items, total, is_last_page = await ctx.crud.list(
        spec.module, role, filters, **crud_kwargs(request, caller, version, **extra)
    )
    convert = getattr(ctx.adapter, spec.adapter)
    if _uses_default(ctx.adapter, spec.adapter):  # decided once per page, not per object
        data = [item if isinstance(item, Mapping) else convert(item, version) for item in items]
    else:
        data = [convert(item, version) for item in items]
    return paginated_response(request, ctx.settings, data, total, is_last_page, filters)


def check_party(caller: Caller, country_code: str, party_id: str, method: str) -> None:
    """The URL's party must be one the caller acts for (when the Authenticator says which).

    Reads answer 404 (the spec allows hiding other parties' objects); writes answer 2001.
    """
    parties = caller.owner.parties
    if not parties:
        return
    wanted = (country_code.upper(), party_id.upper())
    if any((cc.upper(), pid.upper()) == wanted for cc, pid in parties):
        return
    if method == "GET":
        raise NotFoundOCPIError
    raise InvalidParametersOCPIError(
        "country_code/party_id in the URL do not belong to the calling party",
        fields=["path.country_code", "path.party_id"],
    )


def check_url_matches_body(
    body: Mapping[str, Any],
    id_field: str,
    object_id: str,
    country_code: str | None = None,
    party_id: str | None = None,
) -> None:
    """2001 when the body names another object or party than the URL."""
    wrong: list[str] = []
    if id_field in body and str(body[id_field]) != object_id:
        wrong.append(f"body.{id_field}")
    for key, url_value in (("country_code", country_code), ("party_id", party_id)):
        value = body.get(key)
        if url_value is not None and value is not None and str(value).upper() != url_value.upper():
            wrong.append(f"body.{key}")
    if wrong:
        raise InvalidParametersOCPIError("The body does not match the URL", fields=wrong)


def _merge_list(old: list[Any], new: list[Any]) -> list[Any]:
    key = next(
        (
            k
            for k in CHILD_KEYS
            if all(isinstance(i, Mapping) and k in i for i in old + new) and (old or new)
        ),
        None,
    )
    if key is None:
        return new
    merged = list(old)
    positions = {item[key]: index for index, item in enumerate(merged)}
    for item in new:
        index = positions.get(item[key])
        if index is None:
            positions[item[key]] = len(merged)
            merged.append(item)
        else:
            merged[index] = merge_patch(merged[index], item)
    return merged


def merge_patch(current: Mapping[str, Any], patch: Mapping[str, Any]) -> dict[str, Any]:
    """Apply a PATCH body: nested objects merge, lists of identified children merge by id."""
    result = dict(current)
    for key, value in patch.items():
        old = result.get(key)
        if isinstance(value, Mapping) and isinstance(old, Mapping):
            result[key] = merge_patch(old, value)
        elif isinstance(value, list) and isinstance(old, list):
            result[key] = _merge_list(old, value)
        else:
            result[key] = value
    return result


def validation_fields(error: ValidationError, prefix: str = "body") -> list[str]:
    return [".".join([prefix, *(str(p) for p in e["loc"])]) for e in error.errors()]


def validate_patch(
    model: type[BaseModel], current: Mapping[str, Any], patch: Mapping[str, Any]
) -> dict[str, Any]:
    """Merge ``patch`` into ``current`` and validate the result; 2001 naming what is wrong."""
    if "last_updated" not in patch:
        raise InvalidParametersOCPIError(
            "A PATCH must contain last_updated", fields=["body.last_updated"]
        )
    merged = merge_patch(current, patch)
    try:
        model.model_validate(merged)
    except ValidationError as exc:
        fields = validation_fields(exc)
        details = [
            {"field": name, "error": error["msg"]}
            for name, error in zip(fields, exc.errors(), strict=True)
        ]
        raise InvalidParametersOCPIError(fields=fields, data=details) from exc
    return merged
