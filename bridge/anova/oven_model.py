"""What an Anova Precision Oven is told and what it reports, typed once for both versions.

An oven cook is a list of stages (``anova-oven-api.md`` §3). The bridge
builds one :class:`OvenPlan` from a user's command, checks it for food
safety, and only the cloud facet turns it into the v1 or v2 wire shape, by
the oven's type; the two versions' state events are read into one
:class:`OvenState`. Temperatures are °C throughout, as for the cookers.

:class:`OvenState` extends :class:`~bridge.anova.state.CookerState`: the
parts every device shares (phase, the active bulb's temperature and
setpoint, the timer, the cook, alarms, firmware, online) keep their meaning,
so liveness, availability and the cook's context work for ovens unchanged;
what only an oven has (bulbs, steam, probe, door, tank, stages) is added.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from bridge.anova.state import CookerState

OVEN_V1 = "oven_v1"
OVEN_V2 = "oven_v2"
OVEN_TYPES = frozenset({OVEN_V1, OVEN_V2})
OVEN_MODEL_NAMES = {OVEN_V1: "Precision Oven", OVEN_V2: "Precision Oven 2.0"}


class OvenMode(StrEnum):
    """How a stage heats, as users name it.

    ``dry``: the dry bulb, no steam. ``steam``: the dry bulb with steam
    (``steam_percent``). ``wet``: the wet bulb (sous vide in the oven): the
    cavity is held at 100 % relative humidity and the setpoint is the wet
    bulb's.
    """

    DRY = "dry"
    STEAM = "steam"
    WET = "wet"


class TimerStart(StrEnum):
    """When a stage's timer starts (the app's three choices)."""

    IMMEDIATELY = "immediately"
    WHEN_PREHEATED = "when_preheated"
    MANUAL = "manual"


class HeatingElements(BaseModel):
    """Which heating elements a stage uses (at least one, not all three)."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    top: bool = False
    bottom: bool = False
    rear: bool = True

    def names(self) -> list[str]:
        """The elements that are on, in a stable order."""
        return [name for name in ("top", "bottom", "rear") if getattr(self, name)]


class OvenStage(BaseModel):
    """One stage of a plan, in °C.

    Attributes:
        mode: dry, steam or wet (see :class:`OvenMode`).
        temperature_c: the dry-bulb setpoint, or the wet bulb's in ``wet`` mode.
        steam_percent: steam for ``steam`` mode (1–100); None otherwise.
        elements: the heating elements.
        fan_speed: 0–100.
        timer_s: the stage ends when this timer runs out; None: no timer.
        probe_c: the stage ends when the probe's core reaches this; None: no probe.
            A stage has a timer or a probe target or neither (it then runs
            until stopped, or until the user moves on), never both.
        timer_start: when the timer starts; ignored without a timer.
        preheat: heat the cavity to the setpoint before the stage's timer or
            probe counts (v1 sends a preheat stage; v2 an entry condition).
        rack_position: 1–5, for the app's display only; None: not said.
        title: a name to show, if the user gave one.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    mode: OvenMode
    temperature_c: float
    steam_percent: int | None = None
    elements: HeatingElements = HeatingElements()
    fan_speed: int = 100
    timer_s: int | None = None
    probe_c: float | None = None
    timer_start: TimerStart = TimerStart.WHEN_PREHEATED
    preheat: bool = True
    rack_position: int | None = None
    title: str | None = None


class OvenPlan(BaseModel):
    """A whole cook: its stages in order, and what is cooked (for the safety rules)."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    stages: tuple[OvenStage, ...] = Field(min_length=1)
    food_type: str | None = None
    thickness_mm: float | None = None


class StageKind(StrEnum):
    """What the active stage is doing: a v1 preheat stage, or a cook stage."""

    PREHEAT = "preheat"
    COOK = "cook"


class StageProgress(BaseModel):
    """Where the running cook is in its plan.

    Attributes:
        number: 1-based position of the active stage among the user's stages
            (a v1 preheat stage counts with the stage it heats for).
        count: how many user stages the plan has.
        kind: preheat or cook.
        awaiting_user: the stage waits for the panel (or ``START_STAGE``).
    """

    model_config = ConfigDict(frozen=True)

    number: int
    count: int
    kind: StageKind = StageKind.COOK
    awaiting_user: bool = False


class Probe(BaseModel):
    """The food probe: plugged in or not, its core temperature and target."""

    model_config = ConfigDict(frozen=True)

    connected: bool = False
    current_c: float | None = None
    target_c: float | None = None


class Steam(BaseModel):
    """The steam generators: mode as users name it, and humidity or steam percentage."""

    model_config = ConfigDict(frozen=True)

    humidity_percent: float | None = None
    humidity_target_percent: float | None = None
    steam_percent: float | None = None
    steam_target_percent: float | None = None


class WaterTank(BaseModel):
    """The water tank (v2 adds low, removed and the waste tank)."""

    model_config = ConfigDict(frozen=True)

    empty: bool = False
    low: bool | None = None
    removed: bool | None = None
    waste_full: bool | None = None


class OvenState(CookerState):
    """An oven's normalised state, both versions.

    The shared fields mean for an oven: ``current_temperature_c`` and
    ``target_temperature_c`` are the active bulb's (dry, or wet in ``wet``
    mode); ``phase`` is preheating until the active stage's bulb first
    reaches its setpoint, then cooking; ``timer`` is the active stage's.

    Attributes:
        version: 1 or 2, from the state itself (``state.version``).
        mode: the active stage's mode; None while idle.
        dry_bulb_c: the dry bulb's temperature.
        wet_bulb_c: the wet bulb's temperature.
        steam: humidity and steam readings.
        probe: the food probe.
        elements: the heating elements that are on.
        fan_speed: 0–100 (v2's words read as 0/33/66/100).
        door_closed: the door; None when not reported.
        water_tank: the water tanks.
        lamp_on: the cavity lamp (v2: door or cavity lamp).
        stage: the running cook's stage; None while idle.
        preheated: the active stage's bulb has reached its setpoint.
        timer_done: the active stage's timer has run out.
        processed_command_ids: the last request ids the oven applied.
        updated_at: when the oven stamped this state (``updatedTimestamp``).
    """

    version: int = 1
    mode: OvenMode | None = None
    dry_bulb_c: float | None = None
    wet_bulb_c: float | None = None
    steam: Steam = Steam()
    probe: Probe = Probe()
    elements: HeatingElements | None = None
    fan_speed: int | None = None
    door_closed: bool | None = None
    water_tank: WaterTank = WaterTank()
    lamp_on: bool | None = None
    stage: StageProgress | None = None
    preheated: bool = False
    timer_done: bool = False
    processed_command_ids: tuple[str, ...] = ()
    updated_at: datetime | None = None
