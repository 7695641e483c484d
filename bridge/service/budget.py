"""Watches each running cook's 4-hour budget below 54.4 °C (rule 3) and says when it ends.

Checked on every state of a cooking cooker and on the periodic republish,
against the cook's time in the water (:func:`~bridge.service.cookcontext.in_water_s`).
Each event is published once per cook: the context remembers it, across
restarts too.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bridge.contract import TemperatureUnit
from bridge.errors import BridgeError, ErrorCode
from bridge.kinds import KINDS
from bridge.logs import get_logger
from bridge.safety.budget import BudgetStage, budget_stage, ending_message, spent_message
from bridge.safety.report import SafetyPolicy
from bridge.safety.rules import MAX_UNPASTEURIZED_TIMER_S
from bridge.service.cookcontext import CookContext, in_water_s
from bridge.service.cooker import CookerRecord
from bridge.service.events import CookEvent
from bridge.service.payloads import utc_now
from bridge.settings import Settings

log = get_logger("budget")

BUDGET_ENDING = "low_temp_budget_ending"
BUDGET_SPENT = "low_temp_budget_spent"


@dataclass
class BudgetVerdict:
    """What to do about one cooker's budget now."""

    events: list[CookEvent] = field(default_factory=list)
    stop: bool = False
    context_changed: bool = False


def watch_budget(
    cooker: CookerRecord, now: datetime, policy: SafetyPolicy, unit: TemperatureUnit
) -> BudgetVerdict:
    """The events due for ``cooker``'s running cook, and whether ``strict`` must stop it."""
    context, state = cooker.context, cooker.state
    if policy is SafetyPolicy.OFF or context is None or state is None or not state.is_cooking:
        return BudgetVerdict()
    used = in_water_s(context, state, now)
    target = state.target_temperature_c
    stage = budget_stage(target, used)
    if stage in {BudgetStage.NOT_APPLICABLE, BudgetStage.RUNNING} or target is None:
        return BudgetVerdict()
    strict = policy is SafetyPolicy.STRICT
    verdict = BudgetVerdict(stop=stage is BudgetStage.SPENT and strict)
    if stage is BudgetStage.ENDING and not context.budget_warned:
        context.budget_warned = verdict.context_changed = True
        message = ending_message(target, used, unit, place=_place(cooker))
        verdict.events.append(_event(BUDGET_ENDING, context, used, message))
    if stage is BudgetStage.SPENT and not context.budget_spent:
        context.budget_warned = context.budget_spent = verdict.context_changed = True
        message = spent_message(target, used, unit, stopped=strict, place=_place(cooker))
        event = _event(BUDGET_SPENT, context, used, message)
        event.details["action"] = "stopped" if strict else "none"
        verdict.events.append(event)
    return verdict


def _place(cooker: CookerRecord) -> str:
    """Where the device's kind keeps the food, for the messages."""
    return KINDS.named(cooker.info.kind).safety.food_place


def _event(name: str, context: CookContext, used: int, message: str) -> CookEvent:
    return CookEvent(
        name,
        context.cook_id,
        {
            "rule": 3,
            "code": ErrorCode.LOW_TEMP_TIME_UNSAFE.value,
            "in_water_s": used,
            "limit_s": MAX_UNPASTEURIZED_TIMER_S,
            "message": message,
        },
    )


class BudgetGuard:
    """Publishes the budget events and, under ``strict``, stops a cook whose budget is spent.

    Args:
        settings: the bridge's settings (policy and publishing unit).
        publish: publishes one event for a cooker.
        save: persists the contexts (the events' once-only marks live there).
        stop: stops a cooker's cook in the cloud.
        spawn: runs a coroutine as a task the service waits for at shutdown.
        clock: the current time.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        publish: Callable[[CookerRecord, CookEvent], None],
        save: Callable[[], None],
        stop: Callable[[str], Awaitable[object]],
        spawn: Callable[[Coroutine[Any, Any, None]], None],
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._settings = settings
        self._publish = publish
        self._save = save
        self._stop = stop
        self._spawn = spawn
        self._clock = clock
        self._stopping: set[str] = set()

    def check(self, cooker: CookerRecord) -> None:
        """Act on ``cooker``'s budget now (called on its states and periodically)."""
        policy = SafetyPolicy(self._settings.safety.policy)
        verdict = watch_budget(cooker, self._clock(), policy, self._settings.units)
        for event in verdict.events:
            self._publish(cooker, event)
        if verdict.context_changed:
            self._save()
        if verdict.stop and cooker.cooker_id not in self._stopping:
            self._stopping.add(cooker.cooker_id)
            self._spawn(self._stop_cook(cooker.cooker_id))

    async def _stop_cook(self, cooker_id: str) -> None:
        """Stop it; on failure the next state or republish tries again."""
        log.warning("low_temp_budget_spent_stopping_cook", cooker_id=cooker_id)
        try:
            await self._stop(cooker_id)
        except BridgeError as err:
            log.warning("budget_stop_failed", cooker_id=cooker_id, code=err.code.value)
        finally:
            self._stopping.discard(cooker_id)
