"""The ovens' verbs: run a plan, change the running stage, keep the next stage's settings.

An oven runs a whole plan (a list of stages), and Anova lets a personal
access token send only ``START``, ``STOP`` and the display unit. So a
change to a running cook (a new setpoint from the thermostat card, a new
timer) is sent as a new plan: the rest of the running one, from the active
stage on, with the change made and the time already spent taken off. Every
plan is checked by the ovens' food-safety rules before it is sent, and
confirmed against the oven's next state like any command.
"""

from __future__ import annotations

from typing import assert_never

from bridge.anova.commands import StartOvenCook
from bridge.anova.oven_model import OvenMode, OvenPlan, OvenStage, OvenState, TimerStart
from bridge.commands import (
    SetFoodCommand,
    SetTemperatureCommand,
    SetTimerCommand,
    SetUnitCommand,
    StopCommand,
)
from bridge.commands.oven_models import (
    NextStage,
    OvenCommand,
    OvenStartCommand,
    SetNextStageCommand,
)
from bridge.commands.vocabulary import DeviceCommand
from bridge.contract import TemperatureUnit
from bridge.errors import CommandError, ErrorCode
from bridge.safety.oven import OVEN_RULES
from bridge.service.cookcontext import CookContext, in_water_s
from bridge.service.cooker import CookerRecord
from bridge.service.payloads import to_unit
from bridge.service.shared_verbs import SharedVerbs
from bridge.service.verb_tools import Executed, VerbTools, not_for


