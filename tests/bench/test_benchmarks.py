"""Each benchmark runs end to end in its reduced mode and produces its figures.

Not timed tests: the figures are not checked against targets here (that is
docs/performance.md's job, on a quiet machine); only that every benchmark
still runs against the current bridge and writes its JSON.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench import common, invalid, latency, load, startup

pytestmark = [pytest.mark.slow, pytest.mark.integration]


@pytest.fixture(autouse=True)
def results_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setattr(common, "RESULTS", tmp_path)
    return tmp_path


def _written(results_in_tmp: Path, name: str) -> Any:
    return json.loads((results_in_tmp / f"{name}.json").read_text())


def test_latency_quick(results_in_tmp):
    stats = latency.main(["--quick"])
    assert stats["start"]["n"] == 30
    assert stats["plain"]["p50_ms"] > 0
    assert _written(results_in_tmp, "latency")["series"]["start"]["p99_ms"] > 0


def test_invalid_quick(results_in_tmp):
    stats = invalid.main(["--quick"])
    assert stats["reached_cloud"] == 0
    assert sum(stats["codes"].values()) == stats["commands"]
    assert _written(results_in_tmp, "invalid")["per_core_second"]


def test_load_quick(results_in_tmp):
    stats = load.main(["--quick"])
    assert stats["load"]["cooking"] == stats["load"]["cookers"]
    assert stats["idle"]["rss_mb"] > 0
    assert _written(results_in_tmp, "load")["load"]["cpu_percent"] >= 0


def test_startup_quick(results_in_tmp):
    data = startup.main(["--quick"])
    assert data["median"]["complete_s"] > 0
    assert _written(results_in_tmp, "startup")["runs"] == 1
