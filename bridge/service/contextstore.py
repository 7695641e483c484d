"""Running cooks' safety contexts on disk, so they outlive the process.

One small JSON file, ``cooks.json`` under the data directory, holds the
context of every running cook by cooker id. It is written whole (to a
temporary file, then renamed) on each change to a cook, never on a state
push, so a crash mid-write leaves the previous file. docs/architecture.md
says why a file and not a retained MQTT message.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from pydantic import ValidationError

from bridge.logs import get_logger
from bridge.service.cookcontext import CookContext
from bridge.settings import Settings

log = get_logger("contexts")
FILE_NAME = "cooks.json"
FORMAT_VERSION = 1
APP_DIR = "anova-mqtt-bridge"


def data_directory(settings: Settings) -> Path:
    """``data_dir``, else systemd's ``$STATE_DIRECTORY``, else the XDG state directory."""
    if settings.data_dir:
        return Path(settings.data_dir).expanduser()
    systemd = os.environ.get("STATE_DIRECTORY")
    if systemd:
        return Path(systemd.split(":")[0])
    xdg = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(xdg) / APP_DIR


class CookContextStore:
    """Reads and writes ``cooks.json``; a failure is logged and the bridge carries on.

    Losing the file can only lose food knowledge (rules 1–3 still apply to
    every cook), so an unwritable or damaged file is a warning, not a crash.
    """

    def __init__(self, directory: Path) -> None:
        self.path = directory / FILE_NAME

    def load(self) -> dict[str, CookContext]:
        """Every saved context by cooker id; empty when there is no readable file."""
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as err:
            log.warning("cook_contexts_unreadable", path=str(self.path), error=str(err))
            return {}
        cooks = raw.get("cooks") if isinstance(raw, dict) else None
        if not isinstance(cooks, dict):
            return {}
        return {cid: ctx for cid, body in cooks.items() if (ctx := _context(body)) is not None}

    def save(self, contexts: Mapping[str, CookContext]) -> bool:
        """Replace the file with ``contexts``; False (and a warning) when it cannot be written."""
        body = {
            "version": FORMAT_VERSION,
            "cooks": {cid: ctx.model_dump(mode="json") for cid, ctx in contexts.items()},
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._write_atomically(json.dumps(body, indent=1))
        except OSError as err:
            log.warning("cook_contexts_not_saved", path=str(self.path), error=str(err))
            return False
        return True

    def _write_atomically(self, text: str) -> None:
        handle, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".cooks-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _context(body: object) -> CookContext | None:
    try:
        return CookContext.model_validate(body)
    except ValidationError:
        return None
