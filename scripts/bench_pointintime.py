"""Benchmark point-in-time window aggregation (casebook.pointintime.window_features).

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
import os
import platform
import statistics
import time
from pathlib import Path

import numpy as np
import pandas as pd

from casebook.pointintime import window_features

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
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
