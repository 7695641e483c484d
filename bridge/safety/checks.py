"""The entry points the service calls before a command reaches the cooker.

* :func:`check_start` for a ``start`` command;
* :func:`check_cook` when something changes a running cook (a new setpoint
  or timer): pass the running cook's food type, thickness and total timer
  with the new value, so changing a cook is held to the same rules as
  starting it;
* :func:`check_idle_setpoint` for a setpoint stored on an idle cooker for the
  next start: refused when no start could ever accept it;
* :func:`check_command` to dispatch any parsed command.

Device limits (rule 1) always apply; rules 2–7 follow ``safety.policy``.
"""

from __future__ import annotations

from bridge.commands import Command, SetTemperatureCommand, SetTimerCommand, StartCommand
from bridge.contract import TemperatureUnit
from bridge.errors import CommandError, ErrorCode
from bridge.safety.foods import classify
from bridge.safety.limits import check_setpoint, check_timer
from bridge.safety.report import SafetyFinding, SafetyPolicy, SafetyReport, apply_policy
from bridge.safety.rules import Cook, danger_zone, evaluate
from bridge.settings import SafetySettings

NO_FOOD_WARNING = (
    "No food_type given, so the food rules (4–7: poultry, ground meat, whole cuts, fish) were "
    "skipped and only the general temperature and time rules (1–3) were applied; name the food "
    "(food_type, or the cooker's Food entity in Home Assistant) for its pasteurization check."
)


def check_cook(
    *,
    temperature_c: float,
    timer_s: int,
    food_type: str | None = None,
    thickness_mm: float | None = None,
    unit: TemperatureUnit = "C",
    cooker_type: str,
    settings: SafetySettings,
    in_water_s: int = 0,
    timer_left_s: int | None = None,
) -> SafetyReport:
    """Check a cook (new or changed) against the device limits and the food-safety rules.

    Args:
        temperature_c: the setpoint in °C.
        timer_s: the cook's total timer in seconds; 0 means no timer.
        food_type: free text such as ``"chicken breast"``; None when unknown.
        thickness_mm: the food's thickness; None assumes
            ``settings.default_thickness_mm`` and says so in the warnings.
        unit: the unit the user spoke, so messages can repeat it.
        cooker_type: the cloud's cooker type, for the model's maximum.
        settings: the ``safety`` section of the configuration.
        in_water_s: for a change to a running cook, how long its food has
            already been in the water; rule 3's 4 hours count it.
        timer_left_s: for a change to a running cook, the timer still to run
            after the change (0 once it has run out); None for a new cook,
            whose whole ``timer_s`` is still to run.

    Returns:
        The report; its ``warnings`` go in the response.

    Raises:
        CommandError: rule 1 always; under ``strict`` also the first failing
            rule of 2–7, with that rule's code.
    """
    check_setpoint(temperature_c, cooker_type=cooker_type, unit=unit)
    check_timer(timer_s)
    policy = SafetyPolicy(settings.policy)
    if policy is SafetyPolicy.OFF:
        return SafetyReport(policy=policy)
    cook = Cook(
        # The parser already keeps 0.01 °C; re-rounding values that came
        # from elsewhere (stored state) removes float noise at table columns.
        temperature_c=round(temperature_c, 2),
        timer_s=timer_s,
        food_type=food_type,
        food=classify(food_type),
        thickness_mm=thickness_mm if thickness_mm is not None else settings.default_thickness_mm,
        thickness_given=thickness_mm is not None,
        unit=unit,
        min_temperature_c=settings.min_temperature_c,
        in_water_s=in_water_s,
        timer_left_s=timer_left_s,
    )
    return apply_policy(policy, evaluate(cook))


def check_start(
    cmd: StartCommand, *, cooker_type: str, settings: SafetySettings, in_water_s: int = 0
) -> SafetyReport:
    """Check a start command; resolve stored settings first with ``with_defaults``.

    Args:
        cmd: the resolved start command.
        cooker_type: the cloud's cooker type, for the model's maximum.
        settings: the ``safety`` section of the configuration.
        in_water_s: for a low-temperature ``replace``, how long the food has
            already been in the water; rule 3's 4 hours count it.

    Raises:
        CommandError: as :func:`check_cook`, and ``MISSING_FIELD`` if the
            command still waits for a stored setpoint.
    """
    if cmd.temperature_c is None:
        raise CommandError(
            ErrorCode.MISSING_FIELD,
            "The start command has no temperature yet: resolve the stored setpoint with "
            "StartCommand.with_defaults before the safety check.",
            field="temperature",
        )
    report = check_cook(
        temperature_c=cmd.temperature_c,
        timer_s=cmd.timer_s or 0,
        food_type=cmd.food_type,
        thickness_mm=cmd.thickness_mm,
        unit=cmd.unit,
        cooker_type=cooker_type,
        settings=settings,
        in_water_s=in_water_s,
    )
    return _note_missing_food(report, cmd.food_type)


def _note_missing_food(report: SafetyReport, food_type: str | None) -> SafetyReport:
    """A start without a food says so: the user may think rules 4–7 checked it."""
    if food_type or report.policy is SafetyPolicy.OFF:
        return report
    note = SafetyFinding(rule=0, message=NO_FOOD_WARNING)
    return report.model_copy(update={"findings": (*report.findings, note)})


def check_idle_setpoint(
    temperature_c: float,
    *,
    unit: TemperatureUnit = "C",
    cooker_type: str,
    settings: SafetySettings,
) -> SafetyReport:
    """Check a setpoint kept on an idle cooker for its next start.

    The food rules wait for the start, which knows the food and timer; but a
    setpoint that no start could accept (device limits, rule 2's danger
    zone) is refused now, so the stored value, and the thermostat card that
    shows it, never promise a cook the bridge will refuse.

    Raises:
        CommandError: rule 1 always; rule 2 under ``strict``.
    """
    check_setpoint(temperature_c, cooker_type=cooker_type, unit=unit)
    policy = SafetyPolicy(settings.policy)
    if policy is SafetyPolicy.OFF:
        return SafetyReport(policy=policy)
    cook = Cook(
        temperature_c=round(temperature_c, 2),
        timer_s=0,
        food_type=None,
        food=classify(None),
        thickness_mm=settings.default_thickness_mm,
        thickness_given=False,
        unit=unit,
        min_temperature_c=settings.min_temperature_c,
    )
    return apply_policy(policy, danger_zone(cook))


def check_command(cmd: Command, *, cooker_type: str, settings: SafetySettings) -> SafetyReport:
    """Check any parsed command on an idle cooker (or one it does not change).

    ``set_temperature`` gets :func:`check_idle_setpoint` and ``set_timer`` the
    device limits: while idle they just store a value, and the food rules
    run on the ``start`` that uses it. While a cook runs, call
    :func:`check_cook` with the running cook's details instead.
    """
    if isinstance(cmd, StartCommand):
        return check_start(cmd, cooker_type=cooker_type, settings=settings)
    if isinstance(cmd, SetTemperatureCommand):
        return check_idle_setpoint(
            cmd.temperature_c, unit=cmd.unit, cooker_type=cooker_type, settings=settings
        )
    if isinstance(cmd, SetTimerCommand):
        check_timer(cmd.timer_s)
    return SafetyReport(policy=SafetyPolicy(settings.policy))
