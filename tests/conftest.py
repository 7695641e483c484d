"""Shared fixtures: a private mosquitto per test that needs one; logging kept per test."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import structlog

from tests.support.broker import MosquittoBroker


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[MosquittoBroker]:
    """A fresh private mosquitto on a free loopback port, killed afterwards."""
    instance = MosquittoBroker(tmp_path)
    instance.start()
    yield instance
    instance.stop()


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """Undo any logging set-up a test does (in-process CLI or benchmark mains).

    ``configure_logging`` changes structlog's global filter level and the
    stdlib root logger; left in place, a later test's ``capture_logs`` would
    silently miss its info events.
    """
    saved = structlog.get_config()
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    structlog.configure(**saved)
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture(autouse=True)
def _private_state_directory(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> None:
    """Cook contexts go to a directory of this test's own, never the user's ~/.local/state.

    Bridges started twice within one test share it, as a restarted bridge would.
    """
    monkeypatch.delenv("STATE_DIRECTORY", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))
