"""Original Wi-Fi cooker (a3) states to :class:`CookerState`.

The a3 pushes a flat camelCase object with temperatures in its display unit
(``"c"``/``"f"``). Its job stage names are not documented anywhere we trust
(docs/anova-cloud.md, uncertainties), so stages are matched loosely and an
unknown stage of a running cook reads as cooking.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bridge.anova import fields
from bridge.anova.fields import JsonObject, MalformedStateError
from bridge.anova.state import CookerPhase, CookerState, CookInfo, TimerState


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
    unit = fields.unit_of(fields.opt_text(doc, "unit"))
    job = fields.opt_obj(doc, "currentJob")
    phase = _phase(doc["isCooking"], fields.opt_text(job, "jobStage"))
    timer = _timer(doc, job, phase)
    return CookerState(
        cooker_id=cooker_id,
        type=cooker_type,
        phase=phase,
        current_temperature_c=fields.to_celsius(fields.opt_number(doc, "currentTemperature"), unit),
        target_temperature_c=fields.to_celsius(fields.opt_number(doc, "targetTemperature"), unit),
        unit=unit,
        timer=timer,
        cook=_cook(timer, now) if phase is not CookerPhase.IDLE else None,
    )


def _phase(cooking: bool, stage: str | None) -> CookerPhase:
    if not cooking:
        return CookerPhase.IDLE
    stage = (stage or "").lower()
    if "preheat" in stage:
        return CookerPhase.PREHEATING
    if "maintain" in stage or "expired" in stage or "done" in stage:
        return CookerPhase.MAINTAINING
    return CookerPhase.COOKING


def _timer(doc: JsonObject, job: JsonObject, phase: CookerPhase) -> TimerState:
    total = fields.opt_int(job, "timerLength")
    remaining = fields.opt_int(doc, "timerInSeconds")
    if phase is CookerPhase.MAINTAINING:
        return TimerState(total_s=total, remaining_s=0)
    running = phase is CookerPhase.COOKING and bool(total)
    return TimerState(total_s=total, remaining_s=remaining, running=running)


def _cook(timer: TimerState, now: datetime) -> CookInfo:
    ends_at = None
    if timer.running and timer.remaining_s is not None:
        ends_at = now + timedelta(seconds=timer.remaining_s)
    return CookInfo(ends_at=ends_at)
