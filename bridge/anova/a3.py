"""Original Wi-Fi cooker (a3) states to :class:`CookerState`.

The a3 pushes a flat camelCase object with temperatures in its display unit
(``"c"``/``"f"``). The shape and stage names follow a push recorded from a
real device (anova-api.md, "Events"): ``firmwareVersion``, ``isCooking``,
``currentJob.jobStage`` in lower case: ``none``, ``connected``,
``disconnected``, ``heating`` (preheating), ``cooking``, ``keeping_warm``
(the timer is done and the bath is held), ``reconnecting``. Home Assistant
users report ``currentJob`` or ``jobStage`` being ``null`` on some pushes;
those read as "stage unknown", never as a crash. A running cook whose stage
is unknown or not one of the cook stages reads as cooking.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bridge.anova import fields
from bridge.anova.fields import JsonObject, MalformedStateError
from bridge.anova.state import Alarms, CookerPhase, CookerState, CookInfo, TimerState

# Recorded lower-case stage names; the upper-case gen 2 words are accepted too.
STAGE_PHASES = {
    "heating": CookerPhase.PREHEATING,
    "preheating": CookerPhase.PREHEATING,
    "cooking": CookerPhase.COOKING,
    "keeping_warm": CookerPhase.MAINTAINING,
    "maintaining": CookerPhase.MAINTAINING,
    "timer expired": CookerPhase.MAINTAINING,
}


def parse_a3(cooker_id: str, cooker_type: str, doc: JsonObject, now: datetime) -> CookerState:
    """Normalise one a3 ``state`` object.

    Args:
        cooker_id: the cooker the event was for.
        cooker_type: its cloud type, kept for commands.
        doc: the ``payload.state`` object.
        now: when the event arrived, to place the timer's end in wall time.

    Raises:
        MalformedStateError: ``isCooking`` is missing.
    """
    if not isinstance(doc.get("isCooking"), bool):
        raise MalformedStateError("'isCooking' must be a bool")
    job = fields.opt_obj(doc, "currentJob")
    unit = fields.unit_of(fields.opt_text(doc, "unit") or fields.opt_text(job, "tempUnit"))
    phase = a3_phase(doc, job)
    timer = _timer(doc, job, phase)
    target = fields.opt_number(doc, "targetTemperature")
    if target is None:
        target = fields.opt_number(job, "targetTemperature")
    return CookerState(
        cooker_id=cooker_id,
        type=cooker_type,
        phase=phase,
        current_temperature_c=fields.to_celsius(fields.opt_number(doc, "currentTemperature"), unit),
        target_temperature_c=fields.to_celsius(target, unit),
        unit=unit,
        timer=timer,
        cook=_cook(doc, timer, now) if phase is not CookerPhase.IDLE else None,
        firmware=fields.opt_text(doc, "firmwareVersion"),
        alarms=Alarms(other=bool(fields.opt_bool(doc, "isAlarmActive"))),
    )


def a3_phase(doc: JsonObject, job: JsonObject) -> CookerPhase:
    """The cook phase from ``isCooking``, the job stage and ``isKeepingWarm``."""
    if not doc["isCooking"]:
        return CookerPhase.IDLE
    if fields.opt_bool(doc, "isKeepingWarm"):
        return CookerPhase.MAINTAINING
    stage = (fields.opt_text(job, "jobStage") or "").strip().lower()
    return STAGE_PHASES.get(stage, CookerPhase.COOKING)


def _timer(doc: JsonObject, job: JsonObject, phase: CookerPhase) -> TimerState:
    total = fields.opt_int(job, "timerLength")
    remaining = fields.opt_int(doc, "timerInSeconds")
    if phase is CookerPhase.MAINTAINING:
        return TimerState(total_s=total, remaining_s=0)
    running = fields.opt_bool(doc, "isTimerRunning")
    if running is None:  # older pushes without the flag: a cook stage with a timer runs it
        running = phase is CookerPhase.COOKING and bool(total)
    return TimerState(total_s=total, remaining_s=remaining, running=running)


def _cook(doc: JsonObject, timer: TimerState, now: datetime) -> CookInfo:
    ends_at = None
    if timer.running and timer.remaining_s is not None:
        ends_at = now + timedelta(seconds=timer.remaining_s)
    return CookInfo(id=fields.opt_text(doc, "currentJobID"), ends_at=ends_at)
