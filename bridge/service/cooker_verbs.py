"""The cookers' verbs: start, stop, setpoint, timer, unit and food (CONTRACT §2).

The command gate has already checked the payload; here the cooker's state
decides what happens: a busy cooker refuses a second start, an idle cooker
keeps a new setpoint for the next start instead of calling the cloud (the
cloud ignores it), and every cloud call is confirmed against the cooker's
next state.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, assert_never

from bridge.anova.commands import SetTarget, SetTimer, StartCook
from bridge.anova.state import CookerState
from bridge.commands import (
    Command,
    SetFoodCommand,
    SetTemperatureCommand,
    SetTimerCommand,
    SetUnitCommand,
    StartCommand,
    StopCommand,
)
from bridge.commands.vocabulary import DeviceCommand
from bridge.contract import TemperatureUnit
from bridge.safety.kind import RunningCook
from bridge.service.cookcontext import CookContext, in_water_s
from bridge.service.cooker import CookerRecord
from bridge.service.payloads import iso, to_unit, utc_now
from bridge.service.shared_verbs import SharedVerbs
from bridge.service.verb_tools import Executed, VerbTools, not_for

# A rough heating rate for the completion estimate: a 1000 W heater in 6 l of water.
PREHEAT_C_PER_MINUTE = 2.0


class CookerVerbs:
    """Carries out a cooker's commands with the device-state rules of CONTRACT §2."""

    def __init__(self, tools: VerbTools) -> None:
        self._tools = tools
        self._shared = SharedVerbs(tools)

    async def run(self, command: DeviceCommand, cooker: CookerRecord) -> Executed:
        """Carry out ``command`` on ``cooker``; raises the bridge's errors on refusal."""
        if not isinstance(
            command,
            StartCommand
            | StopCommand
            | SetTemperatureCommand
            | SetTimerCommand
            | SetUnitCommand
            | SetFoodCommand,
        ):
            raise not_for(cooker, command.action)
        return await self._dispatch(command, cooker)

    async def _dispatch(self, command: Command, cooker: CookerRecord) -> Executed:
        match command:
            case StartCommand():
                return await self._start(cooker, command)
            case StopCommand() | SetUnitCommand() | SetFoodCommand():
                return await self._shared.run(cooker, command)
            case SetTemperatureCommand():
                return await self._set_temperature(cooker, command)
            case SetTimerCommand():
                return await self._set_timer(cooker, command)
            case _:
                assert_never(command)

    async def _start(self, cooker: CookerRecord, command: StartCommand) -> Executed:
        self._tools.require_online(cooker)
        self._tools.refuse_busy(cooker, replace=command.replace)
        resolved = self._food_for(
            cooker, command.with_defaults(self._stored_target(cooker), cooker.stored_timer_s)
        )
        target_c, timer_s = resolved.temperature_c, resolved.timer_s or 0
        assert target_c is not None  # with_defaults refuses a start without a setpoint
        carried_s = self._carried_over(cooker, target_c)
        warnings = (
            self._tools.rules(cooker)
            .check_start(
                resolved,
                cooker_type=cooker.info.type,
                settings=self._tools.settings.safety,
                in_water_s=carried_s,
            )
            .warnings
        )
        context = self._new_context(
            cooker, resolved, (target_c, timer_s), warnings=warnings, carried_s=carried_s
        )
        start = StartCook(cooker.cooker_id, target_c, timer_s, command.unit)
        outcome = await self._tools.start_with(cooker, context, start)
        cooker.start_sent()  # this cook's context took the food
        return Executed(
            data=self._start_data(cooker, target_c, timer_s, command.unit),
            warnings=warnings + self._tools.confirmation(outcome),
            state_changed=True,
        )

    @staticmethod
    def _food_for(cooker: CookerRecord, command: StartCommand) -> StartCommand:
        """The food a start cooks: its own, else the running cook's, else the next cook's.

        A ``replace`` of a running cook is for the food already in the bath,
        so it keeps that cook's food (and its stricter rules) even when a
        food for the next cook is stored; only a start without a running
        cook, or replacing one whose food is unknown, takes the stored food.
        """
        context = cooker.context
        if command.food_type is None and command.replace and cooker.cooking and context:
            command = command.with_food(context.food_type, context.thickness_mm)
        return command.with_food(cooker.next_food_type, cooker.next_thickness_mm)

    def _carried_over(self, cooker: CookerRecord, target_c: float) -> int:
        """Time the food is already in the water when a low-temperature cook replaces another."""
        if (
            not cooker.cooking
            or cooker.context is None
            or target_c >= self._tools.rules(cooker).pasteurized_from_c
        ):
            return 0
        return in_water_s(cooker.context, cooker.state, self._tools.clock())

    def _new_context(
        self,
        cooker: CookerRecord,
        command: StartCommand,
        setting: tuple[float, int],
        *,
        warnings: list[str],
        carried_s: int,
    ) -> CookContext:
        target_c, timer_s = setting
        running = cooker.state.cook if cooker.cooking and cooker.state is not None else None
        return CookContext(
            cooker_id=cooker.cooker_id,
            replaced_cook_id=running.id if running is not None else None,
            food_type=command.food_type,
            thickness_mm=command.thickness_mm,
            started_at=self._tools.clock(),
            target_c=target_c,
            timer_s=timer_s,
            warnings=warnings,
            carried_s=carried_s,
        )

    @staticmethod
    def _stored_target(cooker: CookerRecord) -> float | None:
        """The setpoint kept while idle, else the one the cooker itself reports."""
        if cooker.stored_target_c is not None:
            return cooker.stored_target_c
        return cooker.state.target_temperature_c if cooker.state is not None else None

    def _start_data(
        self, cooker: CookerRecord, target_c: float, timer_s: int, unit: TemperatureUnit
    ) -> dict[str, Any]:
        cook = cooker.state.cook if cooker.state is not None else None
        return {
            "cook_id": cook.id if cook is not None else None,
            "target_temperature": to_unit(target_c, unit),
            "unit": unit,
            "time_minutes": round(timer_s / 60, 2) if timer_s else None,
            "estimated_completion": self._estimate_completion(cooker, target_c, timer_s),
        }

    @staticmethod
    def _estimate_completion(cooker: CookerRecord, target_c: float, timer_s: int) -> str | None:
        """Now + preheat estimate + timer; None without a timer (the cook never ends)."""
        if not timer_s:
            return None
        water = cooker.state.current_temperature_c if cooker.state is not None else None
        preheat_min = max(0.0, target_c - water) / PREHEAT_C_PER_MINUTE if water is not None else 0
        return iso(utc_now() + timedelta(minutes=preheat_min, seconds=timer_s))

    async def _set_temperature(
        self, cooker: CookerRecord, command: SetTemperatureCommand
    ) -> Executed:
        self._tools.rules(cooker).check_setpoint(
            command.temperature_c, cooker_type=cooker.info.type, unit=command.unit
        )
        data = {"target_temperature": to_unit(command.temperature_c, command.unit)}
        data["unit"] = command.unit  # type: ignore[assignment]
        if not cooker.cooking:
            stored = self._tools.rules(cooker).check_idle_setpoint(
                command.temperature_c,
                unit=command.unit,
                cooker_type=cooker.info.type,
                settings=self._tools.settings.safety,
            )
            cooker.keep_target(command.temperature_c)
            return Executed(
                data={**data, "stored": True}, warnings=stored.warnings, state_changed=True
            )
        self._tools.require_online(cooker)
        warnings = self._recheck_running_cook(cooker, temperature_c=command.temperature_c)
        self._remember(cooker, target_c=command.temperature_c)
        outcome = await self._tools.cloud(
            SetTarget(cooker.cooker_id, command.temperature_c, command.unit)
        )
        return Executed(data=data, warnings=warnings + self._tools.confirmation(outcome))

    async def _set_timer(self, cooker: CookerRecord, command: SetTimerCommand) -> Executed:
        self._tools.rules(cooker).check_timer(command.timer_s)
        data: dict[str, Any] = {"time_minutes": round(command.timer_s / 60, 2)}
        if not cooker.cooking:
            cooker.keep_timer(command.timer_s)
            return Executed(data={**data, "stored": True}, state_changed=True)
        self._tools.require_online(cooker)
        warnings = self._recheck_running_cook(cooker, timer_s=command.timer_s)
        self._remember(cooker, timer_s=command.timer_s)
        outcome = await self._tools.cloud(SetTimer(cooker.cooker_id, command.timer_s))
        return Executed(data=data, warnings=warnings + self._tools.confirmation(outcome))

    def _recheck_running_cook(
        self,
        cooker: CookerRecord,
        *,
        temperature_c: float | None = None,
        timer_s: int | None = None,
    ) -> list[str]:
        """A change to a running cook is checked against the cook's whole context.

        Its food and thickness (kept across restarts), and for rule 3 the
        time its food has already spent in the water: a new timer runs from
        now, a new setpoint keeps the timer that is left.
        """
        state = cooker.state
        assert state is not None
        target_c = temperature_c if temperature_c is not None else state.target_temperature_c
        context = cooker.context
        return (
            self._tools.rules(cooker)
            .check_cook(
                RunningCook(
                    temperature_c=target_c or 0.0,
                    timer_s=timer_s if timer_s is not None else (state.timer.total_s or 0),
                    cooker_type=cooker.info.type,
                    food_type=cooker.food_type,
                    thickness_mm=cooker.thickness_mm,
                    in_water_s=in_water_s(context, state, self._tools.clock()) if context else 0,
                    timer_left_s=timer_s if timer_s is not None else _timer_left(state),
                ),
                settings=self._tools.settings.safety,
            )
            .warnings
        )

    def _remember(
        self, cooker: CookerRecord, *, target_c: float | None = None, timer_s: int | None = None
    ) -> None:
        """The accepted change becomes part of the cook's context (and survives a restart)."""
        context = cooker.context
        if context is None:
            return
        if target_c is not None:
            context.target_c = target_c
        if timer_s is not None:
            context.timer_s = timer_s
        self._tools.contexts.save()


def _timer_left(state: CookerState) -> int:
    """The running cook's timer still to run: 0 once it ran out or when there is none."""
    timer = state.timer
    if not timer.total_s:
        return 0
    return timer.remaining_s if timer.remaining_s is not None else timer.total_s
