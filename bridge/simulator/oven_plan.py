"""Oven plans as ``CMD_APO_START`` carries them: read, validated, made runnable.

A v1 plan (anova-oven-api.md §3.1) is a list of typed stages (``preheat``,
``cook``, ``stop``) with both units; a v2 plan (§3.2) has ``entry``/``do``/
``exit`` stages in °C. Both are read into the same :class:`Stage`, the v1
stage's implicit rules written as v2 conditions, so one stage machine
(:mod:`bridge.simulator.oven`) runs both:

- a v1 ``preheat`` stage exits when its bulb reaches the setpoint;
- a v1 timer starts when its stage starts and exits it on ``completed``;
- a v1 probe target exits its stage when the core reaches it;
- a v1 stage with ``userActionRequired`` (not the first one: the START is
  the user's action) adds ``userAction = true`` to the previous stage's exit.

Errors are ``ValueError`` whose text names the stage and the field; the
kind answers them as ``status:"error"``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from bridge.simulator.oven_conditions import (
    PROBE_CURRENT,
    TIMER_MODE,
    USER_ACTION,
    Clause,
    Conditions,
    PlanError,
    all_of,
    bulb_current,
    parse_conditions,
)

MAX_TIMER_S = 359_940
BULB_RANGES_C = {"dry": (25.0, 250.0), "wet": (25.0, 100.0)}
BOTTOM_ONLY_MAX_C = {1: 180.0, 2: 230.0}
PROBE_RANGE_C = (1.0, 100.0)
STAGE_TYPES = ("preheat", "cook", "stop")
STEAM_MODES = {
    "idle": None,
    "relative-humidity": "relativeHumidity",
    "steam-percentage": "steamPercentage",
}
VENT_STATES = ("closed", "open-mid", "open-max")
# Keys the v1 oven leaves out when it echoes a plan in ``cook.stages`` (AK).
V1_ECHO_DROPS = ("stepType", "description", "rackPosition", "timerAdded", "probeAdded")


@dataclass(frozen=True)
class Stage:
    """One stage, as the simulated oven runs it (temperatures in °C)."""

    id: str
    kind: str
    bulb: str
    setpoint_c: float
    elements: frozenset[str]
    fan: int
    vent: str
    steam_mode: str
    steam_setpoint: float
    timer_s: int | None
    probe_c: float | None
    entry: Conditions
    exit: Conditions
    timer_entry: Conditions | None
    echo: dict[str, Any] = field(compare=False)

    @property
    def vent_open(self) -> bool:
        """True unless the vent is closed."""
        return self.vent != "closed"


@dataclass(frozen=True)
class Plan:
    """A validated plan for one oven version."""

    version: int
    cook_id: str
    stages: tuple[Stage, ...]
    cookable_type: str = "manual"
    origin_source: str = "api"


def plan_version(payload: dict[str, Any]) -> int | None:
    """Which version's plan this looks like: 2 with ``do`` stages, 1 with typed ones."""
    stages = payload.get("stages")
    if not isinstance(stages, list) or not stages or not isinstance(stages[0], dict):
        return None
    if "do" in stages[0]:
        return 2
    return 1 if "type" in stages[0] or "temperatureBulbs" in stages[0] else None


def read_plan(payload: dict[str, Any], version: int) -> Plan:
    """Validate a START's inner payload as a plan for an oven of ``version``.

    Raises:
        ValueError: what is wrong, naming the stage and field.
    """
    cook_id = payload.get("cookId")
    if not isinstance(cook_id, str) or not cook_id:
        raise PlanError("cookId must be a non-empty string")
    raw = payload.get("stages")
    if not isinstance(raw, list) or not raw:
        raise PlanError("stages must be a non-empty list")
    if any(not isinstance(stage, dict) for stage in raw):
        raise PlanError("every stage must be an object")
    if version == 1:
        return Plan(1, cook_id, _v1_stages(raw))
    stages = tuple(_v2_stage(stage, f"stage {i + 1}") for i, stage in enumerate(raw))
    return Plan(
        2,
        cook_id,
        stages,
        cookable_type=_word(payload, "cookableType", ("manual", "recipe", "guide"), "manual"),
        origin_source=_word(payload, "originSource", ("android", "ios", "api", "hardware"), "api"),
    )


def v1_refusals(plan: Plan) -> list[str]:
    """The silent-refusal rules (§6.2) a v1 plan breaks; single stages get away with more."""
    stages = plan.stages
    if len(stages) < 2:
        return []
    broken = []
    pairs = list(zip(stages, [*stages[1:], None], strict=True))
    if any(s.kind == "preheat" and (n is None or s.id != f"{n.id}-preheat") for s, n in pairs):
        broken.append("unpaired_preheat")
    if any(s.kind == "preheat" and n is not None and n.bulb == "wet" for s, n in pairs):
        broken.append("preheat_before_wet")
    if any(s.bulb == "wet" and s.fan < 100 for s in stages):
        broken.append("wet_fan_below_100")
    return broken


