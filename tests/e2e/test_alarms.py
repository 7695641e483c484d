"""An alarm mid-cook, raised through the simulator's control surface, seen over MQTT.

An alarm is a flag on top of the cook: the cook, its food and ``mode`` stay,
``stop`` still stops it, and no ``cook_stopped``/``cook_started`` is
published for an alarm that comes and goes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import Stack, running_stack
from tests.e2e.fresh import next_on, seen

pytestmark = pytest.mark.integration

CHICKEN = {"action": "start", "temperature": 60, "duration": "1h30m", "food_type": "chicken breast"}


def event(name: str) -> Any:
    return lambda body: isinstance(body, dict) and body.get("event") == name


async def low_water(stack: Stack, index: int, *, on: bool) -> None:
    cooker_id = stack.sim.cookers[index].cooker_id
    async with httpx.AsyncClient(base_url=stack.sim.http_url) as http:
        answer = await http.post(f"/_sim/low_water/{cooker_id}", params={"on": "1" if on else "0"})
    answer.raise_for_status()


def events_named(stack: Stack, index: int, name: str) -> list[Any]:
    return [
        m.json() for m in stack.probe.on(stack.topic(index, "event")) if m.json()["event"] == name
    ]


@pytest.mark.parametrize("index", [0, 1], ids=["a7-gen3", "a5-gen2"])
async def test_an_alarm_keeps_the_cook_and_stop_still_stops_it(stack: Stack, index: int) -> None:
    started = await stack.command(index, {**CHICKEN, "request_id": f"go-{index}"})
    assert started["status"] == "ok", started
    await stack.probe.until(stack.topic(index, "event"), event("cook_started"))

    await low_water(stack, index, on=True)
    raised = await stack.probe.until(stack.topic(index, "event"), event("alarm"))
    assert raised.json()["alarm"] == "low_water"
    during = await stack.state(index, lambda body: body["alarms"]["low_water"])
    assert during["state"] == "alarm"
    assert during["mode"] == "heat"
    assert during["cook"] is not None
    assert during["cook"]["food_type"] == "chicken breast"
    assert events_named(stack, index, "cook_stopped") == []

    busy = await stack.command(index, {**CHICKEN, "request_id": f"again-{index}"})
    assert busy["error"]["code"] == "DEVICE_BUSY", busy

    await low_water(stack, index, on=False)
    await stack.probe.until(stack.topic(index, "event"), event("alarm_cleared"))
    cleared = await stack.state(index, lambda body: not body["alarms"]["low_water"])
    assert cleared["cook"]["food_type"] == "chicken breast"
    assert len(events_named(stack, index, "cook_started")) == 1

    since = seen(stack, index, "state")
    await low_water(stack, index, on=True)
    await next_on(stack, index, "state", since, lambda body: body["state"] == "alarm")
    stopped = await stack.command(index, {"action": "stop", "request_id": f"stop-{index}"})
    assert stopped["status"] == "ok", stopped
    assert stack.cloud_commands("CMD_APC_STOP"), "the stop reached the cooker"
    idle = await stack.state(index, lambda body: body["cook"] is None)
    assert idle["mode"] == "off"
    await stack.probe.until(stack.topic(index, "event"), event("cook_stopped"))


async def test_mode_off_stops_a_cooker_under_an_alarm(stack: Stack) -> None:
    assert (await stack.command(0, {**CHICKEN, "request_id": "go"}))["status"] == "ok"
    await low_water(stack, 0, on=True)
    await stack.state(0, lambda body: body["state"] == "alarm")
    stack.probe.publish(stack.topic(0, "set/mode"), "off")
    stopping = lambda body: isinstance(body, dict) and body.get("action") == "stop"  # noqa: E731
    answer = (await stack.probe.until(stack.topic(0, "response"), stopping, timeout=20)).json()
    assert answer["status"] == "ok", answer
    assert "nothing to stop" not in str(answer.get("warnings"))
    assert stack.cloud_commands("CMD_APC_STOP")
    await stack.state(0, lambda body: body["cook"] is None and body["mode"] == "off")


async def test_the_a3s_unnamed_alarm_is_raised_on_top_of_its_cook(tmp_path: Path) -> None:
    """The a3 says only ``isAlarmActive``: the state shows ``alarms.other``, the cook stays."""
    async with running_stack(tmp_path, cookers=1, types=("a3",)) as stack:
        started = await stack.command(0, {**CHICKEN, "request_id": "go"})
        assert started["status"] == "ok", started
        cooker_id = stack.sim.cookers[0].cooker_id
        async with httpx.AsyncClient(base_url=stack.sim.http_url) as http:
            raised = await http.post(
                f"/_sim/alarm/{cooker_id}", params={"name": "high_temp", "on": "1"}
            )
        raised.raise_for_status()
        alarm = await stack.probe.until(stack.topic(0, "event"), event("alarm"))
        assert alarm.json()["alarm"] == "other"
        during = await stack.state(0, lambda body: body["alarms"]["other"])
        assert (during["state"], during["mode"]) == ("alarm", "heat")
        assert during["cook"]["food_type"] == "chicken breast"
        stopped = await stack.command(0, {"action": "stop", "request_id": "stop"})
        assert stopped["status"] == "ok", stopped
