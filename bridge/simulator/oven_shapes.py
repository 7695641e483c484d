"""The JSON the fake cloud pushes for ovens: device list, user state, both state shapes.

Key names and nesting follow anova-oven-api.md §4 key for key (tests
compare against its examples): both versions nest under
``payload.state``; v1 gives both units, v2 Celsius only; v2 names the fan
speed in words, splits the lamp into ``doorLamp``/``cavityLamp`` and calls
the vent ``exhaustVent``. Values come from a
:class:`~bridge.simulator.oven.SimOven`; nothing here changes state.

Choices where the notes are silent: a fresh oven has no setpoint on its
bulbs until its first cook; the timer of a stage without one is ``idle``;
``EVENT_USER_STATE`` says no subscriptions or voice assistants.
"""

from __future__ import annotations

from typing import Any

from bridge.simulator.cavity import BOILING_C, Cavity
from bridge.simulator.clock import iso_z
from bridge.simulator.oven import SimOven
from bridge.simulator.units import from_celsius

V1_FIRMWARE = "2.1.16"
V2_FIRMWARE = "1.0.0"
FIRMWARE_UPDATED = 1733295816.0  # 2024-12-04T07:03:36Z
BOILER_MAX_W = 480
EVAPORATOR_MAX_W = 160
OK_12V = "no-error"


def wifi_list_event(ovens: list[SimOven]) -> dict[str, Any]:
    """``EVENT_APO_WIFI_LIST``: every paired oven."""
    payload = [
        {"cookerId": o.cooker_id, "name": o.name, "pairedAt": o.identity.paired_at, "type": o.type}
        for o in ovens
    ]
    return {"command": "EVENT_APO_WIFI_LIST", "payload": payload}


def user_state_event() -> dict[str, Any]:
    """``EVENT_USER_STATE``, sent between the oven list and the oven states."""
    payload = {
        "isConnectedToAlexa": False,
        "isConnectedToGoogleHome": False,
        "sousVideSubscription": False,
        "ovenSubscription": False,
    }
    return {"command": "EVENT_USER_STATE", "payload": payload}


def state_event(oven: SimOven) -> dict[str, Any]:
    """``EVENT_APO_STATE`` in the oven's version's shape."""
    doc = v1_state(oven) if oven.version == 1 else v2_state(oven)
    return {
        "command": "EVENT_APO_STATE",
        "payload": {"cookerId": oven.cooker_id, "type": oven.type, "state": doc},
    }


def _both(celsius: float) -> dict[str, float]:
    return {"celsius": round(celsius, 2), "fahrenheit": round(from_celsius(celsius, "F"), 2)}


def _c(celsius: float) -> dict[str, float]:
    return {"celsius": round(celsius, 2)}


# -- v1 -----------------------------------------------------------------------------


def v1_state(oven: SimOven) -> dict[str, Any]:
    """The v1 document (§4.1, §4.2); temperatures in both units."""
    doc: dict[str, Any] = {
        "version": 1,
        "updatedTimestamp": iso_z(oven.now, micros=True),
        "systemInfo": _v1_system(oven),
        "state": _state_block(oven),
        "nodes": _v1_nodes(oven),
    }
    if oven.run is not None:
        doc["cook"] = _v1_cook(oven)
    return doc


def _v1_system(oven: SimOven) -> dict[str, Any]:
    return {
        "online": True,
        "hardwareVersion": "120V1",
        "powerMains": 120,
        "powerHertz": 60,
        "firmwareVersion": V1_FIRMWARE,
        "uiHardwareVersion": "UI_ORIGINAL_2",
        "uiFirmwareVersion": "0.0.0",
        "firmwareUpdatedTimestamp": iso_z(FIRMWARE_UPDATED),
        "lastConnectedTimestamp": iso_z(oven.connected_at),
        "lastDisconnectedTimestamp": iso_z(oven.disconnected_at),
        "triacsFailed": False,
    }


