"""The running cook's safety context at service level: kept, persisted, matched, re-checked.

The executor runs against a fake cloud control (it only records calls); the
contexts are written to a real file in the test's directory, and a "restart"
is a new :class:`CookContexts` reading that file.
"""

from __future__ import annotations

from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from bridge.anova.commands import CloudCommand, SetTarget, SetTimer, SetUnit, StartCook, StopCook
from bridge.anova.device import CookerInfo
from bridge.anova.state import CookerPhase, CookerState, CookInfo, TimerState
from bridge.commands import SetTemperatureCommand, SetTimerCommand, StartCommand, StopCommand
from bridge.errors import AnovaRejectedError, AnovaTimeoutError, CommandError
from bridge.service.budget import BudgetGuard
from bridge.service.contexts import CookContexts
from bridge.service.contextstore import CookContextStore
from bridge.service.cooker import CookerRecord
from bridge.service.executor import CommandExecutor
from bridge.service.lane import CommandLane
from bridge.service.ratelimit import TokenBucket
from bridge.settings import AnovaSettings, Settings

START = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)


@dataclass
class Outcome:
    confirmed: bool = True


@dataclass
class FakeControl:
    """The cloud as the executor sees it: records each command; a start may be made to fail."""

    calls: list[tuple[object, ...]] = field(default_factory=list)
    start_failure: Exception | None = None

    async def execute(self, command: CloudCommand) -> Outcome:
        match command:
            case StartCook(_, target_c, timer_s, _):
                if self.start_failure is not None:
                    raise self.start_failure
                self.calls.append(("start", target_c, timer_s))
            case StopCook():
                self.calls.append(("stop",))
            case SetTarget(_, target_c, _):
                self.calls.append(("target", target_c))
            case SetTimer(_, timer_s):
                self.calls.append(("timer", timer_s))
            case SetUnit():
                pass
        return Outcome()


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def settings(policy: str = "strict") -> Settings:
    return Settings(anova=AnovaSettings(token=SecretStr("anova-x")), safety={"policy": policy})


def cooking(
    cook_id: str | None = "cook-1",
    *,
    target: float = 60.0,
    total: int = 5400,
    remaining: int | None = 5400,
    in_water: int | None = None,
    phase: CookerPhase = CookerPhase.COOKING,
    cooker_type: str = "a7",
) -> CookerState:
    return CookerState(
        cooker_id="c1",
        type=cooker_type,
        phase=phase,
        target_temperature_c=target,
        current_temperature_c=target,
        timer=TimerState(total_s=total, remaining_s=remaining, running=True),
        cook=CookInfo(id=cook_id, in_water_s=in_water),
    )


IDLE = CookerState(cooker_id="c1", type="a7", phase=CookerPhase.IDLE)


class Bridge:
    """One cooker, its contexts and an executor: what a bridge process holds."""

    def __init__(
        self, data: Path, clock: Clock, *, cooker_type: str = "a7", policy: str = "strict"
    ):
        self.cooker = CookerRecord(
            info=CookerInfo(cooker_id="c1", name="Sous Vide", type=cooker_type),
            topic_id="sous_vide",
            lane=CommandLane("c1"),
            bucket=TokenBucket(5, 10),
        )
        self.cookers = {"c1": self.cooker}
        self.contexts = CookContexts(CookContextStore(data), self.cookers, clock=clock)
        self.contexts.adopt(self.cooker)
        self.control = FakeControl()
        self.executor = CommandExecutor(self.control, settings(policy), self.contexts, clock=clock)

    def sees(self, state: CookerState) -> None:
        self.cooker.state = state
        self.contexts.on_state(self.cooker, state)

    async def run(self, command: object) -> list[str]:
        return (await self.executor.execute(command, self.cooker)).warnings  # type: ignore[arg-type]


def chicken(**extra: Any) -> StartCommand:
    return StartCommand(
        temperature_c=60.0, unit="C", timer_s=5400, food_type="chicken breast", **extra
    )


async def started_chicken(data: Path, clock: Clock, **kw: object) -> Bridge:
    bridge = Bridge(data, clock, **kw)  # type: ignore[arg-type]
    bridge.sees(IDLE)
    await bridge.run(chicken())
    bridge.sees(cooking(cooker_type=bridge.cooker.info.type))
    await bridge.contexts.flushed()  # as a bridge that stops does
    return bridge


async def test_the_slider_is_refused_against_the_food_the_cook_started_with(tmp_path: Path) -> None:
    bridge = await started_chicken(tmp_path, Clock())
    with pytest.raises(CommandError) as refused:
        await bridge.run(SetTemperatureCommand(temperature_c=55.0, unit="C"))
    assert refused.value.code.value == "POULTRY_TEMP_UNSAFE"
    assert ("target", 55.0) not in bridge.control.calls