# -- v1 --------------------------------------------------------------------------


def _v1_stages(raw: list[dict[str, Any]]) -> tuple[Stage, ...]:
    waits = [i > 0 and raw[i].get("userActionRequired") is True for i in range(len(raw))]
    stages = []
    for index, stage in enumerate(raw):
        wait_next = index + 1 < len(raw) and waits[index + 1]
        stages.append(_v1_stage(stage, f"stage {index + 1}", wait_next=wait_next))
    return tuple(stages)


def _v1_stage(raw: dict[str, Any], where: str, *, wait_next: bool) -> Stage:
    _string(raw.get("id"), f"{where}: id")
    kind = raw.get("type")
    if kind not in STAGE_TYPES:
        raise PlanError(f"{where}: type must be one of {', '.join(STAGE_TYPES)}")
    if not isinstance(raw.get("userActionRequired"), bool):
        raise PlanError(f"{where}: userActionRequired must be true or false")
    bulb, setpoint = _bulbs(raw.get("temperatureBulbs"), where, both_units=True)
    elements = _elements(raw.get("heatingElements"), where, bulb, setpoint, version=1)
    vent = raw.get("vent")
    if not isinstance(vent, dict) or not isinstance(vent.get("open"), bool):
        raise PlanError(f"{where}: vent.open must be true or false")
    _rack(raw.get("rackPosition"), where)
    timer_s, probe_c = _timer_or_probe(raw.get("timer"), raw.get("temperatureProbe"), where, True)
    clauses: list[Clause] = []
    if kind == "preheat":
        clauses.append(Clause(bulb_current(bulb), ">=", setpoint))
    elif timer_s is not None:
        clauses.append(Clause(TIMER_MODE, "=", "completed"))
    elif probe_c is not None:
        clauses.append(Clause(PROBE_CURRENT, ">=", probe_c))
    if wait_next:
        clauses.append(Clause(USER_ACTION, "=", True))
    steam_mode, steam_setpoint = _steam(raw.get("steamGenerators"), where, bulb)
    return Stage(
        id=raw["id"],
        kind=kind,
        bulb=bulb,
        setpoint_c=setpoint,
        elements=elements,
        fan=100 if kind == "preheat" else _fan(raw.get("fan"), where),
        vent="open-max" if vent["open"] else "closed",
        steam_mode=steam_mode,
        steam_setpoint=steam_setpoint,
        timer_s=timer_s,
        probe_c=probe_c,
        entry=Conditions(),
        exit=all_of(*clauses),
        timer_entry=None,
        echo=_v1_echo(raw, kind),
    )


def _v1_echo(raw: dict[str, Any], kind: str) -> dict[str, Any]:
    echo = {key: value for key, value in raw.items() if key not in V1_ECHO_DROPS}
    echo.setdefault("title", "")
    if kind == "preheat":
        echo["fan"] = {"speed": 100}  # a preheat echoes fan 100 whatever was sent (AK)
    return echo


# -- v2 --------------------------------------------------------------------------


def _v2_stage(raw: dict[str, Any], where: str) -> Stage:
    _string(raw.get("id"), f"{where}: id")
    do = raw.get("do")
    if not isinstance(do, dict):
        raise PlanError(f"{where}: do must be an object")
    kind = do.get("type")
    if kind not in ("cook", "stop"):
        raise PlanError(f"{where}: do.type must be cook or stop")
    _rack(raw.get("rackPosition"), where)
    bulb, setpoint = _bulbs(do.get("temperatureBulbs"), where, both_units=False)
    elements = _elements(do.get("heatingElements"), where, bulb, setpoint, version=2)
    timer_s, probe_c = _timer_or_probe(do.get("timer"), do.get("temperatureProbe"), where, False)
    timer = do.get("timer")
    timer_entry = None
    if isinstance(timer, dict) and timer.get("entry") is not None:
        timer_entry = parse_conditions(timer["entry"], f"{where}: do.timer.entry")
    steam_mode, steam_setpoint = _steam(do.get("steamGenerators"), where, bulb)
    return Stage(
        id=raw["id"],
        kind=kind,
        bulb=bulb,
        setpoint_c=setpoint,
        elements=elements,
        fan=_fan(do.get("fan"), where),
        vent=_exhaust_vent(do.get("exhaustVent"), where),
        steam_mode=steam_mode,
        steam_setpoint=steam_setpoint,
        timer_s=timer_s,
        probe_c=probe_c,
        entry=parse_conditions(raw.get("entry"), f"{where}: entry"),
        exit=parse_conditions(raw.get("exit"), f"{where}: exit"),
        timer_entry=timer_entry,
        echo=raw,
    )


