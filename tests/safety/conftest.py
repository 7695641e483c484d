"""Shared helpers for the safety tests."""

from __future__ import annotations

import pytest

from bridge.settings import SafetySettings


@pytest.fixture
def strict() -> SafetySettings:
    """The default policy: refuse unsafe cooks."""
    return SafetySettings(policy="strict")


@pytest.fixture
def warn() -> SafetySettings:
    """Run unsafe cooks but say why in warnings."""
    return SafetySettings(policy="warn")


@pytest.fixture
def off() -> SafetySettings:
    """Device limits only."""
    return SafetySettings(policy="off")
