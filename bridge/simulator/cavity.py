"""The inside of a simulated Precision Oven: air, steam, water tank and food probe.

Lumped first-order models, each integrated exactly over a step during which
its inputs are held constant (as :mod:`bridge.simulator.bath` does), so a
step of a second is accurate and stable at any power:

- **Dry bulb.** ``C·dT/dt = P − k·(T − T_room)`` with ``C`` =
  :data:`HEAT_CAPACITY_J_PER_K` and ``k`` = :data:`LOSS_W_PER_K`, plus
  :data:`DOOR_LOSS_W_PER_K` while the door is open and
  :data:`VENT_LOSS_W_PER_K` while the vent is. ``P`` comes from the
  elements that are on, each at most its rating (:data:`ELEMENT_WATTS`,
  anova-oven-api.md §4: top 1600, rear 1600, bottom 700), shared out by a
  proportional controller with a feed-forward term. The thermostat aims
  :data:`HOLD_MARGIN_C` above the setpoint so that a "current ≥ setpoint"
  gate (v1 preheat, v2 entry) trips, as a real oven's overshoot makes it.
- **Relative humidity.** First order towards the steam setpoint while steam
  runs (and the tank has water), towards :data:`AMBIENT_RH` otherwise;
  much faster with the door open.
- **Wet bulb.** First order (:data:`WET_BULB_TAU_S`) towards a simple
  psychrometric stand-in: the dry bulb at 100 % RH, lower in drier air,
  never above boiling.
- **Water tank.** Seconds of full steam left; steam drains it at its duty
  (setpoint ÷ 100); at zero it is empty and the steam stops.
- **Probe.** The food's core follows the dry bulb as a first-order lag
  (:data:`PROBE_TAU_S`).

Nothing here knows about stages, plans or JSON: :class:`Drive` says what the
oven asks of the cavity, :meth:`Cavity.step` runs it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

ROOM_C = 21.0
BOILING_C = 100.0
HEAT_CAPACITY_J_PER_K = 6000.0
LOSS_W_PER_K = 3.5
DOOR_LOSS_W_PER_K = 20.0
VENT_LOSS_W_PER_K = 1.0
CONTROLLER_GAIN_W_PER_K = 300.0
HOLD_MARGIN_C = 0.5
ELEMENT_WATTS: dict[str, float] = {"top": 1600.0, "rear": 1600.0, "bottom": 700.0}
AMBIENT_RH = 35.0
STEAM_RH_TAU_S = 120.0
DRY_RH_TAU_S = 600.0
DOOR_RH_TAU_S = 20.0
WET_BULB_TAU_S = 90.0
PROBE_TAU_S = 900.0
# A full tank gives three hours of steam at 100 %.
TANK_FULL_STEAM_S = 3 * 3600.0
TANK_LOW_SHARE = 0.15
FRIDGE_C = 5.0

DRY = "dry"
WET = "wet"
STEAM_IDLE = "idle"


@dataclass(frozen=True)
class Drive:
    """What the oven asks of its cavity during one step.

    Attributes:
        setpoint_c: the thermostat's target; None when the oven is idle.
        bulb: ``dry`` or ``wet``: which bulb the setpoint is for.
        elements: the elements switched on.
        steam_mode: ``idle``, ``relative-humidity`` or ``steam-percentage``.
        steam_setpoint: the humidity or steam percentage asked for.
        vent_open: the vent (v1) or exhaust vent (v2) is open.
    """

    setpoint_c: float | None = None
    bulb: str = DRY
    elements: frozenset[str] = frozenset()
    steam_mode: str = STEAM_IDLE
    steam_setpoint: float = 0.0
    vent_open: bool = False

    @property
    def steam_duty(self) -> float:
        """The share of full steam asked for (0–1)."""
        if self.setpoint_c is None or self.steam_mode == STEAM_IDLE:
            return 0.0
        return min(max(self.steam_setpoint / 100.0, 0.0), 1.0)


IDLE_DRIVE = Drive()


def wet_bulb_target(dry_c: float, rh: float, room_c: float) -> float:
    """Where the wet bulb settles: the dry bulb in saturated air, lower in dry air."""
    share = 0.35 + 0.65 * min(max(rh, 0.0), 100.0) / 100.0
    return min(BOILING_C, room_c + (dry_c - room_c) * share)


def relax(value: float, target: float, seconds: float, tau_s: float) -> float:
    """A first-order lag of ``value`` towards ``target`` over ``seconds``, exactly."""
    return target + (value - target) * math.exp(-seconds / tau_s)


@dataclass
class Cavity:
    """The oven's air, steam, water and probe.

    Attributes:
        room_c: the kitchen's temperature.
        dry_c: dry-bulb temperature.
        wet_c: wet-bulb temperature.
        rh: relative humidity in %.
        door_open: the door is open (heat and humidity escape).
        tank_s: seconds of full steam left in the water tank.
        tank_removed: the tank is out of the oven (no steam).
        probe_inserted: the food probe is plugged in.
        probe_c: the food's core temperature (meaningful while inserted).
        element_w: watts each element delivered during the last step.
    """

    room_c: float = ROOM_C
    dry_c: float = ROOM_C
    wet_c: float = ROOM_C
    rh: float = AMBIENT_RH
    door_open: bool = False
    tank_s: float = TANK_FULL_STEAM_S
    tank_removed: bool = False
    probe_inserted: bool = False
    probe_c: float = FRIDGE_C
    element_w: dict[str, float] = field(default_factory=lambda: dict.fromkeys(ELEMENT_WATTS, 0.0))

    @property
    def loss_w_per_k(self) -> float:
        """Heat lost per kelvin above room temperature, by what is open."""
        return LOSS_W_PER_K + (DOOR_LOSS_W_PER_K if self.door_open else 0.0)

    @property
    def tank_empty(self) -> bool:
        """No steam left (or no tank)."""
        return self.tank_removed or self.tank_s <= 0.0

    @property
    def tank_low(self) -> bool:
        """Under :data:`TANK_LOW_SHARE` of a full tank."""
        return self.tank_s < TANK_LOW_SHARE * TANK_FULL_STEAM_S

    @property
    def power_w(self) -> float:
        """Total watts the elements delivered during the last step."""
        return sum(self.element_w.values())

    def element_watts(self, drive: Drive) -> dict[str, float]:
        """What each element draws at this instant under ``drive`` (what the state shows)."""
        power = self.heater_power(drive, self._loss(drive))
        rated = sum(ELEMENT_WATTS[name] for name in drive.elements)
        return {
            name: power * rating / rated if name in drive.elements else 0.0
            for name, rating in ELEMENT_WATTS.items()
        }

    def _loss(self, drive: Drive) -> float:
        return self.loss_w_per_k + (VENT_LOSS_W_PER_K if drive.vent_open else 0.0)

    def steaming(self, drive: Drive) -> bool:
        """True when the steam generators can do what ``drive`` asks."""
        return drive.steam_duty > 0 and not self.tank_empty

    def heater_power(self, drive: Drive, loss_w_per_k: float) -> float:
        """Watts the thermostat asks for (feed-forward plus proportional), within the elements."""
        available = sum(ELEMENT_WATTS[name] for name in drive.elements)
        if drive.setpoint_c is None or available == 0:
            return 0.0
        target = drive.setpoint_c + HOLD_MARGIN_C
        wanted = loss_w_per_k * (target - self.room_c)
        wanted += CONTROLLER_GAIN_W_PER_K * (target - self.dry_c)
        return min(max(wanted, 0.0), available)

    def step(self, seconds: float, drive: Drive) -> None:
        """Advance the cavity by ``seconds`` with the inputs of ``drive`` held.

        Keep steps at or under a second while the thermostat works, so it
        reacts often enough.
        """
        if seconds <= 0:
            return
        loss = self._loss(drive)
        power = self.heater_power(drive, loss)
        self.element_w = self.element_watts(drive)
        equilibrium = self.room_c + power / loss
        self.dry_c = relax(self.dry_c, equilibrium, seconds, HEAT_CAPACITY_J_PER_K / loss)
        self._step_steam(seconds, drive)
        target = wet_bulb_target(self.dry_c, self.rh, self.room_c)
        self.wet_c = relax(self.wet_c, target, seconds, WET_BULB_TAU_S)
        if self.probe_inserted:
            self.probe_c = relax(self.probe_c, self.dry_c, seconds, PROBE_TAU_S)

    def _step_steam(self, seconds: float, drive: Drive) -> None:
        steaming = self.steaming(drive)
        if steaming:
            # Land on the moment the tank runs dry rather than overdrawing it.
            self.tank_s = max(0.0, self.tank_s - drive.steam_duty * seconds)
        if self.door_open:
            target, tau = AMBIENT_RH, DOOR_RH_TAU_S
        elif steaming:
            target, tau = min(max(drive.steam_setpoint, 0.0), 100.0), STEAM_RH_TAU_S
        else:
            target, tau = AMBIENT_RH, DRY_RH_TAU_S
        self.rh = relax(self.rh, target, seconds, tau)

    def fill_tank(self, share: float = 1.0) -> None:
        """Put the tank back with ``share`` of a full tank in it."""
        self.tank_removed = False
        self.tank_s = TANK_FULL_STEAM_S * min(max(share, 0.0), 1.0)

    def insert_probe(self, core_c: float = FRIDGE_C) -> None:
        """Plug the probe into food whose core is at ``core_c``."""
        self.probe_inserted = True
        self.probe_c = core_c

    @property
    def settled(self) -> bool:
        """True when nothing is still moving much: long steps are fine."""
        near_room = abs(self.dry_c - self.room_c) < 0.5 and abs(self.wet_c - self.room_c) < 0.5
        return near_room and abs(self.rh - AMBIENT_RH) < 0.5 and not self.probe_inserted


def seconds_to_reach(
    target_c: float, *, start_c: float, watts: float, room_c: float = ROOM_C
) -> float:
    """Closed-form time for the closed, full-power cavity to heat from ``start_c`` to ``target_c``.

    Raises:
        ValueError: the power can never get the cavity that hot.
    """
    equilibrium = room_c + watts / LOSS_W_PER_K
    if target_c >= equilibrium:
        raise ValueError("the cavity cannot reach that temperature on this power")
    tau = HEAT_CAPACITY_J_PER_K / LOSS_W_PER_K
    return tau * math.log((equilibrium - start_c) / (equilibrium - target_c))