class OvenVerbs:
    """Carries out an oven's commands (docs/mqtt.md, "Oven commands")."""

    def __init__(self, tools: VerbTools) -> None:
        self._tools = tools
        self._shared = SharedVerbs(tools)

    async def run(self, command: DeviceCommand, cooker: CookerRecord) -> Executed:
        """Carry out ``command`` on ``cooker``; raises the bridge's errors on refusal."""
        if not isinstance(
            command,
            OvenStartCommand
            | StopCommand
            | SetTemperatureCommand
            | SetTimerCommand
            | SetUnitCommand
            | SetFoodCommand
            | SetNextStageCommand,
        ):
            raise not_for(cooker, command.action)
        return await self._dispatch(command, cooker)

    async def _dispatch(self, command: OvenCommand, cooker: CookerRecord) -> Executed:
        match command:
            case OvenStartCommand():
                return await self._start(cooker, command)
            case StopCommand() | SetUnitCommand() | SetFoodCommand():
                return await self._shared.run(cooker, command)
            case SetTemperatureCommand():
                return await self._set_temperature(cooker, command)
            case SetTimerCommand():
                return await self._set_timer(cooker, command)
            case SetNextStageCommand():
                return self._set_next_stage(cooker, command)
            case _:
                assert_never(command)

    # ------------------------------------------------------------ start
    async def _start(self, cooker: CookerRecord, command: OvenStartCommand) -> Executed:
        self._tools.require_online(cooker)
        self._tools.refuse_busy(cooker, replace=command.replace)
        plan = self._with_food(cooker, command.plan or kept_plan(cooker))
        warnings = await self._send(cooker, plan, command.unit)
        cooker.start_sent()
        return Executed(
            data=self._plan_data(cooker, plan, command.unit), warnings=warnings, state_changed=True
        )

    def _with_food(self, cooker: CookerRecord, plan: OvenPlan) -> OvenPlan:
        """The plan's own food, else the running cook's on a replace, else the next cook's."""
        if plan.food_type is not None:
            return plan
        context = cooker.context
        if cooker.cooking and context is not None and context.food_type is not None:
            return plan.model_copy(
                update={"food_type": context.food_type, "thickness_mm": context.thickness_mm}
            )
        return plan.model_copy(
            update={"food_type": cooker.next_food_type, "thickness_mm": cooker.next_thickness_mm}
        )

    async def _send(self, cooker: CookerRecord, plan: OvenPlan, unit: TemperatureUnit) -> list[str]:
        """Check ``plan`` and send it with a new cook context; its warnings."""
        report = OVEN_RULES.check_plan(
            plan, oven_type=cooker.info.type, settings=self._tools.settings.safety, unit=unit
        )
        context = self._new_context(cooker, plan, report.warnings)
        start = StartOvenCook(cooker.cooker_id, plan)
        outcome = await self._tools.start_with(cooker, context, start)
        return report.warnings + self._tools.confirmation(outcome)

    def _new_context(
        self, cooker: CookerRecord, plan: OvenPlan, warnings: list[str]
    ) -> CookContext:
        running = cooker.state.cook if cooker.cooking and cooker.state is not None else None
        carried = (
            in_water_s(cooker.context, cooker.state, self._tools.clock())
            if running is not None and cooker.context is not None
            else 0
        )
        first = plan.stages[0]
        return CookContext(
            cooker_id=cooker.cooker_id,
            replaced_cook_id=running.id if running is not None else None,
            food_type=plan.food_type,
            thickness_mm=plan.thickness_mm,
            started_at=self._tools.clock(),
            target_c=first.temperature_c,
            timer_s=first.timer_s or 0,
            warnings=warnings,
            carried_s=carried,
            plan_json=plan.model_dump_json(),
        )

    @staticmethod
    def _plan_data(
        cooker: CookerRecord, plan: OvenPlan, unit: TemperatureUnit
    ) -> dict[str, object]:
        cook = cooker.state.cook if cooker.state is not None else None
        timers = [stage.timer_s for stage in plan.stages if stage.timer_s]
        return {
            "cook_id": cook.id if cook is not None else None,
            "stages": len(plan.stages),
            "target_temperature": to_unit(plan.stages[0].temperature_c, unit),
            "unit": unit,
            "time_minutes": round(sum(timers) / 60, 2) if timers else None,
        }

    # ------------------------------------------------ changes to the running cook
    async def _set_temperature(
        self, cooker: CookerRecord, command: SetTemperatureCommand
    ) -> Executed:
        data: dict[str, object] = {
            "target_temperature": to_unit(command.temperature_c, command.unit),
            "unit": command.unit,
        }
        if not cooker.cooking:
            OVEN_RULES.check_setpoint(
                command.temperature_c, cooker_type=cooker.info.type, unit=command.unit
            )
            cooker.keep_target(command.temperature_c)
            return Executed(data={**data, "stored": True}, state_changed=True)
        self._tools.require_online(cooker)
        plan = self._rest_of_plan(cooker, temperature_c=command.temperature_c)
        warnings = await self._send(cooker, plan, command.unit)
        return Executed(data=data, warnings=warnings, state_changed=True)

    async def _set_timer(self, cooker: CookerRecord, command: SetTimerCommand) -> Executed:
        OVEN_RULES.check_timer(command.timer_s)
        data: dict[str, object] = {"time_minutes": round(command.timer_s / 60, 2)}
        if not cooker.cooking:
            cooker.keep_timer(command.timer_s)
            return Executed(data={**data, "stored": True}, state_changed=True)
        self._tools.require_online(cooker)
        plan = self._rest_of_plan(cooker, timer_s=command.timer_s)
        warnings = await self._send(cooker, plan, self._tools.settings.units)
        return Executed(data=data, warnings=warnings, state_changed=True)

    def _rest_of_plan(
        self,
        cooker: CookerRecord,
        *,
        temperature_c: float | None = None,
        timer_s: int | None = None,
    ) -> OvenPlan:
        """The running plan from its active stage on, with one change to that stage.

        A stage already preheated does not preheat again, and its timer
        keeps only what is left of it, unless the change is a new timer,
        which runs from now. The plan is the one the bridge sent; a cook it
        did not send is changed only in its last stage, which the oven's
        state describes (the stages after it would be lost).

        Raises:
            CommandError: ``DEVICE_BUSY`` for a stage of such a cook with
                stages after it.
        """
        state = cooker.state
        assert isinstance(state, OvenState)
        context = cooker.context
        known = _sent_plan(context)
        index = state.stage.number - 1 if state.stage is not None else 0
        if known is not None:
            stages = list(known.stages[index:]) or [stage_of(state)]
        elif state.stage is not None and state.stage.number < state.stage.count:
            raise CommandError(
                ErrorCode.DEVICE_BUSY,
                f"{cooker.info.name} runs stage {state.stage.number} of {state.stage.count} of a "
                "plan the bridge did not send, so it cannot send "
                "the rest of it again with the change; change it on the oven, or stop and start "
                "the plan again from here.",
                field="temperature" if temperature_c is not None else "duration",
            )
        else:
            stages = [stage_of(state)]
        active = stages[0]
        if state.preheated:
            left = state.timer.remaining_s if active.timer_s else None
            active = active.model_copy(
                update={
                    "preheat": False,
                    "timer_start": TimerStart.IMMEDIATELY,
                    "timer_s": left if left else active.timer_s,
                }
            )
        changes: dict[str, object] = {}
        if temperature_c is not None:
            changes["temperature_c"] = temperature_c
        if timer_s is not None:
            changes.update(timer_s=timer_s or None, probe_c=None if timer_s else active.probe_c)
        stages[0] = OvenStage.model_validate({**active.model_dump(), **changes})
        food = context.food_type if context is not None else None
        thickness = context.thickness_mm if context is not None else None
        return OvenPlan(stages=tuple(stages), food_type=food, thickness_mm=thickness)

    # ------------------------------------------------------------ next stage
    def _set_next_stage(self, cooker: CookerRecord, command: SetNextStageCommand) -> Executed:
        """Keep settings for the next quick start; a running cook is not changed by them."""
        if cooker.cooking:
            raise CommandError(
                ErrorCode.DEVICE_BUSY,
                f"{cooker.info.name} is cooking: {', '.join(command.fields)} apply to the next "
                'cook; send a start with the new settings and "replace": true to change this one.',
                field=command.fields[0] if command.fields else None,
            )
        kept = next_stage_of(cooker)
        update: dict[str, object] = {
            name: getattr(command.settings, name) for name in command.fields
        }
        cooker.keep_next_settings(kept.model_copy(update=update))
        shown = next_stage_of(cooker).model_dump(mode="json", exclude_none=True)
        if "probe_c" in shown:
            shown["probe_temperature"] = to_unit(shown.pop("probe_c"), command.unit)
        return Executed(data={**shown, "stored": True}, state_changed=True)


