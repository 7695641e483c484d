"""Every alarm each generation reports, raised on demand through ``/_sim/alarm``.

anova-api.md, "What the simulator must reproduce": gen 3 ``lowWater``/
``waterLeak``/``highTemp``/``motorStuck`` and ``triacsFailed``; gen 2 ``LOW
WATER``/``HIGH TEMP``/``DEVICE FAILURE`` and ``TIMER EXPIRED``; a3
``isAlarmActive``. Each is raised over HTTP, seen in the next push over the
WebSocket, and cleared again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from bridge.simulator import CloudSimulator, SimClock
from tests.simulator.conftest import open_client, start_payload

State = dict[str, Any]


async def set_alarm(sim: CloudSimulator, cooker_id: str, name: str, on: bool) -> httpx.Response:
    async with httpx.AsyncClient(base_url=sim.http_url) as http:
        return await http.post(f"/_sim/alarm/{cooker_id}", params={"name": name, "on": int(on)})


def reads(read: Callable[[State], Any], value: Any) -> Callable[[State], bool]:
    """A ``wait_state`` predicate: ``read(state)`` equals ``value``."""
    return lambda s: bool(read(s) == value)


GEN3: list[tuple[str, Callable[[State], Any], Any]] = [
    (
        "low_water",
        lambda s: (s["state"]["mode"], s["nodes"]["lowWater"]["empty"]),
        ("lowWater", True),
    ),
    ("water_leak", lambda s: s["state"]["mode"], "waterLeak"),
    ("high_temp", lambda s: s["state"]["mode"], "highTemp"),
    ("motor_stuck", lambda s: s["state"]["mode"], "motorStuck"),
    (
        "triacs_failed",
        lambda s: (s["state"]["mode"], s["systemInfo"]["triacsFailed"]),
        ("cook", True),
    ),
]
GEN2: list[tuple[str, Callable[[State], Any], Any]] = [
    ("low_water", lambda s: (s["job"]["mode"], s["pin-info"]["water-level-low"]), ("LOW WATER", 1)),
    (
        "high_temp",
        lambda s: (s["job"]["mode"], s["pin-info"]["water-temp-too-high"]),
        ("HIGH TEMP", 1),
    ),
    ("device_failure", lambda s: s["job"]["mode"], "DEVICE FAILURE"),
    ("water_leak", lambda s: (s["job"]["mode"], s["pin-info"]["water-leak"]), ("COOK", 1)),
    ("timer_expired", lambda s: s["job-status"]["state"], "TIMER EXPIRED"),
]


@pytest.mark.parametrize(
    ("cooker_type", "table"), [("a7", GEN3), ("a5", GEN2)], ids=["gen3", "gen2"]
)
async def test_each_alarm_is_pushed_when_raised_and_gone_when_cleared(
    cooker_type: str, table: list[tuple[str, Callable[[State], Any], Any]]
) -> None:
    async with (
        CloudSimulator(cookers=1, types=[cooker_type], clock=SimClock(speed=0)) as sim,
        open_client(sim) as client,
    ):
        cooker = sim.cookers[0]
        await client.command("CMD_APC_START", start_payload(cooker, 60.0))
        normal = await client.wait_state(cooker.cooker_id, lambda s: True)
        for name, read, raised in table:
            assert (await set_alarm(sim, cooker.cooker_id, name, True)).status_code == 200
            await client.wait_state(cooker.cooker_id, reads(read, raised))
            assert (await set_alarm(sim, cooker.cooker_id, name, False)).status_code == 200
            await client.wait_state(cooker.cooker_id, reads(read, read(normal)))


async def test_the_a3_reports_any_alarm_as_is_alarm_active() -> None:
    async with (
        CloudSimulator(cookers=1, types=["a3"], clock=SimClock(speed=0)) as sim,
        open_client(sim) as a3_client,
    ):
        a3 = sim.cookers[0]
        for name in ("low_water", "high_temp"):
            await set_alarm(sim, a3.cooker_id, name, True)
            await a3_client.wait_state(a3.cooker_id, lambda s: s["isAlarmActive"] is True)
            await set_alarm(sim, a3.cooker_id, name, False)
            await a3_client.wait_state(a3.cooker_id, lambda s: s["isAlarmActive"] is False)


async def test_an_alarm_stops_the_heater_and_the_bath_cools(sim: CloudSimulator) -> None:
    a7 = sim.cookers[0]
    a7.water_c = 60.0
    a7.start(60.0, "C", 0)
    await set_alarm(sim, a7.cooker_id, "motor_stuck", True)
    await sim.advance(600)
    assert a7.water_c < 59.0
    assert a7.bath.power_w == 0.0


async def test_alarms_a_generation_does_not_report_are_refused(sim: CloudSimulator) -> None:
    a7, a5 = sim.cookers
    refused = await set_alarm(sim, a7.cooker_id, "device_failure", True)
    assert refused.status_code == 400
    assert "high_temp, low_water, motor_stuck, triacs_failed, water_leak" in refused.text
    assert (await set_alarm(sim, a5.cooker_id, "motor_stuck", True)).status_code == 400
    assert (await set_alarm(sim, a5.cooker_id, "", True)).status_code == 400
    assert (await set_alarm(sim, "nobody", "low_water", True)).status_code == 404
    assert a7.alarms == set()
    assert a5.alarms == set()
