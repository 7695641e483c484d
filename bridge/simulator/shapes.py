"""The JSON the fake cloud pushes: device list and the three state shapes.

Key names and nesting follow the recorded examples in ``anova-api.md``
key for key (tests compare against them), so a client that reads the real
cloud reads the simulator. Values are produced from a
:class:`~bridge.simulator.cooker.SimCooker`; nothing here changes state.

Where the examples are silent the simulator chooses, and documents:
an idle gen-3 cooker has no ``cook`` object and an idle timer has no
``startedAtTimestamp``; gen 2 keeps the last ``job.id`` after a stop.
"""

from __future__ import annotations

from typing import Any

from bridge.simulator.alarms import (
    GEN2_MODES,
    GEN3_MODES,
    HIGH_TEMP,
    TIMER_EXPIRED,
    TRIACS_FAILED,
    WATER_LEAK,
    first_mode,
)
from bridge.simulator.clock import iso_z
from bridge.simulator.cooker import COOKING, IDLE, MAINTAINING, PREHEATING, SimCooker
from bridge.simulator.identity import Shape, derived_hex
from bridge.simulator.units import from_celsius, to_celsius

GEN3_FIRMWARE = "01.01.25"
GEN2_FIRMWARE = "1.4.4"
GEN2_FIRMWARE_RAW = "VM176_A_01.04.04"
GEN2_NXP_VERSION = "VM171_A_01.04.04"

GEN2_JOB_STATES = {
    IDLE: "",
    PREHEATING: "PREHEATING",
    COOKING: "COOKING",
    MAINTAINING: "MAINTAINING",
}


def wifi_list_event(cookers: list[SimCooker]) -> dict[str, Any]:
    """``EVENT_APC_WIFI_LIST``: every paired cooker, plugged in or not."""
    payload = [
        {"cookerId": c.cooker_id, "type": c.type, "pairedAt": c.identity.paired_at, "name": c.name}
        for c in cookers
    ]
    return {"command": "EVENT_APC_WIFI_LIST", "payload": payload}


def state_event(cooker: SimCooker) -> dict[str, Any]:
    """``EVENT_APC_STATE`` for one cooker in its generation's shape."""
    return {
        "command": "EVENT_APC_STATE",
        "payload": {"cookerId": cooker.cooker_id, "type": cooker.type, "state": state_doc(cooker)},
    }


def state_doc(cooker: SimCooker) -> dict[str, Any]:
    """The ``state`` object of a cooker, shaped by its type."""
    if cooker.shape is Shape.GEN3:
        return gen3_state(cooker)
    if cooker.shape is Shape.GEN2:
        return gen2_state(cooker)
    return a3_state(cooker)


# -- gen 3 ------------------------------------------------------------------


def gen3_state(cooker: SimCooker) -> dict[str, Any]:
    """The structured document of a6/a7/a8/a9 cookers; temperatures in °C."""
    doc: dict[str, Any] = {
        "version": 1,
        "updatedTimestamp": iso_z(cooker.now),
        "state": {
            "mode": _gen3_mode(cooker),
            "temperatureUnit": cooker.unit,
            "processedCommandIds": list(cooker.processed_ids),
            "resumeAfterPowerInterruption": False,
        },
        "nodes": {
            "lowWater": {"empty": cooker.low_water, "warning": cooker.low_water},
            "timer": _gen3_timer(cooker),
            "waterTemperatureSensor": {
                "enabled": True,
                "setpoint": {"celsius": round(cooker.setpoint_c, 2)},
                "current": {"celsius": round(cooker.reading_c, 2)},
            },
        },
        "systemInfo": {
            "deviceId": cooker.cooker_id,
            "firmwareVersion": GEN3_FIRMWARE,
            "hardwareVersion": "1.0.0",
            "online": True,
            "triacsFailed": TRIACS_FAILED in cooker.alarms,
            "releaseTrack": "production",
        },
        "metadata": {},
    }
    if cooker.cook is not None:
        doc["cook"] = _gen3_cook(cooker)
    return doc


def _gen3_mode(cooker: SimCooker) -> str:
    alarm = first_mode(cooker.alarms, GEN3_MODES)
    if alarm is not None:
        return alarm
    return "idle" if cooker.cook is None else "cook"


def _gen3_timer(cooker: SimCooker) -> dict[str, Any]:
    phase = cooker.phase
    timer: dict[str, Any] = {"mode": "idle", "initial": cooker.timer_s}
    if cooker.timer_s and phase in (COOKING, MAINTAINING):
        timer["mode"] = "running" if phase == COOKING else "completed"
        assert cooker.cook is not None
        assert cooker.cook.timer_started_at is not None
        timer["startedAtTimestamp"] = iso_z(cooker.cook.timer_started_at)
    return timer


def _gen3_cook(cooker: SimCooker) -> dict[str, Any]:
    cook = cooker.cook
    assert cook is not None
    stage_id = derived_hex(cook.cook_id, "stage", length=32)
    setpoint = round(cooker.setpoint_c, 2)
    band = {">=": round(setpoint - 0.3, 2), "<=": round(setpoint + 0.3, 2)}
    stage = {
        "id": stage_id,
        "title": "Cook Stage",
        "do": {
            "type": "cook",
            "timer": {"initial": cooker.timer_s},
            "waterTemperatureSensor": {"setpoint": {"celsius": setpoint}},
        },
        "entry": {"conditions": {"and": {"nodes.waterTemperatureSensor.current.celsius": band}}},
    }
    return {
        "cookId": cook.cook_id,
        "activeStageId": stage_id,
        "activeStageIndex": 0,
        "activeStageMode": "entering" if cooker.phase == PREHEATING else "running",
        "originSource": "api",
        "startedTimestamp": iso_z(cook.started_at),
        "stages": [stage],
    }


