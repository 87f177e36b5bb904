"""Benchmark point-in-time window aggregation (casebook.modeling.pointintime.window_features).

Builds 1,000,000 transactions for 50,000 customers over three years (8 categories)
and one application per customer, then times ``window_features`` with 30/90/365-day
windows (counts, sums, means, maxima, per-category counts and sums, recency, history).
Reports the median of ``--repeats`` runs and checks 200 random applications against a
direct pandas filter, so a fast wrong answer cannot pass.

Usage::

    python scripts/bench_pointintime.py --out build/bench_pointintime.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

import numpy as np
import pandas as pd

from casebook.modeling.pointintime import window_features

CATEGORIES = ["groceries", "restaurants", "transport", "utilities", "salary", "cash", "bet", "bnpl"]


def make_tables(n_tx: int, n_apps: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    t0 = np.datetime64("2022-01-01T00:00:00", "s")
    span = 3 * 365 * 86_400
    tx = pd.DataFrame(
        {
            "customer_id": rng.integers(0, n_apps, n_tx),
            "timestamp": t0 + rng.integers(0, span, n_tx).astype("timedelta64[s]"),
            "amount": rng.gamma(2.0, 30.0, n_tx).round(2),
            "category": pd.array(rng.choice(CATEGORIES, n_tx), dtype="string"),
        }
    )
    apps = pd.DataFrame(
        {
            "customer_id": np.arange(n_apps),
            "application_date": t0 + rng.integers(0, span, n_apps).astype("timedelta64[s]"),
        }
    )
    return apps, tx


def _speed(ours: float, anchor: float) -> str:
    """Plain words for a time ratio: "3.0x faster" or "4.4x slower"."""
    return f"{anchor / ours:.1f}x faster" if ours <= anchor else f"{ours / anchor:.1f}x slower"


def pandas_merge_features(
    apps: pd.DataFrame, tx: pd.DataFrame, windows: tuple[int, ...]
) -> pd.DataFrame:
    """The usual pandas idiom: merge transactions onto applications, filter, group by.

    The anchor for the benchmark: counts, sums, means and maxima per window and counts
    and sums per category, the columns both methods compute.
    """
    m = tx.merge(apps, on="customer_id")
    m = m[m["timestamp"] < m["application_date"]]
    age = m["application_date"] - m["timestamp"]
    out = pd.DataFrame(index=pd.Index(apps["customer_id"], name="customer_id"))
    for w in windows:
        win = m[age <= pd.Timedelta(days=w)]
        g = win.groupby("customer_id")["amount"].agg(["count", "sum", "mean", "max"])
        g = g.reindex(out.index)
        out[f"count_{w}d"] = g["count"].fillna(0)
        out[f"sum_{w}d"] = g["sum"].fillna(0.0)
        out[f"mean_{w}d"] = g["mean"]
        out[f"max_{w}d"] = g["max"]
        by_cat = win.groupby(["customer_id", "category"])["amount"].agg(["count", "sum"])
        by_cat = by_cat.unstack("category").reindex(out.index)
        for c in CATEGORIES:
            out[f"count_{c}_{w}d"] = by_cat[("count", c)].fillna(0) if ("count", c) in by_cat else 0
            out[f"sum_{c}_{w}d"] = by_cat[("sum", c)].fillna(0.0) if ("sum", c) in by_cat else 0.0
    return out.reset_index(drop=True)


def check(apps: pd.DataFrame, tx: pd.DataFrame, feats: pd.DataFrame, seed: int) -> None:
    rng = np.random.default_rng(seed + 1)
    by_cust = dict(tuple(tx.groupby("customer_id")))
    for i in rng.choice(len(apps), 200, replace=False):
        a = apps.iloc[i]
        mine = by_cust.get(a.customer_id, tx.iloc[:0])
        win = mine[
            (mine.timestamp < a.application_date)
            & (mine.timestamp >= a.application_date - pd.Timedelta(days=90))
        ]
        assert feats.iloc[i]["count_90d"] == len(win), i
        assert np.isclose(feats.iloc[i]["sum_90d"], win.amount.sum()), i


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="Markdown file to write")
    parser.add_argument("--transactions", type=int, default=1_000_000)
    parser.add_argument("--applications", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    apps, tx = make_tables(args.transactions, args.applications, args.seed)
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        feats = window_features(apps, tx, windows=(30, 90, 365), categories=CATEGORIES)
        times.append(time.perf_counter() - start)
    check(apps, tx, feats, args.seed)
    med = statistics.median(times)
    anchor_times = []
    for _ in range(max(1, args.repeats // 2)):
        start = time.perf_counter()
        anchor = pandas_merge_features(apps, tx, (30, 90, 365))
        anchor_times.append(time.perf_counter() - start)
    anchor_med = statistics.median(anchor_times)
    common = list(anchor.columns)
    diff = np.nanmax(np.abs(feats[common].to_numpy(float) - anchor[common].to_numpy(float)))
    agree = bool(
        np.array_equal(
            np.isnan(feats[common].to_numpy(float)), np.isnan(anchor[common].to_numpy(float))
        )
        and diff <= 1e-6
    )
    lines = [
        "# Point-in-time aggregation benchmark",
        "",
        "| transactions | applications | windows (days) | feature columns | median time (s) "
        "| min / max (s) | repeats | method |",
        "|---:|---:|---|---:|---:|---|---:|---|",
        f"| {len(tx):,} | {len(apps):,} | 30, 90, 365 | {feats.shape[1]} | {med:.2f} "
        f"| {min(times):.2f} / {max(times):.2f} | {args.repeats} | one lexsort of transactions "
        "plus cut-off and window-start markers; windows as slices of the sorted array; "
        "integer prefix sums (counts), `np.add.reduceat` / `np.maximum.reduceat` over the "
        "slices sorted by start (sums, maxima); no loop over applications |",
        "",
        f"Machine: {platform.machine()}, {platform.python_implementation()} "
        f"{platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end of the run. "
        "200 random applications checked against a direct pandas filter.",
        "",
        f"Anchor: the usual pandas idiom (merge transactions onto applications, filter the "
        f"window, group by customer) on the {len(common)} columns both compute: median "
        f"{anchor_med:.2f} s of {len(anchor_times)} runs, so `window_features` is "
        f"{_speed(med, anchor_med)} (it also computes recency and history flags, and does "
        "not multiply rows when a customer has several applications); "
        f"max |difference| {diff:.1e}, NaN patterns {'identical' if agree else 'DIFFERENT'}.",
        "",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines), encoding="utf-8")
    summary = [
        {"comparison": "point-in-time window features vs pandas merge + filter + groupby",
         "size": f"{len(tx):,} transactions, {len(apps):,} applications", "casebook_s": med,
         "anchor_s": anchor_med, "ratio": anchor_med / med, "target": "none set",
         "met": None, "agree": agree},
    ]  # fmt: skip
    args.out.with_suffix(".json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    print("\n".join(lines))
    if not agree:
        raise SystemExit("window_features disagrees with the pandas anchor")


if __name__ == "__main__":
    main()
