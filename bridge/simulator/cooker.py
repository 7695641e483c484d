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

from bridge.simulator.alarms import HEATER_STOPPING, LOW_WATER, check_alarm
from bridge.simulator.bath import HEATER_WATTS, Bath
from bridge.simulator.identity import Identity, Paired, Shape
from bridge.simulator.sensor import SensorNoise

ENTRY_BAND_C = 0.3
MAX_STEP_S = 1.0
# A cooling bath still evaporates: step it at most a minute at a time while warm.
MAX_WARM_IDLE_STEP_S = 60.0
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


class SimCooker(Paired):
    """A cooker as the fake cloud knows it.

    Args:
        identity: id, name and type from the device list.
        now: simulated epoch seconds at creation (the cooker's boot time).
        volume_l: water volume of its bath.
        room_c: the room's temperature, which the bath starts at and cools towards.
        heater_lag_s: the heater element's time constant (overshoot); 0 for none.
        noise: the probe's noise; None for a perfect probe.
    """

    def __init__(
        self,
        identity: Identity,
        now: float,
        *,
        volume_l: float = 6.0,
        room_c: float = 21.0,
        heater_lag_s: float = 0.0,
        noise: SensorNoise | None = None,
    ) -> None:
        self.identity = identity
        self.bath = Bath(
            heater_w=HEATER_WATTS[identity.type],
            volume_l=volume_l,
            room_c=room_c,
            water_c=room_c,
            lag_s=heater_lag_s,
        )
        self.noise = noise or SensorNoise(0.0, identity.cooker_id)
        self.unit = "C"
        self.setpoint_c = DEFAULT_SETPOINT_C
        self.timer_s = 0
        self.cook: Cook | None = None
        # Gen 2 keeps showing the last job after a stop.
        self.last_cook_id = "none"
        self.alarms: set[str] = set()
        self.plugged = True
        self.processed_ids: deque[str] = deque(maxlen=PROCESSED_IDS_KEPT)
        self.booted_at = now
        self.now = now

    # -- identity -----------------------------------------------------------

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
    def reading_c(self) -> float:
        """What the probe reads now: the water temperature plus the sensor's noise."""
        return self.bath.water_c + self.noise.at(self.now)

    @property
    def low_water(self) -> bool:
        """True while the low-water alarm is raised."""
        return LOW_WATER in self.alarms

    @low_water.setter
    def low_water(self, on: bool) -> None:
        self.set_alarm(LOW_WATER, on)

    def set_alarm(self, name: str, on: bool) -> None:
        """Raise or clear an alarm this generation reports; clearing low water refills.

        Raises:
            ValueError: an alarm this cooker's generation does not report.
        """
        check_alarm(self.shape, name)
        if on:
            self.alarms.add(name)
            if name in HEATER_STOPPING:
                self.bath.power_w = 0.0
            return
        self.alarms.discard(name)
        if name == LOW_WATER:
            self.bath.refill()

    @property
    def cooking(self) -> bool:
        """True while a cook program runs (any phase but idle)."""
        return self.cook is not None

    @property
    def heating(self) -> bool:
        """True while the heater is allowed to work; every fault alarm stops it."""
        return self.cook is not None and not self.alarms & HEATER_STOPPING

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
        """Whole seconds left on the timer (the full length before it starts; 0 without one)."""
        if self.cook is None or self.cook.timer_started_at is None or self.timer_s == 0:
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
            span = self._span(when - self.now)
            self.bath.step(span, self.setpoint_c if self.heating else None)
            self.now += span
            if self.bath.below_min_line and not self.low_water:
                self.low_water = True
            self._check_entry()

    def _span(self, left: float) -> float:
        """How far one physics step may go."""
        if self.heating or not self.bath.settled:
            span = min(left, MAX_STEP_S)
            # Land exactly on the timer's end so the phase flips on time.
            until_end = self.timer_ends_at() - self.now
            return until_end if 0 < until_end < span else span
        if self.bath.water_c > self.bath.room_c + 0.5:
            return min(left, MAX_WARM_IDLE_STEP_S)
        # A settled bath at room temperature neither cools nor evaporates.
        return left

    def _check_entry(self) -> None:
        # The cook stage enters (and the timer starts) once the water is in band.
        cook = self.cook
        if cook is None or cook.timer_started_at is not None or not self.heating:
            return
        # The firmware decides on what its probe reads.
        if abs(self.reading_c - self.setpoint_c) <= ENTRY_BAND_C:
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
            frozenset(self.alarms),
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
            "reading_c": round(self.reading_c, 2),
            "volume_l": round(self.bath.volume_l, 3),
            "setpoint_c": round(self.setpoint_c, 2),
            "unit": self.unit,
            "timer_s": self.timer_s,
            "timer_remaining_s": self.timer_remaining(),
            "low_water": self.low_water,
            "alarms": sorted(self.alarms),
            "plugged": self.plugged,
        }


def make_cookers(
    identities: list[Identity],
    now: float,
    seed: object,
    *,
    volume_l: float,
    room_c: float,
    heater_lag_s: float,
    sensor_noise_c: float,
) -> dict[str, SimCooker]:
    """One cooker per identity, by id, each with its own seeded probe noise."""
    return {
        i.cooker_id: SimCooker(
            i,
            now,
            volume_l=volume_l,
            room_c=room_c,
            heater_lag_s=heater_lag_s,
            noise=SensorNoise(sensor_noise_c, f"{seed}:{i.cooker_id}"),
        )
        for i in identities
    }
