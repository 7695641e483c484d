"""The automations in docs/home-assistant.md load in a real Home Assistant.

Each YAML block is saved through HA's automation editor API, which checks it
against HA's schemas, and must then exist as an enabled automation entity.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.ha.harness import HomeAssistantCore

pytestmark = pytest.mark.ha

DOC = Path(__file__).parents[2] / "docs" / "home-assistant.md"


def documented_automations() -> list[dict[str, Any]]:
    blocks = re.findall(r"```yaml\n(.*?)```", DOC.read_text(), flags=re.DOTALL)
    return [
        doc for doc in map(yaml.safe_load, blocks) if isinstance(doc, dict) and "triggers" in doc
    ]


def test_the_docs_have_seven_automations() -> None:
    assert len(documented_automations()) == 7  # six for cookers, one for ovens


@pytest.mark.parametrize("index", range(7))
def test_documented_automation_loads(home_assistant: HomeAssistantCore, index: int) -> None:
    automation = documented_automations()[index]
    automation_id = f"docs_{index}"
    since = home_assistant.log_offset()
    result = home_assistant.post(f"/api/config/automation/config/{automation_id}", automation)
    assert result == {"result": "ok"}

    def loaded() -> dict[str, Any] | None:
        for state in home_assistant.states().values():
            if (
                state["entity_id"].startswith("automation.")
                and state["attributes"].get("id") == automation_id
            ):
                return state
        return None

    state = home_assistant.wait_state_of(loaded, what=automation["alias"])
    assert state["state"] == "on", state
    assert home_assistant.log_problems(since, "homeassistant.components.automation") == []
