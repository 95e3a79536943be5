"""Versions and credentials schemas against the spec's examples, and the overall check that every
example file of every version is validated by one of the schema test files."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from ocpi.core.utils import get_module_model

SPECS = Path(__file__).resolve().parents[4] / "shared" / "specs" / "ocpi"
pytestmark = pytest.mark.skipif(not SPECS.is_dir(), reason=f"spec sources not found at {SPECS}")

FOLDERS = {"2.2.1": "v_2_2_1", "2.3.0": "v_2_3_0", "2.3.0-bookings": "v_2_3_0"}

#: example file → (module, class, which part of the file is the object)
EXAMPLES: dict[str, tuple[str, str, str]] = {
    "credentials_example.json": ("credentials", "Credentials", "object"),
    "credentials_example2.json": ("credentials", "Credentials", "object"),
    "credentials_example3.json": ("credentials", "Credentials", "object"),
    "credentials_example4.json": ("credentials", "Credentials", "object"),
    "version_details_example.json": ("versions", "VersionDetail", "object"),
    "version_details_example2.json": ("versions", "VersionDetail", "object"),
    "transport_and_format_version_details_example.json": ("versions", "VersionDetail", "data"),
    "versions_info_example.json": ("versions", "Version", "list"),
    "transport_and_format_version_info_example.json": ("versions", "Version", "data-list"),
}

#: Prefixes of the example files each schema test file owns.
OWNERS = {
    "test_schemas_versions_credentials.py": (
        "credentials_",
        "version",
        "transport_and_format_version",
    ),
    "test_schemas_locations_tariffs_sessions_cdrs.py": (
        "location_",
        "tariff_",
        "tariffrestriction_",
        "session_",
        "cdr_",
        "type_displaytext_",
    ),
    "test_schemas_tokens_commands_profiles_hub_payments_bookings.py": (
        "token_",
        "transport_and_format_get_token",
        "payment_",
        "booking_",
    ),
}


def cases() -> list[tuple[str, str]]:
    return [
        (folder, name)
        for folder in FOLDERS
        for name in EXAMPLES
        if (SPECS / folder / "examples" / name).is_file()
    ]


@pytest.mark.parametrize(("folder", "name"), cases())
def test_example_validates(folder: str, name: str) -> None:
    module, class_name, part = EXAMPLES[name]
    model: type[BaseModel] = get_module_model(class_name, module, FOLDERS[folder])
    document: Any = json.loads((SPECS / folder / "examples" / name).read_text())
    if part == "data":
        assert document["status_code"] == 1000
        document = document["data"]
    if part == "data-list":
        document = document["data"]
    items = document if part in {"list", "data-list"} else [document]
    for item in items:
        parsed = model.model_validate(item)
        assert parsed.model_dump(mode="json", exclude_none=True) == item


def markdown_blocks(path: Path) -> list[Any]:
    text = path.read_text()
    return [json.loads(block) for block in re.findall(r"```json\n(.*?)```", text, re.S)]


def test_2_1_1_inline_examples() -> None:
    credentials = get_module_model("Credentials", "credentials", "v_2_1_1")
    blocks = markdown_blocks(SPECS / "2.1.1" / "credentials.md")
    assert blocks
    for block in blocks:
        assert credentials.model_validate(block).model_dump(mode="json", exclude_none=True) == block
    details = get_module_model("VersionDetail", "versions", "v_2_1_1")
    version = get_module_model("Version", "versions", "v_2_1_1")
    parsed = 0
    for block in markdown_blocks(SPECS / "2.1.1" / "version_information_endpoint.md"):
        for item in block if isinstance(block, list) else [block]:
            model = details if "endpoints" in item else version
            model.model_validate(item)
            parsed += 1
    assert parsed >= 3


def test_2_1_1_credentials_need_a_party() -> None:
    credentials = get_module_model("Credentials", "credentials", "v_2_1_1")
    with pytest.raises(ValidationError) as error:
        credentials.model_validate({"token": "t", "url": "https://x/versions"})
    missing = {e["loc"][0] for e in error.value.errors()}
    assert missing == {"business_details", "party_id", "country_code"}


def test_2_2_1_credentials_need_a_role() -> None:
    credentials = get_module_model("Credentials", "credentials", "v_2_2_1")
    with pytest.raises(ValidationError):
        credentials.model_validate({"token": "t", "url": "https://x/versions", "roles": []})


def test_every_example_file_has_an_owner() -> None:
    here = Path(__file__).parent
    for owner in OWNERS:
        assert (here / owner).is_file(), owner
    prefixes = tuple(p for group in OWNERS.values() for p in group)
    orphans = [
        f"{folder}/{path.name}"
        for folder in FOLDERS
        for path in sorted((SPECS / folder / "examples").glob("*.json"))
        if not path.name.startswith(prefixes)
    ]
    assert orphans == []
