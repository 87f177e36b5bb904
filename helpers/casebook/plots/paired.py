"""Plot a paired comparison of two decision sets (:mod:`casebook.fairness.paired`).

Draws on ``ax`` (a new figure when ``None``), sets a title and axis labels, and
returns the Axes. Nothing here changes global settings.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from casebook.fairness._checks import finite_array

__all__ = ["plot_decision_comparison"]


def plot_decision_comparison(
    table: pd.DataFrame,
    *,
    metrics: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
    scale: float = 100.0,
    unit: str = "points",
    title: str = "Change from model A to model B, with 95% paired intervals",
    ax: Axes | None = None,
) -> Axes:
    """Draw each paired difference of :func:`casebook.fairness.paired.compare_decisions` with its interval.

    One horizontal bar per metric, a dot at the difference ``b - a``, and a
    line at zero: a bar that does not cross the line is a change the sample
    can tell from no change.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of ``compare_decisions`` (columns ``difference``, ``low``, ``high``).
    metrics : sequence of str, optional
        Rows to draw, top to bottom (default: all).
    labels : sequence of str, optional
        Plain-words names for those rows.
    scale : float, default=100
        Multiplies the differences (100: rates as points).
    unit : str, default="points"
        Written on the x axis.
    title : str
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from casebook.fairness.paired import compare_decisions
    >>> t = compare_decisions([1, 0, 1, 0], [1, 0, 0, 0], [1, 0, 1, 0],
    ...                       sensitive_features=["a", "a", "b", "b"], n_resamples=50)
    >>> ax = plot_decision_comparison(t, metrics=["accuracy"], labels=["accuracy"])
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['accuracy']
    >>> plt.close(ax.figure)
    """
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table must be a pandas DataFrame, got {type(table).__name__}")
    missing = [c for c in ("difference", "low", "high") if c not in table.columns]
    if missing:
        raise ValueError(f"table is missing column(s) {missing}; it has {list(table.columns)}")
    rows = list(table.index) if metrics is None else list(metrics)
    unknown = [m for m in rows if m not in table.index]
    if unknown or not rows:
        raise ValueError(f"metrics must be rows of table {list(table.index)}, got {rows}")
    if labels is not None and len(labels) != len(rows):
        raise ValueError(f"labels must have one name per metric ({len(rows)}), got {len(labels)}")
    scale = float(finite_array([scale], name="scale")[0])
    sub = table.loc[rows, ["difference", "low", "high"]].astype(float) * scale
    finite_array(sub.to_numpy(), name="table")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    y = np.arange(len(rows))[::-1]
    clear = (sub["low"] > 0) | (sub["high"] < 0)
    colors = np.where(clear, "#0072b2", "#999999")
    ax.hlines(y, sub["low"], sub["high"], colors=colors, lw=3)
    ax.scatter(sub["difference"], y, color=colors, zorder=3)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(y, list(labels) if labels is not None else rows)
    ax.set_xlabel(f"change B - A ({unit}); blue: the interval excludes zero")
    ax.set_ylabel("metric")
    ax.set_title(title)
    return ax
