"""The gate and its router, with a fake cloud and a fake broker: what each command gets.

Hold, parse, dedupe, rate limit, lane: every command gets exactly one
response, and only admitted commands reach the cloud.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from bridge.anova.commands import SetTarget, StartCook, StopCook
from tests.service.pipeline_rig import COOKING, Rig
from tests.support.waiting import async_wait_until


def codes(responses: list[dict[str, Any]]) -> list[str]:
    return [r["error"]["code"] if r["status"] == "error" else "ok" for r in responses]


async def test_malformed_input_is_answered_with_its_code_and_never_reaches_the_cloud(
    tmp_path: Path,
) -> None:
    rig = Rig(tmp_path)
    rig.add_cooker()
    rig.send(b"{not json")
    rig.send({"action": "boil", "request_id": "r-2"})
    rig.send({"action": "stop", "request_id": "r-3"}, retain=True)
    rig.send(b"sixty", field="target_temperature")
    answers = await rig.answered(4)
    assert codes(answers) == [
        "INVALID_PAYLOAD",
        "UNKNOWN_ACTION",
        "RETAINED_COMMAND_REJECTED",
        "INVALID_FIELD",
    ]
    assert [a["request_id"] for a in answers[1:3]] == ["r-2", "r-3"], "the id is echoed"
    assert rig.cloud.sent == []
    assert rig.events() == [], "input errors are answered only, never repeated as events"


async def test_a_command_for_an_unknown_topic_id_names_where_the_known_ones_are(
    tmp_path: Path,
) -> None:
    rig = Rig(tmp_path)
    rig.add_cooker()
    rig.send({"action": "stop", "request_id": "r-1"}, topic_id="nobody")
    [answer] = await rig.answered(1, topic_id="nobody")
    assert answer["error"]["code"] == "UNKNOWN_DEVICE"
    assert "anova/bridge/info" in answer["error"]["message"]


async def test_commands_before_the_device_list_wait_and_run_in_order_once_it_comes(
    tmp_path: Path,
) -> None:
    rig = Rig(tmp_path)
    cooker = rig.add_cooker(COOKING, open_gate=False)
    rig.send({"action": "set_temperature", "temperature": 61, "request_id": "early-1"})
    rig.send({"action": "stop", "request_id": "early-2"})
    await asyncio.sleep(0)
    assert rig.responses() == [], "nothing is refused while the cookers are unknown"
    rig.pipeline.gate.open()
    answers = await rig.answered(2)
    assert [(a["request_id"], a["status"]) for a in answers] == [
        ("early-1", "ok"),
        ("early-2", "ok"),
    ]
    assert rig.cloud.sent == [SetTarget("c1", 61.0, "C"), StopCook("c1")]
    assert cooker.cooker_id == "c1"


async def test_a_repeated_request_id_is_answered_again_but_runs_once(tmp_path: Path) -> None:
    rig = Rig(tmp_path)
    rig.add_cooker()
    rig.cloud.hold = asyncio.Event()
    start = {"action": "start", "temperature": 60, "request_id": "once"}
    rig.send(start)
    await async_wait_until(lambda: rig.cloud.sent, timeout=5, what="the start in flight")
    rig.send(start)  # a redelivery while the first is still at the cloud
    rig.cloud.hold.set()
    first, second = await rig.answered(2)
    rig.send(start)  # and one after it was answered
    answers = await rig.answered(3)
    assert first == second == answers[2]
    assert first["status"] == "ok"
    assert rig.cloud.sent == [StartCook("c1", 60.0, 0, "C")]


async def test_a_burst_beyond_the_limit_is_refused_and_never_sent(tmp_path: Path) -> None:
    rig = Rig(tmp_path, burst=3, per_second=0.001)  # no token comes back during the test
    rig.add_cooker(COOKING)
    for n in range(6):
        rig.send({"action": "set_timer", "time_minutes": 10 + n, "request_id": f"t-{n}"})
    answers = await rig.answered(6)
    by_id = {a["request_id"]: codes([a])[0] for a in answers}
    assert sorted(by_id.values()).count("RATE_LIMITED") == 3
    assert [by_id[f"t-{n}"] for n in range(3)] == ["ok", "ok", "ok"]
    assert len(rig.cloud.sent) == 3
    refused = next(a for a in answers if codes([a])[0] == "RATE_LIMITED")
    assert "Sous Vide" in refused["error"]["message"]


async def test_slider_values_queued_behind_a_slow_one_collapse_into_the_last(
    tmp_path: Path,
) -> None:
    rig = Rig(tmp_path, burst=2)
    rig.add_cooker(COOKING)
    rig.cloud.hold = asyncio.Event()
    rig.send(b"58", field="target_temperature")
    await async_wait_until(lambda: rig.cloud.sent, timeout=5, what="the first value in flight")
    # 59 takes the last token; 60 and 61 replace a queued value and take none.
    for value in (b"59", b"60", b"61"):
        rig.send(value, field="target_temperature")
    rig.cloud.hold.set()
    answers = await rig.answered(4)
    assert [a["status"] for a in answers] == ["ok"] * 4
    superseded = [a for a in answers if a["data"].get("superseded")]
    assert len(superseded) == 2
    assert rig.cloud.sent == [SetTarget("c1", 58.0, "C"), SetTarget("c1", 61.0, "C")]
