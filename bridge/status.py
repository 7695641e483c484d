"""``anova-mqtt-bridge status``: every device's live state, read from the broker.

For people without Home Assistant: subscribes to the retained state topics
and prints one line per cooker or oven with a progress bar of the cook (of
an oven's active stage), and for an oven its mode, stage and probe.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from typing import Any, TextIO
from urllib.parse import urlsplit

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from bridge.settings import Settings

BAR_WIDTH = 20
SUBSCRIBE_TIMEOUT_S = 5.0
# The broker sends retained messages right after SUBACK; once none has come
# for this long, the burst is over.
RETAINED_QUIET_S = 0.3


def progress_bar(state: dict[str, Any]) -> str:
    """``[#####-----] 50%`` of the timer, or a blank bar without a timer."""
    timer = state.get("timer") or {}
    total, remaining = timer.get("total_s"), timer.get("remaining_s")
    if not isinstance(total, int) or not isinstance(remaining, int) or not total:
        return "[" + " " * BAR_WIDTH + "]     "
    if not state.get("cook"):
        return "[" + " " * BAR_WIDTH + "]     "
    done = min(1.0, max(0.0, 1 - remaining / total))
    filled = round(done * BAR_WIDTH)
    return "[" + "#" * filled + "-" * (BAR_WIDTH - filled) + f"] {done:4.0%}"


def format_line(topic_id: str, state: dict[str, Any]) -> str:
    """One device: name, phase, current → target, bar, time left, and what else it reports."""
    unit = state.get("unit") or "C"
    water = state.get("current_temperature")
    target = state.get("target_temperature")
    remaining = (state.get("timer") or {}).get("remaining_s")
    left = f"{remaining // 3600}:{remaining % 3600 // 60:02d} left" if remaining else ""
    name = (state.get("device") or {}).get("name") or topic_id
    temps = f"{_num(water)} → {_num(target)} °{unit}"
    phase = str(state.get("state", "?"))
    line = f"{str(name)[:20]:<20} {phase:<11} {temps:<18} {progress_bar(state)} {left}"
    return " ".join([line.rstrip(), *details(state)]).rstrip()


def details(state: dict[str, Any]) -> list[str]:
    """What an oven's document says beyond a cooker's: mode, stage ``n of m``, the probe."""
    unit = state.get("unit") or "C"
    found = []
    if state.get("cook") and state.get("oven_mode"):
        found.append(str(state["oven_mode"]))
    stage = state.get("stage")
    if isinstance(stage, dict) and stage.get("number") and stage.get("count"):
        found.append(f"stage {stage['number']} of {stage['count']}")
    probe = state.get("probe")
    if isinstance(probe, dict) and probe.get("connected"):
        found.append(
            f"probe {_num(probe.get('temperature'))} → {_num(probe.get('target'))} °{unit}"
        )
    return found


def _num(value: Any) -> str:
    return f"{value:.1f}" if isinstance(value, int | float) else "-"


class StatusWatcher:
    """Collects the retained ``<base>/+/state`` documents."""

    def __init__(self, url: str, base: str) -> None:
        parts = urlsplit(url)
        self.base = base
        self.states: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._subscribed = threading.Event()
        self._last_message = time.monotonic()
        self.client = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2)
        if parts.username:
            self.client.username_pw_set(parts.username, parts.password)
        if parts.scheme == "mqtts":
            self.client.tls_set()
        self.client.on_connect = lambda c, *_: c.subscribe(f"{base}/+/state", qos=1)
        self.client.on_message = self._on_message
        self.client.on_subscribe = lambda *_args: self._subscribed.set()
        self.client.connect(parts.hostname or "127.0.0.1", parts.port or 1883)

    def wait_for_retained(self) -> bool:
        """Wait for the subscription, then for the retained burst to end; False on timeout."""
        if not self._subscribed.wait(SUBSCRIBE_TIMEOUT_S):
            return False
        while time.monotonic() - self._last_message < RETAINED_QUIET_S:
            time.sleep(RETAINED_QUIET_S / 3)
        return True

    def _on_message(self, _c: Any, _u: Any, msg: mqtt.MQTTMessage) -> None:
        self._last_message = time.monotonic()
        topic_id = msg.topic.split("/")[-2]
        try:
            state = json.loads(msg.payload)
        except ValueError:
            return
        if isinstance(state, dict):
            with self._lock:
                self.states[topic_id] = state

    def lines(self) -> list[str]:
        """Current lines, sorted by topic id."""
        with self._lock:
            return [format_line(key, self.states[key]) for key in sorted(self.states)]


def run_status(
    settings: Settings | None,
    *,
    mqtt_url: str | None,
    base_topic: str | None,
    once: bool,
    out: TextIO = sys.stdout,
) -> int:
    """Print the cookers' states once, or refresh every second until Ctrl-C."""
    url = mqtt_url or (settings.mqtt.url if settings else "mqtt://127.0.0.1:1883")
    base = base_topic or (settings.mqtt.base_topic if settings else "anova")
    try:
        watcher = StatusWatcher(url, base)
    except OSError as err:
        print(f"cannot reach the broker at {url}: {err}", file=sys.stderr)
        return 1
    watcher.client.loop_start()
    try:
        if not watcher.wait_for_retained():
            print(f"the broker at {url} did not confirm the subscription", file=sys.stderr)
            return 1
        while True:
            lines = watcher.lines() or [f"no cooker states under {base}/+/state yet"]
            print("\n".join(lines), file=out, flush=True)
            if once:
                return 0
            time.sleep(1.0)
            print(f"\x1b[{len(lines)}A", end="", file=out)
    except KeyboardInterrupt:
        return 0
    finally:
        watcher.client.loop_stop()
        watcher.client.disconnect()
