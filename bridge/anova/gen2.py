"""Gen 2 states (a4, a5, pro) to :class:`CookerState`.

Gen 2 cookers push kebab-case keys. Temperatures are in the unit named by
``job.temperature-unit``, so everything is converted to °C here. After the
timer runs out ``cook-time-remaining`` counts *up* (time spent holding), so
it is only read as "time left" while the timer is actually counting down.
Start times are device systicks, not wall time: ``started_at`` stays unknown
and ``ends_at`` is derived from the time left when the event arrived.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bridge.anova import fields
from bridge.anova.fields import JsonObject
from bridge.anova.state import Alarms, CookerPhase, CookerState, CookInfo, TimerState

# Job modes that replace COOK while an alarm is raised; the job itself goes on.
ALARM_JOB_MODES = {"LOW WATER", "HIGH TEMP", "DEVICE FAILURE"}
TIMED_STATES = {"COOKING", "MAINTAINING", "TIMER EXPIRED"}
STATUS_PHASES = {
    "PREHEATING": CookerPhase.PREHEATING,
    "COOKING": CookerPhase.COOKING,
    "MAINTAINING": CookerPhase.MAINTAINING,
    "TIMER EXPIRED": CookerPhase.MAINTAINING,
}


def parse_gen2(cooker_id: str, cooker_type: str, doc: JsonObject, now: datetime) -> CookerState:
    """Normalise one gen 2 ``state`` object.

    Args:
        cooker_id: the cooker the event was for.
        cooker_type: its cloud type, kept for commands.
        doc: the ``payload.state`` object.
        now: when the event arrived, to place the timer's end in wall time.

    Raises:
        MalformedStateError: ``job`` or ``job-status`` is missing.
    """
    job = fields.obj(doc, "job")
    status = fields.obj(doc, "job-status")
    job_mode = (fields.opt_text(job, "mode") or "").upper()
    unit = fields.unit_of(fields.opt_text(job, "temperature-unit"))
    temps = fields.opt_obj(doc, "temperature-info")
    alarms = _alarms(job_mode, fields.opt_obj(doc, "pin-info"))
    phase = _phase(job_mode, (fields.opt_text(status, "state") or "").upper())
    timer = _timer(job, status, phase)
    return CookerState(
        cooker_id=cooker_id,
        type=cooker_type,
        phase=phase,
        current_temperature_c=_celsius(temps, "water-temperature", unit),
        target_temperature_c=_celsius(job, "target-temperature", unit),
        heater_temperature_c=_celsius(temps, "heater-temperature", unit),
        triac_temperature_c=_celsius(temps, "triac-temperature", unit),
        unit=unit,
        timer=timer,
        cook=_cook(job, status, timer, now) if phase is not CookerPhase.IDLE else None,
        alarms=alarms,
        firmware=fields.opt_text(fields.opt_obj(doc, "system-info-3220"), "firmware-version"),
    )


def _celsius(parent: JsonObject, key: str, unit: str | None) -> float | None:
    return fields.to_celsius(fields.opt_number(parent, key), unit)


def _alarms(job_mode: str, pins: JsonObject) -> Alarms:
    return Alarms(
        low_water=job_mode == "LOW WATER"
        or fields.flag(pins, "water-level-low")
        or fields.flag(pins, "water-level-critical"),
        water_leak=fields.flag(pins, "water-leak"),
        high_temp=job_mode == "HIGH TEMP" or fields.flag(pins, "water-temp-too-high"),
        device_failure=job_mode == "DEVICE FAILURE",
    )


def _phase(job_mode: str, status: str) -> CookerPhase:
    if job_mode == "COOK":
        # A cook whose status we cannot read is still a cook: call it cooking.
        return STATUS_PHASES.get(status, CookerPhase.COOKING)
    if job_mode in ALARM_JOB_MODES:
        # The alarm's job mode hides COOK, but the job status still names
        # the cook's phase while the job goes on; empty means no cook.
        return STATUS_PHASES.get(status, CookerPhase.IDLE)
    return CookerPhase.IDLE


def _timer(job: JsonObject, status: JsonObject, phase: CookerPhase) -> TimerState:
    total = fields.opt_int(job, "cook-time-seconds")
    remaining = fields.opt_int(status, "cook-time-remaining")
    if phase is CookerPhase.MAINTAINING:
        return TimerState(total_s=total, remaining_s=0, running=False)
    if phase is CookerPhase.COOKING:
        running = bool(total)
        return TimerState(total_s=total, remaining_s=remaining, running=running)
    if phase is CookerPhase.PREHEATING:
        return TimerState(total_s=total, remaining_s=remaining if remaining else total)
    return TimerState(total_s=total, remaining_s=None, running=False)


def _cook(job: JsonObject, status: JsonObject, timer: TimerState, now: datetime) -> CookInfo:
    ends_at = None
    if timer.running and timer.remaining_s is not None:
        ends_at = now + timedelta(seconds=timer.remaining_s)
    return CookInfo(
        id=fields.opt_text(job, "id"), ends_at=ends_at, in_water_s=_in_water(job, status)
    )


def _in_water(job: JsonObject, status: JsonObject) -> int | None:
    """Time since the job started, from the cooker's own counters.

    Systicks are seconds since boot: the job started at ``job-start-systick``
    and its timer last (re)started at ``state-change-systick``. From then on
    ``cook-time-remaining`` counts down the timer and, once it has run out,
    counts *up* the time spent maintaining. Preheating has no counter, so
    during it this says nothing (None).
    """
    state = (fields.opt_text(status, "state") or "").upper()
    job_start = fields.opt_int(status, "job-start-systick")
    timer_start = fields.opt_int(status, "state-change-systick")
    counter = fields.opt_int(status, "cook-time-remaining") or 0
    total = fields.opt_int(job, "cook-time-seconds") or 0
    if job_start is None or timer_start is None or state not in TIMED_STATES:
        return None
    on_timer = total - counter if state == "COOKING" else total + counter
    return max(0, timer_start - job_start) + max(0, on_timer)
