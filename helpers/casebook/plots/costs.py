"""Plots for cost-sensitive decisions: cost curves, ROC/PR with operating points, reliability, decision curves.

Every function draws on ``ax`` (a new figure when ``None``), sets a title and
axis labels, and returns the Axes. Nothing here changes global settings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from sklearn.metrics import precision_recall_curve, roc_curve

from casebook._validation.binary import as_1d, check_same_length, check_scores
from casebook.decisions.costs import ThresholdChoice

__all__ = [
    "plot_cost_curve",
    "plot_decision_curve",
    "plot_pr_with_points",
    "plot_reliability",
    "plot_roc_with_points",
]

_MARKERS = ("o", "s", "D", "^", "v", "P", "X")


def _axes(ax: Axes | None) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4.5))
    return ax


def _check_frame(frame: Any, *, name: str, required: set[str], producer: str) -> None:
    """Raise naming ``name`` unless ``frame`` is a non-empty DataFrame with ``required`` columns."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name} must be a {producer} DataFrame, got {type(frame).__name__}")
    missing = sorted(required - set(frame.columns))
    if missing:
        raise ValueError(
            f"{name} must be a {producer} DataFrame with columns {sorted(required)}, "
            f"missing {missing}"
        )
    if frame.empty:
        raise ValueError(f"{name} must have at least one row, got an empty {producer} DataFrame")


def _check_curve_inputs(y_true: Any, y_score: Any, pos_label: Any) -> tuple[np.ndarray, np.ndarray]:
    """Validated labels and scores for a ROC / PR curve: same length, finite, both classes."""
    y = as_1d(y_true, name="y_true")
    if y.dtype.kind == "f" and not np.isfinite(y).all():
        raise ValueError("y_true must not contain NaN or infinity")
    s = check_scores(y_score, name="y_score")
    check_same_length(y_true=y, y_score=s)
    n_pos = int(np.sum(y == pos_label))
    if n_pos in (0, len(y)):
        raise ValueError(
            f"y_true must contain both the positive label {pos_label!r} and another label, "
            f"got {n_pos} positives out of {len(y)}; the curve is undefined for one class"
        )
    return y, s


def _check_points(points: Mapping[str, ThresholdChoice] | None) -> dict[str, ThresholdChoice]:
    if points is None:
        return {}
    if not isinstance(points, Mapping):
        raise TypeError(
            f"points must be a mapping name -> ThresholdChoice, got {type(points).__name__}"
        )
    for name, p in points.items():
        if not isinstance(p, ThresholdChoice):
            raise TypeError(f"points[{name!r}] must be a ThresholdChoice, got {type(p).__name__}")
    return dict(points)


def plot_cost_curve(
    curve: pd.DataFrame,
    *,
    points: Mapping[str, ThresholdChoice] | None = None,
    x: str = "threshold",
    cost_label: str = "total cost",
    title: str = "Total cost by threshold",
    ax: Axes | None = None,
) -> Axes:
    """Draw total cost against the threshold (or ``x="flag_rate"``), marking operating points.

    Parameters
    ----------
    curve : pandas.DataFrame
        Output of :func:`casebook.decisions.costs.cost_curve`.
    points : mapping of str to ThresholdChoice, optional
        Operating points to mark, e.g. ``{"cost-optimal": best, "0.5": default}``.
    x : {"threshold", "flag_rate"}
        Horizontal axis: the score threshold or the share of cases flagged.
    cost_label : str
        Label of the cost axis, e.g. ``"total loss (USD)"``.
    """
    _check_frame(
        curve,
        name="curve",
        required={"threshold", "cost", "tp", "fp", "tn", "fn"},
        producer="cost_curve",
    )
    if x not in ("threshold", "flag_rate"):
        raise ValueError(f"x must be 'threshold' or 'flag_rate', got {x!r}")
    points = _check_points(points)
    ax = _axes(ax)
    n = curve[["tp", "fp", "tn", "fn"]].iloc[0].sum()
    if x == "threshold":
        finite = np.isfinite(curve["threshold"])
        xs, ys = curve.loc[finite, "threshold"], curve.loc[finite, "cost"]
        ax.set_xlabel("threshold (flag when score >= threshold)")
    else:
        xs, ys = (curve["tp"] + curve["fp"]) / n, curve["cost"]
        ax.set_xlabel("share of cases flagged")
    ax.step(xs, ys, where="post", color="0.3", lw=1.5, label="cost curve")
    for i, (name, p) in enumerate(points.items()):
        px = p.threshold if x == "threshold" else p.flag_rate
        if not np.isfinite(px):
            px = float(xs.max()) if len(xs) else 1.0
        ax.plot(
            [px], [p.cost], marker=_MARKERS[i % len(_MARKERS)], ms=9, ls="none",
            label=f"{name}: cost {p.cost:,.4g} (FP {p.fp}, FN {p.fn})",
        )  # fmt: skip
    ax.set_ylabel(cost_label)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return ax


