"""The fairness-monitoring alert timeline: a KPI per batch, its interval, the rule's verdicts."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from casebook.fairness._checks import finite_scalar

__all__ = ["plot_alert_timeline"]

_STATUS_STYLE = {
    "ok": {"color": "#1f77b4", "marker": "o", "label": "ok"},
    "breach": {"color": "#ff7f0e", "marker": "o", "label": "breach (not yet an alert)"},
    "alert": {"color": "#d62728", "marker": "v", "label": "ALERT"},
    "insufficient": {"color": "grey", "marker": "s", "label": "insufficient data (not judged)"},
}


def plot_alert_timeline(
    timeline: pd.DataFrame,
    *,
    tolerance: float,
    kpi_label: str = "selection-rate ratio (min / max)",
    events: dict[str, Any] | None = None,
    title: str = "Fairness KPI per batch, its 95% interval and the alerts",
    ax: Axes | None = None,
) -> Axes:
    """Draw a KPI per batch with its interval band, the tolerance and the rule's verdicts.

    Parameters
    ----------
    timeline : pandas.DataFrame
        From :func:`casebook.fairness.alerts.alert_timeline`: ``batch``,
        ``estimate``, ``low``, ``high`` and ``status``.
    tolerance : float
        Drawn as a dashed horizontal line.
    kpi_label : str
        Y-axis label.
    events : dict of str to batch, optional
        Vertical markers, e.g. ``{"drift injected": 24}``.
    title : str
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> t = pd.DataFrame({"batch": [1, 2, 3], "estimate": [0.9, 0.5, 0.6],
    ...                   "low": [0.8, 0.1, 0.5], "high": [1.0, 0.9, 0.7],
    ...                   "status": ["ok", "insufficient", "alert"]})
    >>> ax = plot_alert_timeline(t, tolerance=0.8, events={"drift": 2})
    >>> ax.get_title()
    'Fairness KPI per batch, its 95% interval and the alerts'
    >>> plt.close(ax.figure)
    """
    missing = {"batch", "estimate", "low", "high", "status"} - set(timeline.columns)
    if missing:
        raise ValueError(
            f"timeline must have columns {sorted(missing)} (from alert_timeline); "
            f"got {list(timeline.columns)}"
        )
    if timeline.empty:
        raise ValueError("timeline must have at least one batch to plot, got an empty frame")
    tolerance = finite_scalar(tolerance, name="tolerance")
    unknown = set(timeline["status"]) - set(_STATUS_STYLE)
    if unknown:
        raise ValueError(
            f"timeline status must be one of {list(_STATUS_STYLE)}, got {sorted(unknown)}"
        )
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 4.5))
    x = timeline["batch"].to_numpy()
    est = timeline["estimate"].to_numpy(dtype=float)
    judged = (timeline["status"] != "insufficient").to_numpy()
    low = np.where(judged, timeline["low"].to_numpy(dtype=float), np.nan)
    high = np.where(judged, timeline["high"].to_numpy(dtype=float), np.nan)
    ax.fill_between(x, low, high, color="#1f77b4", alpha=0.18, label="95% interval")
    ax.plot(x, np.where(judged, est, np.nan), color="#1f77b4", lw=1, alpha=0.7)
    for status, style in _STATUS_STYLE.items():
        sel = (timeline["status"] == status).to_numpy()
        if sel.any():
            ax.scatter(
                x[sel],
                est[sel],
                color=style["color"],
                marker=style["marker"],
                s=60 if status == "alert" else 30,
                zorder=3,
                label=style["label"],
                facecolors="none" if status == "insufficient" else style["color"],
            )
    ins = ~judged
    if ins.any():
        ax.vlines(
            x[ins],
            timeline["low"].to_numpy(dtype=float)[ins],
            timeline["high"].to_numpy(dtype=float)[ins],
            color="grey",
            lw=1,
            linestyles=":",
        )
    ax.axhline(tolerance, color="black", ls="--", lw=1, label=f"tolerance {tolerance:g}")
    for i, (name, at) in enumerate((events or {}).items()):
        color = ["#2ca02c", "#9467bd", "#8c564b"][i % 3]
        ax.axvline(at, color=color, ls="-.", lw=1.2)
        # written just above the plotting area, over its line: no marker, interval or
        # dotted small-week line can sit there, whatever the KPI does
        ax.annotate(
            name,
            (at, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
            color=color,
        )
    ax.set_xlabel("batch (week)")
    ax.set_ylabel(kpi_label)
    ax.set_title(title, pad=18 if events else 6)
    ax.legend(fontsize="small", loc="lower left", ncol=2)
    return ax
