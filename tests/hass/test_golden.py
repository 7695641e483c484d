"""Golden files of the discovery payloads: any change to what HA sees shows up in review.

Regenerate after an intended change with
``UPDATE_GOLDEN=1 .venv/bin/pytest tests/hass/test_golden.py`` and read the
diff of ``tests/fixtures/hass-*.json`` before committing it. The same
payloads are checked against Home Assistant's own schemas in
``tests/ha/test_schemas.py``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from bridge.hass import DiscoveryPlanner
from tests.hass.conftest import COOKERS, options

FIXTURES = Path(__file__).parent.parent / "fixtures"
CASES = [("a7", "C"), ("a7", "F"), ("a5", "C"), ("a5", "F")]


def golden_payloads(kind: str, unit: str) -> dict[str, Any]:
    """What a golden file holds: the cooker's and the bridge's configs, device mode."""
    publisher = DiscoveryPlanner(options(unit))
    entry = COOKERS[kind]
    return {
        "cooker": publisher.configs_for(
            entry.info, topic_id=entry.topic_id, firmware=entry.firmware
        ),
        "bridge": {m.topic: json.loads(m.payload) for m in publisher.bridge_messages()},
    }


@pytest.mark.parametrize(("kind", "unit"), CASES)
def test_discovery_matches_golden_file(kind: str, unit: str) -> None:
    path = FIXTURES / f"hass-{kind}-{unit.lower()}.json"
    actual = golden_payloads(kind, unit)
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n")
    assert actual == json.loads(path.read_text())
