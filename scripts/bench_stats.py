"""Benchmark two statistics against the library call a user would loop over.

* Paired AUC-difference bootstrap, ``--auc-rows`` (100,000) rows, ``--n-boot`` (200)
  class-stratified resamples: :func:`casebook.decisions.auc.roc_auc_difference_ci`
  (scores sorted once, each resample a weighted Mann-Whitney count) against a loop of
  ``sklearn.metrics.roc_auc_score`` over the *same* resamples (same generator, same
  draws), so the two intervals must agree to rounding. numpy floor: drawing the
  resample indices and one ``bincount`` of each (what any row bootstrap must do).
* Two-sample Kolmogorov-Smirnov, ``--ks-rows`` (1,000,000) per sample:
  :func:`casebook.monitoring.drift.stats.ks` against ``scipy.stats.ks_2samp``
  (statistic equal, p-value to 1e-8 relative). numpy floor: sorting both samples.

Timings are medians of ``--repeats`` interleaved rounds. Usage::

    python scripts/bench_stats.py --out build/bench_stats.md
"""

from __future__ import annotations

import argparse
import json
import platform
from pathlib import Path

import numpy as np
import scipy
import sklearn
from _benchlib import interleaved, load, peak_mib, row
from scipy.stats import ks_2samp
from sklearn.metrics import roc_auc_score

from casebook.decisions.auc import roc_auc_difference_ci
from casebook.monitoring.drift.stats import ks


def auc_data(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.1).astype(np.int64)
    a = np.round(y + rng.normal(0, 1.6, n), 3)  # rounded: ties, as real scores have
    b = np.round(y + rng.normal(0, 1.4, n), 3)
    return y, a, b


def _strata(y: np.ndarray) -> list[np.ndarray]:
    codes = np.unique(y, return_inverse=True)[1]
    return [np.flatnonzero(codes == k) for k in range(codes.max() + 1)]


def auc_loop(y, a, b, n_boot: int, seed: int) -> tuple[float, float]:
    """What a user writes: resample within each class, call roc_auc_score twice per resample.

    Draws exactly the resamples of ``casebook.decisions.bootstrap.bootstrap_ci(..., stratify=y)``.
    """
    rng = np.random.default_rng(seed)
    strata = _strata(y)
    dist = np.empty(n_boot)
    for k in range(n_boot):
        idx = np.concatenate([s[rng.integers(0, len(s), len(s))] for s in strata])
        dist[k] = roc_auc_score(y[idx], b[idx]) - roc_auc_score(y[idx], a[idx])
    low, high = np.quantile(dist, [0.025, 0.975])
    return float(low), float(high)


def auc_floor(y, n_boot: int, seed: int) -> float:
    rng = np.random.default_rng(seed)
    strata = _strata(y)
    total = 0
    for _ in range(n_boot):
        idx = np.concatenate([s[rng.integers(0, len(s), len(s))] for s in strata])
        total += int(np.bincount(idx, minlength=len(y))[0])
    return float(total)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--auc-rows", type=int, default=100_000)
    parser.add_argument("--n-boot", type=int, default=200)
    parser.add_argument("--ks-rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)

    y, a, b = auc_data(args.auc_rows, args.seed)
    rng = np.random.default_rng(args.seed + 1)
    ref = rng.normal(0, 1, args.ks_rows)
    cur = rng.normal(0.005, 1, args.ks_rows)

    def ours_auc():
        ci = roc_auc_difference_ci(y, a, b, n_resamples=args.n_boot, seed=args.seed)
        return ci.low, ci.high

    auc_methods = {
        "casebook": ours_auc,
        "library": lambda: auc_loop(y, a, b, args.n_boot, args.seed),
        "floor": lambda: auc_floor(y, args.n_boot, args.seed),
    }
    ks_methods = {
        "casebook": lambda: ks(ref, cur),
        "library": lambda: ks_2samp(ref, cur),
        "floor": lambda: (np.sort(ref), np.sort(cur)),
    }
    roc_auc_difference_ci(y[:2000], a[:2000], b[:2000], n_resamples=50)  # warm-up
    ks(ref[:20_000], cur[:20_000])
    load_start = load()
    auc_med, auc_res = interleaved(auc_methods, args.repeats)
    ks_med, ks_res = interleaved(ks_methods, args.repeats)
    load_end = load()
    ks_peak = {k: peak_mib(fn) for k, fn in ks_methods.items()}
    auc_diff = float(np.max(np.abs(np.subtract(auc_res["casebook"], auc_res["library"]))))
    auc_agree = auc_diff <= 1e-9
    d_ours, p_ours = ks_res["casebook"].statistic, ks_res["casebook"].p_value
    d_lib, p_lib = float(ks_res["library"].statistic), float(ks_res["library"].pvalue)
    p_rel = abs(p_ours - p_lib) / max(abs(p_lib), 1e-300)
    ks_agree = bool(d_ours == d_lib and p_rel <= 1e-8)

    lines = [
        f"Medians of {args.repeats} interleaved rounds; load average {load_start} at the start, "
        f"{load_end} at the end. Python {platform.python_version()}, numpy {np.__version__}, "
        f"scipy {scipy.__version__}, scikit-learn {sklearn.__version__}.",
        "",
        "| comparison | casebook (s) | library (s) | numpy floor (s) | agreement |",
        "|---|---:|---:|---:|---|",
        f"| AUC-difference bootstrap, {args.auc_rows:,} rows, {args.n_boot} resamples: "
        f"`roc_auc_difference_ci` vs a loop of `roc_auc_score` (same resamples); floor = "
        f"draw + `bincount` per resample | {auc_med['casebook']:.3f} | {auc_med['library']:.2f} "
        f"| {auc_med['floor']:.3f} | bounds max abs diff {auc_diff:.1e} |",
        f"| KS, {args.ks_rows:,} vs {args.ks_rows:,} rows: `ks` vs `scipy.stats.ks_2samp`; "
        f"floor = `np.sort` of both | {ks_med['casebook']:.3f} | {ks_med['library']:.3f} "
        f"| {ks_med['floor']:.3f} | D equal: {d_ours == d_lib}; p-value rel diff {p_rel:.1e} |",
        "",
        f"KS peak memory (tracemalloc, one untimed call): casebook {ks_peak['casebook']:.0f} MiB, "
        f"scipy {ks_peak['library']:.0f} MiB, floor {ks_peak['floor']:.0f} MiB.",
    ]
    text = "\n".join(lines)
    print(text)
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
        rows = [
            row(f"paired AUC-difference bootstrap, {args.n_boot} resamples",
                f"{args.auc_rows:,} rows", casebook_s=auc_med["casebook"],
                library="loop of `roc_auc_score`", library_s=auc_med["library"],
                floor="draw + bincount per resample", floor_s=auc_med["floor"],
                agree=auc_agree),
            row("two-sample Kolmogorov-Smirnov", f"{args.ks_rows:,} vs {args.ks_rows:,} rows",
                casebook_s=ks_med["casebook"], library="`scipy.stats.ks_2samp`",
                library_s=ks_med["library"], floor="sort both samples",
                floor_s=ks_med["floor"], agree=ks_agree,
                peak=f"{ks_peak['casebook']:.0f} / {ks_peak['library']:.0f} MiB"),
        ]  # fmt: skip
        args.out.with_suffix(".json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0 if auc_agree and ks_agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
