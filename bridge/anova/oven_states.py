"""``EVENT_APO_STATE`` to one :class:`OvenState`, whichever oven version sent it.

Both versions nest the document under ``payload.state`` (``anova-oven-api.md``
§4). The version is read from the document (``state.version``, else v2's
``state.state.cavityOverheated``), never from ``payload.type``, as the
official app does. Phase: idle outside a cook (``descale`` included),
offline when ``systemInfo.online`` is false, and during a cook preheating
until the active stage's bulb first reaches its setpoint (a v1 preheat
stage is preheating throughout), then cooking. "First" needs memory across
pushes, so :class:`OvenStates` remembers, per oven, the stage that got there.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from pydantic import ValidationError

from bridge.anova import fields, oven_nodes, oven_v1, oven_v2
from bridge.anova.fields import JsonObject, MalformedStateError
from bridge.anova.oven_model import OVEN_V1, OVEN_V2, OvenState, StageKind
from bridge.anova.oven_nodes import ActiveStage, Bulbs, TimerReading
from bridge.anova.state import CookerPhase, CookInfo


class _Version(Protocol):
    """What :mod:`~bridge.anova.oven_v1` and :mod:`~bridge.anova.oven_v2` each read."""

    def timer(self, nodes: JsonObject, updated: datetime) -> TimerReading: ...
    def fan_speed(self, nodes: JsonObject) -> int | None: ...
    def lamp_on(self, nodes: JsonObject) -> bool | None: ...
    def active_stage(self, cook: JsonObject) -> ActiveStage | None: ...
    def cook_info(self, cook: JsonObject, reading: TimerReading, updated: datetime) -> CookInfo: ...


VERSIONS: dict[int, tuple[_Version, str]] = {1: (oven_v1, OVEN_V1), 2: (oven_v2, OVEN_V2)}


def version_of(doc: JsonObject) -> int:
    """1 or 2: ``state.version``, else 2 if ``state.state.cavityOverheated`` is present."""
    declared = fields.opt_int(doc, "version")
    if declared in VERSIONS:
        return declared
    return 2 if "cavityOverheated" in fields.opt_obj(doc, "state") else 1


def parse_oven_state(payload: Any, now: datetime) -> OvenState:
    """Read one ``EVENT_APO_STATE`` payload, without memory of earlier pushes.

    Args:
        payload: ``{"cookerId", "type", "state": {version, systemInfo, state, nodes, cook?}}``.
        now: when it arrived (aware UTC); used when the document has no timestamp.

    Raises:
        MalformedStateError: no ``cookerId``, ``state``, ``state.state.mode`` or
            ``state.nodes``, or values out of range.
    """
    if not isinstance(payload, dict):
        raise MalformedStateError("the oven state payload must be a JSON object")
    cooker_id = fields.text(payload, "cookerId")
    doc = fields.obj(payload, "state")
    version = version_of(doc)
    reader, default_type = VERSIONS[version]
    cooker_type = fields.opt_text(payload, "type") or default_type
    try:
        return _read(reader, doc, now, cooker=(cooker_id, cooker_type, version))
    except ValidationError as err:
        raise MalformedStateError(f"oven state values out of range: {err.error_count()}") from err


def _read(
    reader: _Version, doc: JsonObject, now: datetime, *, cooker: tuple[str, str, int]
) -> OvenState:
    cooker_id, cooker_type, version = cooker
    status = fields.obj(doc, "state")
    mode = fields.text(status, "mode").lower()
    nodes = fields.obj(doc, "nodes")
    system = fields.opt_obj(doc, "systemInfo")
    updated = fields.opt_timestamp(doc, "updatedTimestamp") or now
    cook = fields.opt_obj(doc, "cook")
    cooking = mode == "cook"
    bulbs = oven_nodes.bulbs(nodes)
    reading = reader.timer(nodes, updated)
    stage = reader.active_stage(cook) if cooking else None
    preheated = cooking and (_at_setpoint(bulbs) or (stage is not None and stage.preheat_done))
    online = fields.opt_bool(system, "online")
    return OvenState(
        cooker_id=cooker_id,
        type=cooker_type,
        phase=_phase(online, cooking, stage, preheated),
        current_temperature_c=bulbs.current_c,
        target_temperature_c=bulbs.target_c,
        unit=fields.unit_of(fields.opt_text(status, "temperatureUnit")),
        timer=reading.timer,
        cook=reader.cook_info(cook, reading, updated) if cooking else None,
        alarms=oven_nodes.alarms(nodes, status, system),
        firmware=fields.opt_text(system, "firmwareVersion"),
        online=online,
        updated_at=updated,
        version=version,
        mode=oven_nodes.oven_mode(bulbs.mode, nodes) if cooking else None,
        dry_bulb_c=bulbs.dry_c,
        wet_bulb_c=bulbs.wet_c,
        steam=oven_nodes.steam(nodes),
        probe=oven_nodes.probe(nodes),
        elements=oven_nodes.elements(nodes, cooking),
        fan_speed=reader.fan_speed(nodes),
        door_closed=oven_nodes.door_closed(nodes),
        water_tank=oven_nodes.water_tank(nodes),
        lamp_on=reader.lamp_on(nodes),
        stage=stage.progress if stage is not None else None,
        preheated=preheated,
        timer_done=reading.done,
        processed_command_ids=_ids(status),
    )


def _at_setpoint(bulbs: Bulbs) -> bool:
    # The app's own preheat gate: bulb current >= setpoint (anova-oven-api.md §3.2, §6.3).
    return (
        bulbs.current_c is not None
        and bulbs.target_c is not None
        and (bulbs.current_c >= bulbs.target_c)
    )


def _phase(
    online: bool | None, cooking: bool, stage: ActiveStage | None, preheated: bool
) -> CookerPhase:
    if online is False:
        return CookerPhase.OFFLINE
    if not cooking:
        return CookerPhase.IDLE
    if stage is not None and stage.progress.kind is StageKind.PREHEAT:
        return CookerPhase.PREHEATING
    return CookerPhase.COOKING if preheated else CookerPhase.PREHEATING


def _ids(status: JsonObject) -> tuple[str, ...]:
    raw = status.get("processedCommandIds")
    if not isinstance(raw, list):
        return ()
    return tuple(item for item in raw if isinstance(item, str))


class OvenStates:
    """One client's oven states: a stage once at its setpoint stays preheated.

    The cavity cools when the door opens to load food; without memory the
    phase would fall back to preheating. The memory is per oven: the cook
    id and the user stage number (so a v1 preheat stage's arrival carries
    into its cook stage), forgotten when the oven leaves the device list.
    """

    def __init__(self) -> None:
        self._reached: dict[str, tuple[str | None, int]] = {}

    def read(self, payload: Any, now: datetime) -> OvenState:
        """One push, typed; see :func:`parse_oven_state`."""
        state = parse_oven_state(payload, now)
        if state.phase is CookerPhase.IDLE:
            self._reached.pop(state.cooker_id, None)
        if not state.is_cooking or state.stage is None:
            return state
        key = (state.cook.id if state.cook is not None else None, state.stage.number)
        if state.preheated:
            self._reached[state.cooker_id] = key
            return state
        if self._reached.get(state.cooker_id) != key:
            return state
        phase = state.phase if state.stage.kind is StageKind.PREHEAT else CookerPhase.COOKING
        return state.model_copy(update={"preheated": True, "phase": phase})

    def keep_only(self, device_ids: set[str]) -> None:
        """Forget ovens that left the device list."""
        for cooker_id in set(self._reached) - device_ids:
            del self._reached[cooker_id]
