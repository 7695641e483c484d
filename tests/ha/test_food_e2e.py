"""Food safety for Home Assistant users: a real Home Assistant, the daemon, the simulator.

Home Assistant can only say "heat to 55 °C"; the cooker's Food entities give
the food, and its event entity is where a refusal shows, since Home
Assistant reads no responses. Uses the daemon rig of ``test_bridge_e2e``.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.ha import test_bridge_e2e as bridge_e2e
from tests.ha.test_bridge_e2e import NAME, Rig, until

pytestmark = pytest.mark.ha

rig = bridge_e2e.rig  # the daemon + simulator fixture, shared rather than copied


def entity(rig: Rig, domain: str, name: str) -> str:
    """The available entity of this cooker named ``<cooker> <name>`` (ids may carry _2…)."""
    for entity_id, state in rig.ha.states().items():
        named = state["attributes"].get("friendly_name") == f"{NAME} {name}"
        if entity_id.startswith(f"{domain}.") and named and state["state"] != "unavailable":
            return entity_id
    raise AssertionError(f"no available {domain} entity named {NAME} {name}")


def last_event(rig: Rig, event_entity: str) -> dict[str, Any]:
    """The last event's attributes, and ``fired``: when Home Assistant got it.

    The event's own ``at`` has whole seconds, too coarse to tell two events apart.
    """
    state: dict[str, Any] = rig.ha.find_state(event_entity) or {}
    return {**state.get("attributes", {}), "fired": state.get("state")}


async def next_event(rig: Rig, event_entity: str, event_type: str, after: str | None) -> Any:
    """Wait for an event of ``event_type`` newer than the one seen at ``after``."""

    def fired() -> dict[str, Any] | None:
        event = last_event(rig, event_entity)
        new = event["fired"] != after and event.get("event_type") == event_type
        return event if new else None

    return await until(fired, f"{event_type} on {event_entity}")


async def test_chicken_chosen_in_home_assistant_is_held_to_the_poultry_rules(rig: Rig) -> None:
    ha, since = rig.ha, rig.ha.log_offset()
    food, category = entity(rig, "text", "Food"), entity(rig, "select", "Food category")
    events = entity(rig, "event", "Cook event")
    ha.call("text", "set_value", entity_id=food, value="chicken")
    await until(lambda: ha.state(category)["state"] == "poultry", "HA to read chicken as poultry")

    ha.call("climate", "set_temperature", entity_id=rig.climate, temperature=55)
    await until(lambda: ha.state(rig.climate)["attributes"]["temperature"] == 55, "55 stored")
    before = last_event(rig, events)["fired"]
    ha.call("climate", "set_hvac_mode", entity_id=rig.climate, hvac_mode="heat")
    refusal = await next_event(rig, events, "command_refused", before)
    assert refusal["code"] == "POULTRY_TEMP_UNSAFE"
    assert "57 °C" in refusal["message"]
    assert "poultry ('chicken')" in refusal["message"]
    assert not rig.cooker.cooking
    assert ha.state(rig.climate)["state"] == "off"

    ha.call("climate", "set_temperature", entity_id=rig.climate, temperature=60)
    await until(lambda: ha.state(rig.climate)["attributes"]["temperature"] == 60, "60 stored")
    ha.call("climate", "set_hvac_mode", entity_id=rig.climate, hvac_mode="heat")
    await until(lambda: rig.cooker.cooking and rig.cooker.setpoint_c == 60.0, "the cook to start")
    await until(lambda: ha.state(rig.climate)["state"] == "heat", "HA to show the cook")
    assert ha.state(food)["state"] == "chicken"  # the running cook's food

    before = last_event(rig, events)["fired"]
    ha.call("climate", "set_temperature", entity_id=rig.climate, temperature=55)
    refusal = await next_event(rig, events, "command_refused", before)
    assert refusal["code"] == "POULTRY_TEMP_UNSAFE"
    assert refusal["action"] == "set_temperature"
    assert rig.cooker.setpoint_c == 60.0
    await until(lambda: ha.state(rig.climate)["attributes"]["temperature"] == 60, "HA back at 60")

    ha.call("climate", "set_hvac_mode", entity_id=rig.climate, hvac_mode="off")
    await until(lambda: ha.state(category)["state"] == "not set", "the food cleared at the end")
    assert ha.state(food)["state"] == ""
    assert ha.log_problems(since) == []


async def test_a_start_from_home_assistant_without_a_food_says_only_rules_1_to_3_applied(
    rig: Rig,
) -> None:
    ha, since = rig.ha, rig.ha.log_offset()
    events = entity(rig, "event", "Cook event")
    ha.call("climate", "set_temperature", entity_id=rig.climate, temperature=60)
    await until(lambda: ha.state(rig.climate)["attributes"]["temperature"] == 60, "60 stored")

    before = last_event(rig, events)["fired"]
    ha.call("climate", "set_temperature", entity_id=rig.climate, temperature=30)
    refusal = await next_event(rig, events, "command_refused", before)
    assert refusal["code"] == "TEMPERATURE_TOO_LOW"  # idle, yet no start could use it
    assert ha.state(rig.climate)["attributes"]["temperature"] == 60

    before = last_event(rig, events)["fired"]
    ha.call("button", "press", entity_id=entity(rig, "button", "Start cook"))
    warned = await next_event(rig, events, "command_warnings", before)
    assert warned["action"] == "start"
    assert any("(1–3)" in w and "skipped" in w for w in warned["warnings"])
    await until(lambda: rig.cooker.cooking, "the cook to start")
    assert ha.log_problems(since) == []
