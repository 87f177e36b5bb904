"""Plots for modeling lessons: model comparison, segments, profit, latency, explanations.

Every function draws on ``ax`` (a new figure when None), titles and labels
it, and returns the Axes. Single-model ROC/PR curves with operating points
and reliability diagrams live in :mod:`casebook.plots.costs`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from sklearn.metrics import (
    average_precision_score,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)

from casebook._validation.arrays import plain_frame
from casebook._validation.binary import check_no_na
from casebook.modeling.latency import LatencyResult
from casebook.modeling.segmentation import KSelection

__all__ = [
    "plot_contributions",
    "plot_k_selection",
    "plot_latency",
    "plot_pr_comparison",
    "plot_profit_curves",
    "plot_roc_comparison",
    "plot_segment_profiles",
    "plot_segment_rates",
]


def _axes(ax: Axes | None, size: tuple[float, float] = (6, 4.5)) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def _check_scores(y_true: Any, scores: Mapping[str, Any]) -> np.ndarray:
    if not isinstance(scores, Mapping) or not scores:
        raise ValueError("scores must be a non-empty mapping of model name to scores")
    y = check_no_na(np.asarray(y_true), name="y_true")
    if len(np.unique(y)) != 2:
        raise ValueError(
            f"y_true must contain exactly two classes, got {np.unique(y)[:5].tolist()}"
        )
    for name, s in scores.items():
        if np.shape(s) != y.shape:
            raise ValueError(
                f"scores[{name!r}] must have one score per label ({len(y)}), got shape {np.shape(s)}"
            )
        arr = np.asarray(s)
        if arr.dtype.kind not in "biuf" or not np.isfinite(arr.astype(float)).all():
            raise ValueError(f"scores[{name!r}] must be finite numbers, got dtype {arr.dtype}")
    return y


def plot_roc_comparison(
    y_true: Any,
    scores: Mapping[str, Any],
    *,
    title: str = "ROC curves",
    ax: Axes | None = None,
) -> Axes:
    """ROC curves of several models on the same labels, AUC in the legend.

    Examples
    --------
    >>> ax = plot_roc_comparison([0, 1, 0, 1], {"m": [0.1, 0.9, 0.4, 0.6]})
    >>> ax.get_xlabel()
    'False positive rate'
    >>> plt.close("all")
    """
    y = _check_scores(y_true, scores)
    ax = _axes(ax)
    for name, s in scores.items():
        fpr, tpr, _ = roc_curve(y, s)
        ax.plot(fpr, tpr, label=f"{name} (AUC {roc_auc_score(y, s):.3f})")
    ax.plot([0, 1], [0, 1], ls="--", color="grey", lw=1, label="random (0.5)")
    ax.set(xlabel="False positive rate", ylabel="True positive rate (recall)", title=title)
    ax.legend(loc="lower right")
    return ax


def plot_pr_comparison(
    y_true: Any,
    scores: Mapping[str, Any],
    *,
    title: str = "Precision-recall curves",
    ax: Axes | None = None,
) -> Axes:
    """Precision-recall curves of several models, average precision in the legend.

    The dashed line is the prevalence: the precision of guessing.
    """
    y = _check_scores(y_true, scores)
    ax = _axes(ax)
    for name, s in scores.items():
        precision, recall, _ = precision_recall_curve(y, s)
        ax.plot(recall, precision, label=f"{name} (AP {average_precision_score(y, s):.3f})")
    ax.axhline(float(np.mean(y)), ls="--", color="grey", lw=1, label=f"prevalence {np.mean(y):.3f}")
    ax.set(xlabel="Recall", ylabel="Precision", title=title, ylim=(0, 1.02))
    ax.legend(loc="upper right")
    return ax


def plot_k_selection(
    selections: KSelection | Mapping[str, KSelection],
    *,
    title: str = "Choosing the number of segments",
    ax: Axes | None = None,
) -> Axes:
    """Silhouette (solid) and bootstrap stability (dashed) against k."""
    if isinstance(selections, KSelection):
        selections = {selections.method: selections}
    if not isinstance(selections, Mapping) or not selections:
        raise ValueError("selections must be a KSelection or a non-empty mapping of them")
    ax = _axes(ax)
    for i, (name, sel) in enumerate(selections.items()):
        color = f"C{i}"
        t = sel.table
        ax.plot(t.index, t["silhouette"], marker="o", color=color, label=f"{name}: silhouette")
        ax.plot(
            t.index,
            t["stability"],
            marker="s",
            ls="--",
            color=color,
            label=f"{name}: stability (ARI)",
        )
    ax.set(
        xlabel="number of segments k",
        ylabel="score (higher is better)",
        title=title,
        ylim=(0, 1.05),
    )
    ax.set_xticks(sorted({int(k) for sel in selections.values() for k in sel.table.index}))
    ax.legend(loc="lower left", fontsize="small")
    return ax


def plot_segment_profiles(
    frame: pd.DataFrame,
    labels: Any,
    *,
    title: str = "Segment profiles (colour: difference from average, in SDs)",
    ax: Axes | None = None,
) -> Axes:
    """Heatmap of numeric columns by segment: colour = standardized difference, text = mean."""
    frame = plain_frame(frame)  # nullable / Arrow columns: pd.NA behaves like NaN
    numeric = frame.select_dtypes("number")
    lab = np.asarray(labels)
    if numeric.shape[1] == 0:
        raise ValueError("frame must have at least one numeric column")
    other = [c for c in frame.columns if c not in numeric.columns]
    if other:
        raise ValueError(f"frame must contain only numeric columns, got non-numeric {other}")
    if len(frame) == 0:
        raise ValueError("frame must have at least one row, got none")
    if pd.isna(lab).any():
        raise ValueError("labels must not contain NaN or missing values")
    if lab.shape != (len(frame),):
        raise ValueError(
            f"labels must have one entry per row of frame ({len(frame)}), got {lab.shape}"
        )
    means = numeric.groupby(lab).mean()
    sd = numeric.std(ddof=0).replace(0, 1)
    z = (means - numeric.mean()) / sd
    ax = _axes(ax, (1.3 * numeric.shape[1] + 2, 0.6 * len(means) + 1.5))
    lim = max(1.0, float(np.nanmax(np.abs(z.to_numpy()))))
    im = ax.imshow(z.to_numpy(), cmap="RdBu_r", vmin=-lim, vmax=lim, aspect="auto")
    for (i, j), value in np.ndenumerate(means.to_numpy()):
        ax.text(j, i, f"{value:.3g}", ha="center", va="center", fontsize="small")
    ax.set_xticks(range(numeric.shape[1]), numeric.columns, rotation=30, ha="right")
    ax.set_yticks(range(len(means)), [f"segment {s}" for s in means.index])
    ax.set(xlabel="feature (cell text: segment mean)", ylabel="segment", title=title)
    ax.figure.colorbar(im, ax=ax, label="SDs from overall mean")
    return ax


def plot_segment_rates(
    rates: pd.DataFrame,
    *,
    outcome: str = "churn rate",
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Bars of a :func:`casebook.modeling.segment_description.segment_rates` table with their intervals."""
    rates = plain_frame(rates)  # nullable / Arrow columns: pd.NA behaves like NaN
    if not {"rate", "low", "high"} <= set(rates.columns):
        raise ValueError("rates must be a segment_rates table with rate, low and high")
    seg = rates.drop(index="all", errors="ignore")
    if seg.empty:
        raise ValueError("rates must have at least one segment row, got none")
    ax = _axes(ax)
    x = np.arange(len(seg))
    err = np.clip(np.vstack([seg["rate"] - seg["low"], seg["high"] - seg["rate"]]), 0, None)
    ax.bar(x, seg["rate"], yerr=err, capsize=4, color="C0")
    if "all" in rates.index:
        ax.axhline(rates.loc["all", "rate"], ls="--", color="grey", label="all customers")
        ax.legend()
    ax.set_xticks(x, [f"segment {s}" for s in seg.index])
    ax.set(
        xlabel="segment",
        ylabel=outcome,
        title=title or f"{outcome.capitalize()} by segment (95% CI)",
    )
    return ax


