"""Everything the service publishes: state, availability, events, responses, info, health.

Keeps the last retained payload per topic so an unchanged state is not sent
again on every cloud push (Home Assistant would log each one), while the
periodic republish and every reconnect still send it all.
"""

from __future__ import annotations

from typing import Any, Protocol

from bridge.kinds.kind import StateInputs
from bridge.logs import get_logger
from bridge.mqtt.message import InboundMessage
from bridge.mqtt.topics import Topics
from bridge.service.cooker import CookerRecord
from bridge.service.events import CookEvent
from bridge.service.payloads import encode, event_payload, state_payload, without_timestamp
from bridge.settings import Settings

log = get_logger("outbound")


class Publisher(Protocol):
    """The MQTT connection as the service uses it."""

    def publish(self, topic: str, payload: bytes | str, *, retain: bool) -> object: ...
    def publish_reply(self, msg: InboundMessage, payload: bytes | str) -> object: ...


class Outbound:
    """Publishes the bridge's view of each cooker on its topics."""

    def __init__(self, publisher: Publisher, settings: Settings) -> None:
        self._publisher = publisher
        self._settings = settings
        self.topics = Topics(settings.mqtt.base_topic)
        self._availability: dict[str, str] = {}

    def device_online(self, cooker: CookerRecord) -> bool:
        """Heard from within ``offline_after`` over a working cloud link.

        The Anova client decides this: it turns silence, and a cloud link down
        for longer than a short grace, into an OFFLINE state. Reading the raw
        socket here instead would flap every cooker offline during the
        cloud's routine close-and-reconnect after a command.
        """
        return cooker.online

    def state(self, cooker: CookerRecord, *, force: bool = False) -> bool:
        """Publish the retained state if it changed (or ``force``); True when sent."""
        payload = state_payload(
            StateInputs(
                cooker.info,
                cooker.state,
                unit=self._settings.units,
                online=self.device_online(cooker),
                stored_target_c=cooker.stored_target_c,
                stored_timer_s=cooker.stored_timer_s,
                food_type=cooker.food_type,
                food=cooker.shown_food,
                next_settings=cooker.next_settings,
            )
        )
        comparable = without_timestamp(payload)
        if not cooker.published(comparable) and not force:
            return False
        self._publisher.publish(self.topics.state(cooker.topic_id), encode(payload), retain=True)
        return True

    def availability(self, cooker: CookerRecord, *, force: bool = False) -> None:
        """Publish ``online``/``offline`` for the cooker when it changed (or ``force``)."""
        value = "online" if self.device_online(cooker) else "offline"
        topic = self.topics.availability(cooker.topic_id)
        if force or self._availability.get(topic) != value:
            self._availability[topic] = value
            self._publisher.publish(topic, value, retain=True)

    def cooker(self, cooker: CookerRecord, *, force: bool = False) -> None:
        """Publish the cooker's availability and state (each only if it changed, or ``force``)."""
        self.availability(cooker, force=force)
        self.state(cooker, force=force)

    def event(self, cooker: CookerRecord, event: CookEvent) -> None:
        """Publish one cook event (not retained: an event happens once)."""
        body = event_payload(event.name, cook_id=event.cook_id, **event.details)
        log.info("cook_event", cooker_id=cooker.cooker_id, cook_event=event.name, **event.details)
        self._publisher.publish(self.topics.event(cooker.topic_id), encode(body), retain=False)

    def command_event(self, cooker: CookerRecord, event: CookEvent) -> None:
        """Publish a command's outcome as an event, for Home Assistant (it reads no responses).

        Not logged here: the command's own log line already says it.
        """
        body = event_payload(event.name, cook_id=event.cook_id, **event.details)
        self._publisher.publish(self.topics.event(cooker.topic_id), encode(body), retain=False)

    def response(self, topic_id: str, message: InboundMessage, body: bytes) -> None:
        """Answer a command on the device's response topic and its MQTT 5 Response Topic."""
        self._publisher.publish(self.topics.response(topic_id), body, retain=False)
        if message.response_topic:
            self._publisher.publish_reply(message, body)

    def bridge_response(self, action: str, message: InboundMessage, body: bytes) -> None:
        """Answer a ``bridge/request/<action>``."""
        self._publisher.publish(self.topics.bridge_response(action), body, retain=False)
        if message.response_topic:
            self._publisher.publish_reply(message, body)

    def bridge_info(self, info: dict[str, Any]) -> None:
        """Retained description of the bridge and its cookers."""
        self._publisher.publish(self.topics.bridge_info, encode(info), retain=True)

    def bridge_health(self, health: dict[str, Any]) -> None:
        """Retained periodic health report."""
        self._publisher.publish(self.topics.bridge_health, encode(health), retain=True)
