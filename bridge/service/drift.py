"""Changes made to a running cook outside the bridge, checked against its context.

A setpoint or timer changed on the cooker, in Anova's app or by a voice
assistant talking to Anova never passes through the bridge, so it cannot be
refused. It is still checked against the cook's food and time in the water,
and a change that breaks a rule is announced (``cook_change_unsafe``) with
the rule's code and message, so an automation or a person can act on it.
"""

from __future__ import annotations

from datetime import datetime

from bridge.errors import CommandError
from bridge.kinds import KINDS
from bridge.safety.kind import RunningCook
from bridge.service.cookcontext import awaiting_new_cook, in_water_s
from bridge.service.cooker import CookerRecord
from bridge.service.events import CookEvent
from bridge.settings import SafetySettings

UNSAFE_CHANGE = "cook_change_unsafe"
SAME_TARGET_C = 0.1  # a unit round trip (°F on gen 2) moves a setpoint by ~0.01 °C


def outside_change(
    cooker: CookerRecord, safety: SafetySettings, now: datetime
) -> tuple[bool, CookEvent | None]:
    """Whether the cook's setpoint or timer changed outside the bridge, and the event if unsafe.

    The context takes the new values either way, so one change is reported once.
    """
    context, state = cooker.context, cooker.state
    if context is None or state is None or not state.is_cooking or cooker.starting:
        return False, None
    if awaiting_new_cook(context, state) or (
        context.cook_id is None and state.cook and state.cook.id
    ):
        return False, None
    target, timer = state.target_temperature_c, state.timer.total_s or 0
    same_target = target is None or (
        context.target_c is not None and abs(target - context.target_c) <= SAME_TARGET_C
    )
    if same_target and timer == context.timer_s:
        return False, None
    context.target_c, context.timer_s = target, timer
    if target is None or safety.policy == "off":
        return True, None
    return True, _unsafe(cooker, target, timer, safety, now)


def _unsafe(
    cooker: CookerRecord, target: float, timer: int, safety: SafetySettings, now: datetime
) -> CookEvent | None:
    context, state = cooker.context, cooker.state
    assert context is not None
    assert state is not None
    try:
        KINDS.named(cooker.info.kind).safety.check_cook(
            RunningCook(
                temperature_c=target,
                timer_s=timer,
                cooker_type=cooker.info.type,
                food_type=context.food_type,
                thickness_mm=context.thickness_mm,
                in_water_s=in_water_s(context, state, now),
                timer_left_s=state.timer.remaining_s if timer else 0,
            ),
            settings=safety.model_copy(update={"policy": "strict"}),
        )
    except CommandError as err:
        details = {"code": err.code.value, "message": err.message, "target_temperature_c": target}
        return CookEvent(UNSAFE_CHANGE, context.cook_id, details)
    return None