def plot_profit_curves(
    curve: pd.DataFrame,
    *,
    x: str = "depth",
    group_label: str = "segment",
    title: str = "Retention campaign profit by targeting depth",
    unit: str = "USD",
    ax: Axes | None = None,
) -> Axes:
    """Profit (in ``unit``) against depth (or ``x="n_targeted"``), one line per group, best marked."""
    if x not in ("depth", "n_targeted") or not {x, "profit"} <= set(curve.columns):
        raise ValueError("curve must be a profit_curve table and x 'depth' or 'n_targeted'")
    if curve.empty:
        raise ValueError("curve must not be empty")
    ax = _axes(ax)
    groups = curve.groupby("group", sort=True) if "group" in curve.columns else [("all", curve)]
    for i, (name, part) in enumerate(groups):
        best = part.loc[part["profit"].idxmax()]
        label = f"{group_label} {name}" if "group" in curve.columns else "model ranking"
        ax.plot(
            part[x],
            part["profit"],
            color=f"C{i}",
            label=f"{label} (best {best['profit']:,.0f} {unit})",
        )
        ax.plot(best[x], best["profit"], "o", color=f"C{i}")
    ax.axhline(0, color="grey", lw=1)
    ax.set(
        xlabel="share of customers contacted" if x == "depth" else "customers contacted",
        ylabel=f"campaign profit ({unit})",
        title=title,
    )
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:,.0f}"))  # 200,000
    ax.legend(fontsize="small")
    return ax


