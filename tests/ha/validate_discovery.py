"""Validate discovery payloads with Home Assistant's own code; run by the HA venv's python.

Reads ``{case: {topic: payload}}`` JSON on stdin and prints
``{case: {"checked": [...], "problems": [...]}}`` (one process for many cases:
importing HA takes a second or two). It follows Home Assistant's discovery pipeline
(``homeassistant.components.mqtt.discovery``): expand abbreviations, check
a device payload against ``DEVICE_DISCOVERY_SCHEMA``, hand device, origin and
the shared options down to each component, then run the platform's
``DISCOVERY_SCHEMA``. Home Assistant drops unknown keys without a word
(``extra=REMOVE_EXTRA``), so every key sent must also survive validation.
Runs under every supported release: 2026.x's MQTT schemas are ``probatio``
schemas, older ones ``voluptuous``; a rejection from either is reported.
"""

from __future__ import annotations

import asyncio
import copy
import importlib
import json
import sys
import tempfile
from typing import Any

import voluptuous as vol
from homeassistant.components.mqtt import discovery as ha_discovery
from homeassistant.components.mqtt.schemas import DEVICE_DISCOVERY_SCHEMA, SHARED_OPTIONS
from homeassistant.core import HomeAssistant

DEVICE_LEVEL = {"device", "origin", "components"}
try:  # HA 2026.x validates with probatio
    import probatio

    INVALID: tuple[type[Exception], ...] = (vol.Invalid, probatio.Invalid)
except ImportError:  # HA 2025.x: voluptuous only
    INVALID = (vol.Invalid,)


def platform_schema(platform: str) -> Any:
    """The platform's DISCOVERY_SCHEMA (light keeps it in a package)."""
    return importlib.import_module(f"homeassistant.components.mqtt.{platform}").DISCOVERY_SCHEMA


def check_component(topic: str, platform: str, config: dict[str, Any]) -> list[dict[str, Any]]:
    """Validate one component; report errors and keys that did not survive."""
    sent = copy.deepcopy(config)
    try:
        validated = platform_schema(platform)(copy.deepcopy(config))
    except INVALID as err:
        return [{"topic": topic, "platform": platform, "error": str(err)}]
    dropped = sorted(set(sent) - set(validated))
    problems: list[dict[str, Any]] = []
    if dropped:
        problems.append({"topic": topic, "platform": platform, "dropped": dropped})
    if validated.get("device") and set(sent["device"]) - set(validated["device"]):
        problems.append({"topic": topic, "platform": platform, "dropped_device": True})
    return problems


def check_device(topic: str, payload: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    """Validate a device-based payload as Home Assistant splits it."""
    ha_discovery._replace_all_abbreviations(payload)
    try:
        DEVICE_DISCOVERY_SCHEMA(copy.deepcopy(payload))
    except INVALID as err:
        return [], [{"topic": topic, "error": f"device schema: {err}"}]
    ignored = sorted(set(payload) - DEVICE_LEVEL - set(SHARED_OPTIONS))
    problems: list[dict[str, Any]] = []
    if ignored:
        problems.append({"topic": topic, "not_inherited": ignored})
    checked = []
    for key, component in payload["components"].items():
        config = dict(component)
        platform = config.pop("platform")
        config["device"] = payload["device"]
        config["origin"] = payload["origin"]
        ha_discovery._merge_common_device_options(config, payload)
        problems += check_component(f"{topic}#{key}", platform, config)
        checked.append(f"{platform}:{config.get('unique_id')}")
    return checked, problems


def check_single(topic: str, payload: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    """Validate a per-component payload from its topic's component segment."""
    platform = topic.split("/")[-4]
    ha_discovery._replace_all_abbreviations(payload)
    return [f"{platform}:{payload.get('unique_id')}"], check_component(topic, platform, payload)


async def validate(cases: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Validate inside a HomeAssistant instance: template validators need one current."""
    with tempfile.TemporaryDirectory() as config_dir:
        hass = HomeAssistant(config_dir)
        try:
            return {name: validate_all(configs) for name, configs in cases.items()}
        finally:
            await hass.async_stop(force=True)


def validate_all(configs: dict[str, Any]) -> dict[str, Any]:
    """Every payload, device-based or per component, by its topic."""
    checked: list[str] = []
    problems: list[dict[str, Any]] = []
    for topic, payload in configs.items():
        check = check_device if topic.split("/")[-3] == "device" else check_single
        names, found = check(topic, payload)
        checked += names
        problems += found
    return {"checked": checked, "problems": problems}


def main() -> None:
    """Validate everything on stdin, print the verdict as JSON."""
    json.dump(asyncio.run(validate(json.load(sys.stdin))), sys.stdout)


if __name__ == "__main__":
    main()
