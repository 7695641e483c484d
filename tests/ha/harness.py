"""A real Home Assistant Core on loopback, driven over its REST API like a user would.

Facts this relies on (issue 7, issue 16): the suite runs against the oldest
and the newest Home Assistant it supports (:mod:`tests.ha.install` says how
each is launched). Both run with ``--skip-pip``; HA is onboarded over REST
(``/api/onboarding/users`` then ``/auth/token``); the ``core_config`` step is
skipped because it sets up integrations that fail offline; MQTT is added
through the config-entry flow with handler ``mqtt`` (2026.x wants its
``other_settings`` section filled).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import httpx

from tests.ha.install import (  # re-exported: tests import them from here
    CHROOT_RUN,
    DEFAULT_HA_VENV,
    HaInstall,
    ha_chroot,
    ha_venv,
    installs,
)
from tests.support.ports import ephemeral_ports, listen_port
from tests.support.probe import MqttProbe
from tests.support.waiting import wait_until

__all__ = [
    "CHROOT_RUN",
    "DEFAULT_HA_VENV",
    "HaInstall",
    "HomeAssistantCore",
    "ephemeral_ports",
    "ha_chroot",
    "ha_venv",
    "installs",
    "listen_port",
]

START_TIMEOUT = 90.0
BIRTH_TOPIC = "homeassistant/status"
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


class HomeAssistantCore:
    """One ``hass`` process with a temp config dir, onboarded, MQTT pointed at a broker."""

    def __init__(self, install: HaInstall | Path, config_dir: Path, broker_port: int) -> None:
        self.install = install if isinstance(install, HaInstall) else HaInstall("", venv=install)
        self.config_dir = config_dir
        self.broker_port = broker_port
        self.port = listen_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.token: str | None = None
        self.mqtt_entry: str | None = None
        self.log_path = config_dir / "home-assistant.log"
        self.client = httpx.Client(base_url=self.base_url, timeout=30)

    @property
    def version(self) -> str:
        """The Home Assistant release this is, e.g. ``2026.11.0``."""
        return self.install.version

    # -- life cycle -------------------------------------------------------------

    def start(self) -> None:
        """Start ``hass``; wait for HTTP, once onboarded for RUNNING, once MQTT is set up for it.

        After a restart HA's MQTT client has subscribed to discovery only
        when it sends its birth message, so that is waited for too.
        """
        self.config_dir.mkdir(parents=True, exist_ok=True)
        (self.config_dir / "configuration.yaml").write_text(CONFIGURATION.format(port=self.port))
        automations = self.config_dir / "automations.yaml"
        if not automations.exists():
            automations.write_text("[]\n")
        watcher = self._birth_watcher() if self.mqtt_entry else None
        try:
            # The child keeps its own copy of the descriptor; ours can close at once.
            with (self.config_dir / "stdout.log").open("ab") as stdout:
                self.process = subprocess.Popen(
                    self.install.hass_command(self.config_dir),
                    stdout=stdout,
                    stderr=subprocess.STDOUT,
                )
            wait_until(self._http_ready, timeout=START_TIMEOUT, what="Home Assistant HTTP")
            if self.token:
                self.wait_running()
            if watcher:
                self._wait_birth(watcher)
        finally:
            if watcher:
                watcher.close()

    def _http_ready(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise RuntimeError(f"hass exited: {self.tail_log()}")
        try:
            path, headers = ("/api/", self._auth()) if self.token else ("/api/onboarding", {})
            return self.client.get(path, headers=headers).status_code == 200
        except httpx.TransportError:
            if self.log_lines("Failed to create HTTP server"):
                raise RuntimeError(f"hass has no HTTP server: {self.tail_log()}") from None
            return False

    def wait_running(self) -> None:
        """Wait until HA reports RUNNING: HTTP answers while integrations still load."""
        wait_until(
            lambda: self.get("/api/config").get("state") == "RUNNING",
            timeout=START_TIMEOUT,
            what="Home Assistant to finish starting",
        )

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
        """Create the owner over REST, trade the auth code for a token, wait for RUNNING."""
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
        self.wait_running()

    def add_mqtt(self) -> None:
        """Add the MQTT integration through the config flow; wait until HA listens.

        The form's own schema says what to send: HA 2026.x nests TLS, client id
        and transport in a required ``other_settings`` section. The entry is
        ``loaded`` before its client has subscribed to discovery; HA's birth
        message comes after, so a non-retained message sent then is not lost.
        """
        watcher = self._birth_watcher()
        try:
            flow = self.post("/api/config/config_entries/flow", {"handler": "mqtt"})
            assert flow["step_id"] == "broker", flow
            answer: dict[str, Any] = {"broker": "127.0.0.1", "port": self.broker_port}
            if any(field["name"] == "other_settings" for field in flow["data_schema"]):
                answer["other_settings"] = {
                    "set_client_cert": False,
                    "set_ca_cert": "off",
                    "transport": "tcp",
                }
            done = self.post(f"/api/config/config_entries/flow/{flow['flow_id']}", answer)
            assert done["type"] == "create_entry", done
            self.mqtt_entry = done["result"]["entry_id"]
            self._wait_birth(watcher)
        finally:
            watcher.close()

    def _birth_watcher(self) -> MqttProbe:
        """A client on HA's broker, its subscription to the birth topic known to be active."""
        watcher = MqttProbe(self.broker_port)
        fence = f"harness/fence/{self.port}"
        watcher.subscribe(BIRTH_TOPIC, fence)
        watcher.publish(fence, "fence")  # the broker handles SUBSCRIBE before this PUBLISH
        watcher.wait_for(fence)
        return watcher

    def _wait_birth(self, watcher: MqttProbe) -> None:
        wait_until(
            lambda: any(m.payload == b"online" for m in watcher.on(BIRTH_TOPIC)),
            timeout=START_TIMEOUT,
            what="Home Assistant's MQTT birth message",
        )

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

    def state(self, entity_id: str) -> dict[str, Any]:
        """One entity's state object; fails the test when the entity does not exist."""
        found = self.find_state(entity_id)
        assert found is not None, f"{entity_id} does not exist in Home Assistant"
        return found

    def find_state(self, entity_id: str) -> dict[str, Any] | None:
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
            found = self.find_state(entity_id)
            return found if found is not None and predicate(found) else None

        return wait_until(check, timeout=timeout, what=f"{entity_id} to match")

    def wait_available(self, *entity_ids: str, timeout: float = 20.0) -> dict[str, Any]:
        """Wait until every entity exists and is not ``unavailable``; their states back.

        A freshly discovered entity exists before it is usable: HA 2026.x shows
        it unavailable until its retained availability and state arrive.
        """

        def check() -> dict[str, Any] | None:
            states = self.states()
            found = {e: states.get(e) for e in entity_ids}
            usable = all(s is not None and s["state"] != "unavailable" for s in found.values())
            return found if usable else None

        return wait_until(check, timeout=timeout, what=f"{', '.join(entity_ids)} available")

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
        text = self._log_text(since)
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
        return [line for line in self._log_text(since).splitlines() if needle in line]

    def _log_text(self, since: int) -> str:
        """The log from byte ``since`` on; empty before HA has written one."""
        try:
            with self.log_path.open("rb") as log:
                log.seek(since)
                return log.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    def tail_log(self, chars: int = 3000) -> str:
        """The end of HA's log (or its stdout if it never got that far), for failures."""
        for path in (self.log_path, self.config_dir / "stdout.log"):
            if path.exists() and path.stat().st_size:
                return path.read_text(errors="replace")[-chars:]
        return "(no log)"
