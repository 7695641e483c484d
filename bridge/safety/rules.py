"""Rules 2–7 of docs/food-safety.md, in order. Rule 1 is :mod:`bridge.safety.limits`.

Each rule returns its findings: refusals (with a code) and warnings. They
are evaluated in the documented order so that, under ``strict``, the first
refusal found is the one the user hears about. Every message names the
rule, the numbers, and the source it relies on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bridge.contract import TemperatureUnit
from bridge.errors import ErrorCode
from bridge.safety import wording
from bridge.safety.foods import FoodClass
from bridge.safety.report import SafetyFinding
from bridge.safety.tables import Lookup, PasteurizationTable, table

PASTEURIZED_FROM_C = 54.4  # 130 °F: below it nothing is pasteurized (Baldwin; FSIS Appendix A)
MAX_UNPASTEURIZED_TIMER_S = 4 * 3600  # FDA Food Code: at most 4 h in the growth range
FREEZE_BELOW_C = 55.0
FOOD_CODE = "FDA Food Code"
BALDWIN = "Baldwin, A Practical Guide to Sous Vide Cooking"


@dataclass(frozen=True)
class Cook:
    """A cook as the rules see it: °C, seconds (0 = no timer) and a classified food."""

    temperature_c: float
    timer_s: int
    food_type: str | None
    food: FoodClass
    thickness_mm: float
    thickness_given: bool
    unit: TemperatureUnit
    min_temperature_c: float
    in_water_s: int = 0
    timer_left_s: int | None = None

    @property
    def budget_used_s(self) -> int:
        """Time in the water the cook will have had when its timer ends (rule 3's 4 h)."""
        left = self.timer_s if self.timer_left_s is None else self.timer_left_s
        return self.in_water_s + left

    @property
    def timer_ends_cook(self) -> bool:
        """A timer will end the cook (a new one, or a running one with time left)."""
        return (self.timer_s if self.timer_left_s is None else self.timer_left_s) > 0

    @property
    def temp(self) -> str:
        """The setpoint as messages print it."""
        return wording.temperature(self.temperature_c, self.unit)

    def limit(self, value_c: float) -> str:
        """A rule threshold as messages print it."""
        return wording.threshold(value_c, self.unit)


Rule = Callable[[Cook], list[SafetyFinding]]


def evaluate(cook: Cook) -> list[SafetyFinding]:
    """Every finding of rules 2–7, in rule order."""
    return [finding for rule in RULES for finding in rule(cook)]


def danger_zone(cook: Cook) -> list[SafetyFinding]:
    """Rule 2: below ``safety.min_temperature_c`` bacteria multiply instead of dying."""
    if cook.temperature_c >= cook.min_temperature_c:
        return []
    return [
        _refuse(
            2,
            ErrorCode.TEMPERATURE_TOO_LOW,
            f"{cook.temp} is below the safe minimum of {cook.limit(cook.min_temperature_c)}: "
            "bacteria multiply in the danger zone, so food held there gets less safe the longer "
            f"it cooks (rule 2, safety.min_temperature_c; {FOOD_CODE} danger zone 5–57 °C). "
            f"Set {cook.limit(cook.min_temperature_c)} or more.",
            "temperature",
        )
    ]


def unpasteurized_range(cook: Cook) -> list[SafetyFinding]:
    """Rule 3: below 54.4 °C nothing is pasteurized, so the cook must be short.

    Applies to every setpoint below 54.4 °C that passed rule 2, also when
    ``safety.min_temperature_c`` was configured below 40 °C, so lowering that
    setting can never open an unlimited cook in the growth range.
    """
    if cook.temperature_c >= PASTEURIZED_FROM_C:
        return []
    warning = _warn(
        3,
        f"Not pasteurized: at {cook.temp}, below {cook.limit(PASTEURIZED_FROM_C)}, sous vide "
        f"does not pasteurize food; serve it to healthy adults only (rule 3; {BALDWIN}).",
    )
    if cook.timer_ends_cook and cook.budget_used_s <= MAX_UNPASTEURIZED_TIMER_S:
        return [warning]
    refusal = _refuse(
        3,
        ErrorCode.LOW_TEMP_TIME_UNSAFE,
        f"At {cook.temp}, below {cook.limit(PASTEURIZED_FROM_C)}, food is not pasteurized and "
        "C. perfringens grows up to 52.3 °C, so the cook needs a timer that ends it within "
        f"4 h in the water, and {_budget_breach(cook)} (rule 3; {FOOD_CODE} 4-hour limit; "
        f"{BALDWIN} gives no times over 4 h below 55 °C).",
        "duration",
    )
    return [refusal, warning]


def _budget_breach(cook: Cook) -> str:
    """What breaks rule 3's budget, in words: no timer, or the total time in the water."""
    if not cook.timer_ends_cook:
        if cook.timer_left_s is not None and cook.timer_s:
            return "its timer has already run out (the cooker holds the bath until stopped)"
        return "no timer is set"
    if cook.in_water_s == 0:
        return f"the timer is {wording.duration(cook.timer_s)}"
    return (
        f"the food has been in the water {wording.duration(cook.in_water_s)}, so "
        f"{wording.duration(cook.budget_used_s - cook.in_water_s)} more would make "
        f"{wording.duration(cook.budget_used_s)}"
    )


def poultry(cook: Cook) -> list[SafetyFinding]:
    """Rule 4 (and 7): poultry at 57 °C or more, for at least the poultry table's time."""
    if not cook.food.poultry:
        return []
    what = f"poultry ({cook.food.words('poultry')})"
    return _pasteurize(4, cook, table("poultry"), what, ErrorCode.POULTRY_TEMP_UNSAFE)


def ground_meat(cook: Cook) -> list[SafetyFinding]:
    """Rule 5 (and 7): ground or non-intact meat has bacteria inside, so it must pasteurize."""
    if not cook.food.ground:
        return []
    what = f"ground or non-intact meat ({cook.food.words('ground')})"
    return _pasteurize(5, cook, table("meat"), what, ErrorCode.GROUND_MEAT_TEMP_UNSAFE)


def whole_muscle(cook: Cook) -> list[SafetyFinding]:
    """Rule 6: whole cuts and fish are not refused, but a short cook is not pasteurized."""
    findings: list[SafetyFinding] = []
    if cook.food.whole_meat:
        findings += _advise(cook, table("meat"), f"whole-muscle meat ({cook.food.words('meat')})")
    if cook.food.fish is not None:
        fish_table = table("fish_lean" if cook.food.fish == "lean" else "fish_fatty")
        findings += _advise(cook, fish_table, f"fish ({cook.food.words('fish', 'fish_lean')})")
        findings += _parasites(cook)
    return findings


def unrecognised_food(cook: Cook) -> list[SafetyFinding]:
    """A note when ``food_type`` matched no word list: only the general rules applied."""
    if not cook.food_type or cook.food.recognised:
        return []
    return [
        _warn(
            0,
            f"The food type {cook.food_type[:40]!r} is not one the safety rules recognise, so "
            "only the general temperature and time rules (1–3) were applied; name the meat or "
            "fish (e.g. 'chicken', 'ground beef', 'salmon') for its pasteurization check.",
        )
    ]


def _pasteurize(
    rule: int, cook: Cook, source: PasteurizationTable, what: str, code: ErrorCode
) -> list[SafetyFinding]:
    lookup = source.lookup(cook.temperature_c, cook.thickness_mm)
    if lookup is None:
        return [_too_cold(rule, cook, source, what, code)]
    findings = _thickness_notes(cook, lookup)
    if cook.timer_s == 0:
        return [*findings, _no_timer(cook, lookup, what)]
    if cook.timer_s < lookup.seconds:
        return [*findings, _too_short(rule, cook, lookup, what)]
    return findings


def _too_cold(
    rule: int, cook: Cook, source: PasteurizationTable, what: str, code: ErrorCode
) -> SafetyFinding:
    return _refuse(
        rule,
        code,
        f"{cook.temp} is below {cook.limit(source.lowest_c)}, the lowest temperature of the "
        f"{source.citation} ({source.target}): {what} must cook at "
        f"{cook.limit(source.lowest_c)} or more to be pasteurized (rule {rule}).",
        "temperature",
    )


def _too_short(rule: int, cook: Cook, lookup: Lookup, what: str) -> SafetyFinding:
    return _refuse(
        rule,
        ErrorCode.PASTEURIZATION_TIME_TOO_SHORT,
        f"{_requirement(cook, lookup)} to pasteurize {what}, but the timer is "
        f"{wording.duration(cook.timer_s)} (rule {rule}): set at least "
        f"{wording.duration(lookup.seconds)}.",
        "duration",
    )


def _no_timer(cook: Cook, lookup: Lookup, what: str) -> SafetyFinding:
    return _warn(
        7,
        f"No timer: {_requirement(cook, lookup)} to pasteurize {what}; take it out no sooner "
        f"than {wording.duration(lookup.seconds)} after the water reaches temperature (rule 7).",
    )


def _advise(cook: Cook, source: PasteurizationTable, what: str) -> list[SafetyFinding]:
    if cook.timer_s == 0:
        return []  # no timer: the cook decides when it is done; nothing to compare
    lookup = source.lookup(cook.temperature_c, cook.thickness_mm)
    if lookup is None:
        return [] if cook.temperature_c < PASTEURIZED_FROM_C else [_below_table(cook, source, what)]
    findings = _thickness_notes(cook, lookup)
    if cook.timer_s < lookup.seconds:
        findings.append(
            _warn(
                6,
                f"Not pasteurized: {_requirement(cook, lookup)} to pasteurize {what}, but the "
                f"timer is {wording.duration(cook.timer_s)}; fine for a whole cut served at "
                "once, but not for the young, old, pregnant or immune-compromised (rule 6).",
            )
        )
    return findings


def _below_table(cook: Cook, source: PasteurizationTable, what: str) -> SafetyFinding:
    return _warn(
        6,
        f"Not pasteurized: the {source.citation} starts at {cook.limit(source.lowest_c)}, so at "
        f"{cook.temp} no time pasteurizes {what}; serve it to healthy adults only "
        "(rule 6).",
    )


def _parasites(cook: Cook) -> list[SafetyFinding]:
    if cook.temperature_c >= FREEZE_BELOW_C:
        return []
    return [
        _warn(
            6,
            f"Fish below {cook.limit(FREEZE_BELOW_C)} does not kill parasites: use fish frozen "
            "first (−20 °C for 7 days or −35 °C for 15 h) (rule 6; FDA Food Code §3-402.11).",
        )
    ]


def _requirement(cook: Cook, lookup: Lookup) -> str:
    """E.g. "FSIS/Baldwin poultry table: 60 °C at 25 mm (assumed) needs 1 h 30 min"."""
    column = cook.limit(lookup.column_c)
    if lookup.column_c != cook.temperature_c:
        column = f"{cook.temp}, read as {column},"
    assumed = "" if cook.thickness_given else " (assumed)"
    thickness = wording.millimetres(cook.thickness_mm)
    if lookup.row_mm != cook.thickness_mm:
        thickness = f"{thickness}{assumed}, read as {wording.millimetres(lookup.row_mm)},"
        assumed = ""
    return (
        f"{lookup.table.citation}: {column} at {thickness}{assumed} needs "
        f"{wording.duration(lookup.seconds)} ({lookup.table.target})"
    )


def _thickness_notes(cook: Cook, lookup: Lookup) -> list[SafetyFinding]:
    notes: list[SafetyFinding] = []
    if not cook.thickness_given:
        notes.append(
            _warn(
                0,
                f"Thickness not given: assumed {wording.millimetres(cook.thickness_mm)} "
                "(safety.default_thickness_mm) for the pasteurization time; send thickness_mm, "
                "as thicker food needs longer.",
            )
        )
    if lookup.beyond_table:
        notes.append(
            _warn(
                0,
                f"The {lookup.table.citation} stops at {wording.millimetres(lookup.row_mm)}; "
                f"{wording.millimetres(cook.thickness_mm)} is thicker, so its "
                f"{wording.millimetres(lookup.row_mm)} times were used and may be too short: "
                "cook longer and check the core temperature.",
            )
        )
    return notes


def _refuse(rule: int, code: ErrorCode, message: str, field: str) -> SafetyFinding:
    return SafetyFinding(rule=rule, code=code, message=message, field=field)


def _warn(rule: int, message: str) -> SafetyFinding:
    return SafetyFinding(rule=rule, message=message)


RULES: tuple[Rule, ...] = (
    danger_zone,
    unpasteurized_range,
    poultry,
    ground_meat,
    whole_muscle,
    unrecognised_food,
)
