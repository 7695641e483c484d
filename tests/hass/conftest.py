"""Cookers and options shared by the discovery tests."""

from __future__ import annotations

import pytest

from bridge.anova.device import CookerInfo
from bridge.hass import CookerEntry, DiscoveryOptions

VERSION = "1.2.3"
A7 = CookerInfo(cooker_id="a7c0ffee1234", name="Sous vide", type="a7")
A5 = CookerInfo(cooker_id="a5beef5678", name="Kitchen Anova", type="a5")
COOKERS = {
    "a7": CookerEntry(A7, "sous_vide", "01.01.25"),
    "a5": CookerEntry(A5, "kitchen_anova", "3.3.01"),
}


def options(unit: str = "C", mode: str = "device", **extra) -> DiscoveryOptions:
    """Discovery options with a fixed version so golden files do not churn on releases."""
    return DiscoveryOptions(unit=unit, mode=mode, version=VERSION, **extra)  # type: ignore[arg-type]


@pytest.fixture
def a7() -> CookerEntry:
    return COOKERS["a7"]
