"""Benchmark: casebook group metrics vs fairlearn MetricFrame and aif360 ClassificationMetric.

One run, the same data for every library, numbers checked identical before any
time is reported:

* 50 groups (default), 1,000,000 rows: :func:`casebook.fairness.metrics.group_metrics`
  (one ``numpy.bincount``) against fairlearn ``MetricFrame`` with four metrics
  (selection rate, TPR, FPR, precision);
* two groups, same rows: the package against aif360 ``ClassificationMetric``
  (building the two ``BinaryLabelDataset`` objects, as a user must, then the
  same four rates for both groups).

Each timing is the median of ``--repeats`` runs (the package gets more repeats,
it is cheap). Writes a Markdown table to ``--out``::

    .venv/bin/python scripts/bench_fairness.py --out build/bench_fairness.md
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd


def _median_time(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def make_data(rows: int, groups: int, seed: int) -> tuple[np.ndarray, ...]:
    """Binary labels and decisions whose rates differ by group; group labels as strings."""
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, groups, rows)
    labels = np.array([f"g{k:02d}" for k in range(groups)])
    base = rng.uniform(0.1, 0.5, groups)[codes]
    y_true = (rng.random(rows) < base).astype(np.int64)
    y_pred = (rng.random(rows) < 0.1 + 0.6 * y_true + 0.1 * (codes % 3 == 0)).astype(np.int64)
    two = np.where(codes % 2 == 0, "A", "B")
    return y_true, y_pred, labels[codes], two


def run(rows: int, groups: int, repeats: int, seed: int) -> dict[str, Any]:
    import fairlearn.metrics as fm
    from sklearn.metrics import precision_score

    from casebook.fairness.adapters import aif360_classification_metric
    from casebook.fairness.metrics import group_metrics

    y_true, y_pred, g, two = make_data(rows, groups, seed)
    # warm-up on a slice: library imports and first-call caches are not timed
    small = slice(0, 20 * groups)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a small slice may leave a group without positives
        group_metrics(y_true[small], y_pred[small], sensitive_features=g[small])
        fm.MetricFrame(
            metrics=fm.selection_rate,
            y_true=y_true[small],
            y_pred=y_pred[small],
            sensitive_features=g[small],
        )
        aif360_classification_metric(
            y_true[small], y_pred[small], sensitive_features=two[small], privileged="A"
        )
    cols = ["selection_rate", "tpr", "fpr", "ppv"]

    t_pkg, ours = _median_time(
        lambda: group_metrics(y_true, y_pred, sensitive_features=g), max(5, repeats * 3)
    )
    metrics = {
        "selection_rate": fm.selection_rate,
        "tpr": fm.true_positive_rate,
        "fpr": fm.false_positive_rate,
        "ppv": lambda t, p: precision_score(t, p, zero_division=np.nan),
    }
    t_mf, mf = _median_time(
        lambda: fm.MetricFrame(metrics=metrics, y_true=y_true, y_pred=y_pred, sensitive_features=g),
        repeats,
    )
    diff_mf = float(np.abs(ours[cols].to_numpy() - mf.by_group[cols].to_numpy(float)).max())

    def pkg_two() -> pd.DataFrame:
        return group_metrics(y_true, y_pred, sensitive_features=two)[cols]

    def aif_two() -> pd.DataFrame:
        m = aif360_classification_metric(y_true, y_pred, sensitive_features=two, privileged="A")
        return pd.DataFrame(
            {
                "selection_rate": [m.selection_rate(privileged=p) for p in (True, False)],
                "tpr": [m.true_positive_rate(privileged=p) for p in (True, False)],
                "fpr": [m.false_positive_rate(privileged=p) for p in (True, False)],
                "ppv": [m.positive_predictive_value(privileged=p) for p in (True, False)],
            },
            index=["A", "B"],
        )

    t_pkg2, ours2 = _median_time(pkg_two, max(5, repeats * 3))
    t_aif, aif = _median_time(aif_two, repeats)
    diff_aif = float(np.abs(ours2.to_numpy() - aif.to_numpy(float)).max())
    if max(diff_mf, diff_aif) > 1e-9:
        raise AssertionError(
            f"numbers differ: vs MetricFrame {diff_mf:.3g}, vs aif360 {diff_aif:.3g}"
        )
    return {
        "rows": rows,
        "groups": groups,
        "repeats": repeats,
        "package_50": t_pkg,
        "metricframe": t_mf,
        "package_2": t_pkg2,
        "aif360": t_aif,
        "diff_metricframe": diff_mf,
        "diff_aif360": diff_aif,
    }


def to_markdown(r: dict[str, Any]) -> str:
    mf_ratio = r["metricframe"] / r["package_50"]
    aif_ratio = r["aif360"] / r["package_2"]
    lines = [
        f"# Fairness group metrics benchmark ({r['rows']:,} rows)",
        "",
        "Median wall time of repeated runs; numbers checked identical (max abs difference shown).",
        "",
        "| comparison | groups | package (s) | other (s) | speed-up | max abs diff | target |",
        "|---|---|---|---|---|---|---|",
        f"| fairlearn MetricFrame, 4 metrics | {r['groups']} | {r['package_50']:.4f} | "
        f"{r['metricframe']:.2f} | {mf_ratio:,.0f}x | {r['diff_metricframe']:.1e} | >= 100x |",
        f"| aif360 ClassificationMetric, 4 rates | 2 | {r['package_2']:.4f} | "
        f"{r['aif360']:.2f} | {aif_ratio:,.0f}x | {r['diff_aif360']:.1e} | >= 10x |",
        "",
        f"Targets met: MetricFrame {'yes' if mf_ratio >= 100 else 'NO'}, "
        f"aif360 {'yes' if aif_ratio >= 10 else 'NO'}.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--groups", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=3, help="repeats of the slow libraries")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None, help="Markdown file to write")
    args = parser.parse_args(argv)
    if args.rows < 100 or args.groups < 2 or args.repeats < 1:
        parser.error("need --rows >= 100, --groups >= 2 and --repeats >= 1")
    result = run(args.rows, args.groups, args.repeats, args.seed)
    text = to_markdown(result)
    print(text)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        r = result
        mf, aif = r["metricframe"] / r["package_50"], r["aif360"] / r["package_2"]
        rows = [
            {"comparison": f"group metrics vs fairlearn `MetricFrame` ({r['groups']} groups, 4 metrics)",
             "size": f"{r['rows']:,} rows", "casebook_s": r["package_50"],
             "anchor_s": r["metricframe"], "ratio": mf, "target": ">= 100x", "met": mf >= 100,
             "agree": r["diff_metricframe"] <= 1e-9},
            {"comparison": "group metrics vs aif360 `ClassificationMetric` (2 groups, 4 rates)",
             "size": f"{r['rows']:,} rows", "casebook_s": r["package_2"], "anchor_s": r["aif360"],
             "ratio": aif, "target": ">= 10x", "met": aif >= 10,
             "agree": r["diff_aif360"] <= 1e-9},
        ]  # fmt: skip
        args.out.with_suffix(".json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
