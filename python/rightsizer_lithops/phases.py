"""The phase helper a stage function may use to split its time into read, compute and write.

Times accumulate per phase name in the process running the call (a Lithops worker runs one call
per process), and ``worker.run_partition`` collects them after the call. Nested or repeated
phases of the same name add up.
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Dict, Iterator

_totals: Dict[str, float] = {}


@contextmanager
def phase(name: str) -> Iterator[None]:
    """Times the block as phase ``name`` (seconds, monotonic clock)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        _totals[name] = _totals.get(name, 0.0) + time.perf_counter() - start


def reset() -> None:
    _totals.clear()


def collected() -> Dict[str, float]:
    return dict(_totals)
