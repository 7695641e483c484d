"""A real Home Assistant Core on loopback, driven over its REST API like a user would.

Facts this relies on (issue 7): HA 2025.4.4 runs from its own Python 3.13
venv (``scripts/ensure-ha-venv.sh``) with ``--skip-pip``; it is onboarded over
REST (``/api/onboarding/users`` then ``/auth/token``); the ``core_config``
step is skipped because it sets up integrations that fail offline; MQTT is
added through the config-entry flow with handler ``mqtt``.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

import httpx

from tests.support.broker import free_port
from tests.support.waiting import wait_until

DEFAULT_HA_VENV = Path.home() / ".cache" / "anova-mqtt-bridge" / "ha-venv"
START_TIMEOUT = 90.0
CONFIGURATION = """\
homeassistant:
  name: Test kitchen
  unit_system: metric
  time_zone: UTC
  latitude: 52.37
  longitude: 4.89
  elevation: 0
  country: NL
  currency: EUR
http:
  server_host: 127.0.0.1
  server_port: {port}
api:
logger:
  default: info
conversation:
intent:
automation: !include automations.yaml
"""
# "2026-11-23 02:13:44.061 WARNING (MainThread) [homeassistant.components.mqtt.x] …"
LOG_LINE = re.compile(r"^\S+ \S+ (?P<level>[A-Z]+) \([^)]*\) \[(?P<logger>[^\]]+)\] (?P<text>.*)$")


def ha_venv() -> Path:
    """The HA venv: ``$HA_VENV`` or the cache path `make test-ha` builds."""
    return Path(os.environ.get("HA_VENV") or DEFAULT_HA_VENV)


class HomeAssistantCore:
    """One ``hass`` process with a temp config dir, onboarded, MQTT pointed at a broker."""

    def __init__(self, venv: Path, config_dir: Path, broker_port: int) -> None:
        self.venv = venv
        self.config_dir = config_dir
        self.broker_port = broker_port
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.token: str | None = None
        self.log_path = config_dir / "home-assistant.log"
        self.client = httpx.Client(base_url=self.base_url, timeout=30)

    # -- life cycle -------------------------------------------------------------

    def start(self) -> None:
        """Start ``hass`` and wait until its HTTP server answers."""
        self.config_dir.mkdir(parents=True, exist_ok=True)
        (self.config_dir / "configuration.yaml").write_text(CONFIGURATION.format(port=self.port))
        automations = self.config_dir / "automations.yaml"
        if not automations.exists():
            automations.write_text("[]\n")
        # The child keeps its own copy of the descriptor; ours can close at once.
        with (self.config_dir / "stdout.log").open("ab") as stdout:
            self.process = subprocess.Popen(
                [str(self.venv / "bin" / "hass"), "--config", str(self.config_dir), "--skip-pip"],
                stdout=stdout,
                stderr=subprocess.STDOUT,
            )
        wait_until(self._http_ready, timeout=START_TIMEOUT, what="Home Assistant HTTP")

    def _http_ready(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise RuntimeError(f"hass exited: {self.tail_log()}")
        try:
            path, headers = ("/api/", self._auth()) if self.token else ("/api/onboarding", {})
            return self.client.get(path, headers=headers).status_code == 200
        except httpx.TransportError:
            return False

    def stop(self) -> None:
        """SIGTERM and wait: HA saves its registries on a clean stop."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    def restart(self) -> None:
        """Stop and start again on the same port and config (already onboarded)."""
        self.stop()
        self.start()

    def close(self) -> None:
        """Stop and release the HTTP client."""
        self.stop()
        self.client.close()

    # -- set-up steps -----------------------------------------------------------

    def onboard(self) -> None:
        """Create the owner over REST and trade the auth code for an access token."""
        client_id = f"{self.base_url}/"
        created = self.client.post(
            "/api/onboarding/users",
            json={
                "client_id": client_id,
                "name": "Test Cook",
                "username": "cook",
                "password": "sous-vide-test-password",
                "language": "en",
            },
        )
        created.raise_for_status()
        token = self.client.post(
            "/auth/token",
            data={
                "grant_type": "authorization_code",
                "code": created.json()["auth_code"],
                "client_id": client_id,
            },
        )
        token.raise_for_status()
        self.token = token.json()["access_token"]

    def add_mqtt(self) -> None:
        """Add the MQTT integration through the config flow, pointed at the test broker."""
        flow = self.post("/api/config/config_entries/flow", {"handler": "mqtt"})
        assert flow["step_id"] == "broker", flow
        done = self.post(
            f"/api/config/config_entries/flow/{flow['flow_id']}",
            {"broker": "127.0.0.1", "port": self.broker_port},
        )
        assert done["type"] == "create_entry", done

    # -- REST -------------------------------------------------------------------

    def _auth(self) -> dict[str, str]:
        assert self.token, "onboard() first"
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path: str) -> Any:
        """GET an API path as the owner; JSON back."""
        response = self.client.get(path, headers=self._auth())
        response.raise_for_status()
        return response.json()

    def post(self, path: str, body: dict[str, Any]) -> Any:
        """POST JSON to an API path as the owner; JSON back."""
        response = self.client.post(path, json=body, headers=self._auth())
        response.raise_for_status()
        return response.json()

    def states(self) -> dict[str, dict[str, Any]]:
        """Every entity's state object, by entity id."""
        return {s["entity_id"]: s for s in self.get("/api/states")}

    def state(self, entity_id: str) -> dict[str, Any] | None:
        """One entity's state object, or None while it does not exist."""
        response = self.client.get(f"/api/states/{entity_id}", headers=self._auth())
        if response.status_code == 404:
            return None
        response.raise_for_status()
        found: dict[str, Any] = response.json()
        return found

    def wait_state(self, entity_id: str, predicate: Any, timeout: float = 15.0) -> dict[str, Any]:
        """Wait until an entity exists and ``predicate(state_object)`` holds."""

        def check() -> dict[str, Any] | None:
            found = self.state(entity_id)
            return found if found is not None and predicate(found) else None

        return wait_until(check, timeout=timeout, what=f"{entity_id} to match")

    def wait_state_of(self, finder: Any, what: str, timeout: float = 15.0) -> dict[str, Any]:
        """Wait until ``finder()`` returns a state object (for entities found by attribute)."""
        found: dict[str, Any] = wait_until(finder, timeout=timeout, what=what)
        return found

    def call(self, domain: str, service: str, **data: Any) -> Any:
        """Call a service, as a dashboard or automation would."""
        return self.post(f"/api/services/{domain}/{service}", data)

    def render(self, template: str) -> str:
        """Render a template server-side (device registry facts are only reachable so)."""
        response = self.client.post(
            "/api/template", json={"template": template}, headers=self._auth()
        )
        response.raise_for_status()
        return response.text

    def converse(self, text: str) -> dict[str, Any]:
        """Say a sentence to Assist, as a voice satellite would; the response back."""
        result = self.post("/api/conversation/process", {"text": text, "language": "en"})
        response: dict[str, Any] = result["response"]
        return response

    # -- logs -------------------------------------------------------------------

    def log_offset(self) -> int:
        """Where the log ends now, to look only at what a test caused."""
        return self.log_path.stat().st_size if self.log_path.exists() else 0

    def log_problems(
        self, since: int = 0, logger_prefix: str = "homeassistant.components.mqtt"
    ) -> list[str]:
        """WARNING/ERROR lines from a logger (MQTT by default) written after ``since``."""
        with self.log_path.open("rb") as log:
            log.seek(since)
            text = log.read().decode("utf-8", "replace")
        problems = []
        for line in text.splitlines():
            match = LOG_LINE.match(line)
            if (
                match
                and match["level"] in {"WARNING", "ERROR", "CRITICAL"}
                and match["logger"].startswith(logger_prefix)
            ):
                problems.append(line)
        return problems

    def log_lines(self, needle: str, since: int = 0) -> list[str]:
        """Log lines containing ``needle`` written after ``since``."""
        with self.log_path.open("rb") as log:
            log.seek(since)
            text = log.read().decode("utf-8", "replace")
        return [line for line in text.splitlines() if needle in line]

    def tail_log(self, chars: int = 3000) -> str:
        """The end of HA's log (or its stdout if it never got that far), for failures."""
        for path in (self.log_path, self.config_dir / "stdout.log"):
            if path.exists() and path.stat().st_size:
                return path.read_text(errors="replace")[-chars:]
        return "(no log)"
