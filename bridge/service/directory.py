"""The cookers the bridge knows, by cloud id and by topic id.

One object rather than a dict here and a lookup callable there: the gate
finds a command's cooker by topic id, reports and bridge requests list the
cookers, and the service adds and retires them as the cloud's device list
changes. All of them read this one directory.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from bridge.hass.planner import CookerEntry
from bridge.mqtt.topics import assign_topic_ids
from bridge.service.cooker import CookerRecord
from bridge.settings import DeviceSettings


class CookerDirectory:
    """Every cooker of the account, keyed by cloud id, findable by topic id.

    Attributes:
        by_id: the records, keyed by the cloud's cooker id (shared with the
            cook contexts, which keep each running cook's record).
    """

    def __init__(self) -> None:
        self.by_id: dict[str, CookerRecord] = {}
        self._by_topic: dict[str, CookerRecord] = {}

    def __len__(self) -> int:
        return len(self.by_id)

    def __iter__(self) -> Iterator[CookerRecord]:
        return iter(list(self.by_id.values()))

    def get(self, cooker_id: str) -> CookerRecord | None:
        """The cooker with this cloud id, if the account has it."""
        return self.by_id.get(cooker_id)

    def for_topic(self, topic_id: str) -> CookerRecord | None:
        """The cooker whose topics use ``topic_id``, if any."""
        return self._by_topic.get(topic_id)

    @property
    def topic_ids(self) -> list[str]:
        """Every cooker's topic id (a broker without wildcards subscribes to each)."""
        return list(self._by_topic)

    def add(self, record: CookerRecord) -> None:
        """A cooker joined the account (its topic id comes with :meth:`assign_topics`)."""
        self.by_id[record.cooker_id] = record

    def remove(self, cooker_id: str) -> None:
        """A cooker left the account."""
        del self.by_id[cooker_id]

    def assign_topics(self, configured: Mapping[str, DeviceSettings]) -> None:
        """Give every cooker its topic id: the configured one, else one from its name."""
        ids = assign_topic_ids(
            (
                c.cooker_id,
                c.info.name,
                configured[c.cooker_id].topic_id if c.cooker_id in configured else None,
            )
            for c in self.by_id.values()
        )
        for cooker_id, topic_id in ids.items():
            self.by_id[cooker_id].use_topic(topic_id)
        self._by_topic = {c.topic_id: c for c in self.by_id.values()}

    def discovery_entries(self) -> list[CookerEntry]:
        """The cookers as Home Assistant discovery sees them."""
        return [
            CookerEntry(c.info, c.topic_id, c.state.firmware if c.state else None)
            for c in self.by_id.values()
        ]
