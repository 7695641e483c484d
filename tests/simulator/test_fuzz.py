"""Mangled commands never take the fake cloud down, and each gets exactly one answer."""

from __future__ import annotations

import json
import random
from collections import Counter
from typing import Any

from bridge.simulator import CloudSimulator
from tests.simulator.conftest import CloudClient, start_payload
from tests.support.waiting import async_wait_until

WEIRD_VALUES: list[Any] = [
    None,
    True,
    -1,
    0,
    1e308,
    float("inf"),
    "",
    "x" * 5000,
    [],
    {},
    {"nested": [1, {"deeper": None}]},
    "a7",
    "F",
    99.5,
]
COMMANDS = [
    "CMD_APC_START",
    "CMD_APC_STOP",
    "CMD_APC_SET_TEMPERATURE_UNIT",
    "CMD_APC_SET_TARGET_TEMP",
    "CMD_APC_SET_TIMER",
    "CMD_APC_UNKNOWN",
]


def mangled(rng: random.Random, base: dict[str, Any], index: int) -> str:
    payload = dict(base)
    for _ in range(rng.randint(1, 3)):
        key = rng.choice([*payload, "extra"])
        if rng.random() < 0.3:
            payload.pop(key, None)
        else:
            payload[key] = rng.choice(WEIRD_VALUES)
    frame = {"command": rng.choice(COMMANDS), "requestId": f"fuzz-{index}", "payload": payload}
    # json.dumps writes a bare Infinity for inf; the simulator reads it and refuses the value.
    return json.dumps(frame)


async def test_three_hundred_mangled_commands_each_get_one_answer(
    sim: CloudSimulator, client: CloudClient
) -> None:
    rng = random.Random(20240705)
    base = start_payload(sim.cookers[0])
    frames = [mangled(rng, base, i) for i in range(300)]
    for frame in frames:
        await client.ws.send(frame)

    def answered() -> bool:
        answers = [f for f in client.frames if f.get("command") == "RESPONSE"]
        return len(answers) >= len(frames)

    await async_wait_until(answered, what="an answer to every frame")
    counts = Counter(f.get("requestId") for f in client.frames if f.get("command") == "RESPONSE")
    assert counts == {f"fuzz-{i}": 1 for i in range(300)}
    assert await client.command("CMD_APC_STOP", {"cookerId": base["cookerId"], "type": "a7"}) == {
        "status": "ok"
    }
