"""Single-request latency: warm up, call many times one row at a time, read percentiles.

A serving budget ("answer within 50 ms") is a statement about the *tail*
of single-request latency, not about batch throughput: scoring 10,000 rows
in one call says nothing about how long one row takes, because per-call
overhead (input validation, building a DataFrame, waking a thread pool)
dominates small calls. :func:`measure_latency` measures what a request
pays:

* it warms up first (caches, lazy imports, first-call allocation);
* every timed call receives one pre-built request, so building the
  inputs is not timed;
* it records wall-clock time (what the user waits) and process CPU time
  (what the model itself costs). On a busy shared machine wall time also
  includes waiting for a CPU, so CPU time is the load-independent number
  and the gap between the two is the machine's contention, not the model;
* native thread pools are capped (one thread by default): for a single row
  a multi-threaded OpenMP pool costs more in synchronization than it saves,
  and on an oversubscribed machine it can cost hundreds of milliseconds;
* Python's cyclic garbage collector runs once before the timed calls and is
  paused during them, as :mod:`timeit` does: a full collection walks every
  object of the process (about 0.1 s in a kernel with pandas, scikit-learn
  and shap loaded) and would land in whichever call triggers it, whatever
  the model. A service controls those pauses separately (``gc.freeze()``
  after start-up, thresholds).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

__all__ = ["LatencyResult", "measure_latency"]


@dataclass(frozen=True)
class LatencyResult:
    """Latency percentiles of single calls, in milliseconds.

    Attributes
    ----------
    p50, p95, p99 : float
        Wall-clock percentiles.
    mean, max : float
        Wall-clock mean and maximum.
    cpu_p50, cpu_p95, cpu_p99 : float
        Process CPU-time percentiles (all threads of this process).
    n_calls, n_warmup : int
    budget_ms : float or None
        The budget the result is compared with.
    share_over_budget : float or None
        Share of calls whose wall time exceeded the budget.
    wall_ms, cpu_ms : tuple of float
        Every timed call, in call order.
    """

    p50: float
    p95: float
    p99: float
    mean: float
    max: float
    cpu_p50: float
    cpu_p95: float
    cpu_p99: float
    n_calls: int
    n_warmup: int
    budget_ms: float | None
    share_over_budget: float | None
    wall_ms: tuple[float, ...]
    cpu_ms: tuple[float, ...]

    def within_budget(self, *, percentile: float = 99, margin: float = 1.0) -> bool:
        """Whether the wall-clock ``percentile`` is at most ``budget_ms / margin``.

        ``margin=2`` asks for the percentile to use at most half the budget,
        leaving the other half for the network, feature look-ups and a busy
        machine.
        """
        if self.budget_ms is None:
            raise ValueError("budget_ms must be set to compare with a budget, got None")
        if margin < 1:
            raise ValueError(f"margin must be >= 1, got {margin!r}")
        return bool(np.percentile(self.wall_ms, percentile) <= self.budget_ms / margin)

    def summary(self) -> dict[str, float]:
        """Percentiles as a plain dict (for ``Lesson.record`` or a table row)."""
        return {
            "p50_ms": self.p50,
            "p95_ms": self.p95,
            "p99_ms": self.p99,
            "cpu_p50_ms": self.cpu_p50,
            "cpu_p99_ms": self.cpu_p99,
        }


def measure_latency(
    predict: Callable[[Any], Any],
    requests: Sequence[Any],
    *,
    n_calls: int = 500,
    n_warmup: int = 20,
    budget_ms: float | None = None,
    max_threads: int | None = 1,
) -> LatencyResult:
    """Time ``predict(request)`` one request at a time.

    Parameters
    ----------
    predict : callable
        Called with one element of ``requests`` (e.g. a one-row DataFrame
        or a ``(1, d)`` array); its return value is ignored.
    requests : sequence
        Pre-built requests, cycled through if fewer than ``n_calls``.
    n_calls : int, default=500
        Timed calls (at least 10: p99 of fewer calls is a maximum).
    n_warmup : int, default=20
        Untimed calls first.
    budget_ms : float, optional
        Latency budget; fills ``share_over_budget``.
    max_threads : int or None, default=1
        Cap on native thread pools during the measurement; None = no cap.

    Returns
    -------
    LatencyResult

    Examples
    --------
    >>> res = measure_latency(lambda r: sum(r), [[1, 2], [3, 4]], n_calls=50,
    ...                       n_warmup=5, budget_ms=50.0)
    >>> res.n_calls, res.p50 <= res.p95 <= res.p99 <= res.max
    (50, True)
    >>> res.within_budget(percentile=50)
    True
    """
    if not callable(predict):
        raise TypeError(f"predict must be callable, got {type(predict).__name__}")
    if len(requests) == 0:
        raise ValueError("requests must contain at least one request, got none")
    if not isinstance(n_calls, (int, np.integer)) or n_calls < 10:
        raise ValueError(f"n_calls must be an integer >= 10, got {n_calls!r}")
    if not isinstance(n_warmup, (int, np.integer)) or n_warmup < 0:
        raise ValueError(f"n_warmup must be a non-negative integer, got {n_warmup!r}")
    if budget_ms is not None and not budget_ms > 0:
        raise ValueError(f"budget_ms must be positive, got {budget_ms!r}")
    if max_threads is not None and (
        not isinstance(max_threads, (int, np.integer)) or max_threads < 1
    ):
        raise ValueError(f"max_threads must be a positive integer or None, got {max_threads!r}")

    wall = np.empty(n_calls)
    cpu = np.empty(n_calls)
    n_req = len(requests)
    perf, proc = time.perf_counter_ns, time.process_time_ns
    with threadpool_limits(limits=max_threads):
        for i in range(n_warmup):
            predict(requests[i % n_req])
        gc.collect()
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            for i in range(n_calls):
                request = requests[i % n_req]
                c0 = proc()
                t0 = perf()
                predict(request)
                t1 = perf()
                c1 = proc()
                wall[i] = (t1 - t0) / 1e6
                cpu[i] = (c1 - c0) / 1e6
        finally:
            if was_enabled:
                gc.enable()
    p50, p95, p99 = (float(v) for v in np.percentile(wall, [50, 95, 99]))
    c50, c95, c99 = (float(v) for v in np.percentile(cpu, [50, 95, 99]))
    return LatencyResult(
        p50=p50,
        p95=p95,
        p99=p99,
        mean=float(wall.mean()),
        max=float(wall.max()),
        cpu_p50=c50,
        cpu_p95=c95,
        cpu_p99=c99,
        n_calls=n_calls,
        n_warmup=n_warmup,
        budget_ms=None if budget_ms is None else float(budget_ms),
        share_over_budget=None if budget_ms is None else float(np.mean(wall > budget_ms)),
        wall_ms=tuple(float(v) for v in wall),
        cpu_ms=tuple(float(v) for v in cpu),
    )
