"""Shared helpers of the benchmark scripts: interleaved timing, peak memory, summary rows.

Timing: every method of a comparison runs once per round, the rounds repeated, and the
median per method is reported, so a burst of load from other processes hits every method
alike instead of one. Peak memory: ``tracemalloc`` (numpy and pandas register their array
buffers with it) over one extra, untimed call: the peak of memory allocated *by the call*
above what was allocated before it.
"""

from __future__ import annotations

import os
import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any


def interleaved(
    methods: dict[str, Callable[[], Any]], repeats: int
) -> tuple[dict[str, float], dict[str, Any]]:
    """Median seconds and the last result of each method, run round-robin ``repeats`` times."""
    times: dict[str, list[float]] = {name: [] for name in methods}
    results: dict[str, Any] = {}
    for _ in range(repeats):
        for name, fn in methods.items():
            start = time.perf_counter()
            results[name] = fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}, results


def peak_mib(fn: Callable[[], Any]) -> float:
    """Peak MiB allocated by one call of ``fn`` (tracemalloc; numpy/pandas buffers included)."""
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        fn()
        return (tracemalloc.get_traced_memory()[1] - base) / 2**20
    finally:
        tracemalloc.stop()


def load() -> str:
    """The 1-minute load average and the core count, for the report."""
    return f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def row(
    comparison: str, size: str, *, casebook_s: float, library: str, library_s: float,
    floor: str | None, floor_s: float | None, agree: bool, peak: str = "",
    target: str = "no slower than the library", met: bool | None = None,
) -> dict[str, Any]:  # fmt: skip
    """One summary row: ``met`` defaults to casebook no slower than the fastest library path."""
    return {
        "comparison": comparison,
        "size": size,
        "casebook_s": casebook_s,
        "library": library,
        "library_s": library_s,
        "floor": floor,
        "floor_s": floor_s,
        "agree": bool(agree),
        "peak": peak,
        "target": target,
        "met": bool(casebook_s <= library_s) if met is None else met,
    }
