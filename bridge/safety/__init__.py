"""Food-safety rules and pasteurization tables (docs/food-safety.md).

The service calls :func:`check_start`, :func:`check_cook`,
:func:`check_idle_setpoint`, :func:`check_setpoint`, :func:`check_timer` or
:func:`check_command`. Each raises :class:`~bridge.errors.CommandError` with
the rule's code when a command is refused, and otherwise returns a :class:`SafetyReport` (or None)
whose ``warnings`` go in the response. The tables and the food word lists
are data (``tables.json``, ``foods.json``, ``core_temperatures.json``) with
their sources. The cookers' rules are ``water_bath.WATER_BATH``; the
Precision Oven's are ``oven.OVEN_RULES``, whose ``check_plan`` checks a
whole oven plan.
"""

from __future__ import annotations

from bridge.safety.checks import check_command, check_cook, check_idle_setpoint, check_start
from bridge.safety.foods import FoodClass, classify
from bridge.safety.limits import check_setpoint, check_timer
from bridge.safety.report import SafetyFinding, SafetyPolicy, SafetyReport
from bridge.safety.tables import Lookup, PasteurizationTable, load_tables, table

__all__ = [
    "FoodClass",
    "Lookup",
    "PasteurizationTable",
    "SafetyFinding",
    "SafetyPolicy",
    "SafetyReport",
    "check_command",
    "check_cook",
    "check_idle_setpoint",
    "check_setpoint",
    "check_start",
    "check_timer",
    "classify",
    "load_tables",
    "table",
]
