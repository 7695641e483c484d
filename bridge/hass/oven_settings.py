"""The oven's settings in Home Assistant: what the next start, or the running stage, uses.

Mode, steam, probe target, heating elements, fan and timer start are
selects and numbers that write the oven's shortcut topics
(``set/oven_mode``, ``set/steam_percent``, ``set/probe_target``,
``set/elements``, ``set/fan_speed``, ``set/timer_start``). Each shows the
running stage's value while a cook runs and the kept ``next`` value while
idle (docs/mqtt.md, "Oven state"), so the select or number a user just
moved shows what the start will use.
"""

from __future__ import annotations

from typing import Final

from bridge.commands.units import from_celsius
from bridge.hass.context import Config, EntityContext

PROBE_MAX_C: Final = 100.0  # the probe's highest target (anova-oven-api.md §5)
OVEN_MODES: Final = ("dry", "steam", "wet")
ELEMENT_PRESETS: Final = ("rear", "top", "bottom", "top_rear", "bottom_rear", "top_bottom")
"""The ``set/elements`` presets: the elements that are on, joined in top, bottom, rear order."""
TIMER_STARTS: Final = ("immediately", "when_preheated", "manual")


def _setting(running: str, kept: str) -> str:
    """A stage setting: the running cook's while it runs, else the kept next start's."""
    return (
        f"(value_json.{running} if value_json.mode == 'heat' "
        f"else (value_json.next or {{}}).get('{kept}'))"
    )


def _bounded(expression: str, low: float, high: float, *, default: str | None = None) -> str:
    """A number in ``[low, high]``, null as ``default``; else unknown (HA logs out of range)."""
    fallback = f"{{% set v = {default} if v is none else v %}}" if default else ""
    return (
        f"{{% set v = {expression} %}}{fallback}"
        f"{{{{ v if v is number and {low} <= v <= {high} else None }}}}"
    )


def _options(options: tuple[str, ...]) -> str:
    return "[" + ", ".join(f"'{option}'" for option in options) + "]"


def oven_mode(ctx: EntityContext) -> Config:
    """Dry, steam or wet (sous vide in the oven), sent to ``set/oven_mode``."""
    return {
        "platform": "select",
        "name": "Oven mode",
        "unique_id": ctx.unique_id("oven_mode"),
        "command_topic": ctx.topics.set("oven_mode"),
        "state_topic": ctx.topics.state,
        "value_template": (
            f"{{% set v = {_setting('oven_mode', 'oven_mode')} %}}"
            f"{{{{ v if v in {_options(OVEN_MODES)} else None }}}}"
        ),
        "options": list(OVEN_MODES),
        "icon": "mdi:stove",
    }


def _percent(
    ctx: EntityContext, key: str, name: str, expression: str, default: str | None
) -> Config:
    return {
        "platform": "number",
        "name": name,
        "unique_id": ctx.unique_id(key),
        "command_topic": ctx.topics.set(key),
        "state_topic": ctx.topics.state,
        "value_template": _bounded(expression, 0, 100, default=default),
        "min": 0,
        "max": 100,
        "step": 1,
        "mode": "slider",
        "unit_of_measurement": "%",
    }


def steam_percent(ctx: EntityContext) -> Config:
    """Steam for a steam stage (relative humidity below 100 °C); 0 = none."""
    config = _percent(
        ctx, "steam_percent", "Steam", _setting("steam_percent", "steam_percent"), "0"
    )
    config["icon"] = "mdi:water-percent"
    return config


def fan_speed(ctx: EntityContext) -> Config:
    """The convection fan, 0–100 (the oven runs it at 100 with the rear element or steam)."""
    config = _percent(ctx, "fan_speed", "Fan speed", _setting("fan_speed", "fan_speed"), None)
    config["icon"] = "mdi:fan"
    return config


def probe_target(ctx: EntityContext) -> Config:
    """The probe's target: the stage ends when the core reaches it; 0 = no probe target."""
    high = from_celsius(PROBE_MAX_C, ctx.unit)
    return {
        "platform": "number",
        "name": "Probe target",
        "unique_id": ctx.unique_id("probe_target"),
        "command_topic": ctx.topics.set("probe_target"),
        "state_topic": ctx.topics.state,
        "value_template": _bounded(_setting("probe.target", "probe_target"), 0, high, default="0"),
        "min": 0,
        "max": high,
        "step": 0.5 if ctx.unit == "C" else 1,
        "mode": "box",
        "device_class": "temperature",
        "unit_of_measurement": ctx.unit_symbol,
    }


def elements(ctx: EntityContext) -> Config:
    """Which heating elements heat, as the presets ``set/elements`` takes."""
    pick = " + ".join(f"(['{e}'] if e and e.{e} else [])" for e in ("top", "bottom", "rear"))
    return {
        "platform": "select",
        "name": "Heating elements",
        "unique_id": ctx.unique_id("elements"),
        "command_topic": ctx.topics.set("elements"),
        "state_topic": ctx.topics.state,
        "value_template": (
            f"{{% set e = {_setting('elements', 'elements')} %}}"
            f"{{% set p = ({pick}) | join('_') %}}"
            f"{{{{ p if p in {_options(ELEMENT_PRESETS)} else None }}}}"
        ),
        "options": list(ELEMENT_PRESETS),
        "icon": "mdi:heating-coil",
    }


def timer_start(ctx: EntityContext) -> Config:
    """When the next start's timer counts: at once, once preheated, or from the panel.

    The oven does not report it for a running cook, so it is unknown then.
    """
    return {
        "platform": "select",
        "name": "Timer start",
        "unique_id": ctx.unique_id("timer_start"),
        "command_topic": ctx.topics.set("timer_start"),
        "state_topic": ctx.topics.state,
        "value_template": (
            "{% set v = (value_json.next or {}).get('timer_start') %}"
            f"{{{{ v if v in {_options(TIMER_STARTS)} else None }}}}"
        ),
        "options": list(TIMER_STARTS),
        "icon": "mdi:timer-cog-outline",
    }
