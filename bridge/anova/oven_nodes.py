"""The nodes of an oven state that read alike in both versions (``anova-oven-api.md`` §4).

Both versions report bulbs, steam, probe, elements, door and tanks under
``state.nodes`` with the same keys; v1 temperatures carry both units, v2
Celsius only, so every temperature is read through :func:`celsius`. What
differs (timer, fan words, lamps, the cook's stages) is read by
:mod:`bridge.anova.oven_v1` and :mod:`bridge.anova.oven_v2`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from bridge.anova import fields
from bridge.anova.fields import JsonObject
from bridge.anova.oven_model import (
    HeatingElements,
    OvenMode,
    Probe,
    StageProgress,
    Steam,
    WaterTank,
)
from bridge.anova.state import Alarms, TimerState

STEAM_MODES = frozenset({"relative-humidity", "steam-percentage"})
ELEMENTS = ("top", "bottom", "rear")


@dataclass(frozen=True)
class Bulbs:
    """The temperature bulbs: which one is active, its reading and setpoint, and both bulbs."""

    mode: str
    current_c: float | None
    target_c: float | None
    dry_c: float | None
    wet_c: float | None


@dataclass(frozen=True)
class TimerReading:
    """The active stage's timer, whether it has run out, and when it will."""

    timer: TimerState
    done: bool = False
    ends_at: datetime | None = None


@dataclass(frozen=True)
class ActiveStage:
    """Where the cook is; ``preheat_done``: the oven itself says the stage is preheated."""

    progress: StageProgress
    preheat_done: bool = False


def celsius(parent: JsonObject, key: str) -> float | None:
    """``parent[key].celsius``, or its ``fahrenheit`` converted when only that is sent."""
    reading = fields.opt_obj(parent, key)
    value = fields.opt_number(reading, "celsius")
    if value is not None:
        return value
    return fields.to_celsius(fields.opt_number(reading, "fahrenheit"), "F")


def bulbs(nodes: JsonObject) -> Bulbs:
    """The bulbs; the active one is ``wet`` in wet mode, else ``dry``."""
    node = fields.opt_obj(nodes, "temperatureBulbs")
    mode = "wet" if (fields.opt_text(node, "mode") or "").lower() == "wet" else "dry"
    active = fields.opt_obj(node, mode)
    return Bulbs(
        mode=mode,
        current_c=celsius(active, "current"),
        target_c=celsius(active, "setpoint"),
        dry_c=celsius(fields.opt_obj(node, "dry"), "current"),
        wet_c=celsius(fields.opt_obj(node, "wet"), "current"),
    )


def steam_on(nodes: JsonObject) -> bool:
    """The steam generators run: a humidity or steam mode whose setpoint is not 0 (off)."""
    node = fields.opt_obj(nodes, "steamGenerators")
    mode = (fields.opt_text(node, "mode") or "").lower()
    if mode not in STEAM_MODES:
        return False
    key = "relativeHumidity" if mode == "relative-humidity" else "steamPercentage"
    setpoint = fields.opt_number(fields.opt_obj(node, key), "setpoint")
    return setpoint is None or setpoint > 0


def oven_mode(bulb_mode: str, nodes: JsonObject) -> OvenMode:
    """Wet bulb → wet; dry bulb with steam on → steam; else dry."""
    if bulb_mode == "wet":
        return OvenMode.WET
    return OvenMode.STEAM if steam_on(nodes) else OvenMode.DRY


def steam(nodes: JsonObject) -> Steam:
    """Humidity and steam readings and setpoints, where reported."""
    node = fields.opt_obj(nodes, "steamGenerators")
    humidity = fields.opt_obj(node, "relativeHumidity")
    percentage = fields.opt_obj(node, "steamPercentage")
    return Steam(
        humidity_percent=fields.opt_number(humidity, "current"),
        humidity_target_percent=fields.opt_number(humidity, "setpoint"),
        steam_percent=fields.opt_number(percentage, "current"),
        steam_target_percent=fields.opt_number(percentage, "setpoint"),
    )


def probe(nodes: JsonObject) -> Probe:
    """The food probe. A setpoint of 0 is "no target" (v2 clears a target by sending 0)."""
    node = fields.opt_obj(nodes, "temperatureProbe")
    target = celsius(node, "setpoint")
    return Probe(
        connected=fields.flag(node, "connected"),
        current_c=celsius(node, "current"),
        target_c=target if target is not None and target > 0 else None,
    )


