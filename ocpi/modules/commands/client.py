"""Client helpers of the commands module (the eMSP side).

::

    url = command_response_url(app, "2.2.1", "START_SESSION")
    answer = await send_command(partner, "START_SESSION", {"response_url": url, ...})
    # answer: the CPO's CommandResponse data; the CommandResult arrives later at ``url``
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from enum import Enum
from typing import Any

from pydantic import BaseModel

from ocpi.core.async_results import context_of
from ocpi.core.enums import ModuleID, RoleEnum
from ocpi.core.interfaces import dump
from ocpi.core.partner import PartnerClient
from ocpi.modules.versions.enums import VersionNumber

__all__ = ["command_response_url", "send_command"]


async def send_command(
    partner: PartnerClient, command: Enum | str, data: Mapping[str, Any] | BaseModel
) -> Any:
    """``POST`` a command to the CPO's commands Receiver; returns the ``CommandResponse`` data.

    Raises :class:`~ocpi.core.client.OCPIStatusError` when the CPO answers an OCPI error (2001
    invalid body, 2003 unknown location ...).
    """
    name = command.value if isinstance(command, Enum) else str(command)
    body = dump(data) if isinstance(data, BaseModel) else dict(data)
    result = await partner.post(ModuleID.commands, body, name)
    return result.data


def command_response_url(
    target: Any,
    version: VersionNumber | str,
    command: Enum | str,
    uid: str | None = None,
    *,
    role: RoleEnum = RoleEnum.emsp,
    root_path: str = "",
) -> str:
    """The ``response_url`` of our own commands Sender: ``.../{role}/{version}/commands/{command}/{uid}``.

    ``target``: our application (``get_application()``), the router of ``get_router()`` or its
    ``OCPIContext``. ``uid`` defaults to a new random id; ``root_path`` is the path the host
    application mounted us under, if any.
    """
    ctx = context_of(target)
    name = command.value if isinstance(command, Enum) else str(command)
    number = version.value if isinstance(version, Enum) else str(version)
    base = f"{ctx.public_origin()}{root_path.rstrip('/')}{ctx.prefix_path()}"
    module = ModuleID.commands.value
    return f"{base}/{role.value.lower()}/{number}/{module}/{name}/{uid or uuid.uuid4().hex}"
