"""The fake Anova cloud: WebSocket API, Firebase-style login, simulated cookers and ovens.

It speaks the real wire protocol over real sockets so the bridge runs its
real code path against it. It never imports ``bridge.anova`` (and the
client never imports it): two independent readings of the protocol.
"""

from __future__ import annotations

from bridge.simulator.bath import REALISTIC_HEATER_LAG_S
from bridge.simulator.clock import SimClock
from bridge.simulator.commands import ReceivedCommand
from bridge.simulator.cooker import SimCooker
from bridge.simulator.faults import SimFaults
from bridge.simulator.oven import SimOven
from bridge.simulator.oven_traps import OvenTraps
from bridge.simulator.runner import run_simulator
from bridge.simulator.sensor import REALISTIC_NOISE_C
from bridge.simulator.server import DEMO_EMAIL, DEMO_PASSWORD, DEMO_TOKEN, CloudSimulator

__all__ = [
    "DEMO_EMAIL",
    "DEMO_PASSWORD",
    "DEMO_TOKEN",
    "REALISTIC_HEATER_LAG_S",
    "REALISTIC_NOISE_C",
    "CloudSimulator",
    "OvenTraps",
    "ReceivedCommand",
    "SimClock",
    "SimCooker",
    "SimFaults",
    "SimOven",
    "run_simulator",
]
