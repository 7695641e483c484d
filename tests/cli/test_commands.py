"""The command line as a user meets it: help with examples, version, config errors, status."""

from __future__ import annotations

import asyncio
import re
import subprocess
from pathlib import Path

import pytest

from bridge import __version__
from bridge.cli import COMMANDS, main
from tests.e2e.conftest import running_stack
from tests.support.broker import free_port
from tests.support.daemon import EXE


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_examples(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out
    assert f"anova-mqtt-bridge {command}" in out.split("examples:", 1)[1]


def test_top_level_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in COMMANDS:
        assert command in out


def test_version_of_the_installed_executable() -> None:
    result = subprocess.run(
        [EXE, "--version"], capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"anova-mqtt-bridge {__version__}"


def test_check_config_points_at_the_broken_yaml_line(tmp_path: Path) -> None:
    config = tmp_path / "bridge.yaml"
    config.write_text(
        "mqtt:\n"
        "  url: mqtt://127.0.0.1:1883\n"
        "anova:\n"
        "  token: anova-x\n"
        "  url: [ws://127.0.0.1:8765\n"  # line 5: the list is never closed
        "units: C\n"
    )
    result = subprocess.run(
        [EXE, "check-config", "--config", str(config)],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stdout == ""
    assert f"{config}:" in result.stderr
    assert "line 5" in result.stderr or f"{config}:5:" in result.stderr, result.stderr


def test_check_config_names_the_key_and_line_of_a_bad_value(tmp_path: Path) -> None:
    config = tmp_path / "bridge.yaml"
    config.write_text("anova:\n  token: anova-x\nhealth:\n  port: 99999\n")
    result = subprocess.run(
        [EXE, "check-config", "--config", str(config)],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert "health.port" in result.stderr
    assert f"{config}:4" in result.stderr


def test_check_config_missing_file_exits_2(tmp_path: Path) -> None:
    result = subprocess.run(
        [EXE, "check-config", "--config", str(tmp_path / "nope.yaml")],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert "nope.yaml" in result.stderr


def test_status_says_when_the_broker_is_unreachable() -> None:
    url = f"mqtt://127.0.0.1:{free_port()}"
    result = subprocess.run(
        [EXE, "status", "--once", "--mqtt-url", url],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert f"cannot reach the broker at {url}" in result.stderr


@pytest.mark.integration
async def test_status_shows_a_preheating_cook_with_a_progress_bar(tmp_path: Path) -> None:
    async with running_stack(tmp_path, cookers=1, types=("a7",)) as stack:
        response = await stack.command(
            0, {"action": "start", "temperature": 60, "duration": "1h", "request_id": "st-1"}
        )
        assert response["status"] == "ok"
        await stack.state(0, lambda body: body["state"] == "preheating")
        proc = await asyncio.create_subprocess_exec(
            EXE, "status", "--once", "--mqtt-url", stack.broker.url,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, err = await asyncio.wait_for(proc.communicate(), 30)
        name = stack.sim.cookers[0].name
    text = out.decode()
    assert proc.returncode == 0, err.decode()
    (line,) = [row for row in text.splitlines() if name[:20] in row]
    assert "preheating" in line
    assert "→ 60.0 °C" in line
    assert "[" in line
    assert "]" in line
    assert "1:00 left" in line


async def test_status_shows_an_oven_with_its_mode_stage_and_probe(tmp_path: Path) -> None:
    async with running_stack(
        tmp_path, cookers=1, types=("a7",), ovens=("oven_v2",), anova={"offline_after": 120.0}
    ) as stack:
        stack.sim.set_oven_probe(stack.sim.ovens[0].cooker_id, inserted=True, core_c=4.0)
        response = await stack.oven_command(
            0,
            {
                "action": "start",
                "stages": [
                    {"mode": "dry", "temperature": 200, "duration": "20m"},
                    {"mode": "dry", "temperature": 160, "probe_temperature": 63},
                ],
                "request_id": "status-oven",
            },
        )
        assert response["status"] == "ok", response
        await stack.oven_state(0, lambda body: body["state"] == "preheating")
        proc = await asyncio.create_subprocess_exec(
            EXE, "status", "--once", "--mqtt-url", stack.broker.url,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, err = await asyncio.wait_for(proc.communicate(), 30)
        name = stack.sim.ovens[0].name
    assert proc.returncode == 0, err.decode()
    (line,) = [row for row in out.decode().splitlines() if row.startswith(name[:20])]
    assert "preheating" in line
    assert "→ 200.0 °C" in line
    assert "dry stage 1 of 2" in line
    assert re.search(r"probe \d+\.\d → - °C", line), "stage 1 ends on its timer: no target yet"
