"""Every log line's event is a snake_case name: stable to grep, alert and count on.

What happened in words goes in the module's comments and docs; the event
itself is a name, and the details are keys (``cooker_id``, ``code``, …).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "bridge"
LEVELS = {"debug", "info", "warning", "error", "exception", "critical"}
SNAKE = re.compile(r"[a-z][a-z0-9_]*")
# mqtt/ is being split by concern; its lines follow when that lands.
NOT_YET = {"mqtt"}


def event_names(path: Path) -> list[tuple[int, str]]:
    """The literal event of each ``log.<level>("…")``-style call in ``path``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in LEVELS or not node.args:
            continue
        if not re.search(r"log|bound", ast.unparse(node.func.value)):
            continue
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            found.append((node.lineno, first.value))
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.relative_to(PACKAGE).parts[0] not in NOT_YET)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_log_events_are_snake_case_names(path: Path) -> None:
    wordy = [
        f"{path.name}:{line} {name!r}"
        for line, name in event_names(path)
        if not SNAKE.fullmatch(name)
    ]
    assert wordy == []


def test_the_finder_sees_a_sentence(tmp_path: Path) -> None:
    module = tmp_path / "chatty.py"
    module.write_text('log.info("cook ended; dropped", cooker_id=1)\nlog.info("cook_ended")\n')
    assert event_names(module) == [(1, "cook ended; dropped"), (2, "cook_ended")]
