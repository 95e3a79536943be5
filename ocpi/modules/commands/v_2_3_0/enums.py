"""Command enums of OCPI 2.3.0: the same values as 2.2.1.

2.3.0 marks ``CommandType`` as an open enum; it only appears in the URL path, where a router
should answer an unknown command with ``NOT_SUPPORTED`` rather than reject the request.
"""

from __future__ import annotations

from ocpi.modules.commands.v_2_2_1.enums import CommandResponseType, CommandResultType, CommandType

__all__ = ["CommandResponseType", "CommandResultType", "CommandType"]
