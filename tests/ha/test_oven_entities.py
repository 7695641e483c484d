"""The oven's discovery passes Home Assistant's schemas, and its templates read real documents.

Each release's own python validates the payloads (``validate_discovery.py``,
as for the cookers) and renders every state template against oven state
documents (``render_templates.py``), the way an MQTT entity renders a state
message. HA does not raise on a template error (it logs and passes the raw
payload on), so each rendering must log nothing and give a value the entity
accepts: an option of a select, a number in range, ON/OFF, or ``None``
(HA's "unknown").
"""

from __future__ import annotations

import json
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bridge.anova.oven_model import HeatingElements, OvenMode, TimerStart, WaterTank
from bridge.commands.oven_models import NextStage
from bridge.contract import TemperatureUnit
from bridge.hass import DiscoveryOptions, cooker_configs
from bridge.hass.oven_entities import OVEN_ENTITIES
from bridge.kinds.kind import StateInputs
from bridge.kinds.oven.state import oven_document
from tests.ha.test_schemas import validate_cases
from tests.kinds.oven_states import V1, V2, v1_idle, v1_wet, v2_cooking_with_probe

pytestmark = pytest.mark.ha

RENDERER = Path(__file__).with_name("render_templates.py")
KEPT = NextStage(
    mode=OvenMode.STEAM,
    steam_percent=40,
    probe_c=57.0,
    elements=HeatingElements(top=True, rear=True),
    fan_speed=67,
    timer_start=TimerStart.WHEN_PREHEATED,
)
EVENT = {"event": "probe_target_reached", "at": "2025-03-08T10:30:00Z", "cook_id": "c1"}


def documents(unit: TemperatureUnit) -> dict[str, dict[str, Any]]:
    """The situations an oven's entities must read without a log line."""
    cooking = v2_cooking_with_probe()
    trouble = cooking.model_copy(
        update={"door_closed": False, "water_tank": WaterTank(empty=True), "timer_done": True}
    )
    inputs = {
        "idle": StateInputs(V1, v1_idle(), unit, True),
        "idle_kept": StateInputs(V1, v1_idle(), unit, True, 180.0, 2700, next_settings=KEPT),
        "cooking": StateInputs(V2, cooking, unit, True, food_type="pork loin"),
        "wet": StateInputs(V1, v1_wet(), unit, True),
        "trouble": StateInputs(V2, trouble, unit, True),
        "offline": StateInputs(V2, cooking, unit, False),
        "never_heard": StateInputs(V2, None, unit, True),
    }
    return {name: oven_document(value) for name, value in inputs.items()}


def components(unit: str) -> dict[str, dict[str, Any]]:
    options = DiscoveryOptions(unit=unit)  # type: ignore[arg-type]
    (payload,) = cooker_configs(V2, "big_oven", "1.0.0", options, OVEN_ENTITIES).values()
    comps: dict[str, dict[str, Any]] = payload["components"]
    return comps


def state_templates(config: dict[str, Any]) -> dict[str, str]:
    return {
        key: value
        for key, value in config.items()
        if key.endswith("_template") and not key.startswith(("command", "temperature_command"))
    }


