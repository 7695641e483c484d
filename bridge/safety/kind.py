"""The safety side of a device kind: the rules the executor applies to its commands.

A water bath and an oven cavity are safe by different rules (docs/food-safety.md):
each kind provides a :class:`SafetyRules`, and the executor asks the
device's kind for them instead of calling one kind's rules directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bridge.commands import StartCommand
from bridge.contract import TemperatureUnit
from bridge.safety.foods import FoodClass
from bridge.safety.report import SafetyReport
from bridge.settings import SafetySettings


@dataclass(frozen=True)
class RunningCook:
    """A cook as a check of a running (or changed) cook sees it, for any kind.

    Attributes:
        temperature_c: the setpoint in °C.
        timer_s: the cook's total timer in seconds; 0 means no timer.
        cooker_type: the device's cloud type, for the model's limits.
        food_type: free text such as ``"chicken breast"``; None when unknown.
        thickness_mm: the food's thickness; None assumes the configured default.
        unit: the unit the user spoke, so messages can repeat it.
        in_water_s: how long the food has already been in the water (or the
            oven); rule 3's 4 hours count it.
        timer_left_s: the timer still to run after a change (0 once it ran
            out); None for a new cook, whose whole ``timer_s`` is still to run.
    """

    temperature_c: float
    timer_s: int
    cooker_type: str
    food_type: str | None = None
    thickness_mm: float | None = None
    unit: TemperatureUnit = "C"
    in_water_s: int = 0
    timer_left_s: int | None = None


class SafetyRules(Protocol):
    """One kind's device limits and food-safety rules.

    Every check raises :class:`~bridge.errors.CommandError` with the rule's
    code when it refuses, and otherwise returns the warnings to pass on.
    """

    @property
    def pasteurized_from_c(self) -> float:
        """Below this setpoint nothing pasteurizes: a change there is rechecked."""
        ...

    @property
    def food_place(self) -> str:
        """Where the food is, as messages say it: "in the water", "in the oven"."""
        ...

    def check_setpoint(
        self, temperature_c: float, *, cooker_type: str, unit: TemperatureUnit = "C"
    ) -> None:
        """Rule 1: refuse a setpoint the device cannot hold."""
        ...

    def check_timer(self, timer_s: int) -> None:
        """Rule 1: refuse a timer the device cannot run."""
        ...

    def check_start(
        self,
        cmd: StartCommand,
        *,
        cooker_type: str,
        settings: SafetySettings,
        in_water_s: int = 0,
    ) -> SafetyReport:
        """Check a start command."""
        ...

    def check_cook(self, cook: RunningCook, *, settings: SafetySettings) -> SafetyReport:
        """Check a running cook, new or changed."""
        ...

    def check_idle_setpoint(
        self,
        temperature_c: float,
        *,
        unit: TemperatureUnit = "C",
        cooker_type: str,
        settings: SafetySettings,
    ) -> SafetyReport:
        """Check a setpoint kept on an idle device for its next start."""
        ...

    def classify(self, food_type: str | None) -> FoodClass:
        """Which of the rules' food categories ``food_type`` falls in."""
        ...
