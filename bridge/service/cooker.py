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