def _state_block(oven: SimOven) -> dict[str, Any]:
    block: dict[str, Any] = {
        "mode": oven.mode,
        "temperatureUnit": oven.unit,
        "processedCommandIds": list(oven.processed_ids),
    }
    if oven.version == 2:
        block["cavityOverheated"] = False
    return block


def _v1_nodes(oven: SimOven) -> dict[str, Any]:
    cavity = oven.cavity
    cooking = oven.run is not None
    return {
        "temperatureBulbs": _v1_bulbs(oven),
        "timer": {
            "mode": oven.timer_mode(),
            "initial": _timer_initial(oven),
            "current": oven.timer_elapsed(),
        },
        "temperatureProbe": _probe(oven, _both, ntc=False),
        "steamGenerators": _v1_steam(oven),
        "heatingElements": _elements(oven),
        "fan": {"speed": oven.run.stage.fan if oven.run else 0, "failed": False},
        "vent": {"open": oven.last.vent != "closed"},
        "waterTank": {"empty": cavity.tank_empty},
        "door": {"closed": not cavity.door_open},
        "lamp": {"on": cooking, "failed": False, "preference": "on"},
        "userInterfaceCircuit": {"communicationFailed": False},
    }


def _v1_bulbs(oven: SimOven) -> dict[str, Any]:
    cavity = oven.cavity
    dry: dict[str, Any] = {"current": _both(cavity.dry_c)}
    wet: dict[str, Any] = {"current": _both(cavity.wet_c), "dosed": False, "doseFailed": False}
    _put_setpoint(oven, dry, wet, _both)
    top, bottom = _top_bottom(cavity)
    return {
        "mode": oven.last.bulb,
        "wet": wet,
        "dry": dry,
        "dryTop": {"current": _both(top), "overheated": False},
        "dryBottom": {"current": _both(bottom), "overheated": False},
    }


def _v1_steam(oven: SimOven) -> dict[str, Any]:
    cavity = oven.cavity
    block: dict[str, Any] = {
        "mode": _steam_mode(oven),
        "relativeHumidity": {"current": round(cavity.rh)},
    }
    stage = oven.run.stage if oven.run else None
    if stage is not None and stage.steam_mode == "relative-humidity":
        block["relativeHumidity"]["setpoint"] = round(stage.steam_setpoint)
    if stage is not None and stage.steam_mode == "steam-percentage":
        block["steamPercentage"] = {"setpoint": round(stage.steam_setpoint)}
    block["evaporator"] = {"failed": False, "overheated": False, **_evaporator(oven)}
    boiler = {"descaleRequired": False, "failed": False, "overheated": False, **_boiler(oven)}
    block["boiler"] = {**boiler, "dosed": False}
    return block


def _v1_cook(oven: SimOven) -> dict[str, Any]:
    run = oven.run
    assert run is not None
    return {
        "cookId": run.plan.cook_id,
        "stages": [stage.echo for stage in run.plan.stages],
        "activeStageId": run.stage.id,
        "activeStageIndex": run.index,
        "activeStageSecondsElapsed": int(oven.now - run.stage_started_at),
        "secondsElapsed": int(oven.now - run.started_at),
        "stageTransitionPendingUserAction": oven.pending_user_action,
    }


# -- v2 -----------------------------------------------------------------------------


def v2_state(oven: SimOven) -> dict[str, Any]:
    """The v2 document (§4.3, §4.4); temperatures in °C only."""
    doc: dict[str, Any] = {
        "version": 2,
        "updatedTimestamp": iso_z(oven.now),
        "systemInfo": _v2_system(oven),
        "state": _state_block(oven),
        "nodes": _v2_nodes(oven),
    }
    if oven.run is not None:
        doc["cook"] = _v2_cook(oven)
    return doc


