"""Small pure pieces: backoff, socket URLs, command payloads, reply checks."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bridge.anova import commands
from bridge.anova.backoff import Backoff
from bridge.anova.connection import redact, socket_url
from bridge.anova.device import CookerInfo
from bridge.anova.replies import check_reply
from bridge.anova.state import CookerPhase, CookerState, CookInfo, TimerState
from bridge.errors import AnovaAuthError, AnovaRejectedError

A7 = CookerInfo(cooker_id="c1", name="Kitchen", type="a7")


def test_backoff_grows_to_the_cap_with_jitter_in_the_upper_half_and_resets():
    backoff = Backoff(0.5, 30.0, random.Random(1))
    ceilings = []
    for _ in range(10):
        ceilings.append(backoff.ceiling())
        assert ceilings[-1] / 2 <= backoff.next_delay() <= ceilings[-1]
    assert ceilings[:4] == [0.5, 1.0, 2.0, 4.0]
    assert ceilings[-1] == 30.0
    backoff.reset()
    assert backoff.ceiling() == 0.5


def test_backoff_rejects_nonsense():
    with pytest.raises(ValueError, match="base"):
        Backoff(0, 1)


def test_socket_url_for_personal_and_id_tokens():
    url = socket_url("wss://devices.anovaculinary.io", "anova-x", None)
    assert url == "wss://devices.anovaculinary.io?token=anova-x&supportedAccessories=APC,APO"
    url = socket_url("ws://127.0.0.1:8765", "ey.J+/=", "android")
    assert url.endswith("&supportedAccessories=APC,APO&platform=android")
    assert "token=ey.J%2B%2F%3D" in url


def test_redact_hides_the_token_only():
    url = socket_url("ws://h:1", "anova-secret", "android")
    safe = redact(url)
    assert "anova-secret" not in safe
    assert "token=***" in safe
    assert "platform=android" in safe


@given(st.floats(min_value=0, max_value=99.5, allow_nan=False))
def test_fahrenheit_setpoints_come_back_within_tolerance(target_c):
    sent = commands.cloud_temperature(target_c, "F")
    assert sent == round(sent, 1)
    assert abs(commands.sent_as_celsius(sent, "F") - target_c) <= 0.03


def test_start_payload_carries_the_real_type():
    command = commands.start(A7, 60.0, 5400, "C")
    assert command.name == "CMD_APC_START"
    assert command.payload == {
        "cookerId": "c1",
        "type": "a7",
        "targetTemperature": 60.0,
        "unit": "C",
        "timer": 5400,
    }


def state(**changes: Any) -> CookerState:
    values: dict[str, Any] = {"cooker_id": "c1", "type": "a7", "phase": CookerPhase.IDLE}
    values.update(changes)
    return CookerState(**values)


def test_confirmation_predicates():
    start = commands.start(A7, 60.0, 0, "F")
    assert start.applied(state(phase=CookerPhase.PREHEATING, target_temperature_c=60.01))
    assert not start.applied(state(phase=CookerPhase.IDLE, target_temperature_c=60.0))
    assert not start.applied(state(phase=CookerPhase.COOKING, target_temperature_c=60.2))
    assert commands.stop(A7).applied(state())
    assert not commands.stop(A7).applied(state(phase=CookerPhase.COOKING))
    assert commands.set_timer(A7, 90).applied(state(timer=TimerState(total_s=90)))
    assert commands.set_unit(A7, "F").applied(state(unit="F"))
    assert not commands.set_target(A7, 61.0, "C").applied(state(target_temperature_c=60.0))


def test_a_replacing_start_is_confirmed_only_by_the_new_cook():
    old = state(
        phase=CookerPhase.COOKING,
        target_temperature_c=60.0,
        cook=CookInfo(id="old"),
        timer=TimerState(total_s=3600, remaining_s=1200, running=True),
    )
    start = commands.start(A7, 60.0, 3600, "C", running=old)
    assert not start.applied(old)  # same target, same timer: still the old cook
    assert start.applied(old.model_copy(update={"cook": CookInfo(id="new")}))
    assert not start.applied(old.model_copy(update={"cook": None}))


def test_without_cook_ids_a_replacing_start_is_confirmed_by_a_restart():
    old = state(
        type="a3",
        phase=CookerPhase.COOKING,
        target_temperature_c=60.0,
        timer=TimerState(total_s=3600, remaining_s=1200, running=True),
    )
    start = commands.start(A7, 60.0, 3600, "C", running=old)
    assert not start.applied(old)
    assert not start.applied(
        old.model_copy(update={"timer": TimerState(total_s=3600, remaining_s=1100, running=True)})
    )
    assert start.applied(old.model_copy(update={"phase": CookerPhase.PREHEATING}))
    assert start.applied(
        old.model_copy(update={"timer": TimerState(total_s=3600, remaining_s=3600)})
    )
    assert start.applied(
        old.model_copy(update={"timer": TimerState(total_s=5400, remaining_s=5400)})
    )
    # Still preheating for the same target and timer, a restart looks the same as before.
    preheating = old.model_copy(update={"phase": CookerPhase.PREHEATING})
    assert commands.start(A7, 60.0, 3600, "C", running=preheating).applied(preheating)


def test_reply_checks():
    check_reply({"status": "ok"})
    with pytest.raises(AnovaRejectedError, match="invalid command"):
        check_reply({"status": "error", "error": "invalid command"})
    with pytest.raises(AnovaRejectedError, match="status None"):
        check_reply({})
    with pytest.raises(AnovaAuthError):
        check_reply({"status": "error", "error": "unauthorized"})
