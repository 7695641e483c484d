"""A realistic bath (overshoot and probe noise) gives one clean set of cook events.

The simulator here overshoots the setpoint by 0.2-0.4 °C and its probe
jitters by 0.05 °C (seeded, so every run is the same). The bridge takes the
phase from the cooker, never from the temperature, so readings that cross
the ±0.3 °C band back and forth must not flap the phase, and the events the
bridge derives from the states must be exactly one start, one end of the
preheat and one end of the cook.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from bridge.anova.commands import StartCook
from bridge.anova.state import CookerPhase
from bridge.service.events import derive_events
from bridge.simulator import REALISTIC_HEATER_LAG_S, REALISTIC_NOISE_C, CloudSimulator
from tests.anova.conftest import Harness
from tests.anova.test_client_cooking import advance_until

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("cooker_type", ["a7", "a5", "a3"])
async def test_overshoot_and_noise_give_one_clean_cook(
    make_sim: Callable[..., Awaitable[CloudSimulator]], cooker_type: str
) -> None:
    sim = await make_sim(
        cookers=1,
        types=[cooker_type],
        seed="noisy",
        heater_lag_s=REALISTIC_HEATER_LAG_S,
        sensor_noise_c=REALISTIC_NOISE_C,
    )
    harness = Harness(sim)
    try:
        client, recorder, _ = await harness.start()
        cooker_id = sim.cookers[0].cooker_id
        assert (await client.execute(StartCook(cooker_id, 56.0, 600, "C"))).confirmed
        await advance_until(sim, client, cooker_id, CookerPhase.MAINTAINING, step=15.0)
        overshoot = max(s.current_temperature_c or 0.0 for s in recorder.states) - 56.0
        assert overshoot >= 0.2, "above the setpoint by more than the noise (0.15 at most)"

        assert recorder.phases(cooker_id) == [
            CookerPhase.IDLE,
            CookerPhase.PREHEATING,
            CookerPhase.COOKING,
            CookerPhase.MAINTAINING,
        ]
        events = [
            event.name
            for before, after in zip(recorder.states, recorder.states[1:], strict=False)
            for event in derive_events(before, after)
        ]
        assert events == ["cook_started", "preheat_complete", "cook_complete"]
    finally:
        await harness.stop_all()
