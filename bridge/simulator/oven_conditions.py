"""The v2 oven's stage conditions: ``{"and"|"or": {"<path>": {"<op>": value}}}``.

anova-oven-api.md §3.2 lists the paths the app emits and the operators of
the schema (``= < <= > >= equals exists``). The simulator reads them into
:class:`Conditions` and checks them against the values the oven reports
now (:func:`holds`); v1 plans are translated into the same form
(:mod:`bridge.simulator.oven_plan`), so one stage machine runs both.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

USER_ACTION = "userAction"
TIMER_MODE = "nodes.timer.mode"
PROBE_CONNECTED = "nodes.temperatureProbe.connected"
PROBE_CURRENT = "nodes.temperatureProbe.current.celsius"


class PlanError(ValueError):
    """A plan or condition the oven cannot run; the text names the stage and field."""


def bulb_current(bulb: str) -> str:
    """The path of a bulb's current temperature (``dry`` or ``wet``)."""
    return f"nodes.temperatureBulbs.{bulb}.current.celsius"


def _compare(op: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def check(actual: Any, wanted: Any) -> bool:
        numbers = (int, float)
        if not isinstance(actual, numbers) or not isinstance(wanted, numbers):
            return False
        return bool(op(actual, wanted))

    return check


OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "=": lambda actual, wanted: actual is not None and actual == wanted,
    "equals": lambda actual, wanted: actual is not None and actual == wanted,
    "exists": lambda actual, wanted: (actual is not None) == bool(wanted),
    "<": _compare(operator.lt),
    "<=": _compare(operator.le),
    ">": _compare(operator.gt),
    ">=": _compare(operator.ge),
}


@dataclass(frozen=True)
class Clause:
    """One ``path op value`` test."""

    path: str
    op: str
    value: Any


@dataclass(frozen=True)
class Conditions:
    """Clauses joined by ``and`` or ``or``; no clauses means "no condition"."""

    join: str = "and"
    clauses: tuple[Clause, ...] = ()

    @property
    def empty(self) -> bool:
        """True when there is nothing to test."""
        return not self.clauses

    def mentions(self, path: str) -> bool:
        """True when some clause tests ``path``."""
        return any(clause.path == path for clause in self.clauses)

    def without(self, path: str) -> Conditions:
        """The same conditions with every clause on ``path`` dropped."""
        kept = tuple(c for c in self.clauses if c.path != path)
        return Conditions(self.join, kept)

    def holds(self, values: Mapping[str, Any]) -> bool:
        """Whether the conditions are met by ``values`` (path → value); empty holds."""
        results = [OPERATORS[c.op](values.get(c.path), c.value) for c in self.clauses]
        if not results:
            return True
        return all(results) if self.join == "and" else any(results)


def all_of(*clauses: Clause) -> Conditions:
    """An ``and`` of ``clauses``."""
    return Conditions("and", clauses)


def parse_conditions(raw: Any, where: str) -> Conditions:
    """Read ``{"conditions": {...}}`` (or nothing, for no condition).

    Raises:
        ValueError: a shape or operator the schema does not allow, naming ``where``.
    """
    if raw is None:
        return Conditions()
    if not isinstance(raw, dict):
        raise PlanError(f"{where} must be an object")
    block = raw.get("conditions")
    if block is None:
        return Conditions()
    if not isinstance(block, dict) or len(block) != 1:
        raise PlanError(f"{where}.conditions must hold exactly one of and/or")
    join, tests = next(iter(block.items()))
    if join not in ("and", "or") or not isinstance(tests, dict):
        raise PlanError(f"{where}.conditions must be {{'and'|'or': {{path: {{op: value}}}}}}")
    return Conditions(join, tuple(_clauses(tests, where)))


def _clauses(tests: dict[str, Any], where: str) -> list[Clause]:
    clauses = []
    for path, test in tests.items():
        if not isinstance(test, dict) or not test:
            raise PlanError(f"{where}: {path} needs {{op: value}}")
        for op, value in test.items():
            if op not in OPERATORS:
                raise PlanError(f"{where}: unknown operator {op!r}")
            clauses.append(Clause(path, op, value))
    return clauses
