"""When discovery is (re)sent, cleared and migrated: the planner the service drives."""

from __future__ import annotations

import json
import random

from bridge.hass import DiscoveryMessage, DiscoveryPlanner, birth_delay, is_birth
from bridge.hass.planner import encode
from tests.hass.conftest import COOKERS, options

A7_DEVICE_TOPIC = "homeassistant/device/a7c0ffee1234/config"
BRIDGE_TOPIC = "homeassistant/device/anova_bridge/config"


def retained(publisher: DiscoveryPlanner, *entries) -> dict[str, bytes]:
    """What the broker would hold after ``publisher`` sent everything for ``entries``."""
    return {m.topic: m.payload.encode() for m in publisher.all_messages(list(entries), force=True)}


def test_discovery_is_resent_only_when_it_changed() -> None:
    publisher = DiscoveryPlanner(options())
    first = publisher.messages_for(COOKERS["a7"])
    assert [m.topic for m in first] == [A7_DEVICE_TOPIC]
    assert first[0].retain
    assert first[0].qos == 1
    assert publisher.messages_for(COOKERS["a7"]) == []
    newer = COOKERS["a7"].__class__(COOKERS["a7"].info, "sous_vide", "01.02.00")
    (update,) = publisher.messages_for(newer)
    assert json.loads(update.payload)["device"]["sw_version"] == "01.02.00"


def test_force_republishes_everything_after_home_assistant_birth() -> None:
    publisher = DiscoveryPlanner(options())
    cookers = [COOKERS["a7"], COOKERS["a5"]]
    publisher.all_messages(cookers)
    again = publisher.all_messages(cookers, force=True)
    assert [m.topic for m in again] == [
        BRIDGE_TOPIC,
        A7_DEVICE_TOPIC,
        "homeassistant/device/a5beef5678/config",
    ]


def test_stale_topics_are_ours_only_and_only_for_cookers_gone() -> None:
    publisher = DiscoveryPlanner(options())
    existing = retained(publisher, COOKERS["a7"], COOKERS["a5"])
    existing["homeassistant/device/zigbee_lamp/config"] = (
        b'{"o": {"name": "zigbee2mqtt"}, "dev": {}}'
    )
    existing["homeassistant/sensor/0x00158d/temperature/config"] = b"not json"
    assert publisher.stale_topics(existing, ["a7c0ffee1234"]) == [
        "homeassistant/device/a5beef5678/config"
    ]
    assert publisher.stale_topics(existing, ["a7c0ffee1234", "a5beef5678"]) == []


def test_another_bridge_on_another_base_topic_is_left_alone() -> None:
    other = DiscoveryPlanner(options(base_topic="garage"))
    existing = retained(other, COOKERS["a5"])
    assert DiscoveryPlanner(options()).stale_topics(existing, []) == []


def test_startup_skips_configs_already_retained_and_clears_the_gone() -> None:
    before = DiscoveryPlanner(options())
    existing = retained(before, COOKERS["a7"], COOKERS["a5"])
    restarted = DiscoveryPlanner(options())
    messages = restarted.startup_messages(existing, [COOKERS["a7"]])
    assert messages == [DiscoveryMessage("homeassistant/device/a5beef5678/config", "")]


def test_startup_on_an_empty_broker_publishes_bridge_then_cookers() -> None:
    messages = DiscoveryPlanner(options()).startup_messages({}, [COOKERS["a7"]])
    assert [m.topic for m in messages] == [BRIDGE_TOPIC, A7_DEVICE_TOPIC]


def test_switch_to_component_mode_migrates_then_clears_the_device_config() -> None:
    existing = retained(DiscoveryPlanner(options()), COOKERS["a7"])
    publisher = DiscoveryPlanner(options(mode="component"))
    messages = publisher.startup_messages(existing, [COOKERS["a7"]])
    migrate = [m for m in messages if m.payload == encode({"migrate_discovery": True})]
    cleared = [m for m in messages if m.payload == ""]
    published = [m for m in messages if m not in migrate and m not in cleared]
    assert sorted(m.topic for m in migrate) == [A7_DEVICE_TOPIC, BRIDGE_TOPIC]
    assert sorted(m.topic for m in cleared) == [A7_DEVICE_TOPIC, BRIDGE_TOPIC]
    assert messages == migrate + cleared + published
    assert "homeassistant/climate/a7c0ffee1234/climate/config" in {m.topic for m in published}
    assert "homeassistant/binary_sensor/anova_bridge/connection/config" in {
        m.topic for m in published
    }
    assert len(published) == 20  # the bridge's sensor + 19 cooker entities


def test_switch_back_to_device_mode_migrates_every_component_config() -> None:
    existing = retained(DiscoveryPlanner(options(mode="component")), COOKERS["a7"])
    messages = DiscoveryPlanner(options()).startup_messages(existing, [COOKERS["a7"]])
    migrate = [m.topic for m in messages if m.payload == encode({"migrate_discovery": True})]
    cleared = [m.topic for m in messages if m.payload == ""]
    assert sorted(migrate) == sorted(existing) == cleared
    assert [m.topic for m in messages[: 2 * len(migrate)]] == migrate + migrate
    assert [
        m.topic for m in messages if m.payload not in ("", encode({"migrate_discovery": True}))
    ] == [
        BRIDGE_TOPIC,
        A7_DEVICE_TOPIC,
    ]


def test_a_cooker_gone_in_the_old_layout_is_removed_not_migrated() -> None:
    existing = retained(DiscoveryPlanner(options(mode="component")), COOKERS["a5"])
    messages = DiscoveryPlanner(options()).startup_messages(existing, [])
    a5_messages = [m for m in messages if "a5beef5678" in m.topic]
    assert a5_messages
    assert all(m.payload == "" for m in a5_messages)


def test_removal_while_running_clears_the_cooker_once() -> None:
    publisher = DiscoveryPlanner(options())
    publisher.messages_for(COOKERS["a7"])
    assert publisher.removal_messages("a7c0ffee1234") == [DiscoveryMessage(A7_DEVICE_TOPIC, "")]
    assert publisher.removal_messages("a7c0ffee1234") == []
    assert [m.topic for m in publisher.messages_for(COOKERS["a7"])] == [A7_DEVICE_TOPIC]


def test_subscriptions_cover_both_layouts() -> None:
    assert DiscoveryPlanner(options(prefix="ha")).subscriptions == [
        "ha/device/+/config",
        "ha/+/+/+/config",
    ]


def test_birth_delay_is_random_between_one_and_five_seconds() -> None:
    rng = random.Random(7)
    delays = [birth_delay(rng) for _ in range(200)]
    assert all(1.0 <= d <= 5.0 for d in delays)
    assert max(delays) - min(delays) > 3


def test_birth_payload() -> None:
    assert is_birth(b"online")
    assert is_birth("online\n")
    assert not is_birth(b"offline")