async def test_a_restart_reads_the_context_back_and_still_refuses(tmp_path: Path) -> None:
    clock = Clock()
    await started_chicken(tmp_path, clock)
    after = Bridge(tmp_path, clock)
    after.sees(cooking())
    assert after.cooker.food_type == "chicken breast"
    assert after.cooker.context is not None
    assert after.cooker.context.cook_id == "cook-1"
    assert after.cooker.context.started_at == START
    assert any("Thickness not given" in w for w in after.cooker.context.warnings)
    with pytest.raises(CommandError) as refused:
        await after.run(SetTemperatureCommand(temperature_c=55.0, unit="C"))
    assert refused.value.code.value == "POULTRY_TEMP_UNSAFE"


async def test_a_different_cook_after_a_restart_never_gets_the_old_food(tmp_path: Path) -> None:
    clock = Clock()
    await started_chicken(tmp_path, clock)
    after = Bridge(tmp_path, clock)
    after.sees(cooking("started-in-the-app", target=56.0))
    assert after.cooker.food_type is None
    assert after.cooker.context is not None
    assert after.cooker.context.origin == "cooker"
    await after.run(SetTemperatureCommand(temperature_c=55.5, unit="C"))
    assert ("target", 55.5) in after.control.calls


async def test_without_a_cook_id_the_setpoint_decides_after_a_restart(tmp_path: Path) -> None:
    clock = Clock()
    bridge = await started_chicken(tmp_path, clock, cooker_type="a3")
    bridge.sees(cooking(None, cooker_type="a3"))
    assert bridge.cooker.food_type == "chicken breast"
    await bridge.contexts.flushed()
    same = Bridge(tmp_path, clock, cooker_type="a3")
    same.sees(cooking(None, cooker_type="a3"))
    assert same.cooker.food_type == "chicken breast"
    await same.contexts.flushed()
    other = Bridge(tmp_path, clock, cooker_type="a3")
    other.sees(cooking(None, target=70.0, cooker_type="a3"))
    assert other.cooker.food_type is None


async def test_the_end_of_the_cook_ends_the_context_on_disk_too(tmp_path: Path) -> None:
    clock = Clock()
    bridge = await started_chicken(tmp_path, clock)
    bridge.sees(IDLE)
    assert bridge.cooker.context is None
    await bridge.contexts.flushed()
    assert Bridge(tmp_path, clock).cooker.context is None


async def test_an_offline_cooker_keeps_its_context(tmp_path: Path) -> None:
    bridge = await started_chicken(tmp_path, Clock())
    bridge.sees(CookerState(cooker_id="c1", type="a7", phase=CookerPhase.OFFLINE))
    assert bridge.cooker.food_type == "chicken breast"


async def test_stop_ends_the_context(tmp_path: Path) -> None:
    bridge = await started_chicken(tmp_path, Clock())
    await bridge.run(StopCommand())
    assert bridge.cooker.context is None


async def test_replace_without_a_food_keeps_the_food_in_the_bath(tmp_path: Path) -> None:
    bridge = await started_chicken(tmp_path, Clock())
    with pytest.raises(CommandError) as refused:
        await bridge.run(StartCommand(temperature_c=55.0, unit="C", timer_s=7200, replace=True))
    assert refused.value.code.value == "POULTRY_TEMP_UNSAFE"
    await bridge.run(StartCommand(temperature_c=65.0, unit="C", timer_s=3600, replace=True))
    assert bridge.cooker.food_type == "chicken breast"
    assert bridge.cooker.context is not None
    assert bridge.cooker.context.replaced_cook_id == "cook-1"
    bridge.sees(cooking("cook-1"))  # the old cook's state, still on its way
    assert bridge.cooker.context.cook_id is None
    bridge.sees(cooking("cook-2", target=65.0))
    assert bridge.cooker.context.cook_id == "cook-2"


async def test_a_timer_change_is_checked_against_the_food(tmp_path: Path) -> None:
    bridge = await started_chicken(tmp_path, Clock())
    with pytest.raises(CommandError) as refused:
        await bridge.run(SetTimerCommand(timer_s=1800))
    assert refused.value.code.value == "PASTEURIZATION_TIME_TOO_SHORT"


