"""Each supported Home Assistant Core, with its own broker, for the whole `make test-ha` session.

Every test that uses ``home_assistant``, ``ha_broker``, ``ha_python`` or
``probe`` runs once per release in :func:`tests.ha.harness.installs` (the
oldest and the newest supported), with ids like ``[ha-2026.11.0]``. pytest
groups the tests by release and tears one HA down before it starts the next,
so only one runs at a time. Starting HA takes a few seconds, so it is shared
within a release; tests stay independent by each using its own cooker (own
id, name and topics). Every test here carries the ``ha`` marker (set in each
module), so the quick suite deselects them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from bridge.hass import CookerEntry, DiscoveryMessage, DiscoveryOptions, DiscoveryPlanner
from tests.ha.harness import HomeAssistantCore
from tests.ha.install import HaInstall, installs
from tests.support.broker import MosquittoBroker
from tests.support.ports import listen_port
from tests.support.probe import MqttProbe

VERSION = "1.2.3"


@pytest.fixture(scope="session", params=installs(), ids=lambda i: f"ha-{i.version}")
def ha_install(request: pytest.FixtureRequest) -> HaInstall:
    """One supported release; a clear failure (not a skip) when it was never built."""
    install: HaInstall = request.param
    problem = install.missing()
    if problem:
        pytest.fail(problem)
    return install


@pytest.fixture(scope="session")
def ha_python(ha_install: HaInstall, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An executable running this release's Python, with HA importable."""
    return ha_install.python(tmp_path_factory.mktemp("ha-python"))


@pytest.fixture(scope="session")
def ha_broker(
    ha_install: HaInstall, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[MosquittoBroker]:
    """The private mosquitto this release's MQTT integration is pointed at.

    One per release, so the newer HA does not start with the older one's
    retained discovery.
    """
    instance = MosquittoBroker(tmp_path_factory.mktemp("ha-broker"), port=listen_port())
    instance.start()
    yield instance
    instance.stop()


@pytest.fixture(scope="session")
def home_assistant(
    ha_install: HaInstall, ha_broker: MosquittoBroker, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[HomeAssistantCore]:
    """A running, onboarded Home Assistant with MQTT set up on ``ha_broker``."""
    core = HomeAssistantCore(ha_install, tmp_path_factory.mktemp("ha-config"), ha_broker.port)
    try:
        core.start()
        core.onboard()
        core.add_mqtt()
        yield core
    except BaseException:
        print(core.tail_log())  # pytest shows captured output only when set-up fails
        raise
    finally:
        core.close()


@pytest.fixture
def probe(ha_broker: MosquittoBroker) -> Iterator[MqttProbe]:
    """A plain MQTT client on HA's broker that plays the bridge or a watcher."""
    client = MqttProbe(ha_broker.port)
    yield client
    client.close()


def publish_discovery(
    probe: MqttProbe,
    cookers: Sequence[CookerEntry],
    *,
    mode: str = "device",
    unit: str = "C",
    base: str = "anova",
) -> DiscoveryPlanner:
    """Publish discovery as the bridge would on start-up against an empty broker.

    A test that needs its own bridge device (say, in another layout) passes
    its own ``base``: the bridge's device id follows the base topic.
    """
    options = DiscoveryOptions(mode=mode, unit=unit, version=VERSION, base_topic=base)  # type: ignore[arg-type]
    publisher = DiscoveryPlanner(options)
    send(probe, publisher.startup_messages({}, list(cookers)))
    return publisher


def send(probe: MqttProbe, messages: Sequence[DiscoveryMessage]) -> None:
    """Publish planned discovery messages in order, retained at QoS 1."""
    for message in messages:
        probe.publish(message.topic, message.payload, retain=message.retain, qos=message.qos)


def mark_online(probe: MqttProbe, topic_id: str, base: str = "anova") -> None:
    """Bridge and cooker availability, as the daemon publishes them (retained)."""
    probe.publish(f"{base}/bridge/availability", "online", retain=True)
    probe.publish(f"{base}/{topic_id}/availability", "online", retain=True)


def state_json(cooker_id: str, **changes) -> str:
    """A CONTRACT §3 state message: an idle cooker at room temperature, plus ``changes``."""
    state = {
        "state": "idle",
        "mode": "off",
        "online": True,
        "current_temperature": 21.5,
        "target_temperature": None,
        "unit": "C",
        "timer": {"total_s": None, "remaining_s": None, "running": False},
        "cook": None,
        "alarms": {
            "low_water": False,
            "water_leak": False,
            "high_temp": False,
            "motor_stuck": False,
            "triacs_failed": False,
        },
        "heater_temperature": 22.0,
        "triac_temperature": 30.1,
        "device": {
            "cooker_id": cooker_id,
            "type": "a7",
            "model": "Precision Cooker 3.0",
            "firmware": "01.01.25",
        },
        "updated_at": "2026-11-23T10:00:00Z",
    }
    state.update(changes)
    return json.dumps(state)
