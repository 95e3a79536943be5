"""Small helpers that are part of the public contract."""

from __future__ import annotations

import base64
import binascii
import importlib
from enum import Enum
from typing import Any

__all__ = [
    "decode_string_base64",
    "encode_string_base64",
    "get_module_model",
    "version_module_name",
]


def encode_string_base64(value: str) -> str:
    """Base64-encode a credentials token (OCPI 2.2+ ``Authorization: Token <base64>``)."""
    return base64.b64encode(value.encode()).decode()


def decode_string_base64(value: str) -> str:
    """Decode a base64 credentials token; raises ``ValueError`` when it is not base64 of UTF-8."""
    try:
        return base64.b64decode(value.encode(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise ValueError("not a base64 encoded token") from exc


def version_module_name(version: str) -> str:
    """``"2.2.1"`` → ``"v_2_2_1"`` (the name of a version folder)."""
    text = version.value if isinstance(version, Enum) else str(version)
    return "v_" + text.replace(".", "_")


def get_module_model(class_name: str, module_name: str, version_name: str) -> Any:
    """Import ``ocpi.modules.<module_name>.<version_name>.schemas.<class_name>``."""
    path = f"ocpi.modules.{module_name}.{version_name}.schemas"
    try:
        return getattr(importlib.import_module(path), class_name)
    except (ImportError, AttributeError) as exc:
        raise NotImplementedError(f"{class_name} schema for {version_name} not found") from exc
