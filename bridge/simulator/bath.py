"""A water bath heated by an immersion circulator: the simulator's physics.

One lumped thermal mass: ``C·dT/dt = P_heater − k·(T − T_room)``. Each step
holds the heater power constant and integrates that equation exactly, so a
step of a second is accurate and stable at any power. The controller is
proportional with a feed-forward term equal to the steady-state loss at the
setpoint: a first-order plant under such a controller approaches the
setpoint exponentially and does not overshoot, which is what real cookers
look like on a graph (within a few tenths of a degree).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

WATER_HEAT_CAPACITY_J_PER_KG_K = 4186.0
ROOM_C = 21.0
DEFAULT_VOLUME_L = 6.0
LOSS_W_PER_K = 5.0
BOILING_C = 100.0
# Watts per kelvin of error below the setpoint. With 6 L the per-second
# gain is ~0.08, far from the 1.0 where a discrete controller would ring.
CONTROLLER_GAIN_W_PER_K = 2000.0

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


@dataclass
class Bath:
    """The water around one cooker and the heater in it.

    Attributes:
        heater_w: full heater power in watts.
        volume_l: water volume in litres (1 L taken as 1 kg).
        room_c: ambient temperature the bath loses heat towards.
        water_c: current water temperature; starts at room temperature.
        power_w: heater power during the last step, for the gen-2
            heater/triac temperatures.
    """

    heater_w: float
    volume_l: float = DEFAULT_VOLUME_L
    room_c: float = ROOM_C
    water_c: float = ROOM_C
    power_w: float = 0.0

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
                so the controller reacts often enough.
            setpoint_c: target temperature, or None when the heater is off
                (idle, low water); an off heater may take any step length.
        """
        if seconds <= 0:
            return
        self.power_w = self.controller_power(setpoint_c)
        equilibrium = self.room_c + self.power_w / LOSS_W_PER_K
        decay = math.exp(-LOSS_W_PER_K * seconds / self.heat_capacity)
        self.water_c = equilibrium + (self.water_c - equilibrium) * decay
        # A circulator cannot heat water past boiling.
        self.water_c = min(self.water_c, BOILING_C)
