"""Structured logging set-up: console on a TTY, JSON lines otherwise.

Everything goes to stdout, as containers and systemd expect. Secrets are
never passed to a logger; as a second line of defence a processor masks
values of keys that look secret, so a slip in a ``log.info(..., token=…)``
call cannot leak a credential.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import Any, TextIO


def _import_structlog_without_rich() -> None:
    # structlog.dev imports rich, when installed, only to draw console
    # tracebacks. rich is here only because the demo's amqtt pulls in typer;
    # in the daemon it cost 3 MiB of its ~48 MiB idle RSS and 30 ms of
    # start-up (bench/load.py, python -X importtime). Hide it while structlog
    # loads; anything later (the demo's amqtt) still imports the real one.
    hide = "rich" not in sys.modules
    if hide:
        sys.modules["rich"] = None  # type: ignore[assignment]  # makes `import rich` fail
    try:
        import structlog  # noqa: F401, PLC0415
    finally:
        if hide:
            del sys.modules["rich"]


_import_structlog_without_rich()
import structlog  # noqa: E402 - after the rich-less first import above

SECRET_KEY_PARTS = ("token", "password", "secret", "refresh", "authorization", "api_key")
MASK = "***"


def mask_secrets(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Replace the value of any key whose name suggests a credential."""
    for key in list(event_dict):
        lowered = key.lower()
        if any(part in lowered for part in SECRET_KEY_PARTS) and event_dict[key] is not None:
            event_dict[key] = MASK
    return event_dict


def configure_logging(
    level: str = "info", *, json: bool | None = None, stream: TextIO | None = None
) -> None:
    """Configure structlog and the stdlib root logger once for the process.

    Args:
        level: minimum level name (debug, info, warning, error).
        json: force JSON (True) or console (False); None picks by TTY.
        stream: where to write; stdout by default.
    """
    out = stream or sys.stdout
    use_json = (not out.isatty()) if json is None else json
    numeric = logging.getLevelNamesMapping().get(level.upper(), logging.INFO)
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer()
        if use_json
        else structlog.dev.ConsoleRenderer(exception_formatter=structlog.dev.plain_traceback)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            mask_secrets,
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(out),
        cache_logger_on_first_use=False,
    )
    logging.basicConfig(level=max(numeric, logging.WARNING), stream=out, force=True)


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    """A logger bound to a component name."""
    logger: structlog.stdlib.BoundLogger = structlog.get_logger(component=name)
    return logger
