"""Schema validation of OCPP payloads with the official JSON schemas.

The schemas ship in the ``ocpp`` package (draft-04 for 1.6, draft-06 for 2.x). Each one is compiled
to a Python function by ``fastjsonschema`` the first time its action is seen (or all at once with
:meth:`SchemaSet.compile_all`) and cached for the life of the process, so validating a message is a
plain function call on the event loop::

    schemas = schema_set(OCPPVersion.v16)
    schemas.validate_request("Heartbeat", {})          # passes
    schemas.validate_request("Heartbeat", {"x": 1})    # raises FormatViolationError
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import fastjsonschema
import orjson

from ocpp_gw.handlers.base import OCPPVersion
from ocpp_gw.protocol.errors import ERROR_RULES, ErrorCode, OCPPCallError, error_class

__all__ = ["SchemaSet", "Validator", "schema_set"]

logger = logging.getLogger(__name__)

Validator = Callable[[Any], Any]

_PACKAGE_DIRS = {OCPPVersion.v16: "v16", OCPPVersion.v201: "v201", OCPPVersion.v21: "v21"}


def _schema_root() -> Path:
    import ocpp

    return Path(ocpp.__file__).parent


class SchemaSet:
    """The request/response schemas of one OCPP version, compiled lazily and cached.

    ``actions`` lists every action with a request schema (both directions, plus 2.1 SEND-only
    messages); ``send_actions`` the 2.1 messages that only exist as SEND.
    """

    def __init__(self, version: OCPPVersion, directory: Path | None = None) -> None:
        self.version = version
        self._rules = ERROR_RULES[version]
        self._directory = directory or _schema_root() / _PACKAGE_DIRS[version] / "schemas"
        self._request_files: dict[str, Path] = {}
        self._response_files: dict[str, Path] = {}
        send_only: set[str] = set()
        for path in self._directory.glob("*.json"):
            name = path.stem
            if name.endswith("Response"):
                self._response_files[name.removesuffix("Response")] = path
            elif version is OCPPVersion.v16:
                self._request_files[name] = path
            elif name.endswith("Request"):
                self._request_files[name.removesuffix("Request")] = path
            else:
                self._request_files[name] = path
                send_only.add(name)
        self.actions: frozenset[str] = frozenset(self._request_files)
        self.send_actions: frozenset[str] = frozenset(send_only)
        self._requests: dict[str, Validator] = {}
        self._responses: dict[str, Validator] = {}

    def __contains__(self, action: object) -> bool:
        return action in self._request_files

    def request_validator(self, action: str) -> Validator | None:
        """The compiled request validator of ``action`` (``None`` if the action is unknown)."""
        validator = self._requests.get(action)
        if validator is None:
            path = self._request_files.get(action)
            if path is None:
                return None
            validator = self._requests[action] = _compile(path)
        return validator

    def response_validator(self, action: str) -> Validator | None:
        validator = self._responses.get(action)
        if validator is None:
            path = self._response_files.get(action)
            if path is None:
                return None
            validator = self._responses[action] = _compile(path)
        return validator

    def validate_request(self, action: str, payload: dict[str, Any]) -> None:
        """Raise the version's :class:`OCPPCallError` subclass if ``payload`` is not valid."""
        validator = self.request_validator(action)
        if validator is None:
            raise error_class(ErrorCode.NOT_IMPLEMENTED)(f"Unknown action {action!r}")
        self._run(validator, payload)

    def validate_response(self, action: str, payload: dict[str, Any]) -> None:
        validator = self.response_validator(action)
        if validator is None:
            raise error_class(ErrorCode.NOT_IMPLEMENTED)(f"No response schema for {action!r}")
        self._run(validator, payload)

    def _run(self, validator: Validator, payload: dict[str, Any]) -> None:
        try:
            validator(payload)
        except fastjsonschema.JsonSchemaValueException as exc:
            raise self.violation(exc) from None

    def violation(self, exc: fastjsonschema.JsonSchemaValueException) -> OCPPCallError:
        """Translate a schema failure into the matching typed CALLERROR exception."""
        rule = str(exc.rule or "")
        path = str(exc.name or "data")
        if rule == "type" and path == "data":
            code = ErrorCode.FORMAT_VIOLATION
        else:
            code = self._rules.schema_violation(rule)
        description = "payload" + str(exc.message).removeprefix("data")
        cls = error_class(code)
        return cls(description, {"path": "payload" + path.removeprefix("data"), "rule": rule})

    def compile_all(self) -> None:
        """Compile every schema now (at start-up) instead of on first use."""
        for action in self._request_files:
            self.request_validator(action)
        for action in self._response_files:
            self.response_validator(action)


def _compile(path: Path) -> Validator:
    schema = orjson.loads(path.read_bytes())
    # use_default=False: validation must never write defaults into the payload it checks.
    validator: Validator = fastjsonschema.compile(schema, use_default=False)
    logger.debug("compiled schema %s", path.name)
    return validator


@functools.cache
def schema_set(version: OCPPVersion) -> SchemaSet:
    """The process-wide :class:`SchemaSet` of ``version``."""
    return SchemaSet(version)
