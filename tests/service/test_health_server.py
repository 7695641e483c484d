"""/healthz and /metrics over real HTTP."""

from __future__ import annotations

import httpx

from bridge.health import HealthServer
from bridge.metrics import BridgeMetrics


def test_healthz_is_200_when_healthy_and_503_when_not() -> None:
    healthy = {"value": True}
    metrics = BridgeMetrics()
    metrics.commands_refused.labels(code="TEMPERATURE_TOO_LOW").inc()
    server = HealthServer(
        "127.0.0.1", 0, lambda: (healthy["value"], {"version": "x"}), metrics.render
    )
    server.start()
    try:
        base = f"http://127.0.0.1:{server.port}"
        assert httpx.get(f"{base}/healthz").status_code == 200
        healthy["value"] = False
        down = httpx.get(f"{base}/healthz")
        assert down.status_code == 503
        assert down.json() == {"version": "x"}
        text = httpx.get(f"{base}/metrics").text
        assert 'anova_bridge_commands_refused_total{code="TEMPERATURE_TOO_LOW"} 1.0' in text
        assert httpx.get(f"{base}/nope").status_code == 404
    finally:
        server.stop()