def _v2_system(oven: SimOven) -> dict[str, Any]:
    return {
        "online": True,
        "deviceId": f"anova{oven.cooker_id}",
        "firmwareVersion": V2_FIRMWARE,
        "releaseTrack": "production",
        "firmwareUpdatedTimestamp": iso_z(FIRMWARE_UPDATED),
        "hardwareVersion": "Universal",
        "triacsFailed": False,
        "powerHertz": 60,
        "powerMains": 120,
        "lastConnectedTimestamp": iso_z(oven.connected_at),
        "lastDisconnectedTimestamp": iso_z(oven.disconnected_at),
    }


def _v2_nodes(oven: SimOven) -> dict[str, Any]:
    cavity = oven.cavity
    cooking = oven.run is not None
    fans = {"speed": "max", "dc12VStatus": OK_12V}
    return {
        "temperatureBulbs": _v2_bulbs(oven),
        "steamGenerators": _v2_steam(oven),
        "timer": _v2_timer(oven),
        "temperatureProbe": _probe(oven, _c, ntc=True),
        "heatingElements": _elements(oven),
        "fan": {"speed": fan_word(oven.run.stage.fan if oven.run else 0), "failed": False},
        "waterTank": {
            "low": cavity.tank_low,
            "empty": cavity.tank_empty,
            "removed": cavity.tank_removed,
        },
        "wasteWaterTank": {"full": False, "removed": False},
        "exhaustVent": {
            "state": oven.run.stage.vent if oven.run else "closed",
            "dc12VStatus": OK_12V,
        },
        "door": {"closed": not cavity.door_open},
        "doorLamp": {"on": cooking, "failed": False, "preferences": "on"},
        "cavityLamp": {"on": cooking or cavity.door_open, "failed": False},
        "cavityCamera": {
            "enabled": True,
            "streaming": False,
            "isEmpty": not cavity.probe_inserted,
            "detection": [],
        },
        "displayBoard": {"celsius": 30},
        "exhaustFan": dict(fans),
        "displayFan": dict(fans),
        "ledFan": dict(fans),
        "powerBoardFan": {"on": cooking, "dc12VStatus": OK_12V},
        "dc12VLine": {"numberOfFaults": 0, "numberOfRejections": 0},
    }


def fan_word(speed: int) -> str:
    """A v2 fan speed as the oven names it (0/33/66/100 = off/min/mid/max)."""
    if speed <= 0:
        return "off"
    if speed <= 33:
        return "min"
    return "mid" if speed <= 66 else "max"


def _v2_bulbs(oven: SimOven) -> dict[str, Any]:
    cavity = oven.cavity
    dry: dict[str, Any] = {"current": _c(cavity.dry_c)}
    wet: dict[str, Any] = {
        "current": _c(cavity.wet_c),
        "dosed": False,
        "dc12VInletStatus": OK_12V,
        "ntcConnected": True,
    }
    _put_setpoint(oven, dry, wet, _c)
    top, bottom = _top_bottom(cavity)
    return {
        "mode": oven.last.bulb,
        "dry": dry,
        "dryTop": {"current": _c(top), "ntcConnected": True},
        "dryBottom": {"current": _c(bottom), "ntcConnected": True},
        "wet": wet,
    }


def _v2_steam(oven: SimOven) -> dict[str, Any]:
    block: dict[str, Any] = {"mode": _steam_mode(oven)}
    stage = oven.run.stage if oven.run else None
    if stage is not None and stage.steam_mode == "steam-percentage":
        current = round(stage.steam_setpoint) if oven.cavity.steaming(oven.drive()) else 0
        block["steamPercentage"] = {"current": current, "setpoint": round(stage.steam_setpoint)}
    if stage is not None and stage.steam_mode == "relative-humidity":
        rh = {"current": round(oven.cavity.rh), "setpoint": round(stage.steam_setpoint)}
        block["relativeHumidity"] = rh
    block["evaporator"] = {"failed": False, "ntcConnected": True, **_evaporator(oven)}
    block["boiler"] = {
        "descaleRequired": False,
        "failed": False,
        "ntcConnected": True,
        **_boiler(oven),
        "usageHours": 0,
        "dosed": False,
        "dc12VInletPumpStatus": OK_12V,
        "dc12VOutletValveDescaleStatus": OK_12V,
    }
    return block


