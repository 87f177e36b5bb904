"""Plots for :mod:`casebook.modeling.segment_choice`: comparing segmentation methods.

Every function draws on ``ax`` (a new figure when None), titles and labels
it, and returns the Axes. Colours come from matplotlib's default cycle, which
``casebook.plots.use_theme`` sets to seaborn's colour-blind palette; bars are
also told apart by hatching.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from sklearn.metrics import adjusted_rand_score

from casebook.modeling.segment_choice import SegmenterComparison

__all__ = ["plot_segmenter_comparison"]

_COLOURS = ("#0072B2", "#E69F00", "#009E73")  # Okabe-Ito blue, orange, green
_HATCHES = ("", "//", "..")


def plot_segmenter_comparison(
    comparison: SegmenterComparison,
    *,
    truth: Any = None,
    title: str = "Segmentation methods: separation, stability and recovery",
    ax: Axes | None = None,
) -> Axes:
    """Grouped bars per method: silhouette, stability and (with ``truth``) ARI vs truth.

    Stability bars carry the range (min to max) of the pairwise subsample
    ARIs; with ``truth`` (known segments, e.g. planted ones), a third bar
    shows the ARI between the full-data labels and the truth, with the range
    over the subsample fits (each scored on the customers it saw).
    """
    if not isinstance(comparison, SegmenterComparison):
        raise TypeError(
            f"comparison must be a SegmenterComparison, got {type(comparison).__name__}"
        )
    methods = list(comparison.table.index)
    n = len(next(iter(comparison.labels.values())))
    truth_arr = None
    if truth is not None:
        truth_arr = np.asarray(truth, dtype=object)
        if truth_arr.ndim == 1 and pd.isna(truth_arr).any():
            raise ValueError("truth must not contain missing values (NaN or NA)")
        if truth_arr.shape != (n,):
            raise ValueError(f"truth must have one label per customer ({n}), got {truth_arr.shape}")
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 4.5))
    series: list[tuple[str, list[float], list[tuple[float, float]] | None]] = [
        ("silhouette", list(comparison.table["silhouette"]), None),
        (
            "stability (subsample ARI)",
            list(comparison.table["stability"]),
            [(min(comparison.pair_aris[m]), max(comparison.pair_aris[m])) for m in methods],
        ),
    ]
    if truth_arr is not None:
        full, ranges = [], []
        for m in methods:
            full.append(float(adjusted_rand_score(truth_arr, comparison.labels[m])))
            subs = [
                adjusted_rand_score(truth_arr[row > -2], row[row > -2])
                for row in comparison.resample_labels[m]
            ]
            ranges.append((float(min(subs)), float(max(subs))))
        series.append(("ARI vs planted segments", full, ranges))
    width = 0.8 / len(series)
    x = np.arange(len(methods))
    for i, (label, values, rng) in enumerate(series):
        pos = x + (i - (len(series) - 1) / 2) * width
        err = None
        if rng is not None:
            vals = np.asarray(values)
            err = np.clip(
                np.vstack([vals - [r[0] for r in rng], [r[1] for r in rng] - vals]), 0, None
            )
        ax.bar(
            pos,
            np.nan_to_num(values),
            width,
            yerr=err,
            capsize=3,
            color=_COLOURS[i % 3],
            hatch=_HATCHES[i % 3],
            edgecolor="black",
            linewidth=0.5,
            label=label,
        )
    ax.set_xticks(x, methods)
    ax.set(xlabel="method", ylabel="score (higher is better)", ylim=(0, 1.3), title=title)
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.legend(loc="upper center", ncol=len(series), fontsize="small", frameon=False)
    return ax
