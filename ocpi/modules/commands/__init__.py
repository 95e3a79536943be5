"""The commands module: remote start/stop, reservations and unlock requests to CPOs.

``complete_command(app, response_url, result)`` posts the asynchronous result of a command;
``send_command`` / ``command_response_url`` (in :mod:`ocpi.modules.commands.client`) are the
eMSP's helpers.
"""

from ocpi.modules.commands.client import command_response_url, send_command
from ocpi.modules.commands.router import complete_command

__all__ = ["command_response_url", "complete_command", "send_command"]