def _exhaust_vent(raw: Any, where: str) -> str:
    if raw is None:
        return "closed"
    if not isinstance(raw, dict) or raw.get("state") not in VENT_STATES:
        raise PlanError(f"{where}: exhaustVent.state must be one of {', '.join(VENT_STATES)}")
    return str(raw["state"])


# -- shared field readers ---------------------------------------------------------


def _number(value: Any, where: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise PlanError(f"{where} must be a number")
    if not low <= value <= high:
        raise PlanError(f"{where} must be between {low:g} and {high:g}")
    return float(value)


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise PlanError(f"{where} must be a non-empty string")
    return value


def _word(payload: dict[str, Any], key: str, allowed: tuple[str, ...], default: str) -> str:
    value = payload.get(key, default)
    if value not in allowed:
        raise PlanError(f"{key} must be one of {', '.join(allowed)}")
    return str(value)


def _setpoint(raw: Any, where: str, low: float, high: float, *, both_units: bool) -> float:
    if not isinstance(raw, dict) or not isinstance(raw.get("setpoint"), dict):
        raise PlanError(f"{where}.setpoint must be an object")
    setpoint = raw["setpoint"]
    celsius = _number(setpoint.get("celsius"), f"{where}.setpoint.celsius", low, high)
    if both_units:
        # v1 wants both units; which wins if they disagree is unknown: °C here.
        _number(setpoint.get("fahrenheit"), f"{where}.setpoint.fahrenheit", -500, 1000)
    return celsius


def _bulbs(raw: Any, where: str, *, both_units: bool) -> tuple[str, float]:
    if not isinstance(raw, dict) or raw.get("mode") not in BULB_RANGES_C:
        raise PlanError(f"{where}: temperatureBulbs.mode must be dry or wet")
    bulb = str(raw["mode"])
    low, high = BULB_RANGES_C[bulb]
    where_bulb = f"{where}: temperatureBulbs.{bulb}"
    return bulb, _setpoint(raw.get(bulb), where_bulb, low, high, both_units=both_units)


def _elements(raw: Any, where: str, bulb: str, setpoint: float, version: int) -> frozenset[str]:
    names = ("top", "bottom", "rear")
    if not isinstance(raw, dict):
        raise PlanError(f"{where}: heatingElements must be an object")
    on = set()
    for name in names:
        element = raw.get(name)
        if not isinstance(element, dict) or not isinstance(element.get("on"), bool):
            raise PlanError(f"{where}: heatingElements.{name}.on must be true or false")
        if element["on"]:
            on.add(name)
    if not on or len(on) == len(names):
        raise PlanError(f"{where}: heatingElements needs at least one element, not all three")
    if on == {"bottom"} and bulb == "dry" and setpoint > BOTTOM_ONLY_MAX_C[version]:
        limit = BOTTOM_ONLY_MAX_C[version]
        raise PlanError(f"{where}: the bottom element alone reaches {limit:g} °C")
    return frozenset(on)


def _fan(raw: Any, where: str) -> int:
    if not isinstance(raw, dict):
        raise PlanError(f"{where}: fan must be an object")
    speed = _number(raw.get("speed"), f"{where}: fan.speed", 0, 100)
    return round(speed)


def _rack(raw: Any, where: str) -> None:
    if raw is not None:
        _number(raw, f"{where}: rackPosition", 1, 5)


def _timer_or_probe(
    timer: Any, probe: Any, where: str, both_units: bool
) -> tuple[int | None, float | None]:
    timer_s = None
    if timer is not None:
        if not isinstance(timer, dict):
            raise PlanError(f"{where}: timer must be an object")
        initial = _number(timer.get("initial"), f"{where}: timer.initial", 0, MAX_TIMER_S)
        timer_s = int(initial)
    probe_c = None
    if probe is not None:
        low, high = PROBE_RANGE_C
        probe_c = _setpoint(probe, f"{where}: temperatureProbe", low, high, both_units=both_units)
    if timer_s is not None and probe_c is not None:
        raise PlanError(f"{where}: a stage has a timer or a probe target, not both")
    return timer_s, probe_c


def _steam(raw: Any, where: str, bulb: str) -> tuple[str, float]:
    if raw is None:
        # Sous vide in the oven is the wet bulb in saturated air.
        return ("relative-humidity", 100.0) if bulb == "wet" else ("idle", 0.0)
    if not isinstance(raw, dict) or raw.get("mode") not in STEAM_MODES:
        raise PlanError(f"{where}: steamGenerators.mode must be one of {', '.join(STEAM_MODES)}")
    mode = str(raw["mode"])
    key = STEAM_MODES[mode]
    if key is None:
        return mode, 0.0
    block = raw.get(key)
    if not isinstance(block, dict):
        raise PlanError(f"{where}: steamGenerators.{key} must be an object")
    return mode, _number(block.get("setpoint"), f"{where}: steamGenerators.{key}.setpoint", 0, 100)
