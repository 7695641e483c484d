"""The harness itself: a chroot that leaves nothing mounted."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.ha.install import CHROOT_RUN, ha_chroot, installs
from tests.support.waiting import wait_until


def mounts_below(root: Path) -> list[str]:
    """Mount points at or below ``root`` in this (the host's) mount namespace."""
    points = [line.split()[4] for line in Path("/proc/self/mountinfo").read_text().splitlines()]
    return [point for point in points if point.startswith(str(root))]


@pytest.mark.ha
def test_the_chroot_leaves_nothing_mounted_even_when_killed(tmp_path: Path) -> None:
    newest = installs()[-1]
    if problem := newest.missing():
        pytest.fail(problem)
    root = ha_chroot()
    command = "ls /proc/self/fd >/config/ready && exec sleep 60"  # needs /proc and /config
    inside = subprocess.Popen(
        [str(CHROOT_RUN), str(root), "--config", str(tmp_path), "--", "/bin/sh", "-c", command]
    )
    try:
        wait_until((tmp_path / "ready").exists, what="the command in the chroot")
        assert mounts_below(root) == []  # /proc, /dev, /config exist in its namespace only
    finally:
        inside.kill()
        inside.wait(timeout=10)
    assert mounts_below(root) == []
    assert not (root / "config" / "ready").exists()
