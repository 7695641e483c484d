"""``/healthz`` and ``/metrics`` over HTTP, on loopback unless configured otherwise.

A small threaded stdlib server: it only reads a snapshot the service keeps
up to date, so it never touches the event loop and a slow scraper cannot
stall the bridge.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bridge.logs import get_logger

log = get_logger("health")

HealthSnapshot = Callable[[], tuple[bool, dict[str, Any]]]
MetricsRenderer = Callable[[], bytes]


class HealthServer:
    """Serves the health JSON (200 healthy / 503 not) and Prometheus metrics."""

    def __init__(
        self, host: str, port: int, snapshot: HealthSnapshot, metrics: MetricsRenderer
    ) -> None:
        handler = _handler_class(snapshot, metrics)
        self._server = ThreadingHTTPServer((host, port), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="health-http", daemon=True
        )

    @property
    def port(self) -> int:
        """The bound port (useful when configured as 0)."""
        return int(self._server.server_address[1])

    def start(self) -> None:
        """Serve in a background thread."""
        self._thread.start()
        log.info("health_server_listening", address=self._server.server_address[0], port=self.port)

    def stop(self) -> None:
        """Stop serving and release the port."""
        self._server.shutdown()
        self._server.server_close()


def _handler_class(
    snapshot: HealthSnapshot, metrics: MetricsRenderer
) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "anova-mqtt-bridge"

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            if path == "/healthz":
                healthy, body = snapshot()
                self._send(200 if healthy else 503, "application/json", json.dumps(body).encode())
            elif path == "/metrics":
                self._send(200, "text/plain; version=0.0.4; charset=utf-8", metrics())
            else:
                self._send(404, "application/json", b'{"error":"not found"}')

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Silence the stdlib's per-request stderr lines; scrapes are not news."""

    return Handler