# -- gen 2 ------------------------------------------------------------------


def gen2_state(cooker: SimCooker) -> dict[str, Any]:
    """The kebab-case document of a4/a5/pro cookers; temperatures in the cooker's unit."""
    unit = cooker.unit
    low = 1 if cooker.low_water else 0
    return {
        "boot-id": derived_hex(cooker.cooker_id, "boot", cooker.booted_at),
        "job": {
            "cook-time-seconds": cooker.timer_s,
            "id": _gen2_job_id(cooker),
            "mode": _gen2_mode(cooker),
            "ota-url": "",
            "target-temperature": round(from_celsius(cooker.setpoint_c, unit), 2),
            "temperature-unit": unit,
        },
        "job-status": _gen2_job_status(cooker),
        "network-info": {
            "connection-status": "connected-station",
            "is-provisioning": False,
            "mode": "station",
            "security-type": "WPA2",
        },
        "pin-info": {
            "device-safe": 0,
            "water-leak": int(WATER_LEAK in cooker.alarms),
            "water-level-critical": low,
            "water-level-low": low,
            "water-temp-too-high": int(HIGH_TEMP in cooker.alarms),
        },
        "system-info-3220": {
            "firmware-version": GEN2_FIRMWARE,
            "firmware-version-raw": GEN2_FIRMWARE_RAW,
            "largest-free-heap-size": 28008,
            "total-free-heap-size": 28784,
        },
        "system-info-nxp": {"version-string": GEN2_NXP_VERSION},
        "temperature-info": {
            "heater-temperature": round(from_celsius(cooker.bath.heater_c, unit), 2),
            "triac-temperature": round(from_celsius(cooker.bath.triac_c, unit), 2),
            "water-temperature": round(from_celsius(cooker.reading_c, unit), 2),
        },
    }


def _gen2_mode(cooker: SimCooker) -> str:
    alarm = first_mode(cooker.alarms, GEN2_MODES)
    if alarm is not None:
        return alarm
    return "IDLE" if cooker.cook is None else "COOK"


def _gen2_job_id(cooker: SimCooker) -> str:
    # Gen 2 keeps showing the last job's id after a stop; before any cook
    # there is still an id (clients read it as a required key).
    seed = cooker.cook.cook_id if cooker.cook else cooker.last_cook_id
    return derived_hex(cooker.cooker_id, "job", seed)


def _gen2_job_status(cooker: SimCooker) -> dict[str, Any]:
    phase = cooker.phase
    remaining = cooker.maintaining_for() if phase == MAINTAINING else cooker.timer_remaining()
    cook = cooker.cook
    started = _systick(cooker, cook.started_at if cook else cooker.booted_at)
    changed = started
    if cook is not None and cook.timer_started_at is not None:
        changed = _systick(cooker, cook.timer_started_at)
    return {
        "cook-time-remaining": remaining,
        "job-start-systick": started,
        "provisioning-pairing-code": 0,
        "state": _gen2_job_state(cooker),
        "state-change-systick": changed,
    }


def _gen2_job_state(cooker: SimCooker) -> str:
    if cooker.cook is not None and TIMER_EXPIRED in cooker.alarms:
        return "TIMER EXPIRED"
    return GEN2_JOB_STATES[cooker.phase]


def _systick(cooker: SimCooker, moment: float) -> int:
    """Seconds since the cooker booted, like the firmware's tick counter."""
    return max(0, round(moment - cooker.booted_at))


# -- a3 ---------------------------------------------------------------------

A3_FIRMWARE = "ver 5.5.1"
# Lower case, as recorded from a real device (anova-api.md).
A3_JOB_STAGES = {
    IDLE: "none",
    PREHEATING: "heating",
    COOKING: "cooking",
    MAINTAINING: "keeping_warm",
}
A3_ICE_BATH_THRESHOLD_F = 40.0


def a3_state(cooker: SimCooker) -> dict[str, Any]:
    """The flat camelCase document of the original Wi-Fi cooker, key for key as recorded."""
    unit = cooker.unit.lower()
    target = round(from_celsius(cooker.setpoint_c, cooker.unit), 1)
    return {
        "firmwareVersion": A3_FIRMWARE,
        "isCooking": cooker.cooking,
        "currentTemperature": round(from_celsius(cooker.reading_c, cooker.unit), 1),
        "targetTemperature": target,
        "timerInSeconds": cooker.timer_remaining() if cooker.phase != MAINTAINING else 0,
        "unit": unit,
        "isTimerRunning": cooker.phase == COOKING and cooker.timer_s > 0,
        "isSpeakerOn": True,
        "isAlarmActive": bool(cooker.alarms),
        "currentJobID": _a3_job_id(cooker),
        "currentJob": _a3_job(cooker, target, unit),
        "isKeepingWarm": cooker.phase == MAINTAINING,
        "isCheckingTemperatureForIceBath": False,
        "isMonitoringIcebath": False,
        "isConnected": True,
    }


def _a3_job(cooker: SimCooker, target: float, unit: str) -> dict[str, Any]:
    threshold = round(from_celsius(to_celsius(A3_ICE_BATH_THRESHOLD_F, "F"), cooker.unit), 1)
    return {
        "jobType": "manual_cook",
        "jobStage": A3_JOB_STAGES[cooker.phase],
        "targetTemperature": target,
        "timerLength": cooker.timer_s,
        "tempUnit": unit,
        "thresholdTemperature": threshold,
        "thresholdTemperatureUnit": unit,
    }


def _a3_job_id(cooker: SimCooker) -> str:
    seed = cooker.cook.cook_id if cooker.cook else cooker.last_cook_id
    return derived_hex(cooker.cooker_id, "a3-job", seed)
