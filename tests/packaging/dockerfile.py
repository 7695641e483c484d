"""A small reader for the repository's Dockerfile and .dockerignore (no Docker engine here).

Only what the packaging tests need: instructions grouped by build stage,
with line continuations joined, comments dropped and ``ARG`` defaults
substituted into ``FROM``; and the .dockerignore rules applied the way
Docker applies them (last matching rule wins, ``!`` re-includes).
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Instruction:
    """One Dockerfile instruction, e.g. ``COPY`` with its argument text."""

    keyword: str
    args: str
    line: int


@dataclass
class Stage:
    """Everything from one ``FROM`` to the next."""

    image: str
    name: str | None
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, keyword: str) -> list[Instruction]:
        """The stage's instructions with this keyword, in order."""
        return [ins for ins in self.instructions if ins.keyword == keyword]


def _logical_lines(text: str) -> list[tuple[int, str]]:
    lines: list[tuple[int, str]] = []
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if pending and stripped.startswith("#"):
            continue  # comments inside a continued instruction are dropped by Docker too
        if not pending:
            start = number
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        lines.append((start, pending + stripped))
        pending = ""
    return lines


def parse_dockerfile(path: Path = REPO / "Dockerfile") -> list[Stage]:
    """The build stages of a Dockerfile, global ``ARG`` defaults substituted."""
    args: dict[str, str] = {}
    stages: list[Stage] = []
    for line, text in _logical_lines(path.read_text(encoding="utf-8")):
        keyword, _, rest = text.partition(" ")
        keyword, rest = keyword.upper(), rest.strip()
        if keyword == "ARG" and not stages:
            name, _, default = rest.partition("=")
            args[name] = default
        elif keyword == "FROM":
            image = re.sub(r"\$\{(\w+)\}", lambda m: args.get(m.group(1), ""), rest.split()[0])
            alias = rest.split()[2] if len(rest.split()) == 3 else None
            stages.append(Stage(image=image, name=alias))
        else:
            stages[-1].instructions.append(Instruction(keyword, rest, line))
    return stages


def copy_sources(instruction: Instruction) -> list[str]:
    """The context paths a ``COPY`` reads; empty for ``COPY --from=<stage>``."""
    words = instruction.args.split()
    if any(word.startswith("--from=") for word in words):
        return []
    operands = [word for word in words if not word.startswith("--")]
    return operands[:-1]


def dockerignore_excludes(relative: str, rules: list[str]) -> bool:
    """True when Docker would leave ``relative`` (or a parent folder) out of the context."""
    parts = relative.strip("/").split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    excluded = False
    for rule in rules:
        negate = rule.startswith("!")
        pattern = rule[1:] if negate else rule
        pattern = pattern.strip("/").removeprefix("**/")
        if any(fnmatch.fnmatch(c, pattern) or fnmatch.fnmatch(c.split("/")[-1], pattern)
               for c in candidates):  # fmt: skip
            excluded = not negate
    return excluded


def dockerignore_rules(path: Path = REPO / ".dockerignore") -> list[str]:
    """The non-comment lines of .dockerignore."""
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]