def plot_latency(
    results: Mapping[str, LatencyResult],
    *,
    budget_ms: float | None = None,
    title: str = "Single-request latency (ECDF)",
    ax: Axes | None = None,
) -> Axes:
    """Empirical CDF of wall-clock latencies per model (log x-axis), p99 and budget marked."""
    if not isinstance(results, Mapping) or not results:
        raise ValueError("results must be a non-empty mapping of name to LatencyResult")
    for name, res in results.items():
        if not isinstance(res, LatencyResult):
            raise TypeError(f"results[{name!r}] must be a LatencyResult, got {type(res).__name__}")
    if budget_ms is not None and not (np.isfinite(budget_ms) and budget_ms > 0):
        raise ValueError(f"budget_ms must be a positive number, got {budget_ms!r}")
    ax = _axes(ax)
    # Okabe-Ito colours (colour-blind-safe, no red-green pair); the budget is the black line
    colors = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
    for i, (name, res) in enumerate(results.items()):
        w = np.sort(res.wall_ms)
        color = colors[i % len(colors)]
        ax.step(
            w,
            np.arange(1, len(w) + 1) / len(w),
            where="post",
            color=color,
            label=f"{name}: p50 {res.p50:.2f}, p99 {res.p99:.2f} ms",
        )
        ax.axvline(res.p99, color=color, ls=":", lw=1)
    if budget_ms is not None:
        ax.axvline(budget_ms, color="black", lw=2, label=f"budget {budget_ms:g} ms")
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:g}"))  # 1, 10, not 10^0
    ax.set(
        xlabel="wall-clock latency per request (ms, log scale; dotted: each model's p99)",
        ylabel="share of requests at most this fast",
        title=title,
        ylim=(0, 1.02),
    )
    ax.legend(loc="lower right", fontsize="small")
    return ax


def _fmt(value: Any) -> str:
    if isinstance(value, (float, np.floating)):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"  # 1,180, not 1.18e+03
    return str(value)


def plot_contributions(
    contributions: pd.Series,
    *,
    row: pd.Series | None = None,
    title: str = "Why this prediction",
    unit: str = "log-odds",
    ax: Axes | None = None,
) -> Axes:
    """Horizontal bars of one prediction's per-feature contributions, largest on top."""
    if not isinstance(contributions, pd.Series) or contributions.empty:
        raise ValueError("contributions must be a non-empty pandas Series indexed by feature")
    if (
        not pd.api.types.is_numeric_dtype(contributions)
        or not np.isfinite(contributions.to_numpy(dtype=float)).all()
    ):
        raise ValueError("contributions must be finite numbers, got non-numeric, NaN or inf")
    ax = _axes(ax)
    order = contributions.abs().sort_values().index
    values = contributions[order]
    labels = [str(f) if row is None else f"{f} = {_fmt(row[f])}" for f in order]
    ax.barh(range(len(values)), values, color=["C3" if v < 0 else "C2" for v in values])
    ax.set_yticks(range(len(values)), labels)
    ax.axvline(0, color="grey", lw=1)
    ax.set(xlabel=f"contribution ({unit}; green raises, red lowers)", ylabel="feature", title=title)
    return ax
