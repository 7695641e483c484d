"""Gen 3 state documents (a6, a7, a8, a9) to :class:`CookerState`.

Gen 3 cookers push a structured document: ``state.mode`` says idle, cook or
which alarm; ``cook.activeStageMode`` says whether the bath is still coming
up to temperature (``entering``) or cooking (``running``); ``nodes.timer``
carries the timer as an initial length plus a start timestamp, so the time
left has to be computed against the document's own ``updatedTimestamp``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bridge.anova import fields
from bridge.anova.fields import JsonObject
from bridge.anova.state import Alarms, CookerPhase, CookerState, CookInfo, TimerState

ALARM_MODES = {
    "lowwater": "low_water",
    "waterleak": "water_leak",
    "hightemp": "high_temp",
    "motorstuck": "motor_stuck",
}


def parse_gen3(cooker_id: str, cooker_type: str, doc: JsonObject, now: datetime) -> CookerState:
    """Normalise one gen 3 ``state`` document.

    Args:
        cooker_id: the cooker the event was for.
        cooker_type: its cloud type, kept for commands.
        doc: the ``payload.state`` object.
        now: when the event arrived; used only if the document has no timestamp.

    Raises:
        MalformedStateError: ``state`` or ``nodes`` is missing.
    """
    mode = fields.text(fields.obj(doc, "state"), "mode")
    nodes = fields.obj(doc, "nodes")
    system = fields.opt_obj(doc, "systemInfo")
    updated = fields.opt_timestamp(doc, "updatedTimestamp") or now
    sensor = fields.opt_obj(nodes, "waterTemperatureSensor")
    alarms = _alarms(mode, nodes, system)
    timer_node = fields.opt_obj(nodes, "timer")
    online = fields.opt_bool(system, "online")
    cook = fields.opt_obj(doc, "cook")
    cooking = _cooking(mode, cook)
    phase = _phase(cooking, cook, timer_node, online)
    return CookerState(
        cooker_id=cooker_id,
        type=cooker_type,
        phase=phase,
        current_temperature_c=fields.opt_number(fields.opt_obj(sensor, "current"), "celsius"),
        target_temperature_c=fields.opt_number(fields.opt_obj(sensor, "setpoint"), "celsius"),
        unit=fields.unit_of(fields.opt_text(fields.opt_obj(doc, "state"), "temperatureUnit")),
        timer=_timer(timer_node, updated),
        cook=_cook(cook, timer_node, updated) if cooking else None,
        alarms=alarms,
        firmware=fields.opt_text(system, "firmwareVersion"),
        online=online,
    )


def _cooking(mode: str, cook: JsonObject) -> bool:
    """A cook runs in ``cook`` mode, and under an alarm mode while its ``cook`` is still there."""
    if mode.lower() == "cook":
        return True
    return mode.lower() in ALARM_MODES and fields.opt_text(cook, "cookId") is not None


def _alarms(mode: str, nodes: JsonObject, system: JsonObject) -> Alarms:
    low_water = fields.opt_obj(nodes, "lowWater")
    raised = {ALARM_MODES[mode.lower()]} if mode.lower() in ALARM_MODES else set()
    return Alarms(
        low_water="low_water" in raised
        or fields.flag(low_water, "empty")
        or fields.flag(low_water, "warning"),
        water_leak="water_leak" in raised,
        high_temp="high_temp" in raised,
        motor_stuck="motor_stuck" in raised,
        triacs_failed=fields.flag(system, "triacsFailed"),
    )


def _phase(cooking: bool, cook: JsonObject, timer: JsonObject, online: bool | None) -> CookerPhase:
    if online is False:
        return CookerPhase.OFFLINE
    if not cooking:
        return CookerPhase.IDLE
    if (fields.opt_text(timer, "mode") or "").lower() == "completed":
        return CookerPhase.MAINTAINING
    stage = (fields.opt_text(cook, "activeStageMode") or "").lower()
    return CookerPhase.PREHEATING if stage == "entering" else CookerPhase.COOKING


def _timer(timer: JsonObject, updated: datetime) -> TimerState:
    initial = fields.opt_int(timer, "initial")
    mode = (fields.opt_text(timer, "mode") or "").lower()
    started = fields.opt_timestamp(timer, "startedAtTimestamp")
    remaining: int | None = None
    if initial is not None and mode == "running" and started is not None:
        elapsed = (updated - started).total_seconds()
        remaining = max(0, round(initial - elapsed))
    elif mode == "completed":
        remaining = 0
    elif mode == "idle":
        remaining = initial
    # "paused" carries no elapsed time we can read: remaining stays unknown.
    return TimerState(total_s=initial, remaining_s=remaining, running=mode == "running")


def _cook(cook: JsonObject, timer: JsonObject, updated: datetime) -> CookInfo:
    started = fields.opt_timestamp(cook, "startedTimestamp")
    # The cooker's own clock on both sides, so a restart or a slow push changes nothing.
    in_water = max(0, round((updated - started).total_seconds())) if started else None
    timer_started = fields.opt_timestamp(timer, "startedAtTimestamp")
    initial = fields.opt_int(timer, "initial")
    mode = (fields.opt_text(timer, "mode") or "").lower()
    ends_at = None
    if timer_started is not None and initial and mode in {"running", "completed"}:
        ends_at = timer_started + timedelta(seconds=initial)
    return CookInfo(
        id=fields.opt_text(cook, "cookId"), started_at=started, ends_at=ends_at, in_water_s=in_water
    )
