"""The wheel people install (and the Docker builder makes) is complete and runs.

Built with the ordinary ``pip wheel``, then unpacked and run from outside the
repository so nothing can be picked up from the source tree by accident.
"""

from __future__ import annotations

import configparser
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from bridge import __version__
from tests.packaging.dockerfile import REPO

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "-w", str(out), "--no-deps", "-q"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    (built,) = out.glob("anova_mqtt_bridge-*.whl")
    return built


def test_wheel_carries_the_data_files_and_the_simulator(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "bridge/safety/tables.json",
        "bridge/safety/foods.json",
        "bridge/safety/core_temperatures.json",
        "bridge/simulator/__init__.py",
        "bridge/simulator/server.py",
        "bridge/cli.py",
    ):
        assert needed in names, f"{needed} missing from the wheel"
    assert not any(name.startswith("tests/") for name in names)


def test_wheel_declares_the_console_script(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        entry = next(n for n in archive.namelist() if n.endswith("entry_points.txt"))
        parser = configparser.ConfigParser()
        parser.read_string(archive.read(entry).decode())
    assert parser["console_scripts"]["anova-mqtt-bridge"] == "bridge.cli:main"


def test_unpacked_wheel_runs_with_its_own_data(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    script = (
        "import bridge, sys\n"
        f"assert bridge.__file__.startswith({str(site)!r}), bridge.__file__\n"
        "from bridge.safety.tables import load_tables\n"
        "from bridge.safety.foods import classify\n"
        "import bridge.simulator\n"
        "assert load_tables() and classify('chicken breast').poultry\n"
        "from bridge.cli import main\n"
        "sys.exit(main(['--version']))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"anova-mqtt-bridge {__version__}"
