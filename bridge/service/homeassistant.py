"""The service's side of Home Assistant discovery: when to publish what.

``bridge.hass`` decides the payloads; this module decides the moments:
after start-up (once the retained configs already on the broker are known,
so stale ones can be cleared and the other layout migrated), whenever the
cooker list or firmware changes, after every broker reconnect, and a random
1–5 s after Home Assistant's birth message.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Sequence

from bridge import __version__
from bridge.hass.planner import (
    CookerEntry,
    DiscoveryMessage,
    DiscoveryOptions,
    DiscoveryPlanner,
    birth_delay,
    is_birth,
)
from bridge.kinds import KINDS
from bridge.logs import get_logger
from bridge.mqtt.message import InboundMessage
from bridge.settings import Settings

log = get_logger("homeassistant")

# How long to collect the retained configs after subscribing: the broker sends
# them right after SUBACK, so on loopback a fraction of a second is plenty.
SCAN_WINDOW_S = 0.5


class HomeAssistantLink:
    """Publishes discovery at the right moments through a ``publish`` callable."""

    def __init__(
        self,
        settings: Settings,
        publish: Callable[[str, str], object],
        *,
        cookers: Callable[[], Sequence[CookerEntry]],
        republish_states: Callable[[], None],
        rng: random.Random | None = None,
    ) -> None:
        self.planner = DiscoveryPlanner(
            DiscoveryOptions.from_settings(settings, version=__version__), KINDS.entities()
        )
        self.status_topic = settings.homeassistant.effective_status_topic
        self._publish = publish
        self._cookers = cookers
        self._republish_states = republish_states
        self._rng = rng or random.Random()  # noqa: S311 - a jitter delay, not cryptography
        self._existing: dict[str, bytes] = {}
        self._scan_done = asyncio.Event()
        self._started = False
        self._birth_task: asyncio.Task[None] | None = None

    @property
    def subscriptions(self) -> list[str]:
        """Birth topic, plus the discovery wildcards for the start-up scan."""
        return [self.status_topic, *self.scan_subscriptions]

    @property
    def scan_subscriptions(self) -> list[str]:
        """The discovery wildcards, held only until the retained configs are read."""
        return self.planner.subscriptions

    def handles(self, topic: str) -> bool:
        """True for the birth topic and (during the scan) discovery config topics."""
        prefix = self.planner.options.prefix + "/"
        return topic == self.status_topic or topic.startswith(prefix)

    def on_message(self, message: InboundMessage) -> None:
        """Record retained configs during the scan; schedule a republish on birth."""
        if message.topic == self.status_topic:
            if is_birth(message.payload):
                self._schedule_birth_republish()
            return
        if not self._scan_done.is_set() and message.retain:
            self._existing[message.topic] = message.payload

    async def scan(self) -> None:
        """Wait out the window in which the broker replays retained configs."""
        await asyncio.sleep(SCAN_WINDOW_S)
        self._scan_done.set()

    def start(self, cookers: Sequence[CookerEntry]) -> None:
        """First publication: migrate or clear stale configs, then publish current ones."""
        if not self._scan_done.is_set():
            return
        messages = self.planner.startup_messages(self._existing, cookers)
        self._existing.clear()
        self._started = True
        self._send(messages)
        log.info("discovery_published", messages=len(messages), cookers=len(cookers))

    def update_cooker(self, cooker: CookerEntry, all_cookers: Sequence[CookerEntry]) -> None:
        """One cooker's configs changed (its firmware became known): send only those."""
        if not self._started:
            self.start(all_cookers)
            return
        self._send(self.planner.messages_for(cooker))

    def update(self, cookers: Sequence[CookerEntry], *, force: bool = False) -> None:
        """Publish what changed (everything with ``force``) once started."""
        if not self._started:
            self.start(cookers)
            return
        self._send(self.planner.all_messages(cookers, force=force))

    def remove(self, cooker_id: str) -> None:
        """Clear the configs of a cooker that left the account."""
        self._send(self.planner.removal_messages(cooker_id))

    def _send(self, messages: list[DiscoveryMessage]) -> None:
        for message in messages:
            self._publish(message.topic, message.payload)

    def _schedule_birth_republish(self) -> None:
        if self._birth_task is not None and not self._birth_task.done():
            return
        self._birth_task = asyncio.create_task(self._after_birth(), name="ha-birth")

    async def _after_birth(self) -> None:
        delay = birth_delay(self._rng)
        log.info("homeassistant_online_republishing", delay_s=round(delay, 2))
        await asyncio.sleep(delay)
        self.update(self._cookers(), force=True)
        self._republish_states()

    def cancel(self) -> None:
        """Stop a pending birth republish (shutdown)."""
        if self._birth_task is not None:
            self._birth_task.cancel()
