"""What the service keeps per cooker between messages.

The record changes only through its named methods below, so every write
says why it happens (a new state, a value kept for the next start, a cook's
context taken or dropped) and a search for the method finds every writer.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

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
        next_settings: what else the device's kind keeps for the next start
            (an oven's next stage: mode, steam, probe target…); None: nothing.
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
    next_settings: BaseModel | None = None
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

    # ------------------------------------------------------------ intents
    def listed(self, info: CookerInfo) -> None:
        """The cloud's device list named the cooker again (perhaps renamed)."""
        self.info = info

    def use_topic(self, topic_id: str) -> None:
        """The cooker's topics use ``topic_id`` from now on."""
        self.topic_id = topic_id

    def observe(self, state: CookerState) -> CookerState | None:
        """The cooker's newest state; returns the one it replaces."""
        previous, self.state = self.state, state
        return previous

    def keep_target(self, target_c: float) -> None:
        """An idle setpoint, kept for the next start (the cloud would ignore it)."""
        self.stored_target_c = target_c

    def keep_timer(self, timer_s: int) -> None:
        """An idle timer, kept for the next start."""
        self.stored_timer_s = timer_s

    def keep_next_settings(self, settings: BaseModel | None) -> None:
        """The kind's other settings for the next start (an oven's next stage)."""
        self.next_settings = settings

    def keep_next_food(
        self, food_type: str | None, thickness_mm: float | None, fields: tuple[str, ...]
    ) -> None:
        """The next cook's food and thickness; only the ``fields`` named change."""
        if "food_type" in fields:
            self.next_food_type = food_type
        if "thickness_mm" in fields:
            self.next_thickness_mm = thickness_mm

    def start_sent(self) -> None:
        """A start went to the cloud: the kept setpoint, timer and food were used up."""
        self.forget_next_food()
        self.stored_target_c = self.stored_timer_s = None
        self.next_settings = None

    @contextmanager
    def starting_cook(self) -> Iterator[None]:
        """While a start is on its way, states still show the old cook (or none)."""
        self.starting = True
        try:
            yield
        finally:
            self.starting = False

    def hold_context(self, context: CookContext | None, *, watched: bool) -> None:
        """The running cook's safety context is ``context`` now (None: no cook known)."""
        self.context = context
        self.watched = watched

    def watch(self) -> None:
        """The context's cook was seen running without a break."""
        self.watched = True

    def published(self, payload: dict[str, Any]) -> bool:
        """Note the state document just built; False when it is the one last sent."""
        if payload == self.last_state_payload:
            return False
        self.last_state_payload = payload
        return True

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
