"""Run the simulator until cancelled: the body of ``anova-mqtt-bridge simulate``."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bridge.logs import get_logger
from bridge.simulator.bath import REALISTIC_HEATER_LAG_S
from bridge.simulator.clock import SimClock
from bridge.simulator.sensor import REALISTIC_NOISE_C
from bridge.simulator.server import CloudSimulator

log = get_logger("simulator")


async def run_simulator(  # noqa: PLR0917 - positional signature fixed by the CLI contract
    host: str,
    port: int,
    http_port: int | None,
    token: str,
    cookers: int,
    types: list[str],
    speed: float,
    ready: Callable[[CloudSimulator], None] | None = None,
    *,
    ovens: list[str] | None = None,
) -> None:
    """Serve the fake cloud until the task is cancelled, with realistic overshoot and noise.

    Args:
        host: interface to bind.
        port: WebSocket port (0 picks a free one).
        http_port: login/control port; None means ``port + 1`` (CONTRACT §7),
            or a free port when ``port`` is 0.
        token: the personal access token to accept.
        cookers: number of simulated cookers.
        types: cooker types, cycled over the cookers.
        speed: simulated seconds per real second.
        ready: called once both servers listen, e.g. to print the URLs.
        ovens: the simulated ovens' types (``oven_v1``, ``oven_v2``), none by default.

    Raises:
        ConfigError: an unknown cooker type or a negative cooker count.
    """
    if http_port is None:
        http_port = port + 1 if port else 0
    sim = CloudSimulator(
        token=token,
        cookers=cookers,
        types=types,
        ovens=ovens,
        clock=SimClock(speed=speed),
        host=host,
        port=port,
        http_port=http_port,
        heater_lag_s=REALISTIC_HEATER_LAG_S,
        sensor_noise_c=REALISTIC_NOISE_C,
    )
    async with sim:
        log.info("simulator_ready", cookers=len(sim.cookers), ovens=len(sim.ovens), speed=speed)
        if ready is not None:
            ready(sim)
        await asyncio.Event().wait()
