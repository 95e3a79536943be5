"""The declared public API: ``__all__`` is sorted, complete and importable; the established
library's import paths keep working."""

from __future__ import annotations

import importlib
import inspect

import pytest

import ocpi
import ocpp_gw


@pytest.mark.parametrize("package", [ocpi, ocpp_gw])
def test_all_is_sorted_and_importable(package: object) -> None:
    names = list(package.__all__)  # type: ignore[attr-defined]
    assert names == sorted(names)
    for name in names:
        assert getattr(package, name) is not None


def test_public_classes_are_exported() -> None:
    members = {
        name
        for name, value in vars(ocpi).items()
        if not name.startswith("_") and (inspect.isclass(value) or inspect.isfunction(value))
    }
    assert members <= set(ocpi.__all__)


@pytest.mark.parametrize(
    ("module", "names"),
    [
        ("ocpi", ["get_application"]),
        ("ocpi.main", ["get_application"]),
        ("ocpi.core.crud", ["Crud"]),
        ("ocpi.core.authentication.authenticator", ["Authenticator"]),
        ("ocpi.core.adapter", ["BaseAdapter", "Adapter"]),
        ("ocpi.core.enums", ["RoleEnum", "ModuleID", "Action", "EnvironmentType"]),
        ("ocpi.modules.versions.enums", ["VersionNumber"]),
        ("ocpi.core.config", ["settings"]),
        ("ocpi.core.exceptions", ["OCPIError", "AuthorizationOCPIError", "NotFoundOCPIError"]),
        (
            "ocpi.core.data_types",
            ["String", "CiString", "URL", "DateTime", "DisplayText", "Number", "Price"],
        ),
        ("ocpi.core.utils", ["encode_string_base64", "decode_string_base64"]),
        ("ocpi.core.push", ["push_object"]),
        (
            "ocpi.core.status",
            ["OCPI_1000_GENERIC_SUCESS_CODE", "OCPI_2001_INVALID_OR_MISSING_PARAMETERS"],
        ),
        ("ocpi.modules.locations.v_2_2_1.schemas", ["Location", "EVSE", "Connector"]),
        ("ocpi.modules.credentials.v_2_1_1.schemas", ["Credentials"]),
        ("ocpi.modules.credentials.v_2_3_0.schemas", ["Credentials"]),
    ],
)
def test_contract_import_paths(module: str, names: list[str]) -> None:
    imported = importlib.import_module(module)
    for name in names:
        assert hasattr(imported, name), f"{module}.{name}"


def test_version_number_members() -> None:
    from ocpi.modules.versions.enums import VersionNumber

    assert VersionNumber.latest is VersionNumber.v_2_3_0
    assert {VersionNumber.v_2_1_1.value, VersionNumber.v_2_2_1.value} == {"2.1.1", "2.2.1"}


def test_get_application_signature_is_compatible() -> None:
    parameters = list(inspect.signature(ocpi.get_application).parameters.values())
    positional = [p.name for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD]
    assert positional == [
        "version_numbers",
        "roles",
        "crud",
        "modules",
        "authenticator",
        "adapter",
        "http_push",
        "websocket_push",
    ]
    assert all(p.kind is p.KEYWORD_ONLY for p in parameters[len(positional) :])
