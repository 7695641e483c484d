"""docs/mqtt.md, "Oven state", cannot drift from the oven's state document."""

from __future__ import annotations

import json
import re
from typing import Any

from bridge.kinds.kind import StateInputs
from bridge.kinds.oven.state import oven_document
from tests.kinds.oven_states import V1, V2, v1_idle, v2_cooking_with_probe
from tests.packaging.dockerfile import REPO

SHARED_BLOCKS = {"alarms", "food", "cook"}  # explained once, in "State", and named as such
DOC = (REPO / "docs" / "mqtt.md").read_text(encoding="utf-8")


def oven_state_section() -> str:
    match = re.search(r"^### Oven state\n(.*?)(?=^##)", DOC, re.MULTILINE | re.DOTALL)
    assert match, "docs/mqtt.md has no '### Oven state' section"
    return match.group(1)


def _documents() -> list[dict[str, Any]]:
    cooking = StateInputs(V2, v2_cooking_with_probe(), unit="C", online=True)
    idle = StateInputs(V1, v1_idle(), unit="C", online=True)
    return [oven_document(cooking), oven_document(idle)]


def test_every_oven_state_key_and_inner_key_is_documented() -> None:
    text = oven_state_section()
    cooking, idle = _documents()
    rows = set(re.findall(r"^\| `([a-z_]+)` \|", text, re.MULTILINE))
    assert rows == set(cooking), "the key table must list exactly the state's keys"
    for key in SHARED_BLOCKS:
        assert re.search(rf"^\| `{key}` \| as for the cookers", text, re.MULTILINE), key
    for document in (cooking, idle):
        for key, value in document.items():
            if key in SHARED_BLOCKS:
                continue
            for inner in value if isinstance(value, dict) else ():
                assert f"`{inner}`" in text, f"state.{key}.{inner} is not explained"


def test_the_example_has_the_documents_shape() -> None:
    block = re.search(r"```json\n(.*?)```", oven_state_section(), re.DOTALL)
    assert block
    example = json.loads(block.group(1))
    cooking, _ = _documents()
    assert set(example) == set(cooking)
    for key, value in cooking.items():
        if isinstance(value, dict):
            assert set(example[key]) == set(value), key
