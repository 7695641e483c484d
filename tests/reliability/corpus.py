"""Bad input for the fuzz run: hypothesis-generated and raw random (seeded) messages.

Every message is ``(topic, payload, retain)``. Topics cover every inbound
topic the bridge listens on (``set``, each ``set/<field>``, unknown fields,
unknown devices, ``bridge/request/<action>``) plus topics it must ignore.
Payloads run from empty to 1 MB: binary, unicode, deeply nested JSON,
command look-alikes with wrong types, NaN and huge numbers, truncated and
bit-flipped JSON. Messages the bridge's own parser accepts as valid are
dropped by :func:`is_bad` so that "every message gets an error code and
nothing reaches the cloud" is the whole claim.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from bridge.commands import parse_set_payload, parse_shortcut
from bridge.commands.bridge_request import parse_bridge_request
from bridge.errors import CommandError
from bridge.mqtt.topics import BRIDGE_ACTIONS, SET_FIELDS

ACTIONS = ["start", "stop", "set_temperature", "set_timer", "set_unit", "START", "", "cook"]
KEYS = ["action", "temperature", "unit", "duration", "time_minutes", "food_type", "replace"]
KEYS += ["request_id", "thickness_mm", "transaction", "mode", "speed", "\x00", "ßü"]
ODD_VALUES = [b"heat", b"off", b"HEAT", b"61.5", b"-0", b"1e999", b"nan", b"Infinity", b"1h30m"]
ODD_VALUES += [b"PT99999H", b"C", b"F", b"K", b"", b" ", b"\xef\xbb\xbf", b"null", b"[]", b"{}"]
HUGE = 1024 * 1024
BATCH = 25
ANY_PAYLOAD = ("start", "stop")  # shortcuts that take any payload: only retain makes them bad


@dataclass(frozen=True)
class Message:
    """One message the fuzz run publishes."""

    topic: str
    payload: bytes
    retain: bool

    @property
    def answered(self) -> bool:
        """Whether the bridge listens on this topic, so owes an answer."""
        levels = self.topic.split("/")
        if levels[0] != "anova" or len(levels) not in (3, 4):
            return False
        if levels[1] == "bridge":
            return len(levels) == 4 and levels[2] == "request" and bool(levels[3])
        return levels[2] == "set" and (len(levels) == 3 or bool(levels[3]))


def message(topic: str, payload: bytes, retain: bool) -> Message:
    """A message; on the take-anything shortcuts, always retained (so always refused)."""
    return Message(topic, payload, retain or topic.rsplit("/", 1)[-1] in ANY_PAYLOAD)


def topics(device_ids: list[str]) -> list[str]:
    """Every kind of topic a user (or an attacker) could publish a command to."""
    known = [f"anova/{d}/set" for d in device_ids]
    fields = [f"anova/{d}/set/{f}" for d in device_ids for f in sorted(SET_FIELDS)]
    requests = [f"anova/bridge/request/{a}" for a in sorted(BRIDGE_ACTIONS)]
    unknown_answered = [
        "anova/no_such_cooker/set",
        "anova/küche/set",
        f"anova/{device_ids[0]}/set/power",
        f"anova/{device_ids[0]}/set/TARGET_TEMPERATURE",
        "anova/bridge/request/shutdown",
        "anova/bridge/request/..",
    ]
    ignored = [
        f"anova/{device_ids[0]}/set/timer/extra",
        f"anova/{device_ids[0]}/command",
        "anova/bridge/request",
        "anova/set",
        "other/anova/x/set",
    ]
    return known + fields + requests + unknown_answered + ignored


def is_bad(message: Message, device_ids: set[str]) -> bool:
    """False for the (rare) generated message that is a valid command: it is skipped."""
    levels = message.topic.split("/")
    if not message.answered:
        return True
    try:
        if levels[1] == "bridge":
            parse_bridge_request(levels[3], message.payload, retained=message.retain)
        elif levels[1] not in device_ids:
            return True  # UNKNOWN_DEVICE whatever the payload
        elif len(levels) == 3:
            parse_set_payload(message.payload, retained=message.retain, default_unit="C")
        else:
            parse_shortcut(levels[3], message.payload, retained=message.retain, default_unit="C")
    except CommandError:
        return True
    return False


# ----------------------------------------------------------------- hypothesis
_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40)
)
_json = st.recursive(
    _scalars,
    lambda kids: (
        st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids, max_size=4)
    ),
    max_leaves=12,
)
_commandish = st.dictionaries(st.sampled_from(KEYS), _json, max_size=6).map(
    lambda doc: doc | {"action": doc.get("action", "start")}
) | st.fixed_dictionaries({"action": st.sampled_from(ACTIONS)}, optional={"temperature": _json})
_payloads = st.one_of(
    _commandish.map(lambda doc: json.dumps(doc).encode()),  # NaN/Infinity stay as tokens
    _json.map(lambda doc: json.dumps(doc, ensure_ascii=False).encode()),
    st.text(max_size=200).map(str.encode),
    st.binary(max_size=400),
    st.integers(1, 2000).map(lambda depth: b'{"a":' * depth + b"1" + b"}" * depth),
    st.sampled_from(ODD_VALUES),
)


def hypothesis_messages(count: int, topic_list: list[str], seed_value: int) -> list[Message]:
    """``count`` messages drawn by hypothesis (generation only: nothing to shrink)."""
    found: list[Message] = []
    one = st.tuples(st.sampled_from(topic_list), _payloads, st.integers(0, 49))

    # Drawing a batch per example: hypothesis's per-example overhead is ~1 ms.
    @seed(seed_value)
    @settings(
        max_examples=-(-count // BATCH),
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(st.lists(one, min_size=BATCH, max_size=BATCH))
    def collect(batch: list[tuple[str, bytes, int]]) -> None:
        found.extend(message(topic, payload, dice == 0) for topic, payload, dice in batch)

    collect()
    return found[:count]


# ----------------------------------------------------------------- raw bytes
def raw_messages(count: int, topic_list: list[str], rng: random.Random) -> Iterator[Message]:
    """``count`` messages of seeded random bytes, made lazily (huge ones are 1 MB)."""
    makers = [_random_bytes, _random_unicode, _mangled_json, _deep_nesting]
    for n in range(count):
        payload = _huge(rng) if n % 5000 == 4999 else rng.choice(makers)(rng)
        yield message(rng.choice(topic_list), payload, rng.random() < 0.02)


def _random_bytes(rng: random.Random) -> bytes:
    return rng.randbytes(rng.choice((0, 1, 8, 64, 300, 2000)))


def _random_unicode(rng: random.Random) -> bytes:
    chars = (chr(rng.randrange(0x20, 0x3_0000)) for _ in range(rng.randrange(1, 120)))
    return "".join(chars).encode("utf-8", "surrogatepass")  # lone surrogates: invalid UTF-8


def _mangled_json(rng: random.Random) -> bytes:
    body = bytearray(
        json.dumps({"action": rng.choice(ACTIONS), "temperature": 60, "request_id": "x"}).encode()
    )
    for _ in range(rng.randrange(1, 4)):
        body[rng.randrange(len(body))] = rng.randrange(256)
    return bytes(body[: rng.randrange(1, len(body) + 1)])


def _deep_nesting(rng: random.Random) -> bytes:
    depth = rng.choice((100, 1000, 20_000, 32_000))
    return b"[" * depth + b"]" * depth


def _huge(rng: random.Random) -> bytes:
    size = rng.randrange(64 * 1024 + 1, HUGE - 64)
    return b'{"action": "start", "food_type": "' + b"x" * size + b'"}'
