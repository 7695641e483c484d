"""docs/mqtt.md cannot drift from the code.

Every topic the code builds, every shortcut, bridge request, event, state
key, command field and error code must be on the page, nothing stale may
be, and the JSON and ``mosquitto_pub`` examples must be accepted by the
same parsers the bridge uses.
"""

from __future__ import annotations

import inspect
import json
import re
import shlex
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from bridge.anova.device import CookerInfo
from bridge.anova.state import CookerPhase, CookerState, CookInfo, TimerState
from bridge.commands import parse_bridge_request, parse_set_payload, parse_shortcut
from bridge.commands.json_command import ACTION_FIELDS
from bridge.contract import SHORTCUT_FIELDS
from bridge.errors import ErrorCode
from bridge.kinds.kind import StateInputs
from bridge.mqtt.topics import BRIDGE_ACTIONS, Topics
from bridge.service.events import EVENT_TYPES
from bridge.service.payloads import state_payload
from tests.packaging.dockerfile import REPO

DOC_PATH = REPO / "docs" / "mqtt.md"
DOC = DOC_PATH.read_text(encoding="utf-8")
PLACEHOLDERS = {"topic_id": "<id>", "action": "<action>", "field": "<field>"}


def section(title: str) -> str:
    """The text of one ``## title`` section."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", DOC, re.MULTILINE | re.DOTALL)
    assert match, f"docs/mqtt.md has no '## {title}' section"
    return match.group(1)


def built_topics() -> Iterator[tuple[str, str]]:
    """Every topic a :class:`Topics` builder makes, with placeholders for its arguments."""
    topics = Topics("anova")
    for name, member in inspect.getmembers(Topics):
        if name.startswith("_") or name in {"parse", "subscriptions", "base"}:
            continue
        if isinstance(member, property):
            yield name, getattr(topics, name)
        elif callable(member):
            params = list(inspect.signature(member).parameters)[1:]
            yield name, getattr(topics, name)(*(PLACEHOLDERS[p] for p in params))


@pytest.mark.parametrize(("builder", "topic"), list(built_topics()))
def test_every_topic_is_documented(builder: str, topic: str) -> None:
    assert f"`{topic}`" in DOC, f"Topics.{builder} → {topic} is not in docs/mqtt.md"


def test_every_error_code_is_documented_and_no_stale_code_is() -> None:
    table = section("Error codes")
    user_codes = {code.value for code in ErrorCode} - {ErrorCode.CONFIG_INVALID.value}
    listed = set(re.findall(r"^\| `([A-Z_]+)` \|", table, re.MULTILINE))
    assert listed == user_codes
    mentioned = set(re.findall(r"`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)`", DOC))
    assert mentioned <= user_codes, f"unknown codes in the doc: {mentioned - user_codes}"


def test_every_shortcut_has_a_row_and_an_example() -> None:
    text = section("Shortcut topics")
    for field in SHORTCUT_FIELDS:
        assert f"| `anova/<id>/set/{field}` |" in text, field
        assert f"-t 'anova/sous_vide_1/set/{field}'" in text, f"no example for set/{field}"
    rows = set(re.findall(r"^\| `anova/<id>/set/([a-z_]+)` \|", text, re.MULTILINE))
    assert rows == set(SHORTCUT_FIELDS)


def test_every_bridge_request_has_a_row_and_an_example() -> None:
    text = section("Bridge requests")
    for action in BRIDGE_ACTIONS:
        assert f"| `{action}` |" in text, action
        assert f"-t 'anova/bridge/request/{action}'" in text, f"no example for {action}"


def test_every_event_is_documented_and_no_other() -> None:
    rows = set(re.findall(r"^\| `([a-z_]+)` \|", section("Events"), re.MULTILINE))
    assert rows == set(EVENT_TYPES)


def _cooking_state_payload() -> dict[str, Any]:
    now = datetime(2026, 11, 23, 10, tzinfo=UTC)
    info = CookerInfo(cooker_id="c1", name="Sous Vide 1", type="a7")
    state = CookerState(
        cooker_id="c1", type="a7", phase=CookerPhase.COOKING, current_temperature_c=60.0,
        target_temperature_c=60.0, timer=TimerState(total_s=60, remaining_s=30, running=True),
        cook=CookInfo(id="k1", started_at=now, ends_at=now), firmware="1",
    )  # fmt: skip
    return state_payload(StateInputs(info, state, unit="C", online=True, food_type="beef"))


def test_every_state_key_is_documented() -> None:
    payload = _cooking_state_payload()
    text = section("State")
    rows = set(re.findall(r"^\| `([a-z_]+)` \|", text, re.MULTILINE))
    assert rows == set(payload), "the key table must list exactly the state's keys"
    for key, value in payload.items():
        for inner in value if isinstance(value, dict) else ():
            assert f"`{inner}`" in text, f"state.{key}.{inner} is not explained"
    example = json.loads(re.search(r"```json\n(.*?)```", text, re.DOTALL).group(1))  # type: ignore[union-attr]
    assert set(example) == set(payload)
    for key, value in payload.items():
        if isinstance(value, dict):
            assert set(example[key]) == set(value), key


def test_every_command_field_and_action_is_documented() -> None:
    text = section("Commands")
    rows = set(re.findall(r"^\| `([a-z_]+)` \|", text, re.MULTILINE))
    fields = {"action", "request_id"}.union(*ACTION_FIELDS.values())
    assert rows == fields
    for action in ACTION_FIELDS:
        assert f"`{action}`" in text, action


def json_blocks(text: str = DOC) -> Iterator[Any]:
    """Every JSON document in the ``json`` code blocks of ``text`` (a block may hold several)."""
    decoder = json.JSONDecoder()
    for block in re.findall(r"```json\n(.*?)```", text, re.DOTALL):
        text, index = block.strip(), 0
        while index < len(text):
            document, end = decoder.raw_decode(text, index)
            yield document
            index = end
            while index < len(text) and text[index].isspace():
                index += 1


def test_json_examples_are_valid_json() -> None:
    assert len(list(json_blocks())) >= 8


def publish_examples(text: str | None = None) -> list[list[str]]:
    """Every ``mosquitto_pub`` line as argv (continuations joined).

    By default those of the cookers' part of the doc: the "Ovens" section's
    examples talk to an oven, and tests/docs/test_mqtt_oven_doc.py checks them.
    """
    text = (DOC.replace(section("Ovens"), "") if text is None else text).replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip().startswith("mosquitto_pub")]
    return [shlex.split(line.replace("$MQTT", ""), comments=True) for line in lines]


def _option(argv: list[str], flag: str) -> str | None:
    return argv[argv.index(flag) + 1] if flag in argv else None


def test_publish_examples_are_accepted_by_the_bridge_parsers() -> None:
    examples = publish_examples()
    assert len(examples) >= 14
    for argv in examples:
        assert "-r" not in argv, "never publish commands retained"
        topic = _option(argv, "-t")
        assert topic is not None
        payload = (_option(argv, "-m") or "").encode()
        levels = topic.split("/")
        if levels[1] == "bridge":
            parse_bridge_request(levels[-1], payload, retained=False)
        elif levels[-1] == "set":
            parse_set_payload(payload, retained=False, default_unit="C")
        else:
            parse_shortcut(levels[-1], payload, retained=False, default_unit="C")
