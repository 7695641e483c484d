"""The alarms a simulated cooker can raise, and which each generation reports.

anova-api.md lists what each generation can report: gen 3 ``state.mode``
``lowWater``/``waterLeak``/``highTemp``/``motorStuck`` and
``systemInfo.triacsFailed``; gen 2 ``job.mode`` ``LOW WATER``/``HIGH TEMP``/
``DEVICE FAILURE``, the ``pin-info`` flags and ``TIMER EXPIRED``; the a3 one
``isAlarmActive``. Tests and the demo raise any of them on demand (the
``/_sim/alarm`` route); low water also comes by itself when evaporation
takes the bath under the minimum line.
"""

from __future__ import annotations

from bridge.simulator.identity import Shape

LOW_WATER = "low_water"
WATER_LEAK = "water_leak"
HIGH_TEMP = "high_temp"
MOTOR_STUCK = "motor_stuck"
TRIACS_FAILED = "triacs_failed"
DEVICE_FAILURE = "device_failure"
TIMER_EXPIRED = "timer_expired"

ALARMS_BY_SHAPE: dict[Shape, frozenset[str]] = {
    Shape.GEN3: frozenset({LOW_WATER, WATER_LEAK, HIGH_TEMP, MOTOR_STUCK, TRIACS_FAILED}),
    Shape.GEN2: frozenset({LOW_WATER, WATER_LEAK, HIGH_TEMP, DEVICE_FAILURE, TIMER_EXPIRED}),
    Shape.A3: frozenset({LOW_WATER, HIGH_TEMP}),
}
# Every alarm but the expired timer (a report, not a fault) stops the heater.
HEATER_STOPPING = frozenset(
    {LOW_WATER, WATER_LEAK, HIGH_TEMP, MOTOR_STUCK, TRIACS_FAILED, DEVICE_FAILURE}
)
# Gen 3 ``state.mode`` and gen 2 ``job.mode`` for raised alarms, first match wins.
GEN3_MODES = (
    (LOW_WATER, "lowWater"),
    (WATER_LEAK, "waterLeak"),
    (HIGH_TEMP, "highTemp"),
    (MOTOR_STUCK, "motorStuck"),
)
GEN2_MODES = (
    (LOW_WATER, "LOW WATER"),
    (HIGH_TEMP, "HIGH TEMP"),
    (DEVICE_FAILURE, "DEVICE FAILURE"),
)


def check_alarm(shape: Shape, name: object) -> str:
    """``name`` if this generation can report it.

    Raises:
        ValueError: an unknown alarm, or one this generation does not report.
    """
    known = ALARMS_BY_SHAPE[shape]
    if not isinstance(name, str) or name not in known:
        raise ValueError(f"{shape} cookers report the alarms {', '.join(sorted(known))}")
    return name


def first_mode(raised: frozenset[str] | set[str], table: tuple[tuple[str, str], ...]) -> str | None:
    """The mode word of the first raised alarm in ``table``, if any."""
    return next((mode for alarm, mode in table if alarm in raised), None)
