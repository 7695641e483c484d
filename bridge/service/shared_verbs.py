"""Verbs every device kind carries out alike: stop, display unit, the next cook's food.

Stopping a cook, switching the display unit and giving the next cook's
food mean the same on a cooker and an oven; each kind's verb set hands
these to one :class:`SharedVerbs` instead of spelling them again.
"""

from __future__ import annotations

from typing import Any, assert_never

from bridge.anova.commands import SetUnit, StopCook
from bridge.commands import SetFoodCommand, SetUnitCommand, StopCommand
from bridge.errors import CommandError, ErrorCode
from bridge.service.cooker import CookerRecord
from bridge.service.verb_tools import Executed, VerbTools


class SharedVerbs:
    """``stop``, ``set_unit`` and ``set_food`` for any kind."""

    def __init__(self, tools: VerbTools) -> None:
        self._tools = tools

    async def run(
        self, cooker: CookerRecord, command: StopCommand | SetUnitCommand | SetFoodCommand
    ) -> Executed:
        """Carry out one of the three on ``cooker``."""
        match command:
            case StopCommand():
                return await self.stop(cooker, command)
            case SetUnitCommand():
                return await self.set_unit(cooker, command)
            case SetFoodCommand():
                return self.set_food(cooker, command)
            case _:
                assert_never(command)

    async def stop(self, cooker: CookerRecord, command: StopCommand) -> Executed:
        """Stop the running cook; its context ends with it."""
        self._tools.require_online(cooker)
        if not cooker.cooking:
            if command.if_cooking:
                return Executed(warnings=[f"{cooker.info.name} was not cooking; nothing to stop."])
            raise CommandError(
                ErrorCode.NO_ACTIVE_COOK, f"{cooker.info.name} is not cooking; nothing to stop."
            )
        cook_id = cooker.state.cook.id if cooker.state and cooker.state.cook else None
        outcome = await self._tools.cloud(StopCook(cooker.cooker_id))
        self._tools.contexts.end(cooker)
        cooker.cook_ended()
        return Executed(
            data={"cook_id": cook_id},
            warnings=self._tools.confirmation(outcome),
            state_changed=True,
        )

    async def set_unit(self, cooker: CookerRecord, command: SetUnitCommand) -> Executed:
        """Switch the device's display unit (what the bridge publishes does not change)."""
        self._tools.require_online(cooker)
        outcome = await self._tools.cloud(SetUnit(cooker.cooker_id, command.unit))
        return Executed(data={"unit": command.unit}, warnings=self._tools.confirmation(outcome))

    def set_food(self, cooker: CookerRecord, command: SetFoodCommand) -> Executed:
        """Keep the next cook's food and thickness; a running cook's stay as they were.

        The running cook was checked for its own food, and every change to
        it is checked against that: letting the food change under it could
        only loosen those checks.
        """
        if cooker.cooking:
            raise CommandError(
                ErrorCode.DEVICE_BUSY,
                f"{cooker.info.name} is cooking: the food of a running cook cannot change, "
                "because its safety checks were made for that food. Give the next cook's food "
                "once this cook ends, or stop and start again with the new food.",
                field="food_type" if "food_type" in command.fields else "thickness_mm",
            )
        cooker.keep_next_food(command.food_type, command.thickness_mm, command.fields)
        return Executed(
            data=self._food_data(cooker), warnings=self._food_warnings(cooker), state_changed=True
        )

    def _food_data(self, cooker: CookerRecord) -> dict[str, Any]:
        food_type = cooker.next_food_type
        return {
            "food_type": food_type,
            "category": self._tools.rules(cooker).classify(food_type).rule_category
            if food_type
            else None,
            "thickness_mm": cooker.next_thickness_mm,
            "stored": True,
        }

    def _food_warnings(self, cooker: CookerRecord) -> list[str]:
        food_type = cooker.next_food_type
        if food_type is None or self._tools.rules(cooker).classify(food_type).recognised:
            return []
        return [
            f"The food type {food_type[:40]!r} is not one the safety rules recognise, so the next "
            "cook will get only the general temperature and time rules (1–3); name the meat or "
            "fish (e.g. 'chicken', 'ground beef', 'salmon') for its pasteurization check."
        ]
