"""A water bath heated by an immersion circulator: the simulator's physics.

One lumped thermal mass: ``C·dT/dt = P − k·(T − T_room)`` with ``C`` the
heat capacity of the water *now in the bath*. Each step holds the power
constant and integrates that equation exactly, so a step of a second is
accurate and stable at any power.

- **Controller.** Proportional, with a feed-forward term equal to the
  steady-state loss at the setpoint: on its own, a first-order plant under
  such a controller approaches the setpoint without overshooting.
- **Heater lag** (``lag_s``, 0 = none). The element stores heat: the power
  reaching the water follows the controller's command as a first-order lag.
  That is what makes real cookers overshoot by a few tenths of a degree
  (anova-api.md: a recorded gen 3 push reads 55.27 °C against a 54.46 °C
  setpoint) before settling back.
- **Evaporation.** Water leaves at a rate proportional to the difference
  between the saturation vapour pressure at the water's temperature and at
  room temperature (Magnus formula), calibrated to ``EVAPORATION_L_PER_H_AT_60``
  litres an hour at 60 °C; none at room temperature. A long hot cook ends
  below the cooker's minimum line: low water.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

WATER_HEAT_CAPACITY_J_PER_KG_K = 4186.0
ROOM_C = 21.0
DEFAULT_VOLUME_L = 6.0
LOSS_W_PER_K = 5.0
BOILING_C = 100.0
# Watts per kelvin of error below the setpoint. With 6 L the per-second
# gain is ~0.08, far from the 1.0 where a discrete controller would ring.
CONTROLLER_GAIN_W_PER_K = 2000.0
# An uncovered bath of a few litres loses about a decilitre an hour at 60 °C.
EVAPORATION_L_PER_H_AT_60 = 0.1
# A heater lag that gives the few tenths of a degree of overshoot real
# cookers show (the demo's and `simulate`'s default; tests choose).
REALISTIC_HEATER_LAG_S = 25.0
# The cooker's minimum line, as a share of the starting volume.
MIN_LINE_SHARE = 0.75

HEATER_WATTS: dict[str, float] = {
    "a3": 800.0,
    "a4": 800.0,
    "a5": 800.0,
    "pro": 1200.0,
    "a6": 800.0,
    "a7": 1100.0,
    "a8": 800.0,
    "a9": 1200.0,
}


def saturation_pressure_pa(celsius: float) -> float:
    """Saturation vapour pressure of water (Magnus formula, Alduchov & Eskridge)."""
    return 610.94 * math.exp(17.625 * celsius / (celsius + 243.04))


def evaporation_l_per_s(water_c: float, room_c: float) -> float:
    """Litres per second leaving a bath at ``water_c`` in a room at ``room_c``."""
    drive = saturation_pressure_pa(water_c) - saturation_pressure_pa(room_c)
    reference = saturation_pressure_pa(60.0) - saturation_pressure_pa(room_c)
    return max(0.0, EVAPORATION_L_PER_H_AT_60 / 3600.0 * drive / reference)


@dataclass
class Bath:
    """The water around one cooker and the heater in it.

    Attributes:
        heater_w: full heater power in watts.
        volume_l: water volume in litres now (1 L taken as 1 kg).
        room_c: ambient temperature the bath loses heat towards.
        water_c: current water temperature; starts at room temperature.
        lag_s: time constant of the heater element; 0 means no lag.
        power_w: mean heater power reaching the water during the last step.
        element_w: power flowing from the element into the water right now.
        full_l: the volume it was filled with (a refill restores it).
    """

    heater_w: float
    volume_l: float = DEFAULT_VOLUME_L
    room_c: float = ROOM_C
    water_c: float = ROOM_C
    lag_s: float = 0.0
    power_w: float = 0.0
    element_w: float = 0.0
    full_l: float = field(default=0.0)

    def __post_init__(self) -> None:
        self.full_l = self.full_l or self.volume_l

    @property
    def heat_capacity(self) -> float:
        """Joules needed to warm the bath by one kelvin."""
        return self.volume_l * WATER_HEAT_CAPACITY_J_PER_KG_K

    @property
    def heater_c(self) -> float:
        """Heater element temperature: a little above the water while it works."""
        return self.water_c + 4.0 * self.power_w / self.heater_w

    @property
    def triac_c(self) -> float:
        """Power electronics temperature: warmer the harder the heater works."""
        return self.room_c + 12.0 + 25.0 * self.power_w / self.heater_w

    @property
    def below_min_line(self) -> bool:
        """True once evaporation took the water under the cooker's minimum line."""
        return self.volume_l < MIN_LINE_SHARE * self.full_l

    @property
    def settled(self) -> bool:
        """True when a step may be long: no heat still flowing from the element."""
        return self.element_w < 0.5

    def refill(self) -> None:
        """Top the bath up to its starting volume, at the water's temperature."""
        self.volume_l = self.full_l

    def controller_power(self, setpoint_c: float | None) -> float:
        """Heater power the controller asks for; None means the heater is off."""
        if setpoint_c is None:
            return 0.0
        feed_forward = LOSS_W_PER_K * (setpoint_c - self.room_c)
        wanted = feed_forward + CONTROLLER_GAIN_W_PER_K * (setpoint_c - self.water_c)
        return min(max(wanted, 0.0), self.heater_w)

    def step(self, seconds: float, setpoint_c: float | None) -> None:
        """Advance the bath by ``seconds`` with the heater driven towards ``setpoint_c``.

        Args:
            seconds: step length; keep it at or under a second while heating
                (or while the element still gives off heat) so the controller
                reacts often enough.
            setpoint_c: target temperature, or None when the heater is off.
        """
        if seconds <= 0:
            return
        self.power_w = self._delivered(self.controller_power(setpoint_c), seconds)
        self.volume_l -= evaporation_l_per_s(self.water_c, self.room_c) * seconds
        equilibrium = self.room_c + self.power_w / LOSS_W_PER_K
        decay = math.exp(-LOSS_W_PER_K * seconds / self.heat_capacity)
        self.water_c = equilibrium + (self.water_c - equilibrium) * decay
        # A circulator cannot heat water past boiling.
        self.water_c = min(self.water_c, BOILING_C)

    def _delivered(self, commanded_w: float, seconds: float) -> float:
        """The mean power reaching the water over the step, through the element's lag."""
        if self.lag_s <= 0:
            self.element_w = commanded_w
            return commanded_w
        start = self.element_w
        decay = math.exp(-seconds / self.lag_s)
        self.element_w = commanded_w + (start - commanded_w) * decay
        return commanded_w + (start - commanded_w) * self.lag_s / seconds * (1.0 - decay)
