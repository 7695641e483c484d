"""The a3 as recorded from a real device: its shape, its lower-case stages, its gaps.

Fixtures: ``recorded-a3.json`` is the push in anova-api.md (from anova-wifi's
``tests/example_data.py``) key for key; ``anova-a3-*.json`` vary it one
fact at a time (each stage, ``null`` job or stage, a partial push).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from websockets.asyncio.server import ServerConnection, serve

from bridge.anova.client import AnovaClient
from bridge.anova.commands import StartCook, StopCook
from bridge.anova.fields import MalformedStateError
from bridge.anova.parsing import parse_state
from bridge.anova.partial import PartialStates
from bridge.anova.state import CookerPhase
from bridge.settings import AnovaSettings
from bridge.simulator import CloudSimulator
from tests.anova.conftest import Harness, Recorder
from tests.anova.test_client_cooking import advance_until
from tests.support.waiting import async_wait_until

FIXTURES = Path(__file__).parents[1] / "fixtures"
NOW = datetime(2024, 7, 5, 21, 50, tzinfo=UTC)
CID = "anova-a3-cooker-1"
WIFI_ENTRY = {"cookerId": CID, "type": "a3", "pairedAt": "2023-08-12T02:33:20Z", "name": "A3"}


def event(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FIXTURES / f"anova-a3-{name}.json").read_text())
    return loaded


def recorded_payload() -> dict[str, Any]:
    state = json.loads((FIXTURES / "recorded-a3.json").read_text())
    return {"cookerId": "anova random-id", "type": "a3", "state": state}


def test_the_recorded_push_reads_as_cooking_in_fahrenheit() -> None:
    state = parse_state(recorded_payload(), NOW)
    assert state.phase is CookerPhase.COOKING
    assert state.unit == "F"
    assert state.current_temperature_c == pytest.approx((96.1 - 32) * 5 / 9, abs=0.01)
    assert state.target_temperature_c == pytest.approx(35.61, abs=0.01)
    assert state.firmware == "ver 5.5.1"
    assert (state.timer.total_s, state.timer.remaining_s, state.timer.running) == (840, 840, True)
    assert state.cook is not None
    assert state.cook.id == "random_job_id"


def test_an_active_alarm_is_a_flag_on_top_of_the_cook() -> None:
    payload = recorded_payload()
    payload["state"]["isAlarmActive"] = True
    state = parse_state(payload, NOW)
    assert state.alarms.active() == ["other"]
    assert state.phase is CookerPhase.COOKING
    assert state.cook is not None
    assert parse_state(recorded_payload(), NOW).alarms.active() == []


@pytest.mark.parametrize(
    ("variant", "phase"),
    [
        ("cooking", CookerPhase.COOKING),
        ("heating", CookerPhase.PREHEATING),
        ("keeping-warm", CookerPhase.MAINTAINING),
        ("idle", CookerPhase.IDLE),
        # A running cook whose stage is not known still reads as cooking.
        ("null-job", CookerPhase.COOKING),
        ("null-stage", CookerPhase.COOKING),
    ],
)
def test_each_recorded_stage_maps_to_its_phase(variant: str, phase: CookerPhase) -> None:
    state = parse_state(event(variant)["payload"], NOW)
    assert state.phase is phase
    assert state.target_temperature_c == pytest.approx(35.61, abs=0.01)


def test_keeping_warm_has_no_time_left() -> None:
    state = parse_state(event("keeping-warm")["payload"], NOW)
    assert (state.timer.remaining_s, state.timer.running) == (0, False)


def test_a_partial_push_alone_is_malformed_not_a_crash() -> None:
    with pytest.raises(MalformedStateError):
        parse_state({**event("partial")["payload"], "state": {"currentTemperature": 1.0}}, NOW)


def test_partial_and_null_pushes_keep_what_the_last_push_said() -> None:
    partial = PartialStates()
    parse_state(partial.complete(event("keeping-warm")["payload"]), NOW)
    update = parse_state(partial.complete(event("partial")["payload"]), NOW)
    assert update.phase is CookerPhase.MAINTAINING, "the stage was not in the push"
    assert update.current_temperature_c == pytest.approx((95.9 - 32) * 5 / 9, abs=0.01)
    assert update.unit == "F"
    nulls = parse_state(partial.complete(event("null-stage")["payload"]), NOW)
    assert nulls.phase is CookerPhase.MAINTAINING, "a null stage is not news"


def test_a_cooker_that_left_the_device_list_is_forgotten() -> None:
    partial = PartialStates()
    partial.complete(event("keeping-warm")["payload"])
    partial.keep_only(set())
    alone = parse_state(partial.complete(event("partial")["payload"]), NOW)
    assert (alone.phase, alone.unit) == (CookerPhase.COOKING, None), "nothing remembered"


def test_gen3_and_gen2_pushes_are_not_merged() -> None:
    partial = PartialStates()
    payload = {"cookerId": "x", "type": "a7", "state": {"nodes": {}}}
    assert partial.complete(payload) is payload


async def test_the_client_follows_an_a3_through_every_stage(
    make_sim: Callable[..., Awaitable[CloudSimulator]],
) -> None:
    sim = await make_sim(cookers=1, types=["a3"])
    harness = Harness(sim)
    try:
        client, recorder, _ = await harness.start()
        cooker_id = sim.cookers[0].cooker_id
        started = await client.execute(StartCook(cooker_id, 56.0, 300, "F"))
        assert started.confirmed
        assert started.state is not None
        assert started.state.phase is CookerPhase.PREHEATING
        assert started.state.firmware == "ver 5.5.1"
        assert started.state.unit == "F"
        await advance_until(sim, client, cooker_id, CookerPhase.MAINTAINING)
        assert recorder.phases(cooker_id)[:4] == [
            CookerPhase.IDLE,
            CookerPhase.PREHEATING,
            CookerPhase.COOKING,
            CookerPhase.MAINTAINING,
        ]
        stopped = await client.execute(StopCook(cooker_id))
        assert stopped.confirmed
    finally:
        await harness.stop_all()


async def test_the_client_survives_partial_and_null_pushes_over_a_real_socket() -> None:
    """A bare server on a real socket sends the recorded variants the simulator never would."""
    frames = [
        {"command": "EVENT_APC_WIFI_LIST", "payload": [WIFI_ENTRY]},
        event("keeping-warm"),
        event("partial"),
        event("null-stage"),
        event("null-job"),
        {"command": "EVENT_APC_STATE", "payload": {"cookerId": CID, "type": "a3", "state": None}},
        event("heating"),
    ]

    async def greet(ws: ServerConnection) -> None:
        for frame in frames:
            await ws.send(json.dumps(frame))
        await ws.wait_closed()

    async with serve(greet, "127.0.0.1", 0) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        settings = AnovaSettings(token=SecretStr("anova-test"), url=f"ws://127.0.0.1:{port}")
        recorder = Recorder()
        client = AnovaClient(settings, recorder)
        task = asyncio.create_task(client.run())
        try:
            await async_wait_until(
                lambda: len(recorder.states) == 5, timeout=5, what="every readable push"
            )
            phases = [s.phase for s in recorder.states]
            # keeping_warm; partial (stage kept); null stage (kept); null job (kept); heating.
            assert phases == [CookerPhase.MAINTAINING] * 4 + [CookerPhase.PREHEATING]
            assert recorder.states[1].current_temperature_c == pytest.approx(35.5, abs=0.01)
            assert client.connected, "the unreadable push was skipped, the socket kept"
        finally:
            await client.close()
            await asyncio.wait_for(task, 5)
