"""Fairness plots: group rates with intervals, the audit sheet, calibration by group, Pareto front.

Every function draws on ``ax`` (a new figure when ``None``), sets a title and
axis labels, and returns the Axes. Nothing here changes global settings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from casebook._validation.arrays import check_columns_present, plain_frame
from casebook.fairness._checks import finite_array

__all__ = [
    "plot_audit_sheet",
    "plot_calibration_by_group",
    "plot_group_metrics",
    "plot_pareto_front",
]

#: Plain-words names of criteria and rates, for labels a stakeholder reads.
LABELS = {
    "demographic_parity": "Demographic parity (selection rate)",
    "equal_opportunity": "Equal opportunity (TPR)",
    "equalized_odds": "Equalized odds (TPR and FPR)",
    "predictive_parity": "Predictive parity (precision)",
    "selection_rate": "selection rate",
    "base_rate": "base rate",
    "tpr": "TPR (recall)",
    "fpr": "FPR",
    "fnr": "FNR",
    "tnr": "TNR",
    "ppv": "PPV (precision)",
    "npv": "NPV",
    "accuracy": "accuracy",
}
STATUS_COLORS = {"pass": "#1b9e77", "fail": "#d95f02", "inconclusive": "#7f7f7f"}


def _axes(ax: Axes | None, size: tuple[float, float] = (7, 4.5)) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def _require(frame: Any, columns: set[str], name: str, producer: str) -> None:
    if not isinstance(frame, pd.DataFrame) or not columns <= set(frame.columns):
        raise ValueError(
            f"{name} must be a DataFrame from {producer} with columns {sorted(columns)}, "
            f"got {type(frame).__name__}"
            + (f" with columns {list(frame.columns)}" if isinstance(frame, pd.DataFrame) else "")
        )
    if frame.empty:
        raise ValueError(f"{name} must have at least one row to plot, got an empty frame")
    check_columns_present(frame, None, name=name)  # groups and criteria label the plot


def plot_group_metrics(
    table: pd.DataFrame,
    *,
    rates: Sequence[str] | None = None,
    title: str = "Rates by group with 95% bootstrap intervals",
    ax: Axes | None = None,
) -> Axes:
    """Dot-and-whisker plot of each group's rates with their intervals.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`casebook.fairness.intervals.bootstrap_group_metrics`.
    rates : sequence of str, optional
        Which rates to show, in order; default all in ``table``.
    """
    table = plain_frame(table)  # nullable / Arrow columns: pd.NA behaves like NaN
    _require(table, {"rate", "estimate", "low", "high", "n"}, "table", "bootstrap_group_metrics")
    group_cols = [
        c for c in table.columns if c not in {"rate", "estimate", "low", "high", "n", "denominator"}
    ]
    rates = list(rates) if rates is not None else list(dict.fromkeys(table["rate"]))
    unknown = set(rates) - set(table["rate"])
    if unknown:
        raise ValueError(
            f"rates {sorted(unknown)!r} are not in table (has {sorted(set(table['rate']))!r})"
        )
    labels = table[group_cols].astype(str).agg(" × ".join, axis=1)
    groups = list(dict.fromkeys(labels))
    ax = _axes(ax)
    width = 0.8 / len(groups)
    colors = plt.get_cmap("tab10" if len(groups) <= 10 else "tab20")
    for j, group in enumerate(groups):
        part = table[labels == group].set_index("rate").reindex(rates)
        x = np.arange(len(rates)) - 0.4 + width * (j + 0.5)
        est = part["estimate"].to_numpy(float)
        err = np.vstack([est - part["low"].to_numpy(float), part["high"].to_numpy(float) - est])
        n = int(part["n"].dropna().iloc[0]) if part["n"].notna().any() else 0
        ax.errorbar(
            x,
            est,
            yerr=np.nan_to_num(err),
            fmt="o",
            capsize=3,
            color=colors(j % colors.N),
            label=f"{group} (n={n:,})",
        )
    ax.set_xticks(np.arange(len(rates)), [LABELS.get(r, r) for r in rates])
    ax.set_ylim(-0.02, 1.02)
    ax.set_ylabel("rate")
    ax.set_xlabel("metric")
    ax.set_title(title)
    ax.legend(
        title=" × ".join(group_cols), fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1)
    )
    ax.grid(axis="y", alpha=0.3)
    return ax


def plot_audit_sheet(
    sheet: pd.DataFrame,
    *,
    title: str = "Fairness audit: each disparity, its interval and the tolerance",
    ax: Axes | None = None,
) -> Axes:
    """The audit sheet as a figure a stakeholder reads in a minute.

    One row per criterion and form. Both forms are drawn as *distance from
    parity* (the difference itself; ``1 - ratio`` for ratios), so right is
    worse on every row; the black tick is the tolerance, the bar the interval,
    the colour the verdict, and the text repeats the numbers in their own form.

    Parameters
    ----------
    sheet : pandas.DataFrame
        Output of :func:`casebook.fairness.audit.audit_sheet`.
    """
    sheet = plain_frame(sheet)  # nullable / Arrow columns: pd.NA behaves like NaN
    _require(
        sheet,
        {"criterion", "method", "value", "low", "high", "tolerance", "status"},
        "sheet",
        "audit_sheet",
    )
    bad = set(sheet["status"]) - set(STATUS_COLORS)
    if bad:
        raise ValueError(f"sheet status must be pass, fail or inconclusive, got {sorted(bad)!r}")
    finite_array(sheet["tolerance"].to_numpy(), name="sheet['tolerance']")
    ax = _axes(ax, (9, 0.55 * len(sheet) + 1.6))
    y = np.arange(len(sheet))[::-1]
    is_ratio = (sheet["method"] == "ratio").to_numpy()

    def dist(col: str) -> np.ndarray:
        v = sheet[col].to_numpy(float)
        return np.where(is_ratio, 1 - v, v)

    value, tol = dist("value"), dist("tolerance")
    lo = np.where(is_ratio, 1 - sheet["high"].to_numpy(float), sheet["low"].to_numpy(float))
    hi = np.where(is_ratio, 1 - sheet["low"].to_numpy(float), sheet["high"].to_numpy(float))
    right = float(np.nanmax(np.r_[hi, value, tol, 0.2])) * 1.08
    for i, r in enumerate(sheet.itertuples(index=False)):
        color = STATUS_COLORS[r.status]
        if np.isfinite(lo[i]) and np.isfinite(hi[i]):
            ax.plot(
                [lo[i], hi[i]], [y[i], y[i]], color=color, lw=5, alpha=0.45, solid_capstyle="butt"
            )
        if np.isfinite(value[i]):
            ax.plot(value[i], y[i], "o", color=color, ms=7)
        ax.plot([tol[i]] * 2, [y[i] - 0.3, y[i] + 0.3], color="black", lw=2)
        form = "gap" if r.method == "difference" else "ratio"
        cmp = "≤" if r.method == "difference" else "≥"
        text = (
            f"{r.status.upper():<12} {form} {r.value:.2f} [{r.low:.2f}, {r.high:.2f}], "
            f"needs {cmp} {r.tolerance:g}"
            if np.isfinite(r.value)
            else f"{r.status.upper():<12} undefined"
        )
        ax.text(
            right * 1.02,
            y[i],
            text,
            va="center",
            fontsize=9,
            color=color,
            family="monospace",
            fontweight="bold",
        )
    names = [
        f"{LABELS.get(c, c).split(' (')[0]} {'gap' if m == 'difference' else 'ratio'}"
        for c, m in zip(sheet["criterion"], sheet["method"], strict=True)
    ]
    ax.set_yticks(y, names)
    ax.set_xlim(-0.015 * right, right)
    ax.set_ylim(-0.7, len(sheet) - 0.3)
    ax.set_xlabel(
        "distance from parity (gap, or 1 − ratio): right is worse; black tick = tolerance"
    )
    ax.set_title(title, loc="left")
    ax.grid(axis="x", alpha=0.3)
    return ax


def plot_calibration_by_group(
    calibration: pd.DataFrame,
    *,
    min_count: int = 20,
    title: str = "Calibration within groups",
    ax: Axes | None = None,
) -> Axes:
    """Observed outcome rate against mean score per bin, one line per group.

    Parameters
    ----------
    calibration : pandas.DataFrame
        Output of :func:`casebook.fairness.group_calibration.calibration_by_group`.
    min_count : int, default=20
        Bins with fewer people are not drawn (their rate is noise).
    """
    calibration = plain_frame(calibration)  # nullable / Arrow columns: pd.NA behaves like NaN
    _require(
        calibration,
        {"bin", "n", "mean_score", "observed_rate"},
        "calibration",
        "calibration_by_group",
    )
    group_cols = [
        c
        for c in calibration.columns
        if c not in {"bin", "n", "mean_score", "observed_rate", "gap"}
    ]
    labels = calibration[group_cols].astype(str).agg(" × ".join, axis=1)
    ax = _axes(ax, (6, 5))
    ax.plot([0, 1], [0, 1], ls="--", color="grey", lw=1, label="perfect calibration")
    for group in dict.fromkeys(labels):
        part = calibration[(labels == group) & (calibration["n"] >= min_count)]
        ax.plot(part["mean_score"], part["observed_rate"], "o-", label=f"{group}")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("mean predicted probability in bin")
    ax.set_ylabel("observed positive rate in bin")
    ax.set_title(title)
    ax.legend(fontsize="small")
    return ax


def plot_pareto_front(
    disparity: Any,
    performance: Any,
    *,
    labels: Sequence[str] | None = None,
    chosen: int | str | None = None,
    excluded: Sequence[bool] | None = None,
    disparity_label: str = "disparity (lower is fairer)",
    performance_label: str = "accuracy",
    title: str = "Accuracy vs disparity: the Pareto front",
    ax: Axes | None = None,
) -> Axes:
    """Scatter candidates by disparity and performance; join the Pareto-optimal ones.

    A candidate is on the front when no other has lower-or-equal disparity and
    higher-or-equal performance, strictly better on one. The front is drawn as
    a line through those points; ``chosen`` (an index or a label) is starred.

    Parameters
    ----------
    disparity, performance : array-like of float
        One value per candidate (model, mitigation, threshold...).
    labels : sequence of str, optional
        Names written next to the points.
    chosen : int or str, optional
        The operating point picked by the stated policy.
    excluded : sequence of bool, optional
        Candidates ruled out before the trade-off (e.g. by law): drawn as
        crosses and kept off the front.
    """
    d = finite_array(disparity, name="disparity")
    a = finite_array(performance, name="performance")
    if np.ndim(disparity) != 1 or np.ndim(performance) != 1 or d.shape != a.shape or len(d) == 0:
        raise ValueError(
            f"disparity and performance must be 1-D of the same non-zero length, "
            f"got shapes {d.shape} and {a.shape}"
        )
    if labels is not None and len(labels) != len(d):
        raise ValueError(f"labels must have one name per point ({len(d)}), got {len(labels)}")
    if isinstance(chosen, str):
        if labels is None or chosen not in labels:
            raise ValueError(f"chosen must be one of labels, got {chosen!r}")
        chosen = list(labels).index(chosen)
    if chosen is not None and not 0 <= int(chosen) < len(d):
        raise ValueError(f"chosen must be an index in [0, {len(d)}), got {chosen!r}")
    ok = np.isfinite(d) & np.isfinite(a)
    out = np.zeros(len(d), dtype=bool)
    if excluded is not None:
        out = np.asarray(excluded)
        if out.dtype != bool or out.shape != d.shape:
            raise ValueError(
                f"excluded must be a boolean mask with one entry per point ({len(d)}), "
                f"got {np.asarray(excluded).dtype} of shape {out.shape}"
            )
    ok_front = ok & ~out
    better_or_equal = (d[None, :] <= d[:, None]) & (a[None, :] >= a[:, None])
    strictly = (d[None, :] < d[:, None]) | (a[None, :] > a[:, None])
    front = ok_front & ~(better_or_equal & strictly & ok_front[None, :]).any(axis=1)
    ax = _axes(ax)
    dominated = ~front & ~out
    ax.scatter(d[dominated], a[dominated], color="grey", alpha=0.6, label="dominated")
    if out.any():
        ax.scatter(d[out], a[out], marker="x", color="#7f7f7f", s=50, label="excluded")
    order = np.flatnonzero(front)[np.argsort(d[front])]
    ax.plot(d[order], a[order], "o-", color="#1f77b4", label="Pareto front")
    if chosen is not None:
        ax.plot(d[chosen], a[chosen], "*", ms=18, color="#d62728", label="chosen", zorder=5)
    ax.set_xlabel(disparity_label)
    ax.set_ylabel(performance_label)
    ax.set_title(title)
    ax.legend(fontsize="small")
    if labels is not None:
        _place_labels(
            ax, d[ok], a[ok], [str(n) for n, keep in zip(labels, ok, strict=True) if keep]
        )
    return ax


#: Offsets (points) tried in turn for a label, nearest first; the last ones need a leader line.
_OFFSETS = [(6, 4), (6, -11), (-6, 4), (-6, -11), (6, 16), (6, -23), (-6, 16), (-6, -23)]
_OFFSETS += [(dx, dy) for dy in (30, -37, 44, -51) for dx in (10, -10)]


def _place_labels(ax: Axes, x: np.ndarray, y: np.ndarray, names: Sequence[str]) -> None:
    """Annotate each point with the first offset whose text overlaps no placed label or marker.

    Labels are placed from the most crowded point outwards; each is measured with the
    figure's renderer, so the test is exact for the font in use. When every offset
    collides the label takes the least-overlapping one, with a leader line.
    """
    fig = ax.figure
    fig.canvas.draw()  # fixes the limits so data -> pixel transforms are final
    renderer = fig.canvas.get_renderer()
    xy_px = ax.transData.transform(np.column_stack([x, y]))
    markers = [(px - 6, py - 6, px + 6, py + 6) for px, py in xy_px]
    dist = np.hypot(*(xy_px[:, None, :] - xy_px[None, :, :]).transpose(2, 0, 1))
    crowd = np.sort(dist, axis=1)[:, 1] if len(x) > 1 else np.zeros(len(x))
    placed: list[tuple[float, float, float, float]] = []
    legend = ax.get_legend()
    if legend is not None:
        lb = legend.get_window_extent(renderer)
        placed.append((lb.x0, lb.y0, lb.x1, lb.y1))
    axes_box = ax.get_window_extent(renderer)

    def overlap(b: tuple[float, float, float, float], others: list) -> float:
        total = 0.0
        for o in others:
            w = min(b[2], o[2]) - max(b[0], o[0])
            h = min(b[3], o[3]) - max(b[1], o[1])
            if w > 0 and h > 0:
                total += w * h
        return total

    for i in np.argsort(crowd, kind="stable"):
        best = (np.inf, 0, (0.0, 0.0, 0.0, 0.0))
        for k, (dx, dy) in enumerate(_OFFSETS):
            text = ax.annotate(
                names[i],
                (x[i], y[i]),
                textcoords="offset points",
                xytext=(dx, dy),
                ha="left" if dx >= 0 else "right",
                fontsize=8,
            )
            bb = text.get_window_extent(renderer)
            box = (bb.x0, bb.y0, bb.x1, bb.y1)
            outside = max(0.0, axes_box.x0 - bb.x0) + max(0.0, bb.x1 - axes_box.x1)
            others = placed + [m for j, m in enumerate(markers) if j != i]
            score = overlap(box, others) + 50 * outside
            text.remove()
            if score < best[0]:
                best = (score, k, box)
            if score == 0:
                break
        dx, dy = _OFFSETS[best[1]]
        ax.annotate(
            names[i],
            (x[i], y[i]),
            textcoords="offset points",
            xytext=(dx, dy),
            ha="left" if dx >= 0 else "right",
            fontsize=8,
            arrowprops={"arrowstyle": "-", "color": "grey", "lw": 0.6} if best[1] >= 4 else None,
        )
        placed.append(best[2])
