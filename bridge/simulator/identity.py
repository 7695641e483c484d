"""Who the simulated cookers are: types, generations, and stable ids and names.

Ids are derived from ``(seed, index, type)`` with SHA-256, not drawn at
random, so two simulator processes started with the same arguments show the
same cookers: a bridge restarted against a restarted simulator keeps its
MQTT topics and Home Assistant entities, and the demo's printed topics stay
valid across runs. This table is the simulator's own reading of the
protocol; it deliberately does not import ``bridge.anova``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from bridge.errors import ConfigError

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
GEN3_ID_LENGTH = 22
GEN2_ID_LENGTH = 16
# A fixed, plausible pairing moment; each cooker is paired a few days later.
FIRST_PAIRED_AT = datetime(2023, 8, 12, 2, 33, 20, 917716, tzinfo=UTC)


class Shape(StrEnum):
    """The state document family a cooker type pushes."""

    A3 = "a3"
    GEN2 = "gen2"
    GEN3 = "gen3"


SHAPES: dict[str, Shape] = {
    "a3": Shape.A3,
    "a4": Shape.GEN2,
    "a5": Shape.GEN2,
    "pro": Shape.GEN2,
    "a6": Shape.GEN3,
    "a7": Shape.GEN3,
    "a8": Shape.GEN3,
    "a9": Shape.GEN3,
}


@dataclass(frozen=True)
class Identity:
    """The immutable facts of one simulated cooker, as the device list shows them."""

    cooker_id: str
    name: str
    type: str
    paired_at: str
    index: int

    @property
    def shape(self) -> Shape:
        """Which state document family this cooker pushes."""
        return SHAPES[self.type]


class Paired:
    """What every simulated device shows of its identity: id, name and type.

    Subclasses set ``self.identity`` in their constructor.
    """

    identity: Identity

    @property
    def cooker_id(self) -> str:
        """The cloud's id for the device (``cookerId`` on the wire)."""
        return self.identity.cooker_id

    @property
    def name(self) -> str:
        """The name shown in the device list."""
        return self.identity.name

    @property
    def type(self) -> str:
        """The cloud ``type``: a cooker's commands must carry it (the type trap)."""
        return self.identity.type


def check_types(types: list[str]) -> list[str]:
    """Lower-case and validate cooker types, naming the first unknown one."""
    if not types:
        raise ConfigError("at least one cooker type is needed", field="types")
    cleaned = [t.strip().lower() for t in types]
    for cooker_type in cleaned:
        if cooker_type not in SHAPES:
            known = ", ".join(sorted(SHAPES))
            raise ConfigError(
                f"unknown cooker type {cooker_type!r}; the simulator knows {known}", field="types"
            )
    return cleaned


def make_identities(count: int, types: list[str], seed: int | str | None) -> list[Identity]:
    """Build ``count`` cookers, cycling through ``types`` in order."""
    if count < 0:
        raise ConfigError("the number of cookers cannot be negative", field="cookers")
    cleaned = check_types(types)
    return [_identity(index, cleaned[index % len(cleaned)], seed) for index in range(count)]


def _identity(index: int, cooker_type: str, seed: int | str | None) -> Identity:
    digest = hashlib.sha256(f"anova-sim|{seed or ''}|{index}|{cooker_type}".encode()).digest()
    paired = FIRST_PAIRED_AT + timedelta(days=3 * index, seconds=digest[0])
    return Identity(
        cooker_id=_cooker_id(digest, SHAPES[cooker_type]),
        name=f"Sous Vide {index + 1}",
        type=cooker_type,
        paired_at=paired.isoformat(timespec="microseconds").replace("+00:00", "Z"),
        index=index,
    )


def _cooker_id(digest: bytes, shape: Shape) -> str:
    if shape is Shape.GEN3:
        number = int.from_bytes(digest, "big")
        chars = []
        for _ in range(GEN3_ID_LENGTH):
            number, rest = divmod(number, 62)
            chars.append(BASE62[rest])
        return "".join(chars)
    # Gen 2 and a3 ids are short lowercase hex strings.
    return digest.hex()[:GEN2_ID_LENGTH]


def derived_hex(*parts: object, length: int = 14) -> str:
    """A stable hex string for ids inside state documents (boot ids, job ids)."""
    text = "|".join(str(p) for p in parts)
    return hashlib.sha256(text.encode()).hexdigest()[:length]


OVEN_NAMES = {"oven_v1": "Precision Oven", "oven_v2": "Precision Oven 2.0"}
OVEN_ID_PREFIX = "0123"
OVEN_ID_LENGTH = 18


def make_oven_identities(types: list[str], seed: int | str | None) -> list[Identity]:
    """One oven per entry of ``types`` (``oven_v1``/``oven_v2``), with stable ids and names.

    Ids are 18 lowercase hex characters starting ``0123``, as in every real
    capture (anova-oven-api.md §1); names get a number only when several
    ovens share a type.

    Raises:
        ConfigError: an unknown oven type.
    """
    cleaned = [t.strip().lower() for t in types]
    for oven_type in cleaned:
        if oven_type not in OVEN_NAMES:
            known = ", ".join(sorted(OVEN_NAMES))
            raise ConfigError(
                f"unknown oven type {oven_type!r}; the simulator knows {known}", field="ovens"
            )
    seen: dict[str, int] = {}
    identities = []
    for index, oven_type in enumerate(cleaned):
        seen[oven_type] = seen.get(oven_type, 0) + 1
        several = cleaned.count(oven_type) > 1
        name = OVEN_NAMES[oven_type] + (f" {seen[oven_type]}" if several else "")
        identities.append(_oven_identity(index, oven_type, name, seed))
    return identities


def _oven_identity(index: int, oven_type: str, name: str, seed: int | str | None) -> Identity:
    digest = hashlib.sha256(f"anova-sim-oven|{seed or ''}|{index}|{oven_type}".encode()).digest()
    paired = FIRST_PAIRED_AT + timedelta(days=5 + 3 * index, seconds=digest[0])
    hex_tail = digest.hex()[: OVEN_ID_LENGTH - len(OVEN_ID_PREFIX)]
    return Identity(
        cooker_id=OVEN_ID_PREFIX + hex_tail,
        name=name,
        type=oven_type,
        paired_at=paired.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        index=index,
    )
