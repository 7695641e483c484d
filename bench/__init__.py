"""Benchmarks: `make bench` or `python -m bench.run_all` (docs/performance.md)."""
