"""One simulated cooker: its cook program, timer, alarms and bath.

The cooker is a small state machine driven by cloud commands and by its
bath's temperature::

    idle ──START──► preheating ──water within ±0.3 °C──► cooking
      ▲                                                   │ timer runs out
      └──────────────STOP (from any phase)───────────── maintaining

A timer of 0 means "no timer": the cook stays in ``cooking`` for ever. All
times are simulated epoch seconds from :class:`~bridge.simulator.clock.SimClock`;
the cooker only learns the time through :meth:`SimCooker.step_to`, so its
documents are always consistent with its physics.
"""

from __future__ import annotations

import uuid
from collections import deque
from dataclasses import dataclass
from typing import Any

from bridge.simulator.bath import HEATER_WATTS, Bath
from bridge.simulator.identity import Identity, Shape

ENTRY_BAND_C = 0.3
MAX_STEP_S = 1.0
DEFAULT_SETPOINT_C = 60.0
PROCESSED_IDS_KEPT = 10
# Idle cookers push when the water has drifted this far since the last push.
IDLE_PUSH_DRIFT_C = 1.0

IDLE = "idle"
PREHEATING = "preheating"
COOKING = "cooking"
MAINTAINING = "maintaining"


@dataclass
class Cook:
    """One running cook program."""

    cook_id: str
    started_at: float
    timer_started_at: float | None = None


class SimCooker:
    """A cooker as the fake cloud knows it.

    Args:
        identity: id, name and type from the device list.
        now: simulated epoch seconds at creation (the cooker's boot time).
        volume_l: water volume of its bath.
    """

    def __init__(self, identity: Identity, now: float, *, volume_l: float = 6.0) -> None:
        self.identity = identity
        self.bath = Bath(heater_w=HEATER_WATTS[identity.type], volume_l=volume_l)
        self.unit = "C"
        self.setpoint_c = DEFAULT_SETPOINT_C
        self.timer_s = 0
        self.cook: Cook | None = None
        # Gen 2 keeps showing the last job after a stop.
        self.last_cook_id = "none"
        self.low_water = False
        self.plugged = True
        self.processed_ids: deque[str] = deque(maxlen=PROCESSED_IDS_KEPT)
        self.booted_at = now
        self.now = now

    # -- identity -----------------------------------------------------------

    @property
    def cooker_id(self) -> str:
        """The cloud's id for this cooker."""
        return self.identity.cooker_id

    @property
    def name(self) -> str:
        """The name shown in the device list."""
        return self.identity.name

    @property
    def type(self) -> str:
        """The cloud ``type`` commands must carry (the type trap)."""
        return self.identity.type

    @property
    def shape(self) -> Shape:
        """Which state document family this cooker pushes."""
        return self.identity.shape

    # -- observable state ---------------------------------------------------

    @property
    def water_c(self) -> float:
        """Current water temperature in °C."""
        return self.bath.water_c

    @water_c.setter
    def water_c(self, value: float) -> None:
        # Lets a test or the demo start from a warm bath without waiting.
        self.bath.water_c = value

    @property
    def cooking(self) -> bool:
        """True while a cook program runs (any phase but idle)."""
        return self.cook is not None

    @property
    def heating(self) -> bool:
        """True while the heater is allowed to work; low water stops it."""
        return self.cook is not None and not self.low_water

    @property
    def phase(self) -> str:
        """``idle``, ``preheating``, ``cooking`` or ``maintaining``."""
        if self.cook is None:
            return IDLE
        if self.cook.timer_started_at is None:
            return PREHEATING
        if self.timer_s == 0 or self.now < self.timer_ends_at():
            return COOKING
        return MAINTAINING

    def timer_ends_at(self) -> float:
        """When the running timer runs out; infinity when it is not running."""
        if self.cook is None or self.cook.timer_started_at is None or self.timer_s == 0:
            return float("inf")
        return self.cook.timer_started_at + self.timer_s

    def timer_remaining(self) -> int:
        """Whole seconds left on the timer (the full length before it starts)."""
        if self.cook is None or self.cook.timer_started_at is None:
            return self.timer_s
        return max(0, round(self.timer_ends_at() - self.now))

    def maintaining_for(self) -> int:
        """Whole seconds since the timer ran out (gen 2 counts these up)."""
        return max(0, round(self.now - self.timer_ends_at())) if self.timer_s else 0

    # -- commands -----------------------------------------------------------

    def start(self, setpoint_c: float, unit: str, timer_s: int) -> None:
        """Begin a new cook, replacing any running one."""
        self.setpoint_c = setpoint_c
        self.unit = unit
        self.timer_s = timer_s
        self.cook = Cook(cook_id=str(uuid.uuid4()), started_at=self.now)
        self.last_cook_id = self.cook.cook_id
        self._check_entry()

    def stop(self) -> None:
        """End the cook; the heater goes off and the water starts cooling."""
        self.cook = None
        self.bath.power_w = 0.0

    def set_unit(self, unit: str) -> None:
        """Change the display unit; gen 2 then reports temperatures in it."""
        self.unit = unit

    def set_target(self, setpoint_c: float) -> bool:
        """Change the setpoint of a running cook; idle cookers ignore it (the idle trap)."""
        if self.cook is None:
            return False
        self.setpoint_c = setpoint_c
        self._check_entry()
        return True

    def set_timer(self, timer_s: int) -> None:
        """Set the timer length; a running or finished timer restarts from now."""
        self.timer_s = timer_s
        if self.cook is not None and self.cook.timer_started_at is not None:
            self.cook.timer_started_at = self.now

    # -- time ---------------------------------------------------------------

    def step_to(self, when: float) -> None:
        """Run the bath and the cook program forward to simulated time ``when``."""
        while self.now < when:
            span = when - self.now
            if self.heating:
                span = min(span, MAX_STEP_S)
                # Land exactly on the timer's end so the phase flips on time.
                until_end = self.timer_ends_at() - self.now
                if 0 < until_end < span:
                    span = until_end
            # An off heater has an exact solution: any span is one step.
            self.bath.step(span, self.setpoint_c if self.heating else None)
            self.now += span
            self._check_entry()

    def _check_entry(self) -> None:
        # The cook stage enters (and the timer starts) once the water is in band.
        cook = self.cook
        if cook is None or cook.timer_started_at is not None or self.low_water:
            return
        if abs(self.bath.water_c - self.setpoint_c) <= ENTRY_BAND_C:
            cook.timer_started_at = self.now

    # -- change detection ---------------------------------------------------

    def signature(self) -> tuple[Any, ...]:
        """What, if changed, is worth an immediate push (not the drifting water)."""
        cook = self.cook
        return (
            self.phase,
            round(self.setpoint_c, 2),
            self.unit,
            self.timer_s,
            self.low_water,
            cook.cook_id if cook else None,
            cook.timer_started_at if cook else None,
            tuple(self.processed_ids),
        )

    def summary(self) -> dict[str, Any]:
        """A flat description for the control surface and logs."""
        return {
            "cooker_id": self.cooker_id,
            "name": self.name,
            "type": self.type,
            "phase": self.phase,
            "cooking": self.cooking,
            "water_c": round(self.water_c, 2),
            "setpoint_c": round(self.setpoint_c, 2),
            "unit": self.unit,
            "timer_s": self.timer_s,
            "timer_remaining_s": self.timer_remaining(),
            "low_water": self.low_water,
            "plugged": self.plugged,
        }
