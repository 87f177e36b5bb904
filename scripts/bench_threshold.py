"""Benchmark the exact cost-optimal threshold search against scikit-learn's own paths.

On ``--n`` (default 1,000,000) synthetic scores, time, interleaved round-robin:

1. ``casebook.decisions.costs.cost_optimal_threshold`` (every distinct score),
2. ``sklearn.metrics.confusion_matrix_at_thresholds`` plus the cost per threshold,
3. one ``sklearn.metrics.roc_curve`` call plus the cost of each ROC point
   (``drop_intermediate=False``, so every distinct score is a candidate, as in 1 and 2),
4. the numpy floor: one ``argsort`` of the scores and one cumulative sum of the labels
   (any exact method sorts the scores once and counts positives above each score).

Optionally (``--grid-size``, default 0 = skipped) a grid of thresholds, each with
``sklearn.metrics.confusion_matrix(labels=[0, 1])``, reported as a note. The scores are
quantized to ``--levels`` equally spaced values, so a grid on those values can find the
same optimum. The script checks that every method finds the same cost and fails if not.

Usage::

    python scripts/bench_threshold.py --out build/bench_threshold.md
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np
import sklearn
from _benchlib import interleaved, load, peak_mib, row
from sklearn.metrics import confusion_matrix, confusion_matrix_at_thresholds, roc_curve

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


def run_cmat(y: np.ndarray, s: np.ndarray) -> float:
    _, fps, fns, _, _ = confusion_matrix_at_thresholds(y, s)
    cost = FP_COST * fps + FN_COST * fns
    # flagging nothing is a candidate too (threshold above every score)
    return float(min(cost.min(), FN_COST * int(y.sum())))


def run_roc(y: np.ndarray, s: np.ndarray) -> float:
    fpr, tpr, _ = roc_curve(y, s, drop_intermediate=False)
    n_pos = int(y.sum())
    n_neg = y.size - n_pos
    cost = FP_COST * fpr * n_neg + FN_COST * (1.0 - tpr) * n_pos
    return float(cost.min())


def run_floor(y: np.ndarray, s: np.ndarray) -> float:
    """Sort once, cumulative sum once: the work any exact search must do (no tie handling)."""
    order = np.argsort(-s)  # descending, as a threshold sweep walks the scores
    return float(np.cumsum(y[order])[-1])


def run_grid(y: np.ndarray, s: np.ndarray, grid: np.ndarray) -> float:
    best = np.inf
    for t in grid:
        tn, fp, fn, tp = confusion_matrix(y, (s >= t).astype(np.int64), labels=[0, 1]).ravel()
        best = min(best, FP_COST * fp + FN_COST * fn)
    return float(min(best, FN_COST * int(y.sum())))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="number of scores")
    parser.add_argument("--levels", type=int, default=1000, help="distinct score values")
    parser.add_argument("--grid-size", type=int, default=0, help="grid thresholds (0 = skip)")
    parser.add_argument("--repeats", type=int, default=7, help="interleaved rounds")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help="write the Markdown table here")
    args = parser.parse_args(argv)

    y, s = make_scores(args.n, args.levels, args.seed)
    methods = {
        "casebook": lambda: run_ours(y, s),
        "cmat": lambda: run_cmat(y, s),
        "roc": lambda: run_roc(y, s),
        "floor": lambda: run_floor(y, s),
    }
    for fn in methods.values():  # warm-up (imports, first-call caches)
        fn()
    load_start = load()
    med, res = interleaved(methods, args.repeats)
    peaks = {name: peak_mib(fn) for name, fn in methods.items()}
    costs = [res["casebook"], res["cmat"], res["roc"]]
    agree = bool(np.allclose(costs, costs[0], rtol=1e-12))
    grid_line = ""
    if args.grid_size > 0:
        grid = np.linspace(0.0, 1.0, args.grid_size)
        start = time.perf_counter()
        c_grid = run_grid(y, s, grid)
        t_grid = time.perf_counter() - start
        exact = "" if args.grid_size == args.levels else " (not on every score level: may miss)"
        grid_line = (
            f"Note: a grid of {args.grid_size} thresholds x `confusion_matrix(labels=[0, 1])` "
            f"took {t_grid:.1f} s (one run; {t_grid / med['casebook']:,.0f}x the exact search), "
            f"cost at its optimum {c_grid:,.0f}{exact}."
        )
    best_lib = min(("cmat", "roc"), key=med.get)
    lib_name = {
        "cmat": "`confusion_matrix_at_thresholds` + cost",
        "roc": "`roc_curve` + cost",
    }
    lines = [
        f"Exact cost-optimal threshold on {args.n:,} scores ({args.levels} distinct levels, "
        f"{int(y.sum()):,} positives; FP cost {FP_COST:g}, FN cost {FN_COST:g}).",
        f"Median of {args.repeats} interleaved rounds; load average {load_start} at the start, "
        f"{load()} at the end. Python {platform.python_version()}, numpy {np.__version__}, "
        f"scikit-learn {sklearn.__version__}. Peak memory: tracemalloc, one untimed call.",
        "",
        "| method | median time (s) | / casebook | peak MiB | cost at optimum |",
        "|---|---:|---:|---:|---:|",
    ]
    labels = {
        "casebook": "`cost_optimal_threshold` (exact, every distinct score)",
        "cmat": "`confusion_matrix_at_thresholds` + cost per threshold",
        "roc": "`roc_curve(drop_intermediate=False)` + cost per point",
        "floor": "numpy floor: `argsort` + `cumsum`",
    }
    for name, label in labels.items():
        value = f"{res[name]:,.0f}" if name != "floor" else "n/a"
        lines.append(
            f"| {label} | {med[name]:.4f} | {med[name] / med['casebook']:.2f}x "
            f"| {peaks[name]:.0f} | {value} |"
        )
    lines += ["", f"All methods agree on the cost at the optimum: {'yes' if agree else 'NO'}."]
    if grid_line:
        lines += ["", grid_line]
    table = "\n".join(lines)
    print(table)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(table + "\n", encoding="utf-8")
        rows = [
            row("exact cost-optimal threshold", f"{args.n:,} scores",
                casebook_s=med["casebook"], library=lib_name[best_lib],
                library_s=med[best_lib], floor="argsort + cumsum", floor_s=med["floor"],
                agree=agree,
                peak=f"{peaks['casebook']:.0f} / {peaks[best_lib]:.0f} MiB"),
        ]  # fmt: skip
        args.out.with_suffix(".json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0 if agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
