"""Run every benchmark in turn (``make bench``); ``--quick`` for a fast, reduced pass.

Each benchmark prints its table and writes ``bench/results/<name>.json``;
docs/performance.md records the figures and how to read them. They run
one after another, never in parallel: on a 2-core machine two benchmarks
would measure each other.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

from bench import invalid, latency, load, startup

BENCHMARKS: dict[str, Callable[[list[str] | None], Any]] = {
    "startup": startup.main,
    "latency": latency.main,
    "invalid": invalid.main,
    "load": load.main,
}


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benchmarks (all by default); returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"which to run: {', '.join(BENCHMARKS)}")
    parser.add_argument("--quick", action="store_true", help="reduced runs (seconds, not minutes)")
    args = parser.parse_args(argv)
    unknown = set(args.names) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    for name in args.names or list(BENCHMARKS):
        started = time.monotonic()
        BENCHMARKS[name](["--quick"] if args.quick else [])
        print(f"({name}: {time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
