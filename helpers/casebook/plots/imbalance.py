"""Plots for imbalanced classification: PR curves with an operating point, comparison bars."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from sklearn.metrics import precision_recall_curve

from casebook._validation.arrays import numeric_column
from casebook.modeling.imbalance import RankingScores, ranking_scores, recall_at_precision

__all__ = ["plot_comparison_bars", "plot_pr_curves"]


def _curve_scores(name: str, pair: Any, sample_weight: Any) -> RankingScores:
    """Ranking scores of one ``curves`` entry; an error names the entry."""
    where = f"curves[{name!r}]"
    if not isinstance(pair, tuple | list) or len(pair) != 2:
        raise TypeError(f"{where} must be a pair (y_true, y_score), got {pair!r:.80}")
    try:
        return ranking_scores(*pair, sample_weight=sample_weight)
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"{where}: {exc}") from exc


def plot_pr_curves(
    curves: Mapping[str, tuple[Any, Any]],
    *,
    min_precision: float | None = None,
    sample_weight: Any = None,
    title: str = "Precision-recall curves",
    ax: Axes | None = None,
) -> Axes:
    """Draw one precision-recall curve per model, its PR-AUC in the legend.

    Parameters
    ----------
    curves : mapping
        ``name -> (y_true, y_score)``.
    min_precision : float, optional
        Draw this precision as a dashed line and mark each curve's highest
        recall at or above it (:func:`~casebook.modeling.imbalance.recall_at_precision`).
    sample_weight : array-like, optional
        Row weights shared by every curve (same rows in every pair).
    title : str
        Axes title.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_pr_curves({"m": ([0, 1, 0, 1], [0.1, 0.9, 0.4, 0.3])}, min_precision=0.5)
    >>> ax.get_xlabel()
    'Recall (share of positives caught)'
    """
    if not isinstance(curves, Mapping):
        raise TypeError(f"curves must be a mapping name -> (y_true, y_score), got {curves!r:.80}")
    if not curves:
        raise ValueError("curves must hold at least one (y_true, y_score) pair, got none")
    scores = {name: _curve_scores(name, pair, sample_weight) for name, pair in curves.items()}
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4.5))
    prevalence = None
    for i, (name, (y_true, y_score)) in enumerate(curves.items()):
        color = f"C{i % 10}"
        rs = scores[name]
        prevalence = rs.prevalence
        p, r, _ = precision_recall_curve(y_true, y_score, sample_weight=sample_weight)
        ax.step(r, p, where="post", color=color, label=f"{name} (PR-AUC {rs.pr_auc:.2f})")
        if min_precision is not None:
            op = recall_at_precision(
                y_true, y_score, min_precision=min_precision, sample_weight=sample_weight
            )
            if op.recall > 0:
                ax.plot(op.recall, op.precision, "o", color=color, markersize=7, mec="black")
    if min_precision is not None:
        # labelled in the legend, not as text on the plot, where curves would run over it
        ax.axhline(
            min_precision,
            ls="--",
            color="grey",
            lw=1,
            label=f"target precision {min_precision:.0%}",
        )
    ax.axhline(prevalence, ls=":", color="black", lw=1, label=f"random ({prevalence:.2%})")
    ax.set(xlim=(0, 1.01), ylim=(0, 1.02), title=title)
    ax.set_xlabel("Recall (share of positives caught)")
    ax.set_ylabel("Precision (share of alerts that are positive)")
    ax.legend(loc="best", fontsize=8)  # where it hides the fewest curve points
    return ax


def plot_comparison_bars(
    table: pd.DataFrame,
    *,
    columns: Sequence[str],
    title: str,
    xlabel: str,
    intervals: Mapping[str, tuple[Any, Any]] | None = None,
    fmt: str = "%.2f",
    ax: Axes | None = None,
) -> Axes:
    """Horizontal grouped bars: one group per row of ``table``, one bar per column.

    Parameters
    ----------
    table : pandas.DataFrame
        Index = what is compared (models, strategies); numeric columns.
    columns : sequence of str
        Columns to draw, on a shared axis (e.g. ``["pr_auc", "roc_auc"]``).
    title, xlabel : str
        Axes title and x label.
    intervals : mapping, optional
        ``column -> (low, high)``: interval bounds per row (NaN = none), drawn
        as error bars; the value labels then sit past the interval.
    fmt : str, default="%.2f"
        Format of the value labels (``%``-style or ``{}``-style, e.g.
        ``"{:,.0f}"`` for money).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> t = pd.DataFrame({"pr_auc": [0.3, 0.5], "roc_auc": [0.9, 0.92]}, index=["a", "b"])
    >>> ax = plot_comparison_bars(t, columns=["pr_auc", "roc_auc"], title="t", xlabel="score")
    >>> len(ax.patches)
    4
    """
    missing = [c for c in columns if c not in table.columns]
    if not columns or missing:
        raise ValueError(
            f"columns must be non-empty columns of table, got {list(columns)!r} "
            f"(missing {missing!r}; table has {list(table.columns)!r})"
        )
    values = {c: numeric_column(table, c, name="table", allow_nan=True) for c in columns}
    errors = {}
    for col, bounds in (intervals or {}).items():
        if col not in values:
            raise ValueError(f"intervals must be keyed by columns {list(columns)!r}, got {col!r}")
        low, high = (np.asarray(b, dtype=float) for b in bounds)
        if low.shape != (len(table),) or high.shape != (len(table),):
            raise ValueError(
                f"intervals[{col!r}] must be (low, high), each of length {len(table)}, got "
                f"shapes {low.shape} and {high.shape}"
            )
        err = np.vstack([values[col] - low, high - values[col]])
        errors[col] = err  # NaN: no error bar on that row
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 0.5 + 0.45 * len(table) * max(1, len(columns) / 2)))
    n = len(columns)
    height = 0.8 / n
    y = np.arange(len(table))
    for j, col in enumerate(columns):
        pos = y - 0.4 + height * (j + 0.5)
        bars = ax.barh(
            pos,
            values[col],
            height=height,
            color=f"C{j}",
            label=col.replace("_", " "),
            xerr=errors.get(col),
            error_kw={"capsize": 4, "ecolor": "black"},
        )
        ax.bar_label(bars, fmt=fmt, fontsize=7, padding=2)
    ax.set_yticks(y, [str(i).replace("_", " ") for i in table.index])
    ax.invert_yaxis()
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ends = [*values.values()] + [values[c] + np.nan_to_num(errors[c][1]) for c in errors]
    vmax = float(np.nanmax(ends))
    vmin = float(np.nanmin(list(values.values())))
    ax.set_xlim(min(0.0, vmin * 1.15), vmax * 1.15 if vmax > 0 else 1)
    if n > 1:  # below the axes, so it never hides a bar
        ax.legend(
            fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=n, frameon=False
        )
    return ax