async def test_a_failed_start_leaves_the_previous_context(tmp_path: Path) -> None:
    bridge = await started_chicken(tmp_path, Clock())

    bridge.control.start_failure = AnovaRejectedError("failed to process command")
    pork = StartCommand(temperature_c=65.0, unit="C", timer_s=3600, food_type="pork", replace=True)
    with pytest.raises(AnovaRejectedError):
        await bridge.run(pork)
    assert bridge.cooker.food_type == "chicken breast"


def test_an_unreadable_file_is_an_empty_start_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "cooks.json").write_text("{not json")
    assert CookContextStore(tmp_path).load() == {}


def test_an_unwritable_directory_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert CookContextStore(blocker / "sub").save({}) is False


def salmon() -> StartCommand:
    return StartCommand(temperature_c=50.0, unit="C", timer_s=3 * 3600, food_type="salmon")


async def test_a_timer_extension_counts_the_cookers_own_time_in_the_water(tmp_path: Path) -> None:
    bridge = Bridge(tmp_path, Clock())
    bridge.sees(IDLE)
    await bridge.run(salmon())
    bridge.sees(cooking(target=50.0, total=3 * 3600, remaining=3600, in_water=2 * 3600))
    with pytest.raises(CommandError) as refused:
        await bridge.run(SetTimerCommand(timer_s=3 * 3600))
    assert refused.value.code.value == "LOW_TEMP_TIME_UNSAFE"
    await bridge.run(SetTimerCommand(timer_s=3600))
    assert ("timer", 3600) in bridge.control.calls


async def test_without_a_device_count_the_bridges_clock_counts(tmp_path: Path) -> None:
    clock = Clock()
    bridge = Bridge(tmp_path, clock, cooker_type="a3")
    bridge.sees(IDLE)
    await bridge.run(salmon())
    clock.now += timedelta(hours=2)
    after = Bridge(tmp_path, clock, cooker_type="a3")  # a restart does not reset it
    after.sees(cooking(None, target=50.0, total=3 * 3600, remaining=3600, cooker_type="a3"))
    await after.run(SetTemperatureCommand(temperature_c=52.0, unit="C"))  # 2 h + 1 h left: fine
    with pytest.raises(CommandError) as longer:
        await after.run(SetTimerCommand(timer_s=3 * 3600))
    assert longer.value.code.value == "LOW_TEMP_TIME_UNSAFE"


async def test_the_budget_guard_warns_once_then_stops_once_under_strict(tmp_path: Path) -> None:
    clock = Clock()
    bridge = Bridge(tmp_path, clock)
    bridge.sees(IDLE)
    await bridge.run(salmon())
    published: list[tuple[str, dict[str, object]]] = []
    stops: list[str] = []

    async def stop(cooker_id: str) -> None:
        stops.append(cooker_id)

    tasks: list[Coroutine[Any, Any, None]] = []
    guard = BudgetGuard(
        settings(),
        publish=lambda _c, e: published.append((e.name, e.details)),
        save=bridge.contexts.save,
        stop=stop,
        spawn=tasks.append,
        clock=clock,
    )
    for in_water in (3 * 3600, 3 * 3600 + 31 * 60, 3 * 3600 + 45 * 60, 4 * 3600, 4 * 3600 + 9):
        bridge.sees(cooking(target=50.0, remaining=0, in_water=in_water))
        guard.check(bridge.cooker)
    assert [name for name, _ in published] == ["low_temp_budget_ending", "low_temp_budget_spent"]
    assert published[1][1]["action"] == "stopped"
    assert len(tasks) == 1
    await tasks[0]
    assert stops == ["c1"]
    await bridge.contexts.flushed()
    restarted = Bridge(tmp_path, clock)
    assert restarted.cooker.context is not None
    assert restarted.cooker.context.budget_spent


async def test_a_cooker_that_leaves_the_list_for_a_while_keeps_its_context(tmp_path: Path) -> None:
    clock = Clock()
    bridge = await started_chicken(tmp_path, clock)
    bridge.contexts.release(bridge.cooker)
    del bridge.cookers["c1"]  # gone from the cloud's device list
    bridge.contexts.save()
    await bridge.contexts.flushed()
    assert Bridge(tmp_path, clock).cooker.food_type == "chicken breast"


async def test_a_start_that_timed_out_may_have_landed_so_its_context_waits(tmp_path: Path) -> None:
    bridge = Bridge(tmp_path, Clock())
    bridge.sees(IDLE)

    bridge.control.start_failure = AnovaTimeoutError("no answer")
    with pytest.raises(AnovaTimeoutError):
        await bridge.run(chicken())
    bridge.sees(cooking("landed-after-all"))
    assert bridge.cooker.food_type == "chicken breast"
    bridge.sees(IDLE)
    assert bridge.cooker.context is None
