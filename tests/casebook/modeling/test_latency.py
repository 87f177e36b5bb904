"""Tests for casebook.modeling.latency with fake predictors of known cost."""

import dataclasses
import time

import numpy as np
import pytest

from casebook.modeling.latency import measure_latency

SLEEP_MS = 3.0
# the fresh-process check sleeps longer than a scheduler tick (up to 4 ms): a loaded VM with
# tick-based CPU accounting may charge a waking process a whole tick, which a 3 ms sleep cannot
# tell apart from real work
LONG_SLEEP_MS = 20.0


def sleepy(_request):
    time.sleep(SLEEP_MS / 1000)


def busy(_request):
    end = time.process_time_ns() + 2_000_000  # burn 2 ms of CPU
    while time.process_time_ns() < end:
        pass


SLEEP_CHECK = f"""
import time
from casebook.modeling.latency import measure_latency
res = measure_latency(lambda _: time.sleep({LONG_SLEEP_MS} / 1000), [None], n_calls=30, n_warmup=2,
                      budget_ms=1.0)
print(res.p50, min(res.wall_ms), res.cpu_p50, res.share_over_budget,
      res.within_budget(percentile=50), len(res.wall_ms), len(res.cpu_ms))
"""


def test_sleep_shows_in_wall_time_not_in_cpu_time():
    # CPU time is process-wide; in a fresh process no thread pool left spinning by an
    # earlier test (OpenMP workers busy-wait after a parallel fit) is counted.
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", SLEEP_CHECK], capture_output=True, text=True, check=True
    ).stdout.split()
    p50, wall_min, cpu_p50, over, within, n_wall, n_cpu = out
    assert float(p50) >= LONG_SLEEP_MS
    assert float(wall_min) >= LONG_SLEEP_MS
    assert float(cpu_p50) < LONG_SLEEP_MS / 4  # sleeping costs (almost) no CPU
    assert float(over) == 1.0
    assert within == "False"
    assert int(n_wall) == int(n_cpu) == 30


def test_busy_loop_shows_in_cpu_time():
    res = measure_latency(busy, [None], n_calls=20, n_warmup=1)
    assert res.cpu_p50 >= 2.0
    assert res.p50 >= 2.0
    assert res.share_over_budget is None


def test_percentiles_are_ordered_and_match_the_samples():
    res = measure_latency(lambda r: np.sum(r), [np.ones(10)] * 3, n_calls=200, n_warmup=0)
    assert res.p50 <= res.p95 <= res.p99 <= res.max
    assert res.p99 == pytest.approx(np.percentile(res.wall_ms, 99))
    assert res.mean == pytest.approx(np.mean(res.wall_ms))
    assert set(res.summary()) == {"p50_ms", "p95_ms", "p99_ms", "cpu_p50_ms", "cpu_p99_ms"}


def test_warmup_calls_are_not_timed_and_requests_cycle():
    seen = []
    res = measure_latency(seen.append, ["a", "b", "c"], n_calls=10, n_warmup=4)
    assert len(seen) == 14
    assert seen[4:8] == ["a", "b", "c", "a"]
    assert res.n_warmup == 4


def test_within_budget_with_margin():
    res = measure_latency(sleepy, [None], n_calls=10, n_warmup=0, budget_ms=1000.0)
    assert res.within_budget(percentile=99, margin=2)
    with pytest.raises(ValueError, match="margin must be >= 1"):
        res.within_budget(margin=0.5)


def test_result_is_frozen():
    res = measure_latency(sleepy, [None], n_calls=10, n_warmup=0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.p50 = 0.0
    with pytest.raises(ValueError, match="budget_ms must be set"):
        res.within_budget()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"requests": []}, "requests must contain at least one request"),
        ({"n_calls": 5}, "n_calls must be an integer >= 10"),
        ({"n_warmup": -1}, "n_warmup must be a non-negative integer"),
        ({"budget_ms": 0}, "budget_ms must be positive"),
        ({"max_threads": 0}, "max_threads must be a positive integer or None"),
    ],
)
def test_rejects_bad_arguments(kwargs, match):
    args = {"requests": [None], **kwargs}
    with pytest.raises(ValueError, match=match):
        measure_latency(sleepy, args.pop("requests"), **args)


def test_rejects_non_callable():
    with pytest.raises(TypeError, match="predict must be callable"):
        measure_latency("model", [None])


def test_garbage_collector_is_paused_during_timed_calls_and_restored():
    import gc

    seen = []
    measure_latency(lambda r: seen.append(gc.isenabled()), [None], n_calls=10, n_warmup=2)
    assert seen[:2] == [True, True]  # warm-up runs with the collector on
    assert seen[2:] == [False] * 10  # timed calls: no collection can land in them
    assert gc.isenabled()

    def boom(_):
        raise RuntimeError("model failed")

    with pytest.raises(RuntimeError, match="model failed"):
        measure_latency(boom, [None], n_calls=10, n_warmup=0)
    assert gc.isenabled()
