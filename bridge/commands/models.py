"""The typed commands the service executes.

Every MQTT command, whichever topic it came on, becomes one of these frozen
models. Temperatures are in °C (see :mod:`bridge.commands.units`); ``unit``
records the unit the user spoke so answers and messages can use it too.
Range checks (device limits, food safety) are not done here: they depend on
the cooker model and the configured policy, and live in :mod:`bridge.safety`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from bridge.contract import TemperatureUnit
from bridge.errors import CommandError, ErrorCode

FoodField = Literal["food_type", "thickness_mm"]


class _Command(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    request_id: str | None = None


class StartCommand(_Command):
    """Start a cook.

    ``temperature_c`` and ``timer_s`` are None when the command came from
    ``set/mode heat`` or ``set/start``: those say "start with what is
    stored", and only the service knows the stored setpoint and timer, so it
    resolves them with :meth:`with_defaults` before the safety check.
    ``timer_s`` 0 means no timer.
    """

    action: Literal["start"] = "start"
    temperature_c: float | None
    unit: TemperatureUnit
    timer_s: int | None = 0
    food_type: str | None = None
    thickness_mm: float | None = None
    replace: bool = False

    @property
    def uses_stored_settings(self) -> bool:
        """True when the setpoint or timer must come from the stored values."""
        return self.temperature_c is None or self.timer_s is None

    def with_defaults(
        self, stored_target_c: float | None, stored_timer_s: int | None
    ) -> StartCommand:
        """Fill the stored setpoint and timer into a "start with what is stored" command.

        Args:
            stored_target_c: the setpoint stored by ``set_temperature`` (or the
                device's current target), in °C; None when there is none.
            stored_timer_s: the stored timer; None or 0 means no timer.

        Returns:
            A command with a concrete temperature and timer; an explicit
            command is returned unchanged.

        Raises:
            CommandError: ``MISSING_FIELD`` when no setpoint is known, because
                starting at an invented temperature would be worse than not
                starting.
        """
        temperature_c = self.temperature_c if self.temperature_c is not None else stored_target_c
        if temperature_c is None:
            raise CommandError(
                ErrorCode.MISSING_FIELD,
                "No target temperature is stored for this cooker: set one first "
                "(set/target_temperature) or send a start command with 'temperature'.",
                field="temperature",
            )
        timer_s = self.timer_s if self.timer_s is not None else (stored_timer_s or 0)
        return self.model_copy(update={"temperature_c": temperature_c, "timer_s": timer_s})

    def with_food(
        self, next_food_type: str | None, next_thickness_mm: float | None
    ) -> StartCommand:
        """Take the cooker's next-cook food when the command names none.

        Home Assistant's thermostat card and buttons cannot say what is
        cooking, so the food given beforehand (``set_food``) stands in. A
        command that names a food keeps its own food and thickness: a stored
        thickness belongs to the stored food, not to another one.
        """
        if self.food_type is not None:
            return self
        return self.model_copy(
            update={"food_type": next_food_type, "thickness_mm": next_thickness_mm}
        )


class StopCommand(_Command):
    """Stop the running cook.

    ``if_cooking`` makes stopping an idle cooker a no-op rather than
    ``NO_ACTIVE_COOK``: Home Assistant's thermostat sends ``off`` freely,
    while an explicit ``stop`` on an idle cooker is worth telling about.
    """

    action: Literal["stop"] = "stop"
    if_cooking: bool = False


class SetTemperatureCommand(_Command):
    """Change the running cook's setpoint, or store it for the next start."""

    action: Literal["set_temperature"] = "set_temperature"
    temperature_c: float
    unit: TemperatureUnit


class SetTimerCommand(_Command):
    """Change the running cook's timer, or store it for the next start; 0 clears it."""

    action: Literal["set_timer"] = "set_timer"
    timer_s: int


class SetUnitCommand(_Command):
    """Switch the cooker's display unit."""

    action: Literal["set_unit"] = "set_unit"
    unit: TemperatureUnit


class SetFoodCommand(_Command):
    """Give the food and thickness of the cooker's next cook, or clear them.

    ``fields`` names what the command sets: a shortcut sets one field and
    leaves the other alone; the JSON ``set_food`` sets both (absent clears).
    """

    action: Literal["set_food"] = "set_food"
    food_type: str | None = None
    thickness_mm: float | None = None
    fields: tuple[FoodField, ...] = ("food_type", "thickness_mm")


Command = (
    StartCommand
    | StopCommand
    | SetTemperatureCommand
    | SetTimerCommand
    | SetUnitCommand
    | SetFoodCommand
)