def elements(nodes: JsonObject, cooking: bool) -> HeatingElements | None:
    """The elements that are on; None when the oven does not say.

    An idle v1 oven keeps ``rear.on: true`` at 0 W after a cook (AK): while
    idle an element counts as on only if it draws power.
    """
    node = fields.opt_obj(nodes, "heatingElements")
    if not node:
        return None
    on = {name: _element_on(fields.opt_obj(node, name), cooking) for name in ELEMENTS}
    return HeatingElements(top=on["top"], bottom=on["bottom"], rear=on["rear"])


def _element_on(node: JsonObject, cooking: bool) -> bool:
    if cooking:
        return fields.flag(node, "on")
    return fields.flag(node, "on") and (fields.opt_number(node, "watts") or 0) > 0


def water_tank(nodes: JsonObject) -> WaterTank:
    """The water tank (both versions) and what only v2 reports: low, removed, the waste tank."""
    tank = fields.opt_obj(nodes, "waterTank")
    waste = fields.opt_obj(nodes, "wasteWaterTank")
    return WaterTank(
        empty=fields.flag(tank, "empty"),
        low=fields.opt_bool(tank, "low"),
        removed=fields.opt_bool(tank, "removed"),
        waste_full=fields.opt_bool(waste, "full"),
    )


def door_closed(nodes: JsonObject) -> bool | None:
    """The door; None when not reported."""
    return fields.opt_bool(fields.opt_obj(nodes, "door"), "closed")


def alarms(nodes: JsonObject, status: JsonObject, system: JsonObject) -> Alarms:
    """The oven's failure and overheat flags as the shared alarms.

    ``failed`` on an element, the fan, the boiler or the evaporator →
    ``device_failure``; ``overheated`` on a dry bulb (top/bottom), the boiler
    or the evaporator, or v2 ``cavityOverheated`` → ``high_temp``;
    ``systemInfo.triacsFailed`` → ``triacs_failed``; v1
    ``userInterfaceCircuit.communicationFailed`` → ``other``. An empty water
    tank is not an alarm (a dry cook needs no water): it is ``water_tank``.
    """
    return Alarms(
        device_failure=any(fields.flag(part, "failed") for part in _failing_parts(nodes)),
        high_temp=fields.flag(status, "cavityOverheated")
        or any(fields.flag(part, "overheated") for part in _heating_parts(nodes)),
        triacs_failed=fields.flag(system, "triacsFailed"),
        other=fields.flag(fields.opt_obj(nodes, "userInterfaceCircuit"), "communicationFailed"),
    )


def _failing_parts(nodes: JsonObject) -> list[JsonObject]:
    heating = fields.opt_obj(nodes, "heatingElements")
    steam_node = fields.opt_obj(nodes, "steamGenerators")
    return [
        *(fields.opt_obj(heating, name) for name in ELEMENTS),
        fields.opt_obj(nodes, "fan"),
        fields.opt_obj(steam_node, "boiler"),
        fields.opt_obj(steam_node, "evaporator"),
    ]


def _heating_parts(nodes: JsonObject) -> list[JsonObject]:
    bulb_node = fields.opt_obj(nodes, "temperatureBulbs")
    steam_node = fields.opt_obj(nodes, "steamGenerators")
    return [
        fields.opt_obj(bulb_node, "dryTop"),
        fields.opt_obj(bulb_node, "dryBottom"),
        fields.opt_obj(steam_node, "boiler"),
        fields.opt_obj(steam_node, "evaporator"),
    ]


def stages_of(cook: JsonObject) -> list[JsonObject]:
    """The cook's stages that are objects (v2 test data may hold placeholders)."""
    raw = cook.get("stages")
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        return []
    return [stage for stage in raw if isinstance(stage, Mapping)]


def active_index(cook: JsonObject, stages: list[JsonObject]) -> int | None:
    """The active stage's position: by ``activeStageId``, else ``activeStageIndex``."""
    active_id = fields.opt_text(cook, "activeStageId")
    for position, stage in enumerate(stages):
        if active_id is not None and fields.opt_text(stage, "id") == active_id:
            return position
    index = fields.opt_int(cook, "activeStageIndex")
    return index if index is not None and 0 <= index < len(stages) else None
