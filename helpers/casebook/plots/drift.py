"""Drift plots: a week x feature heatmap and statistic timelines with thresholds.

Every function draws on ``ax`` (a new one when None), titles and labels it,
and returns it; none changes global matplotlib settings.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap

from casebook._validation.arrays import check_columns_present, plain_frame

__all__ = ["plot_drift_heatmap", "plot_performance_timeline", "plot_statistic_timeline"]

_KIND_COLORS = {
    "gradual_shift": "#f4a261",
    "sudden_shift": "#e76f51",
    "unit_change": "#9b5de5",
    "schema_change": "#577590",
    "default_fill": "#43aa8b",
}


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def _require(df: pd.DataFrame, cols: list[str], name: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"{name} must have columns {missing}; got {list(df.columns)}")


def _rows_and_numbers(df: pd.DataFrame, numeric: list[str], name: str) -> None:
    """``df`` has at least one row and numeric (missing allowed) ``numeric`` columns."""
    if df.empty:
        raise ValueError(f"{name} must have at least one row to plot, got 0 rows")
    for col in numeric:
        values = df[col]
        if pd.api.types.is_numeric_dtype(values.dtype):
            continue
        bad = [v for v in values.dropna() if not isinstance(v, (int, float, np.number))]
        if values.dtype != object or bad:
            example = f", e.g. {bad[0]!r}" if bad else ""
            raise TypeError(
                f"{name} column {col!r} must be numeric (NaN allowed), "
                f"got dtype {values.dtype}{example}"
            )


def _shade(ax: Axes, schedule: pd.DataFrame | None) -> None:
    if schedule is None:
        return
    _require(schedule, ["week", "kind"], "schedule")
    seen = set()
    for _, r in schedule[schedule["kind"] != "control"].iterrows():
        kind = r["kind"]
        ax.axvspan(r["week"] - 0.5, r["week"] + 0.5, color=_KIND_COLORS.get(kind, "#bbbbbb"),
                   alpha=0.25, lw=0, label=None if kind in seen else kind.replace("_", " "))  # fmt: skip
        seen.add(kind)


def _week_ticks(ax: Axes, weeks: pd.Series, schedule: pd.DataFrame | None) -> None:
    """Tick every week of the table and of the schedule (a week without a value keeps its tick)."""
    ticks = set(weeks.dropna().astype(int))
    if schedule is not None:
        ticks |= set(schedule["week"].dropna().astype(int))
    ax.set_xticks(sorted(ticks))


def plot_drift_heatmap(drift: pd.DataFrame, *, ax: Axes | None = None, cap: float = 3.0) -> Axes:
    """Heatmap of effect size relative to its threshold, weeks x features.

    Colour is ``effect_value / effect_threshold`` (1 = at the threshold),
    capped at ``cap``; a dot marks a drifted feature (significant after
    correction *and* above the threshold); grey with a cross marks a
    feature not tested that week (a quality error).

    Parameters
    ----------
    drift : pandas.DataFrame
        Tidy table with ``week, feature, effect_value, effect_threshold,
        drifted, status`` (:attr:`casebook.monitoring.drift.report.DriftReport.drift`).
    ax : matplotlib Axes, optional
        Where to draw.
    cap : float, default=3.0
        Upper end of the colour scale.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> d = pd.DataFrame({"week": [1, 1, 2, 2], "feature": ["a", "b", "a", "b"],
    ...                   "effect_value": [0.02, 0.01, 0.4, np.nan],
    ...                   "effect_threshold": [0.1] * 4, "drifted": [False, False, True, np.nan],
    ...                   "status": ["tested", "tested", "tested", "not tested: missing_column"]})
    >>> plot_drift_heatmap(d).get_title()
    'Feature drift by week (effect size / threshold)'
    """
    drift = plain_frame(drift)  # nullable / Arrow columns: pd.NA behaves like NaN
    _require(drift, ["week", "feature", "effect_value", "effect_threshold", "drifted", "status"],
             "drift")  # fmt: skip
    _rows_and_numbers(drift, ["effect_value", "effect_threshold"], "drift")
    check_columns_present(drift, ["week", "feature", "status"], name="drift")
    # untested cells (a column the quality step refused) have no verdict: NaN there by design
    check_columns_present(drift[drift["status"] == "tested"], ["drifted"], name="drift")
    if (
        isinstance(cap, bool)
        or not isinstance(cap, (int, float, np.integer, np.floating))
        or cap <= 1
    ):
        raise ValueError(f"cap must be a number > 1, got {cap!r}")
    features = list(dict.fromkeys(drift["feature"]))
    weeks = sorted(drift["week"].unique())
    d = drift.assign(ratio=drift["effect_value"] / drift["effect_threshold"])
    grid = d.pivot_table(index="feature", columns="week", values="ratio", aggfunc="first",
                         dropna=False).reindex(index=features, columns=weeks)  # fmt: skip
    ax = _axes(ax, (1.0 + 0.45 * len(weeks), 1.0 + 0.32 * len(features)))
    cmap = LinearSegmentedColormap.from_list(
        "drift", ["#f7f7f7", "#fde0c5", "#e4572e", "#7a0f0f"]
    ).with_extremes(bad="#bdbdbd")
    data = np.ma.masked_invalid(np.minimum(grid.to_numpy(dtype=float), cap))
    im = ax.imshow(data, aspect="auto", cmap=cmap, vmin=0, vmax=cap)
    rows = drift["feature"].map({f: i for i, f in enumerate(features)}).to_numpy()
    cols = drift["week"].map({w: j for j, w in enumerate(weeks)}).to_numpy()
    untested = (drift["status"] != "tested").to_numpy()
    drifted = ~untested & drift["drifted"].fillna(False).astype(bool).to_numpy()
    for i, j in zip(rows[untested], cols[untested], strict=True):
        ax.text(j, i, "×", ha="center", va="center", fontsize=9, color="#333333")
    if drifted.any():  # one artist for every dot
        ax.plot(cols[drifted], rows[drifted], "o", ms=4, color="black", ls="none")
    ax.set_xticks(range(len(weeks)), [str(w) for w in weeks])
    ax.set_yticks(range(len(features)), features)
    ax.set_xlabel("week")
    ax.set_ylabel("feature")
    ax.set_title("Feature drift by week (effect size / threshold)")
    cbar = ax.figure.colorbar(im, ax=ax, fraction=0.03, pad=0.02)
    cbar.set_label(f"effect / threshold (capped at {cap:g}); • drifted, × not tested")
    return ax


def plot_statistic_timeline(
    table: pd.DataFrame,
    *,
    column: str,
    threshold: float | None = None,
    feature: str | None = None,
    schedule: pd.DataFrame | None = None,
    log: bool = False,
    label: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """A statistic over the weeks, its alert threshold, and the known injections shaded.

    Parameters
    ----------
    table : pandas.DataFrame
        Weekly table with ``week`` and ``column`` (e.g. the report's
        ``weeks`` table, or its ``drift`` table together with ``feature``).
    column : str
        The statistic to plot, e.g. ``"effect_value"`` or ``"prediction_psi"``.
    threshold : float, optional
        Drawn as a dashed line.
    feature : str, optional
        Keep only this feature's rows (for the tidy drift table).
    schedule : pandas.DataFrame, optional
        ``week`` and ``kind``; injected weeks are shaded by kind.
    log : bool, default=False
        Log scale for the y axis (PSI spans orders of magnitude).
    label : str, optional
        Plain-words name of the statistic for the y axis and the legend
        (default: ``column``).
    ax : matplotlib Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> t = pd.DataFrame({"week": [1, 2, 3], "prediction_psi": [0.02, 0.03, 0.4]})
    >>> plot_statistic_timeline(t, column="prediction_psi", threshold=0.1).get_ylabel()
    'prediction_psi'
    """
    _require(table, ["week", column], "table")
    _rows_and_numbers(table, [column], "table")
    if threshold is not None and (
        isinstance(threshold, bool)
        or not isinstance(threshold, (int, float, np.integer, np.floating))
        or not np.isfinite(threshold)
    ):
        raise ValueError(f"threshold must be a finite number or None, got {threshold!r}")
    if feature is not None:
        _require(table, ["feature"], "table")
        table = table[table["feature"] == feature]
        if table.empty:
            raise ValueError(f"feature {feature!r} is not in the table")
    if label is not None and (not isinstance(label, str) or not label.strip()):
        raise ValueError(f"label must be a non-empty string or None, got {label!r}")
    name = column if label is None else label
    ax = _axes(ax, (8, 3.2))
    _shade(ax, schedule)
    t = table.sort_values("week")
    ax.plot(t["week"], t[column], "o-", color="#1d3557", label=name)
    if threshold is not None:
        ax.axhline(threshold, ls="--", color="#e63946", label=f"threshold {threshold:g}")
    if log:
        ax.set_yscale("log")
    _week_ticks(ax, t["week"], schedule)
    ax.set_xlabel("week")
    ax.set_ylabel(name)
    ax.set_title(f"{column}{'' if feature is None else ' of ' + feature} by week")
    ax.legend(fontsize=8, loc="upper left")
    return ax


def plot_performance_timeline(
    perf: pd.DataFrame,
    *,
    metric: str = "accuracy",
    schedule: pd.DataFrame | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Label-free estimate against realized performance, week by week.

    Parameters
    ----------
    perf : pandas.DataFrame
        :func:`casebook.monitoring.drift.performance.performance_table` output.
    metric : {"accuracy", "roc_auc"}, default="accuracy"
        Plots ``expected_<metric>`` and ``<metric>``.
    schedule : pandas.DataFrame, optional
        Injected weeks are shaded.
    ax : matplotlib Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> p = pd.DataFrame({"week": [1, 2], "expected_accuracy": [0.8, 0.8],
    ...                   "accuracy": [0.79, np.nan]})
    >>> plot_performance_timeline(p).get_title()
    'Accuracy: label-free estimate vs realized'
    """
    if metric not in ("accuracy", "roc_auc"):
        raise ValueError(f"metric must be 'accuracy' or 'roc_auc', got {metric!r}")
    _require(perf, ["week", f"expected_{metric}", metric], "perf")
    _rows_and_numbers(perf, [f"expected_{metric}", metric], "perf")
    ax = _axes(ax, (8, 3.2))
    _shade(ax, schedule)
    t = perf.sort_values("week")
    ax.plot(t["week"], t[f"expected_{metric}"], "s--", color="#457b9d",
            label="estimated from scores (no labels)")  # fmt: skip
    ax.plot(t["week"], t[metric], "o-", color="#1d3557", label="realized (labels arrived)")
    _week_ticks(ax, t["week"], schedule)
    ax.set_xlabel("week")
    label = {"accuracy": "Accuracy", "roc_auc": "ROC AUC"}[metric]
    ax.set_ylabel(label)
    ax.set_title(f"{label}: label-free estimate vs realized")
    ax.legend(fontsize=8, loc="lower left")
    return ax
