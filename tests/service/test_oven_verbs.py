"""The ovens' verbs through the real pipeline with a fake cloud: what a user is answered.

An oven is started by a plan; a change to its running cook is the rest of
the plan sent again; settings for the next start are kept while idle and
refused during a cook.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bridge.anova.commands import StartOvenCook, StopCook
from bridge.anova.device import CookerInfo
from bridge.anova.oven_model import OvenMode, OvenState, StageProgress, TimerStart
from bridge.anova.state import CookerPhase, CookInfo, TimerState
from tests.service.pipeline_rig import Rig

OVEN = CookerInfo(cooker_id="o1", name="Oven", type="oven_v2", kind="oven")
TOPIC = "oven"
IDLE = OvenState(cooker_id="o1", type="oven_v2", phase=CookerPhase.IDLE, version=2)
BAKING = OvenState(
    cooker_id="o1",
    type="oven_v2",
    phase=CookerPhase.COOKING,
    version=2,
    mode=OvenMode.DRY,
    target_temperature_c=200.0,
    timer=TimerState(total_s=1800, remaining_s=600, running=True),
    cook=CookInfo(id="cook-1", started_at=datetime(2026, 12, 2, 10, tzinfo=UTC)),
    stage=StageProgress(number=1, count=1),
    preheated=True,
)


def oven_rig(tmp_path: Path, state: OvenState) -> Rig:
    rig = Rig(tmp_path)
    rig.add_cooker(state, info=OVEN)
    return rig


def plans(rig: Rig) -> list[StartOvenCook]:
    return [c for c in rig.cloud.sent if isinstance(c, StartOvenCook)]


async def test_a_start_from_home_assistant_runs_the_kept_settings(tmp_path: Path) -> None:
    rig = oven_rig(tmp_path, IDLE)
    rig.send(b"210", field="target_temperature", topic_id=TOPIC)
    rig.send(b"steam", field="oven_mode", topic_id=TOPIC)
    rig.send(b"40", field="steam_percent", topic_id=TOPIC)
    rig.send(b"heat", field="mode", topic_id=TOPIC)
    *kept, started = await rig.answered(4, TOPIC)
    assert [a["status"] for a in kept] == ["ok", "ok", "ok"]
    assert started["status"] == "ok", started
    [plan] = plans(rig)
    [stage] = plan.plan.stages
    assert (stage.mode, stage.temperature_c, stage.steam_percent) == (OvenMode.STEAM, 210.0, 40)


async def test_a_start_with_nothing_kept_asks_for_a_temperature(tmp_path: Path) -> None:
    rig = oven_rig(tmp_path, IDLE)
    rig.send(b"start", field="start", topic_id=TOPIC)
    [answer] = await rig.answered(1, TOPIC)
    assert answer["error"]["code"] == "MISSING_FIELD"
    assert rig.cloud.sent == []


async def test_next_stage_settings_are_refused_during_a_cook(tmp_path: Path) -> None:
    rig = oven_rig(tmp_path, BAKING)
    rig.send(b"wet", field="oven_mode", topic_id=TOPIC)
    [answer] = await rig.answered(1, TOPIC)
    assert answer["error"]["code"] == "DEVICE_BUSY"
    assert answer["error"]["field"] == "mode"
    assert rig.cloud.sent == []


async def test_a_new_setpoint_mid_cook_sends_the_running_stage_with_its_time_left(
    tmp_path: Path,
) -> None:
    """The bridge did not start this cook (no plan known): the oven's state describes it."""
    rig = oven_rig(tmp_path, BAKING)
    rig.send(b"180", field="target_temperature", topic_id=TOPIC)
    [answer] = await rig.answered(1, TOPIC)
    assert answer["status"] == "ok", answer
    [plan] = plans(rig)
    [stage] = plan.plan.stages
    assert stage.temperature_c == 180.0
    assert stage.timer_s == 600, "only the time left"
    assert (stage.preheat, stage.timer_start) == (False, TimerStart.IMMEDIATELY)


async def test_a_new_timer_mid_cook_runs_from_now(tmp_path: Path) -> None:
    rig = oven_rig(tmp_path, BAKING)
    rig.send({"action": "set_timer", "duration": "45m", "request_id": "t"}, topic_id=TOPIC)
    [answer] = await rig.answered(1, TOPIC)
    assert answer["status"] == "ok", answer
    [plan] = plans(rig)
    assert plan.plan.stages[0].timer_s == 45 * 60


async def test_an_idle_setpoint_above_the_oven_is_refused_and_not_kept(tmp_path: Path) -> None:
    rig = oven_rig(tmp_path, IDLE)
    rig.send(b"260", field="target_temperature", topic_id=TOPIC)
    rig.send(b"start", field="start", topic_id=TOPIC)
    too_hot, start = await rig.answered(2, TOPIC)
    assert too_hot["error"]["code"] == "TEMPERATURE_TOO_HIGH"
    assert start["error"]["code"] == "MISSING_FIELD"


async def test_stop_is_the_shared_verb_and_reaches_the_oven(tmp_path: Path) -> None:
    rig = oven_rig(tmp_path, BAKING)
    rig.send({"action": "stop", "request_id": "s"}, topic_id=TOPIC)
    [answer] = await rig.answered(1, TOPIC)
    assert answer["status"] == "ok"
    assert rig.cloud.sent == [StopCook("o1")]


async def test_a_plan_the_bridge_did_not_send_is_not_cut_short_by_a_change(
    tmp_path: Path,
) -> None:
    """Stage 1 of 2 started on the oven: resending one stage would drop the second."""
    first_of_two = BAKING.model_copy(update={"stage": StageProgress(number=1, count=2)})
    rig = oven_rig(tmp_path, first_of_two)
    rig.send(b"180", field="target_temperature", topic_id=TOPIC)
    [answer] = await rig.answered(1, TOPIC)
    assert answer["error"]["code"] == "DEVICE_BUSY"
    assert "stage 1 of 2" in answer["error"]["message"]
    assert rig.cloud.sent == []


async def test_the_plan_sent_survives_a_restart_so_a_change_keeps_the_later_stages(
    tmp_path: Path,
) -> None:
    before = oven_rig(tmp_path, IDLE)
    two_stages = {
        "action": "start",
        "stages": [
            {"temperature": 200, "duration": "30m"},
            {"temperature": 150, "duration": "10m"},
        ],
        "request_id": "plan",
    }
    before.send(two_stages, topic_id=TOPIC)
    [started] = await before.answered(1, TOPIC)
    assert started["status"] == "ok", started
    await before.contexts.flushed()

    after = Rig(tmp_path)  # the bridge again, reading the same data directory
    after.add_cooker(
        BAKING.model_copy(update={"stage": StageProgress(number=1, count=2)}), info=OVEN
    )
    after.send(b"180", field="target_temperature", topic_id=TOPIC)
    [answer] = await after.answered(1, TOPIC)
    assert answer["status"] == "ok", answer
    [plan] = plans(after)
    assert [stage.temperature_c for stage in plan.plan.stages] == [180.0, 150.0]
    assert plan.plan.stages[0].timer_s == 600, "the first stage's time left"