def _sent_plan(context: CookContext | None) -> OvenPlan | None:
    """The plan the bridge sent for the running cook, kept in its (persisted) context."""
    if context is None or context.plan_json is None:
        return None
    return OvenPlan.model_validate_json(context.plan_json)


def next_stage_of(cooker: CookerRecord) -> NextStage:
    """The next stage's settings kept on ``cooker`` (none kept: all defaults)."""
    kept = cooker.next_settings
    return kept if isinstance(kept, NextStage) else NextStage()


def kept_plan(cooker: CookerRecord) -> OvenPlan:
    """The one-stage plan a start without a plan runs: what was kept for it.

    Raises:
        CommandError: ``MISSING_FIELD`` when no setpoint is kept (starting at
            an invented temperature would be worse than not starting).
    """
    target_c = cooker.stored_target_c
    if target_c is None and cooker.state is not None:
        target_c = cooker.state.target_temperature_c
    if target_c is None:
        raise CommandError(
            ErrorCode.MISSING_FIELD,
            f"No target temperature is kept for {cooker.info.name}: set one first "
            "(set/target_temperature) or send a start command with 'temperature'.",
            field="temperature",
        )
    kept = next_stage_of(cooker)
    mode = kept.mode or OvenMode.DRY
    stage = {
        "mode": mode,
        "temperature_c": target_c,
        "steam_percent": kept.steam_percent if mode is OvenMode.STEAM else None,
        "timer_s": cooker.stored_timer_s or None,
        "probe_c": kept.probe_c,
        **{
            name: value
            for name in ("elements", "fan_speed", "timer_start", "preheat")
            if (value := getattr(kept, name)) is not None
        },
    }
    return OvenPlan(stages=(OvenStage.model_validate(stage),))


def stage_of(state: OvenState) -> OvenStage:
    """The running stage as the oven's state describes it (for a cook the bridge did not send)."""
    mode = state.mode or OvenMode.DRY
    steam = state.steam.steam_target_percent or state.steam.humidity_target_percent
    return OvenStage.model_validate(
        {
            "mode": mode,
            "temperature_c": state.target_temperature_c or 0.0,
            "steam_percent": round(steam) if mode is OvenMode.STEAM and steam else None,
            "elements": state.elements.model_dump() if state.elements else {"rear": True},
            "fan_speed": state.fan_speed if state.fan_speed is not None else 100,
            "timer_s": state.timer.total_s or None,
            "probe_c": state.probe.target_c,
            "preheat": not state.preheated,
        }
    )