def _v2_timer(oven: SimOven) -> dict[str, Any]:
    run = oven.run
    timer: dict[str, Any] = {"mode": oven.timer_mode()}
    if run is None or run.stage.timer_s is None:
        return timer
    timer["initial"] = run.stage.timer_s
    if run.timer_started_at is not None:
        timer["startedAtTimestamp"] = iso_z(run.timer_started_at)
    return timer


def _v2_cook(oven: SimOven) -> dict[str, Any]:
    run = oven.run
    assert run is not None
    return {
        "cookId": run.plan.cook_id,
        "stages": [stage.echo for stage in run.plan.stages],
        "activeStageId": run.stage.id,
        "activeStageIndex": run.index,
        "activeStageMode": "running" if run.running else "entering",
        "activeStageStartedTimestamp": iso_z(run.stage_started_at),
        "startedTimestamp": iso_z(run.started_at),
        "cookableType": run.plan.cookable_type,
        "originSource": run.plan.origin_source,
        "stageTransitionPendingUserAction": oven.pending_user_action,
    }


# -- shared nodes --------------------------------------------------------------------


def _timer_initial(oven: SimOven) -> int:
    run = oven.run
    if run is None or run.stage.timer_s is None:
        return 0
    return run.stage.timer_s


def _put_setpoint(oven: SimOven, dry: dict[str, Any], wet: dict[str, Any], unit: Any) -> None:
    # Only the active bulb carries a setpoint; it stays after the cook (§4, AK).
    if oven.last.setpoint_c is not None:
        (wet if oven.last.bulb == "wet" else dry)["setpoint"] = unit(oven.last.setpoint_c)


def _top_bottom(cavity: Cavity) -> tuple[float, float]:
    """The top sensor reads the dry bulb; the bottom a little cooler when hot."""
    return cavity.dry_c, cavity.room_c + (cavity.dry_c - cavity.room_c) * 0.93


def _probe(oven: SimOven, unit: Any, *, ntc: bool) -> dict[str, Any]:
    cavity = oven.cavity
    probe: dict[str, Any] = {"connected": cavity.probe_inserted}
    if ntc:
        probe["ntcConnected"] = cavity.probe_inserted
    if cavity.probe_inserted:
        probe["current"] = unit(cavity.probe_c)
    target = oven.run.stage.probe_c if oven.run else None
    # v1 shows a setpoint only with the probe in; v2 also without (§4).
    if target is not None and (cavity.probe_inserted or ntc):
        probe["setpoint"] = unit(target)
    return probe


def _elements(oven: SimOven) -> dict[str, Any]:
    watts = oven.cavity.element_watts(oven.drive())
    return {
        name: {"on": name in oven.last.elements, "failed": False, "watts": round(watts[name])}
        for name in ("top", "bottom", "rear")
    }


def _steam_mode(oven: SimOven) -> str:
    return oven.run.stage.steam_mode if oven.run else "idle"


def _evaporator(oven: SimOven) -> dict[str, Any]:
    duty = oven.drive().steam_duty if oven.cavity.steaming(oven.drive()) else 0.0
    celsius = BOILING_C if duty else oven.cavity.wet_c
    return {"celsius": round(celsius, 2), "watts": round(EVAPORATOR_MAX_W * duty)}


def _boiler(oven: SimOven) -> dict[str, Any]:
    duty = oven.drive().steam_duty if oven.cavity.steaming(oven.drive()) else 0.0
    celsius = (
        BOILING_C if duty else oven.cavity.room_c + (oven.cavity.wet_c - oven.cavity.room_c) * 0.2
    )
    return {"celsius": round(celsius, 2), "watts": round(BOILER_MAX_W * duty)}
