"""One simulated Precision Oven: its cavity, its plan and the stage machine.

A started plan runs stage by stage (anova-oven-api.md §6.3–6.6)::

    entering ──entry holds──► running ──exit holds──► next stage … ──last──► idle
                                 │ exit holds but for userAction
                                 └──► waiting for the panel (stageTransitionPendingUserAction)

A stage heats from the moment it is entered (that is its preheat); its
timer starts when the stage runs, or when ``do.timer.entry`` holds. An
empty exit runs until stopped; a ``stop`` stage ends the cook. When the
cook ends the oven goes idle without ``cook`` and keeps its last setpoints
for display (§6.6). Time reaches the oven only through :meth:`SimOven.step_to`.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

from bridge.simulator.cavity import IDLE_DRIVE, Cavity, Drive
from bridge.simulator.identity import Identity, Paired
from bridge.simulator.oven_conditions import (
    PROBE_CONNECTED,
    PROBE_CURRENT,
    TIMER_MODE,
    USER_ACTION,
    bulb_current,
)
from bridge.simulator.oven_plan import Plan, Stage

PROCESSED_IDS_KEPT = 10
MAX_STEP_S = 1.0
IDLE_STEP_S = 10.0
VERSIONS = {"oven_v1": 1, "oven_v2": 2}


@dataclass
class Run:
    """The cook in progress: its plan and where it is."""

    plan: Plan
    started_at: float
    index: int = 0
    stage_started_at: float = 0.0
    running: bool = False
    timer_started_at: float | None = None
    user_action: bool = False

    @property
    def stage(self) -> Stage:
        """The active stage."""
        return self.plan.stages[self.index]


@dataclass
class LastSettings:
    """What the oven keeps showing after a cook (stale setpoints, §6.6)."""

    bulb: str = "dry"
    setpoint_c: float | None = None
    elements: frozenset[str] = frozenset()
    vent: str = "closed"
    probe_c: float | None = None


class SimOven(Paired):
    """A Precision Oven as the fake cloud knows it.

    Args:
        identity: id, name and type (``oven_v1``/``oven_v2``) from the device list.
        now: simulated epoch seconds at creation (its boot).
        room_c: the kitchen's temperature, which the cavity starts at.
    """

    def __init__(self, identity: Identity, now: float, *, room_c: float = 21.0) -> None:
        self.identity = identity
        self.version = VERSIONS[identity.type]
        self.cavity = Cavity(room_c=room_c, dry_c=room_c, wet_c=room_c)
        self.unit = "C"
        self.run: Run | None = None
        self.last = LastSettings()
        self.processed_ids: deque[str] = deque(maxlen=PROCESSED_IDS_KEPT)
        # A v2 oven sent a v1 plan errors out until it is power-cycled (§6.1).
        self.bricked = False
        self.connected_at = now
        self.disconnected_at = now - 60.0
        self.now = now

    # -- status ---------------------------------------------------------------

    @property
    def plugged(self) -> bool:
        """True while the oven talks to the cloud (not bricked)."""
        return not self.bricked

    # -- observable state -----------------------------------------------------

    @property
    def cooking(self) -> bool:
        """True while a plan runs."""
        return self.run is not None

    @property
    def mode(self) -> str:
        """``idle`` or ``cook``."""
        return "idle" if self.run is None else "cook"

    @property
    def pending_user_action(self) -> bool:
        """True when the stage would end but for a press on the panel."""
        run = self.run
        if run is None or not run.running or run.user_action:
            return False
        exit_ = run.stage.exit
        return exit_.mentions(USER_ACTION) and exit_.without(USER_ACTION).holds(self.values())

    def timer_mode(self) -> str:
        """``idle``, ``running`` or ``completed`` (v1 never says ``completed``)."""
        run = self.run
        if run is None or run.stage.timer_s is None or run.timer_started_at is None:
            return "idle"
        if self.now >= run.timer_started_at + run.stage.timer_s:
            return "completed" if self.version == 2 else "running"
        return "running"

    def timer_elapsed(self) -> int:
        """Whole seconds the timer has run, at most its length (v1's ``current``)."""
        run = self.run
        if run is None or run.stage.timer_s is None or run.timer_started_at is None:
            return 0
        return min(run.stage.timer_s, int(self.now - run.timer_started_at))

    def values(self) -> dict[str, Any]:
        """What stage conditions test, by path."""
        cavity = self.cavity
        return {
            bulb_current("dry"): cavity.dry_c,
            bulb_current("wet"): cavity.wet_c,
            PROBE_CONNECTED: cavity.probe_inserted,
            PROBE_CURRENT: cavity.probe_c if cavity.probe_inserted else None,
            TIMER_MODE: "completed" if self._timer_done() else self.timer_mode(),
            USER_ACTION: self.run.user_action if self.run else False,
            "nodes.door.closed": not cavity.door_open,
            "nodes.waterTank.empty": cavity.tank_empty,
            # No camera: food counts as inside while the probe is in it.
            "nodes.cavityCamera.isEmpty": not cavity.probe_inserted,
        }

    def drive(self) -> Drive:
        """What the active stage asks of the cavity; idle asks nothing."""
        if self.run is None:
            return IDLE_DRIVE
        stage = self.run.stage
        return Drive(
            setpoint_c=stage.setpoint_c,
            bulb=stage.bulb,
            elements=stage.elements,
            steam_mode=stage.steam_mode,
            steam_setpoint=stage.steam_setpoint,
            vent_open=stage.vent_open,
        )

    # -- commands and hooks ---------------------------------------------------

    def start(self, plan: Plan) -> None:
        """Run ``plan`` from its first stage, replacing any cook."""
        self.run = Run(plan=plan, started_at=self.now)
        self._enter(0)
        self._advance_stages()

    def stop(self) -> None:
        """End the cook; the last setpoints stay on show."""
        self.run = None

    def set_unit(self, unit: str) -> None:
        """Change the display unit only (§6.9)."""
        self.unit = unit

    def press_panel(self) -> bool:
        """The user presses start on the panel; False when nothing waits for it."""
        run = self.run
        if run is None:
            return False
        stage = run.stage
        timer_waits = (
            stage.timer_entry is not None
            and stage.timer_entry.mentions(USER_ACTION)
            and run.timer_started_at is None
        )
        if not (self.pending_user_action or timer_waits):
            return False
        run.user_action = True
        self._advance_stages()
        return True

    def power_cycle(self) -> None:
        """Unplug and plug back: the error clears, the cook is gone, the cavity keeps its heat."""
        self.bricked = False
        self.run = None
        self.disconnected_at = self.now
        self.connected_at = self.now

    # -- time -------------------------------------------------------------------

    def step_to(self, when: float) -> None:
        """Run the cavity and the stage machine forward to simulated time ``when``."""
        while self.now < when:
            span = self._span(when - self.now)
            self.cavity.step(span, self.drive())
            self.now += span
            self._advance_stages()

    def recheck(self) -> None:
        """Move the stages on now if a hook just made their conditions hold."""
        self._advance_stages()

    def _span(self, left: float) -> float:
        if self.run is None:
            return left if self.cavity.settled else min(left, IDLE_STEP_S)
        span = min(left, MAX_STEP_S)
        run = self.run
        if run.timer_started_at is not None and run.stage.timer_s is not None:
            # Land exactly on the timer's end so the stage ends on time.
            until_end = run.timer_started_at + run.stage.timer_s - self.now
            return until_end if 0 < until_end < span else span
        return span

    def _timer_done(self) -> bool:
        run = self.run
        if run is None or run.stage.timer_s is None or run.timer_started_at is None:
            return False
        return self.now >= run.timer_started_at + run.stage.timer_s

    def _advance_stages(self) -> None:
        # Several transitions may fall on one instant (an empty entry, a 0 s timer).
        for _ in range(len(self.run.plan.stages) + 1 if self.run else 0):
            run = self.run
            if run is None or not self._step_stage(run):
                return

    def _step_stage(self, run: Run) -> bool:
        """Move the active stage on where its conditions allow; True if the stage changed."""
        stage = run.stage
        if not run.running:
            if not stage.entry.holds(self.values()):
                return False
            run.running = True
        timer_waits = stage.timer_s is not None and run.timer_started_at is None
        if timer_waits and (stage.timer_entry is None or stage.timer_entry.holds(self.values())):
            run.timer_started_at = self.now
        if stage.exit.empty or not stage.exit.holds(self.values()):
            return False
        self._enter(run.index + 1)
        return True

    def _enter(self, index: int) -> None:
        run = self.run
        assert run is not None
        stages = run.plan.stages
        if index >= len(stages) or stages[index].kind == "stop":
            self.run = None
            return
        run.index = index
        run.stage_started_at = self.now
        run.running = False
        run.timer_started_at = None
        run.user_action = False
        stage = stages[index]
        self.last = LastSettings(
            stage.bulb, stage.setpoint_c, stage.elements, stage.vent, stage.probe_c
        )

    # -- change detection ---------------------------------------------------------

    def signature(self) -> tuple[Any, ...]:
        """What, if changed, is worth an immediate push (not the drifting temperatures)."""
        run = self.run
        cavity = self.cavity
        return (
            self.mode,
            self.unit,
            run.plan.cook_id if run else None,
            run.index if run else None,
            run.running if run else None,
            run.timer_started_at if run else None,
            self.timer_mode(),
            self.pending_user_action,
            tuple(self.processed_ids),
            cavity.door_open,
            cavity.tank_empty,
            cavity.tank_low,
            cavity.tank_removed,
            cavity.probe_inserted,
            self.bricked,
        )

    def summary(self) -> dict[str, Any]:
        """A flat description for the control surface and logs."""
        run = self.run
        cavity = self.cavity
        return {
            "cooker_id": self.cooker_id,
            "name": self.name,
            "type": self.type,
            "mode": self.mode,
            "stage_index": run.index if run else None,
            "stage_id": run.stage.id if run else None,
            "stage_running": run.running if run else None,
            "pending_user_action": self.pending_user_action,
            "timer_mode": self.timer_mode(),
            "dry_c": round(cavity.dry_c, 2),
            "wet_c": round(cavity.wet_c, 2),
            "relative_humidity": round(cavity.rh, 1),
            "probe_inserted": cavity.probe_inserted,
            "probe_c": round(cavity.probe_c, 2) if cavity.probe_inserted else None,
            "door_open": cavity.door_open,
            "water_tank": tank_state(cavity),
            "unit": self.unit,
            "bricked": self.bricked,
        }


def tank_state(cavity: Cavity) -> str:
    """``removed``, ``empty``, ``low`` or ``full`` (enough water)."""
    if cavity.tank_removed:
        return "removed"
    if cavity.tank_empty:
        return "empty"
    return "low" if cavity.tank_low else "full"


def make_ovens(identities: list[Identity], now: float, *, room_c: float) -> dict[str, SimOven]:
    """One oven per identity, by id."""
    return {i.cooker_id: SimOven(i, now, room_c=room_c) for i in identities}