def render(ha_python: Path, unit: TemperatureUnit) -> dict[str, Any]:
    """``{document: {entity: {template key: {"value", "logs"}}}}`` from HA's renderer."""
    cases: dict[str, Any] = {}
    for name, doc in documents(unit).items():
        for key, config in components(unit).items():
            payload = EVENT if config["platform"] == "event" else doc
            cases[f"{name}/{key}"] = {
                "payload": json.dumps(payload),
                "templates": state_templates(config),
            }
    run = subprocess.run(
        [str(ha_python), str(RENDERER)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    rendered: dict[str, Any] = {}
    for case, result in json.loads(run.stdout).items():
        name, key = case.split("/")
        rendered.setdefault(name, {})[key] = result
    return rendered


@pytest.fixture(scope="module", params=["C", "F"])
def rendered(request: pytest.FixtureRequest, ha_python: Path) -> tuple[str, dict[str, Any]]:
    return request.param, render(ha_python, request.param)


def _number(text: str, low: float, high: float) -> bool:
    try:
        return low <= float(text) <= high
    except ValueError:
        return False


def accepted(config: dict[str, Any], key: str, value: str) -> bool:
    """Would the entity take ``value`` without a log line?"""
    platform = config["platform"]
    if key == "json_attributes_template":
        return isinstance(json.loads(value), dict)
    checks = {
        "select": lambda: value in config["options"] or value == "None",
        "number": lambda: value == "None" or _number(value, config["min"], config["max"]),
        "binary_sensor": lambda: value in ("ON", "OFF", "None"),
        "climate": lambda: _climate_accepts(config, key, value),
        "event": lambda: json.loads(value)["event_type"] in config["event_types"],
    }
    return bool(checks.get(platform, lambda: _sensor_accepts(config, value))())


def _climate_accepts(config: dict[str, Any], key: str, value: str) -> bool:
    if key == "mode_state_template":
        return value in config["modes"]
    if key == "action_template":
        return value in ("off", "heating", "idle")
    return value == "None" or _number(value, -1000, 1000)


def _sensor_accepts(config: dict[str, Any], value: str) -> bool:
    device_class = config.get("device_class")
    if value == "None" or device_class is None:
        return True
    if device_class == "enum":
        return value in config["options"]
    if device_class == "timestamp":
        return datetime.fromisoformat(value) is not None
    return _number(value, -1000, 1_000_000)


def test_every_template_renders_a_value_its_entity_accepts(
    rendered: tuple[str, dict[str, Any]],
) -> None:
    unit, by_document = rendered
    configs = components(unit)
    problems = []
    for name, entities in by_document.items():
        for entity, templates in entities.items():
            for key, result in templates.items():
                ok = not result["logs"] and accepted(configs[entity], key, result["value"])
                if not ok:
                    problems.append((name, entity, key, result))
    assert problems == []


def _values(rendered: dict[str, Any], document: str) -> dict[str, str]:
    return {
        entity: templates["value_template"]["value"]
        for entity, templates in rendered[document].items()
        if "value_template" in templates
    }


def test_a_cooking_oven_reads_as_its_running_stage(rendered: tuple[str, dict[str, Any]]) -> None:
    unit, by_document = rendered
    values = _values(by_document, "cooking")
    assert values["stage"] == "2 of 3"
    assert (values["oven_mode"], values["elements"]) == ("steam", "top_rear")
    assert float(values["steam_percent"]) == 30
    assert values["probe_target"] == ("63.0" if unit == "C" else "145.4")
    assert (values["door"], values["water_tank_empty"], values["preheated"]) == ("OFF", "OFF", "ON")
    assert values["timer_start"] == "None"  # not reported for a running cook
    climate = by_document["cooking"]["climate"]
    assert climate["mode_state_template"]["value"] == "heat"
    assert climate["action_template"]["value"] == "heating"


def test_an_idle_oven_shows_the_kept_next_start(rendered: tuple[str, dict[str, Any]]) -> None:
    unit, by_document = rendered
    values = _values(by_document, "idle_kept")
    assert (values["oven_mode"], values["elements"], values["timer_start"]) == (
        "steam",
        "top_rear",
        "when_preheated",
    )
    assert (values["steam_percent"], values["fan_speed"], values["timer"]) == ("40", "67", "45")
    assert values["probe_target"] == ("57.0" if unit == "C" else "134.6")
    assert values["stage"] == "None"
    untouched = _values(by_document, "idle")
    assert (untouched["oven_mode"], untouched["probe_target"]) == ("None", "0")


def test_trouble_shows_on_the_binary_sensors(rendered: tuple[str, dict[str, Any]]) -> None:
    _, by_document = rendered
    values = _values(by_document, "trouble")
    assert (values["door"], values["water_tank_empty"]) == ("ON", "ON")
    unknown = _values(by_document, "never_heard")
    assert (unknown["door"], unknown["lamp"], unknown["water_tank_empty"]) == ("None",) * 3


@pytest.mark.parametrize("unit", ["C", "F"])
@pytest.mark.parametrize("mode", ["device", "component"])
def test_oven_discovery_passes_home_assistant_schemas(
    ha_python: Path, unit: str, mode: str
) -> None:
    options = DiscoveryOptions(unit=unit, mode=mode)  # type: ignore[arg-type]
    configs = cooker_configs(V2, "big_oven", "1.0.0", options, OVEN_ENTITIES)
    (verdict,) = validate_cases(ha_python, {"oven": configs}).values()
    assert verdict["problems"] == []
    assert len(verdict["checked"]) == len(OVEN_ENTITIES)
