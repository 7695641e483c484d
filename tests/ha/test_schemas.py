"""Every discovery payload passes Home Assistant's own schemas, and nothing is dropped.

Runs ``validate_discovery.py`` with each supported release's own python (HA
2025.4 needs 3.13, 2026.11 3.14; the bridge runs on 3.11), which follows HA's
discovery pipeline: abbreviations, device schema, shared options handed
down, platform ``DISCOVERY_SCHEMA``.
"""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from bridge.anova.device import CookerInfo
from bridge.hass import CookerEntry, DiscoveryOptions, DiscoveryPlanner
from tests.hass.conftest import COOKERS

pytestmark = pytest.mark.ha

VALIDATOR = Path(__file__).with_name("validate_discovery.py")
FIXTURES = Path(__file__).parent.parent / "fixtures"
# A case is {discovery topic: config}; a verdict says what HA's schemas made of it.
Case = dict[str, Any]
Verdict = dict[str, Any]
PRO = CookerEntry(CookerInfo(cooker_id="pro0001", name="Pro", type="pro"), "pro", None)


def validate_cases(ha_python: Path, cases: dict[str, Case]) -> dict[str, Verdict]:
    """One HA python process validates every case: ``{case: verdict}``."""
    run = subprocess.run(
        [str(ha_python), str(VALIDATOR)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    by_case: dict[str, Verdict] = json.loads(run.stdout)
    return by_case


def layout_case(mode: str, unit: str) -> Case:
    publisher = DiscoveryPlanner(DiscoveryOptions(mode=mode, unit=unit))  # type: ignore[arg-type]
    messages = publisher.all_messages([COOKERS["a7"], COOKERS["a5"], PRO])
    return {m.topic: json.loads(m.payload) for m in messages}


GOLDEN = ["hass-a7-c", "hass-a7-f", "hass-a5-c", "hass-a5-f"]
LAYOUTS = [(mode, unit) for mode in ("device", "component") for unit in ("C", "F")]


@pytest.fixture(scope="module")
def verdicts(ha_python: Path) -> dict[str, Verdict]:
    """Every golden file and every layout × unit, validated in one go."""
    cases = {}
    for name in GOLDEN:
        golden = json.loads((FIXTURES / f"{name}.json").read_text())
        cases[name] = {**golden["cooker"], **golden["bridge"]}
    for mode, unit in LAYOUTS:
        cases[f"{mode}-{unit}"] = layout_case(mode, unit)
    return validate_cases(ha_python, cases)


@pytest.mark.parametrize("name", GOLDEN)
def test_golden_payloads_pass_home_assistant_schemas(
    verdicts: dict[str, Verdict], name: str
) -> None:
    assert verdicts[name]["problems"] == []
    assert len(verdicts[name]["checked"]) == 20


@pytest.mark.parametrize(("mode", "unit"), LAYOUTS)
def test_every_layout_and_model_passes(verdicts: dict[str, Verdict], mode: str, unit: str) -> None:
    verdict = verdicts[f"{mode}-{unit}"]
    assert verdict["problems"] == []
    assert len(verdict["checked"]) == 1 + 3 * 19


def test_the_validator_does_catch_dropped_and_invalid_keys(ha_python: Path) -> None:
    golden = json.loads((FIXTURES / "hass-a7-c.json").read_text())
    ((topic, payload),) = golden["cooker"].items()
    device_level = copy.deepcopy(payload)
    device_level["retain"] = True  # not a shared option: 2025.x ignores it, 2026.x refuses it
    payload["components"]["status"]["made_up_key"] = True
    payload["components"]["climate"]["precision"] = 0.3
    verdicts = validate_cases(
        ha_python, {"device": {topic: device_level}, "parts": {topic: payload}}
    )
    (refused,) = verdicts["device"]["problems"]
    assert refused["topic"] == topic
    assert "retain" in refused.get("not_inherited", []) or "retain" in refused.get("error", "")
    problems = verdicts["parts"]["problems"]
    assert any(p.get("dropped") == ["made_up_key"] for p in problems)
    assert any("precision" in p.get("error", "") for p in problems)
