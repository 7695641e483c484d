"""Shared fixtures: a private mosquitto per test that needs one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.broker import MosquittoBroker


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[MosquittoBroker]:
    """A fresh private mosquitto on a free loopback port, killed afterwards."""
    instance = MosquittoBroker(tmp_path)
    instance.start()
    yield instance
    instance.stop()
