"""Render MQTT value templates as Home Assistant does; run by the HA venv's python.

Reads ``{case: {"payload": "<state JSON>", "templates": {key: template}}}``
on stdin and prints ``{case: {key: {"value": rendered, "logs": [...]}}}``.
HA does not raise on a template error: it logs it and passes the raw payload
on, so every warning logged while rendering is returned too. Each template
is rendered the way an MQTT entity renders its state topic's payload
(``MqttValueTemplate``, with ``value_json`` parsed from the payload), inside
a HomeAssistant instance so HA's own template environment and filters apply.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import tempfile
from typing import Any

from homeassistant.components.mqtt.models import MqttValueTemplate
from homeassistant.core import HomeAssistant
from homeassistant.helpers.template import Template


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def render(hass: HomeAssistant, template: str, payload: str) -> dict[str, Any]:
    """One template against one payload: its output and what HA logged meanwhile."""
    collect = _Collect()
    logging.getLogger().addHandler(collect)
    try:
        value = MqttValueTemplate(Template(template, hass)).async_render_with_possible_json_value(
            payload
        )
    except Exception as err:  # every template error is a verdict here
        return {"value": None, "logs": [*collect.messages, f"{type(err).__name__}: {err}"]}
    finally:
        logging.getLogger().removeHandler(collect)
    return {"value": str(value), "logs": collect.messages}


async def render_all(cases: dict[str, Any]) -> dict[str, Any]:
    """Every case's templates, in one HomeAssistant instance."""
    with tempfile.TemporaryDirectory() as config_dir:
        hass = HomeAssistant(config_dir)
        try:
            return {
                name: {
                    key: render(hass, template, case["payload"])
                    for key, template in case["templates"].items()
                }
                for name, case in cases.items()
            }
        finally:
            await hass.async_stop(force=True)


def main() -> None:
    """Render everything on stdin, print the results as JSON."""
    json.dump(asyncio.run(render_all(json.load(sys.stdin))), sys.stdout)


if __name__ == "__main__":
    main()
