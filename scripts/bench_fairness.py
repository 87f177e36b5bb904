"""Benchmark: casebook group metrics vs fairlearn MetricFrame and aif360 ClassificationMetric.

One run, the same data for every library, numbers checked identical before any
time is reported:

* 50 groups (default), 1,000,000 rows: :func:`casebook.fairness.metrics.group_metrics`
  (one ``numpy.bincount``) against fairlearn ``MetricFrame`` with four metrics
  (selection rate, TPR, FPR, precision);
* two groups, same rows: the package against aif360 ``ClassificationMetric``
  (building the two ``BinaryLabelDataset`` objects, as a user must, then the
  same four rates for both groups);
* bootstrap intervals, ``--boot-rows`` (20,000) rows, 4 groups, ``--n-boot`` (200)
  resamples: :func:`casebook.fairness.intervals.bootstrap_group_metrics` against
  fairlearn ``MetricFrame(..., n_boot=..., ci_quantiles=...)``. The two draw different
  resamples (fairlearn resamples all rows, the package within groups), so the
  intervals agree to Monte Carlo noise, not to the last digit: the check is that the
  point estimates are equal and every bound differs by less than a third of the
  interval's width.

The numpy floor of every comparison is one ``numpy.bincount`` of the rows into
(group, confusion cell) counts: any method must read every row once.

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
from _benchlib import interleaved, load, row


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
    codes50 = pd.factorize(g)[0]
    codes2 = pd.factorize(two)[0]
    floor, _ = interleaved(
        {
            "50": lambda: np.bincount(codes50 * 4 + 2 * y_true + y_pred, minlength=200),
            "2": lambda: np.bincount(codes2 * 4 + 2 * y_true + y_pred, minlength=8),
        },
        max(5, repeats * 3),
    )
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
        "floor_50": floor["50"],
        "floor_2": floor["2"],
    }


def run_intervals(rows: int, groups: int, n_boot: int, repeats: int, seed: int) -> dict[str, Any]:
    """Bootstrap intervals of four rates per group: the package vs fairlearn's MetricFrame."""
    import fairlearn.metrics as fm
    from sklearn.metrics import precision_score

    from casebook.fairness.intervals import bootstrap_group_metrics

    y_true, y_pred, g, _ = make_data(rows, groups, seed)
    rates = ["selection_rate", "tpr", "fpr", "ppv"]
    metrics = {
        "selection_rate": fm.selection_rate,
        "tpr": fm.true_positive_rate,
        "fpr": fm.false_positive_rate,
        "ppv": lambda t, p: precision_score(t, p, zero_division=np.nan),
    }
    codes = pd.factorize(g)[0]

    def ours() -> pd.DataFrame:
        return bootstrap_group_metrics(
            y_true, y_pred, sensitive_features=g, rates=rates, n_resamples=n_boot, seed=seed
        )

    def theirs() -> Any:
        return fm.MetricFrame(
            metrics=metrics, y_true=y_true, y_pred=y_pred, sensitive_features=g,
            n_boot=n_boot, ci_quantiles=[0.025, 0.975], random_state=seed,
        )  # fmt: skip

    ours()  # warm-up
    start_load = load()
    # MetricFrame's bootstrap takes about a minute on a quiet machine: it runs once, between
    # two interleaved halves of the package's and the floor's repeats.
    fast = {
        "package": ours,
        "floor": lambda: np.bincount(codes * 4 + 2 * y_true + y_pred, minlength=4 * groups),
    }
    med1, res = interleaved(fast, repeats)
    med_mf, res_mf = interleaved({"metricframe": theirs}, 1)
    med2, _ = interleaved(fast, repeats)
    med = {k: (med1[k] + med2[k]) / 2 for k in fast} | med_mf
    res |= res_mf
    table, mf = res["package"], res["metricframe"]
    est = table.pivot(index="group", columns="rate", values="estimate")[rates]
    low = table.pivot(index="group", columns="rate", values="low")[rates]
    high = table.pivot(index="group", columns="rate", values="high")[rates]
    mf_low = mf.by_group_ci[0][rates].reindex(est.index).to_numpy(float)
    mf_high = mf.by_group_ci[1][rates].reindex(est.index).to_numpy(float)
    width = (high - low).to_numpy()
    diff_est = float(
        np.abs(est.to_numpy() - mf.by_group[rates].reindex(est.index).to_numpy(float)).max()
    )
    worst = float(
        np.max(
            np.maximum(np.abs(low.to_numpy() - mf_low), np.abs(high.to_numpy() - mf_high)) / width
        )
    )
    return {
        "rows": rows, "groups": groups, "n_boot": n_boot, "repeats": repeats,
        "package": med["package"], "metricframe": med["metricframe"], "floor": med["floor"],
        "diff_estimate": diff_est, "worst_bound_share": worst, "load": start_load,
        "agree": diff_est <= 1e-9 and worst < 1 / 3,
    }  # fmt: skip


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
        f"aif360 {'yes' if aif_ratio >= 10 else 'NO'}. numpy floor (one `bincount` of the "
        f"rows): {r['floor_50']:.4f} s (50 groups), {r['floor_2']:.4f} s (2 groups).",
        "",
    ]
    return "\n".join(lines)


