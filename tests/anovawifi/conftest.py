"""One simulator with every cooker type, driven once by anova-wifi in its own venv.

The library needs its own virtualenv (scripts/ensure-anova-wifi-venv.sh;
``make test`` builds it first), so it runs as a subprocess: ``driver.py``
connects it to an in-process simulator over real sockets and reports what
the library saw. The run takes a few seconds and is shared by the module.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from bridge.simulator import DEMO_TOKEN, CloudSimulator, SimClock

TYPES = ["a3", "a4", "a5", "pro", "a6", "a7", "a8", "a9"]
DRIVER = Path(__file__).with_name("driver.py")
DRIVER_TIMEOUT_S = 90.0


def anova_wifi_python() -> Path:
    """The venv's python; a clear failure (not a skip) when it was never built."""
    default = Path.home() / ".cache" / "anova-mqtt-bridge" / "anova-wifi-venv"
    venv = Path(os.environ.get("ANOVA_WIFI_VENV", default))
    python = venv / "bin" / "python"
    if not (venv / ".anova-wifi-stamp").exists() or not python.exists():
        pytest.fail(
            f"no anova-wifi venv at {venv}: run `make test`, or "
            f"`bash scripts/ensure-anova-wifi-venv.sh` first"
        )
    return python


async def drive(python: Path) -> tuple[dict[str, Any], CloudSimulator]:
    sim = CloudSimulator(cookers=len(TYPES), types=TYPES, clock=SimClock(speed=0), seed="aw")
    async with sim:
        proc = await asyncio.create_subprocess_exec(
            str(python),
            str(DRIVER),
            sim.ws_url,
            sim.http_url,
            DEMO_TOKEN,
            str(len(TYPES)),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            out, err = await asyncio.wait_for(proc.communicate(), DRIVER_TIMEOUT_S)
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
    if proc.returncode != 0:
        sys.stderr.write(err.decode(errors="replace"))
        pytest.fail(f"the anova-wifi driver exited with {proc.returncode}")
    report: dict[str, Any] = json.loads(out)
    return report, sim


@pytest.fixture(scope="module")
def driven() -> tuple[dict[str, Any], CloudSimulator]:
    """anova-wifi's report, and the simulator it drove (stopped, its record kept)."""
    return asyncio.run(drive(anova_wifi_python()))
