"""Topic layout (CONTRACT §1), parsing, slugs and collision-free topic ids."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bridge.mqtt.topics import (
    BridgeRequestTopic,
    DeviceCommandTopic,
    Topics,
    assign_topic_ids,
    slugify,
)

T = Topics("anova")


def test_builds_every_contract_topic() -> None:
    assert T.bridge_availability == "anova/bridge/availability"
    assert T.bridge_info == "anova/bridge/info"
    assert T.bridge_health == "anova/bridge/health"
    assert T.bridge_request("devices") == "anova/bridge/request/devices"
    assert T.bridge_response("devices") == "anova/bridge/response/devices"
    assert T.availability("kitchen") == "anova/kitchen/availability"
    assert T.state("kitchen") == "anova/kitchen/state"
    assert T.set("kitchen") == "anova/kitchen/set"
    assert T.set_field("kitchen", "timer") == "anova/kitchen/set/timer"
    assert T.response("kitchen") == "anova/kitchen/response"
    assert T.event("kitchen") == "anova/kitchen/event"
    assert T.subscriptions == ("anova/+/set", "anova/+/set/+", "anova/bridge/request/+")


@pytest.mark.parametrize(
    ("topic", "parsed"),
    [
        ("anova/kitchen/set", DeviceCommandTopic("kitchen", "set")),
        ("anova/kitchen/set/timer", DeviceCommandTopic("kitchen", "set_field", "timer")),
        ("anova/kitchen/set/bogus", DeviceCommandTopic("kitchen", "set_field", "bogus")),
        ("anova/bridge/request/health_check", BridgeRequestTopic("health_check")),
        ("anova/bridge/set", None),
        ("anova/bridge/request/", None),
        ("anova/kitchen/state", None),
        ("anova/kitchen/set/a/b", None),
        ("anova//set", None),
        ("other/kitchen/set", None),
        ("anovax/kitchen/set", None),
    ],
)
def test_parses_inbound_topics(topic: str, parsed: object) -> None:
    assert T.parse(topic) == parsed


def test_multi_level_base() -> None:
    topics = Topics("home/anova")
    assert topics.parse("home/anova/k/set") == DeviceCommandTopic("k", "set")
    assert topics.parse("home/anova/bridge/request/devices") == BridgeRequestTopic("devices")


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Kitchen Cooker", "kitchen_cooker"),
        ("Küche", "kuche"),
        ("a/b", "ab"),
        ("+#", "cooker"),
        ("evil/+/#\x00", "evil"),
        ("   ", "cooker"),
        ("", "cooker"),
        ("Anova-Precision_3", "anova-precision_3"),
        ("x" * 100, "x" * 48),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug


@given(st.text())
def test_a_name_can_never_inject_levels_or_wildcards(name: str) -> None:
    slug = slugify(name)
    assert slug
    assert all(ch in "abcdefghijklmnopqrstuvwxyz0123456789_-" for ch in slug)
    assert T.parse(T.set(slug)) in (DeviceCommandTopic(slug, "set"), None)


def test_assign_topic_ids_resolves_collisions_in_cooker_id_order() -> None:
    cookers = [
        ("c3", "Sous Vide", None),
        ("c1", "Sous Vide", None),
        ("c2", "sous vide!", None),
        ("c4", "Bridge", None),
        ("c5", None, None),
    ]
    expected = {
        "c1": "sous_vide",
        "c2": "sous_vide_2",
        "c3": "sous_vide_3",
        "c4": "bridge_2",
        "c5": "c5",
    }
    assert assign_topic_ids(cookers) == expected
    assert assign_topic_ids(list(reversed(cookers))) == expected


def test_configured_topic_ids_win_over_slugs() -> None:
    result = assign_topic_ids([("a", "Kitchen", None), ("b", "Other", "kitchen")])
    assert result == {"a": "kitchen_2", "b": "kitchen"}


def test_without_wildcards_lists_each_cookers_command_topics() -> None:
    from bridge.mqtt.topics import BRIDGE_ACTIONS, SET_FIELDS, without_wildcards

    ids = ["b", "a"]
    assert without_wildcards("anova/+/set", "anova", ids) == ["anova/a/set", "anova/b/set"]
    fields = without_wildcards("anova/+/set/+", "anova", ids)
    assert len(fields) == 2 * len(SET_FIELDS)
    assert "anova/b/set/target_temperature" in fields
    requests = without_wildcards("anova/bridge/request/+", "anova", ids)
    assert requests == [f"anova/bridge/request/{a}" for a in sorted(BRIDGE_ACTIONS)]
    assert without_wildcards("homeassistant/status", "anova", ids) == ["homeassistant/status"]
    assert without_wildcards("homeassistant/device/+/config", "anova", ids) == []