def intervals_markdown(b: dict[str, Any]) -> str:
    lines = [
        f"#### Bootstrap intervals: {b['rows']:,} rows, {b['groups']} groups, 4 rates, "
        f"{b['n_boot']} resamples",
        "",
        f"Package and floor: mean of the medians of {b['repeats']} rounds before and after "
        f"one MetricFrame run; load average {b['load']} at the start.",
        "",
        "| method | median time (s) | / package |",
        "|---|---:|---:|",
        f"| `bootstrap_group_metrics` (multinomial draws of the 4 confusion cells per group) "
        f"| {b['package']:.4f} | 1.00x |",
        f"| fairlearn `MetricFrame(n_boot={b['n_boot']}, ci_quantiles=[0.025, 0.975])` "
        f"| {b['metricframe']:.2f} | {b['metricframe'] / b['package']:,.0f}x |",
        f"| numpy floor: one `bincount` of the rows | {b['floor']:.4f} "
        f"| {b['floor'] / b['package']:.2f}x |",
        "",
        f"Point estimates: max abs difference {b['diff_estimate']:.1e}. Bounds (different "
        f"resamples, so Monte Carlo noise): largest difference {b['worst_bound_share']:.0%} of "
        f"the interval's width (agreement: under a third) -> "
        f"{'agree' if b['agree'] else 'DO NOT AGREE'}.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--groups", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=3, help="repeats of the slow libraries")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--boot-rows", type=int, default=20_000)
    parser.add_argument("--boot-groups", type=int, default=4)
    parser.add_argument("--n-boot", type=int, default=200)
    parser.add_argument("--out", type=Path, default=None, help="Markdown file to write")
    args = parser.parse_args(argv)
    if args.rows < 100 or args.groups < 2 or args.repeats < 1:
        parser.error("need --rows >= 100, --groups >= 2 and --repeats >= 1")
    result = run(args.rows, args.groups, args.repeats, args.seed)
    boot = run_intervals(args.boot_rows, args.boot_groups, args.n_boot, args.repeats, args.seed)
    text = to_markdown(result) + "\n" + intervals_markdown(boot)
    print(text)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        r = result
        b = boot
        rows = [
            row(f"group metrics, {r['groups']} groups, 4 rates", f"{r['rows']:,} rows",
                casebook_s=r["package_50"], library="fairlearn `MetricFrame`",
                library_s=r["metricframe"], floor="bincount", floor_s=r["floor_50"],
                agree=r["diff_metricframe"] <= 1e-9),
            row("group metrics, 2 groups, 4 rates", f"{r['rows']:,} rows",
                casebook_s=r["package_2"], library="aif360 `ClassificationMetric`",
                library_s=r["aif360"], floor="bincount", floor_s=r["floor_2"],
                agree=r["diff_aif360"] <= 1e-9),
            row(f"group-rate bootstrap intervals, {b['groups']} groups, 4 rates, "
                f"{b['n_boot']} resamples", f"{b['rows']:,} rows",
                casebook_s=b["package"],
                library=f"fairlearn `MetricFrame(n_boot={b['n_boot']}, ci_quantiles=...)`",
                library_s=b["metricframe"], floor="bincount", floor_s=b["floor"],
                agree=b["agree"]),
        ]  # fmt: skip
        args.out.with_suffix(".json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0 if boot["agree"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
