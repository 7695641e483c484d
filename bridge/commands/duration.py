"""Cook timer durations as people write them.

Accepted forms (case-insensitive, spaces allowed between parts):

* unit-suffixed parts in the order h, m, s: ``"1h30m"``, ``"90m"``,
  ``"45s"``, ``"1.5h"``, ``"2 hours 15 min"``, and ``"1h30"`` (minutes implied);
* clock form ``h:mm`` or ``h:mm:ss``: ``"1:30"`` is one hour thirty;
* ISO 8601 durations: ``"PT1H30M"``, ``"P1DT2H"``.

A bare number is refused here because it is ambiguous (minutes? seconds?);
the ``set/timer`` shortcut reads bare numbers as minutes itself.
"""

from __future__ import annotations

import re

from bridge.errors import CommandError, ErrorCode

MAX_DURATION_CHARS = 64

_NUMBER = r"\d+(?:\.\d+)?"
_HOURS = r"hours|hour|hrs|hr|h"
_MINUTES = r"minutes|minute|mins|min|m"
_SECONDS = r"seconds|second|secs|sec|s"

_SUFFIXED = re.compile(
    rf"(?:(?P<h>{_NUMBER})\s*(?:{_HOURS}))?\s*"
    rf"(?:(?P<m>{_NUMBER})\s*(?:{_MINUTES}))?\s*"
    rf"(?:(?P<s>{_NUMBER})\s*(?:{_SECONDS}))?",
    re.IGNORECASE | re.ASCII,
)
_HOURS_THEN_MINUTES = re.compile(r"(?P<h>\d+)\s*h\s*(?P<m>[0-5]?\d)", re.IGNORECASE | re.ASCII)
_CLOCK = re.compile(r"(?P<h>\d+):(?P<m>[0-5]\d)(?::(?P<s>[0-5]\d))?", re.ASCII)
_ISO = re.compile(
    rf"P(?:(?P<d>\d+)D)?(?:T(?:(?P<h>{_NUMBER})H)?(?:(?P<m>{_NUMBER})M)?(?:(?P<s>{_NUMBER})S)?)?",
    re.IGNORECASE | re.ASCII,
)

_FACTORS = {"d": 86_400.0, "h": 3_600.0, "m": 60.0, "s": 1.0}


def parse_duration(text: str, *, field: str = "duration") -> int:
    """Parse a duration into whole seconds.

    Args:
        text: the duration as written, e.g. ``"1h30m"`` or ``"PT1H30M"``.
        field: the command field to name in an error.

    Returns:
        Seconds, rounded to the nearest second. A positive duration never
        rounds down to zero (zero means "no timer"), so ``"0.1s"`` stays a
        too-short timer instead of silently becoming no timer at all.

    Raises:
        CommandError: ``INVALID_FIELD`` when the text is not a duration.
    """
    stripped = text.strip()
    if len(stripped) > MAX_DURATION_CHARS:
        raise _invalid(field, f"is longer than {MAX_DURATION_CHARS} characters")
    parts = _match_parts(stripped)
    if parts is None:
        raise _invalid(field, "is not a duration")
    return seconds_from(sum(float(value) * _FACTORS[key] for key, value in parts.items()))


def seconds_from(total: float) -> int:
    """Round a non-negative number of seconds, keeping positive values positive."""
    seconds = round(total)
    return 1 if seconds == 0 and total > 0 else seconds


def _match_parts(text: str) -> dict[str, str] | None:
    """The matched ``d``/``h``/``m``/``s`` parts of the first form that fits, or None."""
    for pattern in (_CLOCK, _HOURS_THEN_MINUTES, _ISO, _SUFFIXED):
        match = pattern.fullmatch(text)
        if match is None:
            continue
        parts = {key: value for key, value in match.groupdict().items() if value is not None}
        if parts and not _is_empty_iso_time(pattern, text):
            return parts
    return None


def _is_empty_iso_time(pattern: re.Pattern[str], text: str) -> bool:
    """True for ISO text like ``"P1DT"``: a ``T`` must be followed by a time part."""
    return pattern is _ISO and text.upper().endswith("T")


def _invalid(field: str, problem: str) -> CommandError:
    return CommandError(
        ErrorCode.INVALID_FIELD,
        f'Field \'{field}\' {problem}; write it like "1h30m", "90m", "45s", '
        '"1:30" (hours:minutes) or "PT1H30M".',
        field=field,
    )
