"""Every MQTT topic the bridge uses (CONTRACT §1), and the device topic ids.

Topics are only ever built here, from the configured base and a topic id
that :func:`slugify` or the validated ``devices.<id>.topic_id`` produced, so
a cooker's name can never smuggle in a topic level (``/``) or a wildcard
(``+``, ``#``): those characters do not survive :func:`slugify`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from bridge.contract import OVEN_SHORTCUT_FIELDS, SHORTCUT_FIELDS

BRIDGE = "bridge"
"""The level under ``<base>`` reserved for the bridge itself; never a device id."""

RESERVED_TOPIC_IDS = frozenset({BRIDGE})
SLUG_FALLBACK = "cooker"
SLUG_MAX_LENGTH = 48  # leaves room for a "_NN" suffix under DeviceSettings' 64

SET_FIELDS = frozenset(SHORTCUT_FIELDS) | frozenset(OVEN_SHORTCUT_FIELDS)
"""Plain-value shortcuts under ``<base>/<id>/set/<field>`` of every kind (CONTRACT §1).

A broker without wildcards gets one subscription per device and field; a
device is subscribed to every kind's fields, and answers one its kind does
not take with ``UNKNOWN_ACTION``, as under a wildcard subscription."""

BRIDGE_ACTIONS = frozenset({"health_check", "devices", "republish_discovery"})
"""Actions under ``<base>/bridge/request/<action>`` (CONTRACT §1)."""


_NOT_SLUG = re.compile(r"[^a-z0-9_-]")


@dataclass(frozen=True, slots=True)
class DeviceCommandTopic:
    """An inbound ``<base>/<id>/set`` (kind ``set``) or ``…/set/<field>`` (``set_field``)."""

    topic_id: str
    kind: Literal["set", "set_field"]
    field: str | None = None


@dataclass(frozen=True, slots=True)
class BridgeRequestTopic:
    """An inbound ``<base>/bridge/request/<action>``."""

    action: str


ParsedTopic = DeviceCommandTopic | BridgeRequestTopic


@dataclass(frozen=True, slots=True)
class Topics:
    """Builds and parses the topics under one base topic.

    Args:
        base: the validated ``mqtt.base_topic`` (no trailing slash, no wildcards).
    """

    base: str

    # bridge-level topics -------------------------------------------------
    @property
    def bridge_availability(self) -> str:
        """Retained ``online``/``offline``; also the Last Will topic."""
        return f"{self.base}/{BRIDGE}/availability"

    @property
    def bridge_info(self) -> str:
        """Retained bridge description."""
        return f"{self.base}/{BRIDGE}/info"

    @property
    def bridge_health(self) -> str:
        """Retained periodic health report."""
        return f"{self.base}/{BRIDGE}/health"

    def bridge_request(self, action: str) -> str:
        """Where users send a bridge request."""
        return f"{self.base}/{BRIDGE}/request/{action}"

    def bridge_response(self, action: str) -> str:
        """Where the bridge answers a bridge request."""
        return f"{self.base}/{BRIDGE}/response/{action}"

    # per-device topics ---------------------------------------------------
    def availability(self, topic_id: str) -> str:
        """Retained device availability."""
        return f"{self.base}/{topic_id}/availability"

    def state(self, topic_id: str) -> str:
        """Retained device state JSON."""
        return f"{self.base}/{topic_id}/state"

    def set(self, topic_id: str) -> str:
        """Command JSON topic."""
        return f"{self.base}/{topic_id}/set"

    def set_field(self, topic_id: str, field: str) -> str:
        """Plain-value shortcut topic for one field."""
        return f"{self.base}/{topic_id}/set/{field}"

    def response(self, topic_id: str) -> str:
        """One response per command."""
        return f"{self.base}/{topic_id}/response"

    def event(self, topic_id: str) -> str:
        """Cook and alarm events."""
        return f"{self.base}/{topic_id}/event"

    # inbound -------------------------------------------------------------
    @property
    def subscriptions(self) -> tuple[str, ...]:
        """The filters that cover every inbound topic of CONTRACT §1."""
        return (
            f"{self.base}/+/set",
            f"{self.base}/+/set/+",
            f"{self.base}/{BRIDGE}/request/+",
        )

    def parse(self, topic: str) -> ParsedTopic | None:
        """Say what an inbound topic addresses, or None when it is not ours.

        Field and action names are returned as sent, unknown ones included,
        so the command layer can answer them with a precise error code.
        """
        prefix = f"{self.base}/"
        if not topic.startswith(prefix):
            return None
        levels = topic[len(prefix) :].split("/")
        if len(levels) == 3 and levels[0] == BRIDGE and levels[1] == "request" and levels[2]:
            return BridgeRequestTopic(action=levels[2])
        if levels[0] in RESERVED_TOPIC_IDS or not levels[0] or len(levels) < 2:
            return None
        if len(levels) == 2 and levels[1] == "set":
            return DeviceCommandTopic(topic_id=levels[0], kind="set")
        if len(levels) == 3 and levels[1] == "set" and levels[2]:
            return DeviceCommandTopic(topic_id=levels[0], kind="set_field", field=levels[2])
        return None


def without_wildcards(topic_filter: str, base: str, topic_ids: Iterable[str]) -> list[str]:
    """The exact topics that stand in for one of our filters on a broker without wildcards.

    ``<base>/+/set`` becomes each cooker's ``set``, ``<base>/+/set/+`` each
    cooker's ``set/<field>`` for every SET_FIELDS name, and the bridge's
    request filter one topic per BRIDGE_ACTIONS name. Any other filter with
    a wildcard (Home Assistant's discovery scan) has no stand-in: empty.
    A filter without wildcards is itself.
    """
    if "+" not in topic_filter and "#" not in topic_filter:
        return [topic_filter]
    ids = sorted(topic_ids)
    if topic_filter == f"{base}/+/set":
        return [f"{base}/{i}/set" for i in ids]
    if topic_filter == f"{base}/+/set/+":
        return [f"{base}/{i}/set/{f}" for i in ids for f in sorted(SET_FIELDS)]
    if topic_filter == f"{base}/{BRIDGE}/request/+":
        return [f"{base}/{BRIDGE}/request/{a}" for a in sorted(BRIDGE_ACTIONS)]
    return []


def slugify(name: str) -> str:
    """Turn a cooker's display name into a topic id (``[a-z0-9_-]``, never empty).

    Accents are folded (``Küche`` → ``kuche``), spaces become ``_``, anything
    else outside the alphabet is dropped — so ``/``, ``+``, ``#`` and NUL in
    a name can never create topic levels or wildcards.
    """
    folded = unicodedata.normalize("NFKD", name)
    ascii_only = "".join(ch for ch in folded if not unicodedata.combining(ch))
    slug = _NOT_SLUG.sub("", ascii_only.strip().lower().replace(" ", "_"))
    slug = slug[:SLUG_MAX_LENGTH]
    return slug or SLUG_FALLBACK


def assign_topic_ids(cookers: Iterable[tuple[str, str | None, str | None]]) -> dict[str, str]:
    """Give every cooker a unique topic id, the same one on every run.

    Configured ``topic_id`` values are honoured first; the rest get a slug
    of their name (or of the cooker id when nameless). Collisions — with a
    configured id, another slug or the reserved ``bridge`` level — get
    ``_2``, ``_3``… in cooker-id order, so a restart cannot swap two cookers'
    topics.

    Args:
        cookers: ``(cooker_id, name, configured_topic_id)`` triples.

    Returns:
        cooker_id → topic id.
    """
    ordered = sorted(cookers, key=lambda entry: entry[0])
    taken: set[str] = set(RESERVED_TOPIC_IDS)
    result: dict[str, str] = {}
    for cooker_id, _name, configured in ordered:
        if configured:
            result[cooker_id] = _claim(configured, taken)
    for cooker_id, name, configured in ordered:
        if not configured:
            result[cooker_id] = _claim(slugify(name or cooker_id), taken)
    return {cooker_id: result[cooker_id] for cooker_id, _n, _c in ordered}


def _claim(wanted: str, taken: set[str]) -> str:
    candidate, counter = wanted, 1
    while candidate in taken:
        counter += 1
        candidate = f"{wanted}_{counter}"
    taken.add(candidate)
    return candidate
