"""The example config and docs/configuration.md cannot drift from the schema."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel

from bridge.config_loader import env_name, load_settings
from bridge.settings import DeviceSettings, Settings

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "config" / "bridge.example.yaml"
DOC = ROOT / "docs" / "configuration.md"
DEVICE = "<cooker_id>"


def schema_keys(
    model: type[BaseModel] = Settings, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    """Every leaf key of the schema; ``devices`` as ``devices.<cooker_id>.<key>``."""
    for name, field in model.model_fields.items():
        path = (*prefix, name)
        if name == "devices" and model is Settings:
            yield from schema_keys(DeviceSettings, (*path, DEVICE))
        elif isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel):
            yield from schema_keys(field.annotation, path)
        else:
            yield path


def flat_paths(data: object, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    if not isinstance(data, dict) or not data:
        return {prefix}
    paths: set[tuple[str, ...]] = set()
    for key, value in data.items():
        paths |= flat_paths(value, (*prefix, str(key)))
    return paths


def test_example_config_validates() -> None:
    settings = load_settings(EXAMPLE, env={})
    assert settings == Settings.model_validate({"anova": {"token": "anova-REPLACE_ME"}}), (
        "the example must show the defaults"
    )


def test_example_config_documents_every_key() -> None:
    import yaml

    text = EXAMPLE.read_text()
    present = flat_paths(yaml.safe_load(text))
    missing = []
    for key in schema_keys():
        if key[0] == "devices":
            if not re.search(rf"^#\s+{key[-1]}:", text, re.MULTILINE):
                missing.append(".".join(key))
        elif key not in present:
            missing.append(".".join(key))
    assert not missing, f"add to {EXAMPLE.name}: {missing}"


def test_docs_list_every_key_with_its_env_name() -> None:
    doc = DOC.read_text()
    missing = [
        f"| `{'.'.join(key)}` | `{env_name(key)}` | … | … |"
        for key in schema_keys()
        if f"| `{'.'.join(key)}` | `{env_name(key)}` |" not in doc
    ]
    assert not missing, "add these rows to docs/configuration.md:\n" + "\n".join(missing)
