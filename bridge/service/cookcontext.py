"""A running cook's safety context: what it was accepted for, for its whole life.

The food-safety checks apply to the cook, not to one message
(docs/food-safety.md): the food, thickness and start of a running cook are
part of it, and every later change to that cook is checked against them.
The context is made when the bridge starts a cook (or first sees one it did
not start), persisted by :mod:`bridge.service.contextstore`, and dropped when
the cooker shows the cook has ended or that a different cook runs.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from bridge.anova.state import CookerPhase, CookerState

# An id-less cook (a3) is the same cook after a restart if its setpoint is the one last accepted.
SAME_SETPOINT_C = 0.05


class CookContext(BaseModel):
    """What one running cook was accepted with.

    Attributes:
        cooker_id: the cooker it runs on.
        cook_id: the cooker's id for the cook; None until a state shows it,
            and for ever on cookers that give none (a3).
        replaced_cook_id: the cook a ``replace`` start took over from, which
            must never be mistaken for this one while its state lingers.
        food_type: the food as the start command gave it; None when unknown
            (a cook started on the cooker or in Anova's app).
        thickness_mm: the thickness the start command gave, if any.
        started_at: when the bridge started the cook, or first saw it.
        target_c: the setpoint last accepted for this cook.
        timer_s: the timer last accepted for this cook (0: none).
        warnings: the findings the cook was accepted with.
        carried_s: time the food was already in the water before a ``replace``.
        origin: ``bridge`` when the bridge started it, ``cooker`` when it found it running.
        budget_warned: the 30-minute warning of the 4-hour budget was published.
        budget_spent: the end of the 4-hour budget was published (and acted on).
        plan_json: the whole plan as the bridge sent it, for a kind that runs
            plans (an oven's ``OvenPlan`` as JSON), so a change to the
            running cook can send the rest of it again, after a restart too.
    """

    model_config = ConfigDict(extra="ignore")

    cooker_id: str
    cook_id: str | None = None
    replaced_cook_id: str | None = None
    food_type: str | None = None
    thickness_mm: float | None = None
    started_at: datetime
    target_c: float | None = None
    timer_s: int = 0
    warnings: list[str] = Field(default_factory=list)
    carried_s: int = 0
    origin: str = "bridge"
    budget_warned: bool = False
    budget_spent: bool = False
    plan_json: str | None = None

    @classmethod
    def observed(cls, state: CookerState, now: datetime) -> CookContext:
        """A cook the bridge did not start: its food is unknown, so rules 1–3 apply."""
        cook = state.cook
        return cls(
            cooker_id=state.cooker_id,
            cook_id=cook.id if cook is not None else None,
            started_at=now,
            target_c=state.target_temperature_c,
            timer_s=state.timer.total_s or 0,
            origin="cooker",
        )


def shows_no_cook(state: CookerState) -> bool:
    """The cooker is heard from and says no cook runs: a context ends here.

    An offline cooker says nothing about its cook, so it ends nothing.
    """
    return state.phase is not CookerPhase.OFFLINE and not state.is_cooking


def belongs_to(context: CookContext, state: CookerState, *, continuous: bool) -> bool:
    """Whether ``state``'s running cook is the one ``context`` was made for.

    With a cook id on both sides the ids decide. A context still waiting
    for its id takes the first id that is not the replaced cook's. Without
    an id (a3) the cook is the same while the bridge has watched it run
    without a break (``continuous``); after a restart only if its setpoint
    is still the one last accepted, so a cook started elsewhere at another
    setpoint never inherits it.
    """
    cook_id = state.cook.id if state.cook is not None else None
    if cook_id is not None:
        if context.cook_id is not None:
            return cook_id == context.cook_id
        return True
    if continuous:
        return True
    target = state.target_temperature_c
    return (
        target is not None
        and context.target_c is not None
        and abs(target - context.target_c) <= SAME_SETPOINT_C
    )


def bind(context: CookContext, state: CookerState) -> bool:
    """Give a context waiting for its cook the id the state shows; True when it changed."""
    cook_id = state.cook.id if state.cook is not None else None
    if context.cook_id is not None or cook_id is None or cook_id == context.replaced_cook_id:
        return False
    context.cook_id = cook_id
    return True


def awaiting_new_cook(context: CookContext, state: CookerState) -> bool:
    """The state still shows the cook a ``replace`` is taking over from."""
    cook_id = state.cook.id if state.cook is not None else None
    return context.cook_id is None and cook_id is not None and cook_id == context.replaced_cook_id


def in_water_s(context: CookContext, state: CookerState | None, now: datetime) -> int:
    """How long this cook's food has been in the water: the 4-hour budget's count.

    The cooker's own report (gen 3's ``startedTimestamp`` against its
    ``updatedTimestamp``, gen 2's counters) survives restarts and follows
    the cooker's clock; the bridge's own clock since it started (or first
    saw) the cook covers what the cooker does not say, such as gen 2's
    preheat. Both can only under-count, so the larger is taken, plus the
    time carried over from a cook this one replaced.
    """
    wall = max(0, round((now - context.started_at).total_seconds()))
    device = state.cook.in_water_s if state is not None and state.cook is not None else None
    return context.carried_s + max(wall, device or 0)
