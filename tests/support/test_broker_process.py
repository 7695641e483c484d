"""A broker a test forgot to stop does not outlive the test process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

LEAKY_RIG = """
import sys
from pathlib import Path
from tests.support.broker import MosquittoBroker
broker = MosquittoBroker(Path(sys.argv[1]))
broker.start()
print(broker.process.pid, flush=True)
raise SystemExit("set-up failed half way: nobody calls stop()")
"""


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat.split(") ", 1)[1][0] != "Z"  # a zombie has exited


def test_a_broker_left_running_is_killed_when_the_test_process_exits(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", LEAKY_RIG, str(tmp_path)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    pid = int(done.stdout.split()[0])
    assert done.returncode != 0
    assert not alive(pid), "the forgotten mosquitto is still running"
