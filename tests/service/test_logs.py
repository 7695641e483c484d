"""Log output: console for people at a terminal, JSON lines for machines, no secrets."""

from __future__ import annotations

import io
import json
import re

import structlog

from bridge.logs import configure_logging


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def emit(stream: io.StringIO) -> str:
    structlog.get_logger(component="test").info(
        "command_done", request_id="r-1", anova_token="anova-secret-value"
    )
    return stream.getvalue()


def test_a_pipe_gets_one_json_object_per_line_with_secrets_masked() -> None:
    stream = io.StringIO()
    configure_logging("info", stream=stream)
    (line,) = emit(stream).splitlines()
    record = json.loads(line)
    assert record["event"] == "command_done"
    assert record["request_id"] == "r-1"
    assert record["level"] == "info"
    assert record["timestamp"].endswith("Z")
    assert record["anova_token"] == "***"
    assert "anova-secret-value" not in line


def test_a_terminal_gets_readable_lines_not_json() -> None:
    stream = Terminal()
    configure_logging("info", stream=stream)
    text = re.sub(r"\x1b\[[0-9;]*m", "", emit(stream))  # colours on a terminal
    assert "command_done" in text
    assert "request_id=r-1" in text
    assert not text.lstrip().startswith("{")
    assert "anova-secret-value" not in text


def test_the_level_filters_quieter_lines() -> None:
    stream = io.StringIO()
    configure_logging("warning", stream=stream)
    assert emit(stream) == ""
