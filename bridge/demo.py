"""``anova-mqtt-bridge demo``: simulator + broker + bridge, nothing to set up.

Prints the broker URL and ready-to-paste ``mosquitto_sub`` / ``mosquitto_pub``
lines, then one live status line per cooker. Uses the very same bridge code
path as a real deployment; only the cloud is the built-in simulator.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import tempfile
from pathlib import Path
from typing import Literal, TextIO
from urllib.parse import urlsplit

from pydantic import SecretStr

from bridge.anova.state import CookerPhase
from bridge.embedded_broker import EmbeddedBroker, port_answers
from bridge.service.app import BridgeService
from bridge.settings import (
    AnovaSettings,
    HealthSettings,
    HomeAssistantSettings,
    MqttSettings,
    Settings,
)
from bridge.simulator import (
    DEMO_TOKEN,
    REALISTIC_HEATER_LAG_S,
    REALISTIC_NOISE_C,
    CloudSimulator,
    SimClock,
)

SHARED_BROKER = ("127.0.0.1", 1883)


def demo_settings(
    mqtt_url: str, sim: CloudSimulator, *, protocol: Literal["3.1.1", "5"], health_port: int
) -> Settings:
    """Bridge settings pointing at the simulator and the chosen broker."""
    return Settings(
        mqtt=MqttSettings(url=mqtt_url, protocol=protocol, client_id="anova-mqtt-bridge-demo"),
        anova=AnovaSettings(token=SecretStr(DEMO_TOKEN), url=sim.ws_url, auth_url=sim.http_url),
        homeassistant=HomeAssistantSettings(enabled=True),
        health=HealthSettings(port=health_port),
        # The simulator's cooks are not the user's: keep their contexts apart.
        data_dir=str(Path(tempfile.gettempdir()) / "anova-mqtt-bridge-demo"),
    )


def try_lines(
    mqtt_url: str, topic_id: str, base: str = "anova", *, oven_id: str | None = None
) -> str:
    """The commands a newcomer can paste into another terminal: the cooker's, then the oven's."""
    parts = urlsplit(mqtt_url)
    hp = f"-h {parts.hostname} -p {parts.port or 1883}"
    ovens = _oven_lines(hp, base, oven_id) if oven_id else []
    return "\n".join(
        [
            "Try these in another terminal:",
            f"  mosquitto_sub {hp} -v -t '{base}/#'",
            f"  mosquitto_pub {hp} -t '{base}/{topic_id}/set' -m "
            f'\'{{"action":"start","temperature":60,"duration":"1h30m",'
            f'"food_type":"chicken breast","request_id":"demo-1"}}\'',
            f"  mosquitto_pub {hp} -t '{base}/{topic_id}/set/target_temperature' -m 61.5",
            f"  mosquitto_pub {hp} -t '{base}/{topic_id}/set' -m "
            '\'{"action":"start","temperature":35,"duration":"1h"}\''
            "   # refused: danger zone",
            f"  mosquitto_pub {hp} -t '{base}/{topic_id}/set/stop' -m ''",
            *ovens,
        ]
    )


def _oven_lines(hp: str, base: str, oven_id: str) -> list[str]:
    """A bake, a two-stage proof-and-bake, a refused probe target, and stop, for an oven."""
    topic = f"{base}/{oven_id}/set"
    return [
        "And for the oven:",
        f"  mosquitto_pub {hp} -t '{topic}' -m "
        '\'{"action":"start","mode":"dry","temperature":200,"duration":"20m",'
        '"request_id":"oven-1"}\'',
        f"  mosquitto_pub {hp} -t '{topic}' -m "
        '\'{"action":"start","replace":true,"stages":['
        '{"mode":"dry","temperature":35,"duration":"45m","preheat":false},'
        '{"mode":"steam","temperature":220,"steam_percent":30,"duration":"30m"}],'
        '"food_type":"bread","request_id":"oven-2"}\'',
        f"  mosquitto_pub {hp} -t '{topic}' -m "
        '\'{"action":"start","replace":true,"temperature":190,"probe_temperature":65,'
        '"food_type":"chicken"}\'   # refused: poultry below 74 °C at the core',
        f"  mosquitto_pub {hp} -t '{topic}/stop' -m ''",
    ]


def status_line(service: BridgeService) -> str:
    """One part per device: name, temperature, target, phase and time left."""
    lines = []
    for cooker in service.cookers.values():
        state = cooker.state
        if state is None or state.phase is CookerPhase.OFFLINE:
            lines.append(f"{cooker.info.name:<14} offline")
            continue
        left = state.timer.remaining_s
        left_text = f"{left // 3600}:{left % 3600 // 60:02d}:{left % 60:02d} left" if left else ""
        water = (
            f"{state.current_temperature_c:5.1f}"
            if state.current_temperature_c is not None
            else "  -  "
        )
        target = (
            f"{state.target_temperature_c:.1f}" if state.target_temperature_c is not None else "-"
        )
        lines.append(
            f"{cooker.info.name:<14} {water} °C → {target} °C  {state.phase.value:<11} {left_text}"
        )
    return " | ".join(lines)


async def run_demo(
    mqtt_url: str | None,
    *,
    cookers: int,
    types: list[str],
    speed: float,
    ovens: list[str] | None = None,
    use_shared_broker: bool = True,
    out: TextIO = sys.stdout,
) -> int:
    """Run the demo until cancelled (Ctrl-C); returns the exit code."""
    broker: EmbeddedBroker | None = None
    protocol: Literal["3.1.1", "5"] = "5"
    if mqtt_url is None and use_shared_broker and port_answers(*SHARED_BROKER):
        mqtt_url = f"mqtt://{SHARED_BROKER[0]}:{SHARED_BROKER[1]}"
    elif mqtt_url is None:
        broker = EmbeddedBroker()
        await broker.start()
        mqtt_url, protocol = broker.url, "3.1.1"
    sim = CloudSimulator(
        token=DEMO_TOKEN,
        cookers=cookers,
        types=types,
        ovens=ovens,
        clock=SimClock(speed=speed),
        heater_lag_s=REALISTIC_HEATER_LAG_S,
        sensor_noise_c=REALISTIC_NOISE_C,
    )
    await sim.start()
    service = BridgeService(demo_settings(mqtt_url, sim, protocol=protocol, health_port=0))
    stop = asyncio.Event()
    runner = asyncio.create_task(service.run(stop))
    try:
        await _announce(service, sim, mqtt_url, broker is not None, out)
        await _status_loop(service, runner, out)
    except asyncio.CancelledError:
        pass
    finally:
        stop.set()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(runner, 10)
        await sim.stop()
        if broker is not None:
            await broker.stop()
    return 0


async def _announce(
    service: BridgeService, sim: CloudSimulator, mqtt_url: str, embedded: bool, out: TextIO
) -> None:
    devices = len(sim.cookers) + len(sim.ovens)
    for _ in range(100):
        known = service.cookers.values()
        if len(known) >= devices and all(c.topic_id for c in known):
            break
        await asyncio.sleep(0.1)
    kind = "embedded broker (MQTT 3.1.1)" if embedded else "broker"
    print(f"anova-mqtt-bridge demo: {kind} at {mqtt_url}", file=out)
    print(f"Simulated Anova cloud at {sim.ws_url} (speed ×{sim.clock.speed:g})", file=out)
    if service.health is not None:
        print(f"Health: http://127.0.0.1:{service.health.port}/healthz", file=out)
    cooker = next((c for c in service.cookers.values() if c.info.kind != "oven"), None)
    oven = next((c for c in service.cookers.values() if c.info.kind == "oven"), None)
    topic_id = cooker.topic_id if cooker else "sous_vide_1"
    print(try_lines(mqtt_url, topic_id, oven_id=oven.topic_id if oven else None), file=out)
    print("Ctrl-C stops everything.", file=out, flush=True)


async def _status_loop(service: BridgeService, runner: asyncio.Task[int], out: TextIO) -> None:
    interactive = out.isatty()
    while not runner.done():
        line = status_line(service)
        if interactive:
            print(f"\r\x1b[K{line}", end="", file=out, flush=True)
        else:
            print(line, file=out, flush=True)
        await asyncio.sleep(1.0 if interactive else 10.0)
