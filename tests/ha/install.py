"""The Home Assistant releases the real-HA suite runs against, and how each is launched.

The oldest supported release, 2025.4.4, runs from its own Python 3.13 venv
(``scripts/ensure-ha-venv.sh``); the newest, 2026.11.0, needs Python >=
3.14.2 and runs in a Debian forky chroot (``scripts/ensure-ha-chroot.sh``)
through ``scripts/ha-chroot-run.sh``, sharing the host's loopback.
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass
from pathlib import Path

CACHE = Path.home() / ".cache" / "anova-mqtt-bridge"
DEFAULT_HA_VENV = CACHE / "ha-venv"
DEFAULT_HA_CHROOT = CACHE / "ha-chroot"
REPO = Path(__file__).resolve().parents[2]
CHROOT_RUN = REPO / "scripts" / "ha-chroot-run.sh"
CHROOT_VENV = "/opt/ha-venv"


def ha_venv() -> Path:
    """The oldest HA's venv: ``$HA_VENV`` or the cache path `make test-ha` builds."""
    return Path(os.environ.get("HA_VENV") or DEFAULT_HA_VENV)


def ha_chroot() -> Path:
    """The newest HA's chroot: ``$HA_CHROOT`` or the cache path `make test-ha` builds."""
    return Path(os.environ.get("HA_CHROOT") or DEFAULT_HA_CHROOT)


@dataclass(frozen=True)
class HaInstall:
    """One Home Assistant release the suite runs against, and how to launch it.

    ``venv`` installs run directly on the host; ``chroot`` installs run through
    ``scripts/ha-chroot-run.sh``, which gives the chroot /proc, /dev and the
    config directory (on ``/config``) in a private mount namespace.
    """

    version: str
    venv: Path | None = None
    chroot: Path | None = None
    build: str = ""

    def missing(self) -> str | None:
        """Why this install cannot run, or None when it is built."""
        home = self.venv if self.venv else self._root / CHROOT_VENV.lstrip("/")
        hass = home / "bin" / "hass"
        if self.chroot and os.geteuid() != 0:
            return f"Home Assistant {self.version} runs in a chroot: the tests need root"
        if hass.exists():
            return None
        return f"no Home Assistant {self.version} at {hass}: run `make test-ha` or `{self.build}`"

    @property
    def _root(self) -> Path:
        assert self.chroot is not None
        return self.chroot

    def _inside(self, *, config: Path | None = None, read_only: Path | None = None) -> list[str]:
        command = [str(CHROOT_RUN), str(self._root)]
        if config is not None:
            command += ["--config", str(config)]
        if read_only is not None:
            command += ["--bind-ro", str(read_only)]
        return [*command, "--"]

    def hass_command(self, config_dir: Path) -> list[str]:
        """The ``hass`` command line for a host config directory."""
        if self.venv:
            return [str(self.venv / "bin" / "hass"), "--config", str(config_dir), "--skip-pip"]
        return [
            *self._inside(config=config_dir),
            f"{CHROOT_VENV}/bin/hass",
            "--config",
            "/config",
            "--skip-pip",
        ]

    def python(self, workdir: Path) -> Path:
        """An executable that runs HA's Python; host paths under ``tests/`` work as arguments."""
        if self.venv:
            return self.venv / "bin" / "python"
        wrapper = workdir / "ha-python"
        inside = shlex.join([*self._inside(read_only=REPO / "tests"), f"{CHROOT_VENV}/bin/python"])
        wrapper.write_text(f'#!/bin/sh\nexec {inside} "$@"\n')
        wrapper.chmod(0o755)
        return wrapper


def installs() -> list[HaInstall]:
    """The oldest and the newest Home Assistant the bridge supports."""
    return [
        HaInstall(
            "2025.4.4", venv=ha_venv(), build=f"HA_VENV={ha_venv()} bash scripts/ensure-ha-venv.sh"
        ),
        HaInstall(
            "2026.11.0",
            chroot=ha_chroot(),
            build=f"HA_CHROOT={ha_chroot()} bash scripts/ensure-ha-chroot.sh",
        ),
    ]
