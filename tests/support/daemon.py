"""Running the real ``anova-mqtt-bridge`` executable from tests."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

EXE = str(Path(sys.executable).with_name("anova-mqtt-bridge"))
"""The console script installed into the test virtualenv."""


def write_daemon_config(
    directory: Path,
    *,
    mqtt_url: str,
    anova_url: str,
    token: str,
    client_id: str,
    anova_extra: str = "",
) -> Path:
    """A minimal ``bridge.yaml`` for a daemon under test: JSON logs, health on a free port.

    Args:
        directory: where to write it.
        mqtt_url: the test broker.
        anova_url: the simulator's WebSocket URL.
        token: the personal access token the simulator accepts.
        client_id: a client id of the test's own, so sessions never mix.
        anova_extra: more ``anova`` keys in YAML flow style, e.g. ``", command_timeout: 5"``.
    """
    config = directory / "bridge.yaml"
    config.write_text(
        f"mqtt: {{url: '{mqtt_url}', client_id: {client_id}}}\n"
        f"anova: {{token: {token}, url: '{anova_url}'{anova_extra}}}\n"
        "health: {port: 0}\nlog: {format: json}\n"
    )
    return config


async def spawn_daemon(config: Path, **kwargs: Any) -> asyncio.subprocess.Process:
    """``anova-mqtt-bridge run --config <config>`` as a child process (kwargs: stdout, env, …)."""
    return await asyncio.create_subprocess_exec(EXE, "run", "--config", str(config), **kwargs)


async def ensure_stopped(proc: asyncio.subprocess.Process, grace: float = 15.0) -> None:
    """Teardown: SIGTERM a daemon that is still running, SIGKILL it if it lingers."""
    if proc.returncode is not None:
        return
    proc.terminate()
    try:
        await asyncio.wait_for(proc.wait(), grace)
    except TimeoutError:
        proc.kill()
        await proc.wait()
