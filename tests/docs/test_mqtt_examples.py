"""The ``mosquitto_pub`` / ``mosquitto_rr`` lines of docs/mqtt.md, run for real, in page order.

Against a live stack (mosquitto + simulator + bridge), each example must get
an ``ok`` answer: a reader copying the page, top to bottom, must never be
refused.
"""

from __future__ import annotations

import asyncio
import json
import shlex
import shutil
from pathlib import Path

import pytest

from bridge.settings import RateLimitSettings
from tests.docs.test_mqtt_doc import DOC, publish_examples
from tests.e2e.conftest import Stack, running_stack

pytestmark = pytest.mark.integration


def _connection(stack: Stack) -> list[str]:
    return ["-h", "127.0.0.1", "-p", str(stack.broker.port)]


def _response_topic(topic: str) -> str:
    levels = topic.split("/")
    if levels[1] == "bridge":
        return f"anova/bridge/response/{levels[-1]}"
    return f"anova/{levels[1]}/response"


async def _run(argv: list[str]) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        *argv, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    out, _ = await asyncio.wait_for(proc.communicate(), 40)
    assert proc.returncode is not None
    return proc.returncode, out.decode()


async def _answer_of(stack: Stack, argv: list[str]) -> dict[str, object]:
    topic = argv[argv.index("-t") + 1]
    answers = _response_topic(topic)
    before = len(stack.probe.on(answers))
    code, out = await _run([argv[0], *_connection(stack), *argv[1:]])
    assert code == 0, out
    await stack.probe.until(answers, lambda _body: len(stack.probe.on(answers)) > before)
    answer: dict[str, object] = stack.probe.on(answers)[before].json()
    return answer


async def test_every_publish_example_gets_a_sensible_answer(tmp_path: Path) -> None:
    # A person pastes these one by one; run back to back they would trip the
    # default burst of 10 commands, so the bucket is widened here.
    limit = RateLimitSettings(burst=50)
    async with running_stack(tmp_path, cookers=1, types=("a7",), rate_limit=limit) as stack:
        assert stack.topic(0, "state") == "anova/sous_vide_1/state", "the page's topic id"
        for argv in publish_examples():
            answer = await _answer_of(stack, argv)
            assert answer["status"] == "ok", (shlex.join(argv), answer)


async def test_the_mosquitto_rr_example_returns_the_answer(tmp_path: Path) -> None:
    if shutil.which("mosquitto_rr") is None:
        pytest.skip("mosquitto_rr is not installed")
    line = next(line for line in DOC.replace("\\\n", " ").splitlines() if "mosquitto_rr" in line)
    argv = shlex.split(line.replace("$MQTT", "").replace("$$", "1"))
    async with running_stack(tmp_path, cookers=1, types=("a7",)) as stack:
        code, out = await _run([argv[0], *_connection(stack), *argv[1:]])
    assert code == 0, out
    answer = json.loads(out)
    assert answer["action"] == "set_temperature"
    assert answer["status"] == "ok"
