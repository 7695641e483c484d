"""The topic filters the bridge holds, and what is subscribed for them on this broker.

Filters are kept across reconnects and subscribed again after every CONNACK
(the broker may have lost our session). On a broker that refuses wildcard
subscriptions (MQTT 5 CONNACK: Wildcard Subscription Available 0) each
filter is replaced by the exact topics it stands for
(:func:`~bridge.mqtt.topics.without_wildcards`), which depend on the
cookers' topic ids.
"""

from __future__ import annotations

from collections.abc import Iterable

import paho.mqtt.client as mqtt
from paho.mqtt.subscribeoptions import SubscribeOptions

from bridge.mqtt.topics import without_wildcards


class Subscriptions:
    """Subscribes and unsubscribes on a paho client; the caller says when the link is up.

    Args:
        client: the paho client.
        base: the base topic, to expand our own filters.
        v5: MQTT 5, for Retain As Published.
        filters: filters to hold from the start.
    """

    def __init__(self, client: mqtt.Client, *, base: str, v5: bool, filters: Iterable[str]) -> None:
        self._client = client
        self._base = base
        self._v5 = v5
        self._filters: list[str] = list(dict.fromkeys(filters))
        self._topic_ids: tuple[str, ...] = ()
        self.wildcards = True
        """The broker accepts wildcard filters (as its last CONNACK said)."""

    def renew(self, *, wildcards: bool) -> None:
        """Subscribe to everything again, after a CONNACK."""
        self.wildcards = wildcards
        for topic in self._all_on_the_wire():
            self._subscribe(topic)

    def add(self, topic_filter: str, *, live: bool) -> bool:
        """Hold ``topic_filter``; subscribe now when ``live``. True when it is new."""
        if topic_filter in self._filters:
            return False
        self._filters.append(topic_filter)
        if live:
            for topic in self._on_the_wire(topic_filter):
                self._subscribe(topic)
        return True

    def remove(self, topic_filter: str, *, live: bool) -> bool:
        """Stop holding ``topic_filter``; unsubscribe now when ``live``. True when it was held."""
        if topic_filter not in self._filters:
            return False
        self._filters.remove(topic_filter)
        if live:
            for topic in self._on_the_wire(topic_filter):
                self._client.unsubscribe(topic)
        return True

    def set_topic_ids(self, topic_ids: Iterable[str], *, live: bool) -> bool:
        """The cookers' topic ids; True when subscriptions changed on the wire.

        Only a broker without wildcards needs them: there a cooker that
        joins or leaves adds or removes its command topics.
        """
        before = set(self._all_on_the_wire())
        self._topic_ids = tuple(sorted(set(topic_ids)))
        if not live or self.wildcards:
            return False
        after = set(self._all_on_the_wire())
        for topic in sorted(after - before):
            self._subscribe(topic)
        for topic in sorted(before - after):
            self._client.unsubscribe(topic)
        return after != before

    def _on_the_wire(self, topic_filter: str) -> list[str]:
        if self.wildcards:
            return [topic_filter]
        return without_wildcards(topic_filter, self._base, self._topic_ids)

    def _all_on_the_wire(self) -> list[str]:
        """Every topic or filter subscribed, in the order the filters were added."""
        return list(dict.fromkeys(t for f in self._filters for t in self._on_the_wire(f)))

    def _subscribe(self, topic_filter: str) -> None:
        """Subscribe at QoS 1; on MQTT 5 with Retain As Published.

        A broker forwards a retained publish to current subscribers with the
        retain flag cleared (MQTT 3.1.1 §3.3.1.3), so without this option a
        command published with ``retain`` would look like a normal one and be
        executed, then replayed on every reconnect. MQTT 5's Retain As
        Published keeps the flag, so such commands are refused at once.
        """
        if self._v5:
            options = SubscribeOptions(qos=1, retainAsPublished=True)
            self._client.subscribe(topic_filter, options=options)
        else:
            self._client.subscribe(topic_filter, qos=1)
