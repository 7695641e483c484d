"""docs/mqtt.md's oven commands and shortcut topics cannot drift from the oven's parsers.

Every oven action, command field and shortcut must be on the page, and every
oven JSON command and ``mosquitto_pub`` line there must be accepted by the
parsers the bridge uses for an oven.
"""

from __future__ import annotations

import json
import re

import pytest

from bridge.commands.oven_json import OVEN_ACTION_FIELDS, parse_oven_set_payload
from bridge.commands.oven_shortcuts import parse_oven_shortcut
from bridge.commands.oven_stage import STAGE_FIELDS
from bridge.contract import OVEN_ACTIONS, OVEN_EVENT_TYPES, OVEN_SHORTCUT_FIELDS
from bridge.errors import CommandError
from tests.docs.test_mqtt_doc import json_blocks, publish_examples, section

OVENS = section("Ovens")
OVEN_ID = "anova_precision_oven"


def subsection(title: str) -> str:
    """The text of one ``### title`` subsection of "Ovens"."""
    match = re.search(rf"^### {re.escape(title)}\n(.*?)(?=^##|\Z)", OVENS, re.MULTILINE | re.DOTALL)
    assert match, f"docs/mqtt.md's Ovens section has no '### {title}'"
    return match.group(1)


COMMANDS = subsection("Oven commands")
SHORTCUTS = subsection("Oven shortcut topics")


def rows(text: str) -> set[str]:
    return set(re.findall(r"^\| `([a-z_]+)` \|", text, re.MULTILINE))


def table_after(text: str, heading: str) -> str:
    """The first Markdown table after the line containing ``heading``."""
    rest = text.split(heading, 1)[1]
    match = re.search(r"^\|.*?(?=\n\n)", rest, re.MULTILINE | re.DOTALL)
    assert match, f"no table after {heading!r}"
    return match.group(0)


def test_every_oven_action_and_command_field_is_documented() -> None:
    for action in OVEN_ACTIONS:
        assert f"`{action}`" in COMMANDS, action
    fields = {"action", "request_id"}.union(*OVEN_ACTION_FIELDS.values())
    assert rows(table_after(COMMANDS, "And for the whole command")) == fields


def test_every_stage_field_is_in_the_stage_table() -> None:
    assert rows(table_after(COMMANDS, "A stage's fields")) == set(STAGE_FIELDS)


def test_every_oven_shortcut_has_a_row_and_an_example() -> None:
    for field in OVEN_SHORTCUT_FIELDS:
        assert f"-t 'anova/{OVEN_ID}/set/{field}'" in SHORTCUTS, f"no example for set/{field}"
    documented = set(re.findall(r"^\| `anova/<id>/set/([a-z_]+)` \|", SHORTCUTS, re.MULTILINE))
    assert documented == set(OVEN_SHORTCUT_FIELDS)


def test_every_json_command_example_is_accepted() -> None:
    commands = [doc for doc in json_blocks(COMMANDS) if "status" not in doc]
    assert {doc["action"] for doc in commands} == {"start", "set_next_stage"}
    for document in commands:
        parse_oven_set_payload(json.dumps(document).encode(), retained=False, default_unit="C")


def test_the_error_example_is_what_the_parser_answers() -> None:
    (answer,) = [doc for doc in json_blocks(COMMANDS) if "status" in doc]
    bad = {"action": "start", "stages": [{"temperature": 35}, {"temperature": "hot"}]}
    with pytest.raises(CommandError) as caught:
        parse_oven_set_payload(json.dumps(bad).encode(), retained=False, default_unit="C")
    error = caught.value
    assert answer["error"] == {
        "code": error.code.value,
        "field": error.field,
        "message": error.message,
    }


def test_every_publish_example_is_accepted_by_the_oven_parsers() -> None:
    examples = publish_examples(OVENS)
    assert len(examples) >= len(OVEN_SHORTCUT_FIELDS) + 5
    for argv in examples:
        assert "-r" not in argv, "never publish commands retained"
        topic = argv[argv.index("-t") + 1]
        payload = (argv[argv.index("-m") + 1] if "-m" in argv else "").encode()
        levels = topic.split("/")
        assert levels[:2] == ["anova", OVEN_ID], topic
        if levels[-1] == "set":
            parse_oven_set_payload(payload, retained=False, default_unit="C")
        else:
            parse_oven_shortcut(levels[-1], payload, retained=False, default_unit="C")


def test_every_oven_event_is_documented_and_no_other() -> None:
    table = subsection("Oven events")
    documented = set(
        re.findall(
            r"`([a-z_]+)`",
            "\n".join(line.split("|")[1] for line in table.splitlines() if line.startswith("| `")),
        )
    )
    assert documented == set(OVEN_EVENT_TYPES)
