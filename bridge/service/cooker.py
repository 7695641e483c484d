"""What the service keeps per cooker between messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bridge.anova.device import CookerInfo
from bridge.anova.state import CookerPhase, CookerState
from bridge.service.cookcontext import CookContext
from bridge.service.lane import CommandLane
from bridge.service.ratelimit import TokenBucket


@dataclass
class CookerRecord:
    """A cooker as the service sees it: identity, latest state, and idle settings.

    Attributes:
        info: id, name and type from the cloud's device list.
        topic_id: the ``<id>`` in its MQTT topics.
        state: the latest normalised state, None until the first one.
        stored_target_c: setpoint set while idle, used by the next start.
        stored_timer_s: timer set while idle, used by the next start.
        next_food_type: the food given for the next cook (``set_food``), used
            by a start that names none; cleared when a cook starts or ends.
            A start that takes it makes it part of that cook's context.
        next_thickness_mm: the next cook's thickness, likewise.
        context: the running cook's safety context (food, thickness, start…),
            persisted so every later change to the cook is checked against it.
        watched: the bridge has seen the context's cook run without a break
            since the context was made or loaded (matters for cooks without id).
        starting: a start is on its way to the cloud; states until it lands
            still show the old cook (or none) and must not end the new context.
        last_state_payload: the last state document published (minus timestamp).
    """

    info: CookerInfo
    topic_id: str
    lane: CommandLane
    bucket: TokenBucket
    state: CookerState | None = None
    stored_target_c: float | None = None
    stored_timer_s: int | None = None
    next_food_type: str | None = None
    next_thickness_mm: float | None = None
    context: CookContext | None = None
    watched: bool = False
    starting: bool = False
    last_state_payload: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def cooker_id(self) -> str:
        """The cloud's id of this cooker."""
        return self.info.cooker_id

    @property
    def food_type(self) -> str | None:
        """What the running cook was started for, if the bridge knows."""
        return self.context.food_type if self.context is not None else None

    @property
    def thickness_mm(self) -> float | None:
        """The running cook's thickness, if its start command gave one."""
        return self.context.thickness_mm if self.context is not None else None

    @property
    def online(self) -> bool:
        """Heard from recently (the client turns silence into an OFFLINE state)."""
        return self.state is not None and self.state.phase is not CookerPhase.OFFLINE

    @property
    def cooking(self) -> bool:
        """A cook is running."""
        return self.state is not None and self.state.is_cooking

    @property
    def shown_food(self) -> tuple[str | None, float | None]:
        """The food and thickness to show: the running cook's, else the next cook's."""
        if self.cooking:
            return self.food_type, self.thickness_mm
        return self.next_food_type, self.next_thickness_mm

    def cook_ended(self) -> None:
        """Forget any food chosen for the next cook that the ended cook did not take.

        The ended cook's own food lives in its context, which
        :class:`~bridge.service.contexts.CookContexts` drops once the cooker
        shows the cook has ended (not when it merely goes offline).
        """
        self.forget_next_food()

    def forget_next_food(self) -> None:
        """A cook started (a start through the bridge has already taken the food)."""
        self.next_food_type = self.next_thickness_mm = None
