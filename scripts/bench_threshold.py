"""Benchmark the exact cost-optimal threshold search against the usual alternatives.

On ``--n`` (default 1,000,000) synthetic scores, time in one run:

1. ``casebook.decisions.costs.cost_optimal_threshold`` (sort once, cumulative sums, every distinct score),
2. one ``sklearn.metrics.roc_curve`` call plus the cost of each ROC point,
3. ``--grid-size`` (default 1,000) grid thresholds, each with
   ``sklearn.metrics.confusion_matrix(labels=[0, 1])``.

The scores are quantized to ``--grid-size`` equally spaced levels and the grid
uses exactly those levels, so all three methods can find the same optimum;
the script checks that they agree on the cost at the optimum and fails if not.
Times are medians over ``--repeats`` runs (the grid, which takes minutes, over
``--grid-repeats`` runs). With ``--grid-size`` below 1,000 the grid time is
also extrapolated linearly to 1,000 thresholds, and the table says so.

Usage::

    python scripts/bench_threshold.py --out build/bench_threshold.md
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import sklearn
from sklearn.metrics import confusion_matrix, roc_curve

from casebook.decisions.costs import cost_optimal_threshold

FP_COST = 1.0
FN_COST = 25.0


def make_scores(n: int, levels: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Labels with 5% positives and scores on ``levels`` equally spaced values in [0, 1]."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.05).astype(np.int64)
    raw = 1.0 / (1.0 + np.exp(-rng.normal(-2.0 + 2.5 * y, 1.2)))
    return y, np.round(raw * (levels - 1)) / (levels - 1)


def run_ours(y: np.ndarray, s: np.ndarray) -> float:
    return cost_optimal_threshold(y, s, fp_cost=FP_COST, fn_cost=FN_COST).cost


def run_roc(y: np.ndarray, s: np.ndarray) -> float:
    fpr, tpr, _ = roc_curve(y, s)
    n_pos = int(y.sum())
    n_neg = y.size - n_pos
    cost = FP_COST * fpr * n_neg + FN_COST * (1.0 - tpr) * n_pos
    return float(cost.min())


def run_grid(y: np.ndarray, s: np.ndarray, grid: np.ndarray) -> float:
    best = np.inf
    for t in grid:
        tn, fp, fn, tp = confusion_matrix(y, (s >= t).astype(np.int64), labels=[0, 1]).ravel()
        best = min(best, FP_COST * fp + FN_COST * fn)
    # flagging nothing is a candidate too (threshold above every score)
    return float(min(best, FN_COST * int(y.sum())))


def timed(fn: Callable[[], float], repeats: int) -> tuple[float, float]:
    times, value = [], np.nan
    for _ in range(repeats):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="number of scores")
    parser.add_argument("--grid-size", type=int, default=1000, help="grid thresholds")
    parser.add_argument("--repeats", type=int, default=5, help="repeats of the fast methods")
    parser.add_argument("--grid-repeats", type=int, default=1, help="repeats of the grid")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help="write the Markdown table here")
    args = parser.parse_args(argv)

    y, s = make_scores(args.n, args.grid_size, args.seed)
    grid = np.linspace(0.0, 1.0, args.grid_size)
    run_ours(y[:1000], s[:1000])  # warm-up (imports, caches)

    t_ours, c_ours = timed(lambda: run_ours(y, s), args.repeats)
    t_roc, c_roc = timed(lambda: run_roc(y, s), args.repeats)
    t_grid, c_grid = timed(lambda: run_grid(y, s, grid), args.grid_repeats)
    t_grid_1000 = t_grid * 1000 / args.grid_size

    agree = bool(np.isclose(c_ours, c_roc) and np.isclose(c_ours, c_grid))
    extrapolated = args.grid_size != 1000
    grid_label = f"{args.grid_size} grid thresholds x `confusion_matrix(labels=[0, 1])`"
    lines = [
        f"Exact cost-optimal threshold on {args.n:,} scores ({args.grid_size} distinct levels, "
        f"{int(y.sum()):,} positives; FP cost {FP_COST:g}, FN cost {FN_COST:g}).",
        f"Median of {args.repeats} runs (grid: {args.grid_repeats}); "
        f"Python {platform.python_version()}, numpy {np.__version__}, "
        f"scikit-learn {sklearn.__version__}, {platform.machine()}.",
        "",
        "| method | median time (s) | cost at optimum | time / exact search |",
        "|---|---:|---:|---:|",
        f"| `cost_optimal_threshold` (exact, every distinct score) | {t_ours:.3f} | "
        f"{c_ours:,.0f} | 1.00x |",
        f"| one `roc_curve` call + cost per ROC point | {t_roc:.3f} | {c_roc:,.0f} | "
        f"{t_roc / t_ours:.2f}x |",
        f"| {grid_label} | {t_grid:.1f} | {c_grid:,.0f} | {t_grid / t_ours:.0f}x |",
    ]
    if extrapolated:
        lines.append(
            f"| 1000 grid thresholds, EXTRAPOLATED linearly from {args.grid_size} | "
            f"{t_grid_1000:.1f} | n/a | {t_grid_1000 / t_ours:.0f}x |"
        )
    lines += [
        "",
        f"All methods agree on the cost at the optimum: {'yes' if agree else 'NO'}.",
        f"Targets: no slower than `roc_curve` -> {'met' if t_ours <= t_roc else 'MISSED'} "
        f"({t_roc / t_ours:.2f}x); at least 100x faster than the 1000-threshold grid -> "
        f"{'met' if t_grid_1000 >= 100 * t_ours else 'MISSED'} ({t_grid_1000 / t_ours:.0f}x"
        f"{', extrapolated' if extrapolated else ''}).",
    ]
    table = "\n".join(lines)
    print(table)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(table + "\n", encoding="utf-8")
        size = f"{args.n:,} scores"
        rows = [
            {"comparison": "threshold search vs `roc_curve` + cost per point", "size": size,
             "casebook_s": t_ours, "anchor_s": t_roc, "ratio": t_roc / t_ours,
             "target": "no slower (>= 1x)", "met": t_ours <= t_roc, "agree": agree},
            {"comparison": f"threshold search vs a 1,000-threshold grid{' (extrapolated)' if extrapolated else ''}",
             "size": size, "casebook_s": t_ours, "anchor_s": t_grid_1000,
             "ratio": t_grid_1000 / t_ours, "target": ">= 100x",
             "met": t_grid_1000 >= 100 * t_ours, "agree": agree},
        ]  # fmt: skip
        args.out.with_suffix(".json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0 if agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