def plot_roc_with_points(
    y_true: Any,
    y_score: Any,
    *,
    points: Mapping[str, ThresholdChoice] | None = None,
    pos_label: Any = 1,
    title: str = "ROC curve with operating points",
    ax: Axes | None = None,
) -> Axes:
    """ROC curve with each operating point marked at its (FPR, TPR)."""
    y_true, y_score = _check_curve_inputs(y_true, y_score, pos_label)
    points = _check_points(points)
    ax = _axes(ax)
    fpr, tpr, _ = roc_curve(y_true, y_score, pos_label=pos_label)
    ax.plot(fpr, tpr, color="0.3", lw=1.5, label="model")
    ax.plot([0, 1], [0, 1], ls=":", color="0.6", label="chance")
    for i, (name, p) in enumerate(points.items()):
        ax.plot(
            [p.fpr], [p.recall], marker=_MARKERS[i % len(_MARKERS)], ms=9, ls="none",
            label=f"{name}: TPR {p.recall:.3f}, FPR {p.fpr:.3f}",
        )  # fmt: skip
    ax.set_xlabel("false-positive rate (1 - specificity)")
    ax.set_ylabel("true-positive rate (recall)")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    return ax


def plot_pr_with_points(
    y_true: Any,
    y_score: Any,
    *,
    points: Mapping[str, ThresholdChoice] | None = None,
    pos_label: Any = 1,
    title: str = "Precision-recall curve with operating points",
    ax: Axes | None = None,
) -> Axes:
    """Precision-recall curve with operating points and the prevalence baseline."""
    y_true, y_score = _check_curve_inputs(y_true, y_score, pos_label)
    points = _check_points(points)
    ax = _axes(ax)
    precision, recall, _ = precision_recall_curve(y_true, y_score, pos_label=pos_label)
    prevalence = float(np.mean(np.asarray(y_true) == pos_label))
    ax.step(recall, precision, where="post", color="0.3", lw=1.5, label="model")
    ax.axhline(prevalence, ls=":", color="0.6", label=f"prevalence {prevalence:.3g}")
    for i, (name, p) in enumerate(points.items()):
        ax.plot(
            [p.recall], [p.precision], marker=_MARKERS[i % len(_MARKERS)], ms=9, ls="none",
            label=f"{name}: recall {p.recall:.3f}, precision {p.precision:.3f}",
        )  # fmt: skip
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_ylim(0, 1.02)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="lower left")
    return ax


def plot_reliability(
    tables: pd.DataFrame | Mapping[str, pd.DataFrame],
    *,
    title: str = "Reliability diagram",
    ax: Axes | None = None,
) -> Axes:
    """Reliability diagram from one or several :func:`casebook.decisions.calibration.reliability_table`.

    One line and one marker per non-empty bin for each model; a marker's area
    grows with the number of cases in its bin (the legend says so), so a bin
    of three cases is not read like one of three hundred.
    """
    if isinstance(tables, pd.DataFrame):
        tables = {"model": tables}
    if not isinstance(tables, Mapping) or not tables:
        raise TypeError(
            "tables must be a reliability_table DataFrame or a non-empty mapping of them"
        )
    for name, t in tables.items():
        _check_frame(
            t,
            name=f"tables[{name!r}]",
            required={"count", "mean_predicted", "observed_rate"},
            producer="reliability_table",
        )
    ax = _axes(ax)
    ax.plot([0, 1], [0, 1], ls=":", color="0.5", label="perfect calibration")
    total = max(int(t["count"].sum()) for t in tables.values())
    for i, (name, t) in enumerate(tables.items()):
        used = t[t["count"] > 0]
        (line,) = ax.plot(used["mean_predicted"], used["observed_rate"], lw=1.5, label=name)
        ax.scatter(used["mean_predicted"], used["observed_rate"], s=15 + 300 * used["count"] / total,
                   color=line.get_color(), marker=_MARKERS[i % len(_MARKERS)], alpha=0.85,
                   edgecolors="white", zorder=3)  # fmt: skip
    ax.scatter([], [], s=80, color="0.55", label="marker area: cases in the bin")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("mean predicted probability (per bin)")
    ax.set_ylabel("observed share of positives")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    return ax


def plot_decision_curve(
    curves: pd.DataFrame | Mapping[str, pd.DataFrame],
    *,
    title: str = "Decision curve: net benefit",
    mark: Sequence[float] = (),
    ax: Axes | None = None,
) -> Axes:
    """Net benefit of one or several models against treat-all and treat-none.

    ``curves`` are outputs of :func:`casebook.decisions.decision_curve.decision_curve`
    on the same data; ``mark`` draws vertical lines at chosen thresholds.
    """
    if isinstance(curves, pd.DataFrame):
        curves = {"model": curves}
    if not isinstance(curves, Mapping) or not curves:
        raise TypeError("curves must be a decision_curve DataFrame or a non-empty mapping of them")
    for name, dc in curves.items():
        _check_frame(
            dc,
            name=f"curves[{name!r}]",
            required={"threshold", "model", "treat_all", "treat_none"},
            producer="decision_curve",
        )
    ax = _axes(ax)
    first = next(iter(curves.values()))
    for name, dc in curves.items():
        ax.plot(dc["threshold"], dc["model"], lw=2, label=name)
    ax.plot(first["threshold"], first["treat_all"], color="0.4", ls="--", label="treat all")
    ax.plot(first["threshold"], first["treat_none"], color="0.6", ls=":", label="treat none")
    top = max(float(dc["model"].max()) for dc in curves.values())
    top = max(top, float(first["treat_all"].max()), 0.01)
    ax.set_ylim(-0.1 * top, 1.1 * top)
    for t in mark:
        ax.axvline(t, color="tab:red", alpha=0.4, lw=1)
    ax.set_xlabel("threshold probability p_t (act when predicted risk >= p_t)")
    ax.set_ylabel("net benefit (true positives per patient)")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return ax
