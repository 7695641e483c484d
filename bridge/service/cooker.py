"""What the service keeps per cooker between messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bridge.anova.device import CookerInfo
from bridge.anova.state import CookerPhase, CookerState
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
        food_type: what the running cook was started for (for re-checks).
        thickness_mm: the running cook's thickness, if the command gave one.
        next_food_type: the food given for the next cook (``set_food``), used
            by a start that names none; cleared when a cook starts or ends.
        next_thickness_mm: the next cook's thickness, likewise.
        last_state_payload: the last state document published (minus timestamp).
    """

    info: CookerInfo
    topic_id: str
    lane: CommandLane
    bucket: TokenBucket
    state: CookerState | None = None
    stored_target_c: float | None = None
    stored_timer_s: int | None = None
    food_type: str | None = None
    thickness_mm: float | None = None
    next_food_type: str | None = None
    next_thickness_mm: float | None = None
    last_state_payload: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def cooker_id(self) -> str:
        """The cloud's id of this cooker."""
        return self.info.cooker_id

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
        """Forget the ended cook's food, and any food chosen for it that it did not take."""
        self.food_type = self.thickness_mm = None
        self.forget_next_food()

    def forget_next_food(self) -> None:
        """A cook started (a start through the bridge has already taken the food)."""
        self.next_food_type = self.next_thickness_mm = None
