"""Plots for retraining policies and fleet monitoring.

* :func:`plot_policy_timeline` -- weekly loss of one policy, its signal and
  threshold, retrains (promoted or rejected), the contaminated period shaded.
* :func:`plot_policy_costs` -- loss + retraining cost per policy, stacked.
* :func:`plot_fleet_status` -- one tile per model, grouped by business unit,
  coloured by status.
* :func:`plot_fleet_timeline` -- status of every model in every week.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from casebook._validation.arrays import numeric_column
from casebook.monitoring.backtest import BacktestResult

__all__ = [
    "STATUS_COLORS",
    "plot_fleet_status",
    "plot_fleet_timeline",
    "plot_policy_costs",
    "plot_policy_timeline",
]

STATUS_COLORS = {
    "ok": "#4c9a2a",
    "alert": "#e8a317",
    "retrain": "#1f77b4",
    "hold": "#7f7f7f",
    "breach": "#c0392b",
}


def _ax(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    return ax


def _check_table(frame: pd.DataFrame, name: str, need: set[str]) -> None:
    """Raise naming ``name`` unless ``frame`` is a non-empty DataFrame with columns ``need``."""
    if not isinstance(frame, pd.DataFrame) or not need <= set(frame.columns):
        got = list(frame.columns) if isinstance(frame, pd.DataFrame) else type(frame).__name__
        raise ValueError(f"{name} must be a DataFrame with columns {sorted(need)}, got {got}")
    if frame.empty:
        raise ValueError(f"{name} must have at least one row, got an empty DataFrame")


def plot_policy_timeline(
    result: BacktestResult,
    *,
    contaminated: tuple[int, int] | None = None,
    drift_points: Sequence[int] = (),
    ax: Axes | None = None,
) -> Axes:
    """Weekly loss, signal, retrains and the contaminated period of one policy.

    Parameters
    ----------
    result : BacktestResult
        From :func:`casebook.monitoring.backtest.backtest`.
    contaminated : (start, end) or None
        Weeks ``[start, end)`` to shade as contaminated.
    drift_points : sequence of int
        Weeks where the concept changed (dotted vertical lines).
    ax : Axes, optional

    Returns
    -------
    Axes
        The loss axes (the signal, if any, is on a twin axis).
    """
    if not isinstance(result, BacktestResult):
        raise TypeError(f"result must be a BacktestResult, got {type(result).__name__}")
    ax = _ax(ax, (10, 3.6))
    w = result.weeks
    handles: list = []
    if contaminated is not None:
        ax.axvspan(contaminated[0] - 0.5, contaminated[1] - 0.5, color="0.85", zorder=0)
        handles.append(Patch(color="0.85", label="contaminated (hold)"))
    for p in drift_points:
        ax.axvline(p, color="0.3", ls=":", lw=1.2)
    if len(drift_points):
        handles.append(Line2D([], [], color="0.3", ls=":", label="concept drift"))
    (loss_line,) = ax.plot(w["step"], w["loss"], color="#333333", lw=1.4, label="weekly loss")
    handles.append(loss_line)
    retr = w[w["action"] == "retrain"]
    for _, row in retr.iterrows():
        ax.axvline(row["step"], color="#1f77b4", lw=1.6, ls="-" if row["promoted"] else "--")
    if len(retr):
        handles.append(Line2D([], [], color="#1f77b4", label="retrain, promoted"))
        if not retr["promoted"].all():
            handles.append(Line2D([], [], color="#1f77b4", ls="--", label="retrain, rejected"))
    over = w[w["override"]]
    if len(over):
        ax.scatter(over["step"], over["loss"], marker="s", color="#7f7f7f", zorder=3, s=18)
        handles.append(
            Line2D([], [], marker="s", color="#7f7f7f", ls="", label="business-rule override")
        )
    ax.set_xlabel("week")
    ax.set_ylabel("loss (cost of wrong decisions)")
    ax.set_ylim(0, 1.6 * max(float(w["loss"].max()), 1e-9))  # headroom for the legend
    if w["signal"].notna().any():
        ax2 = ax.twinx()
        ax2.plot(w["step"], w["signal"], color="#d62728", lw=1, alpha=0.8)
        ax2.axhline(result.policy.threshold, color="#d62728", ls="--", lw=0.8)
        if result.policy.hysteresis:
            ax2.axhline(result.policy.disarm_level, color="#d62728", ls=":", lw=0.8)
        ax2.set_ylabel(f"{result.policy.trigger} signal", color="#d62728")
        ax2.tick_params(axis="y", colors="#d62728")
        top = max(float(w["signal"].max()), result.policy.threshold)
        ax2.set_ylim(0, 1.6 * max(top, 1e-9))
        handles.append(Line2D([], [], color="#d62728", label="signal / threshold"))
    ax.set_title(
        f"{result.policy.name}: {result.retrains} retrains, total cost {result.total:,.0f}"
    )
    ax.legend(handles=handles, loc="upper left", fontsize=7, ncol=3, framealpha=0.9)
    return ax


def plot_policy_costs(summary: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Stacked bars: cumulative loss and retraining cost per policy.

    Parameters
    ----------
    summary : pandas.DataFrame
        From :func:`casebook.monitoring.backtest.compare_policies` (columns ``policy``,
        ``cumulative_loss``, ``retraining_cost``, ``retrains``), at least one
        row; the three numeric columns finite and non-negative.
    ax : Axes, optional
    """
    _check_table(summary, "summary", {"policy", "cumulative_loss", "retraining_cost", "retrains"})
    for col in ("cumulative_loss", "retraining_cost", "retrains"):
        numeric_column(summary, col, name="summary", non_negative=True)
    ax = _ax(ax, (8, 3.5))
    y = np.arange(len(summary))
    ax.barh(y, summary["cumulative_loss"], color="#999999", label="loss (wrong decisions)")
    ax.barh(
        y,
        summary["retraining_cost"],
        left=summary["cumulative_loss"],
        color="#1f77b4",
        label="retraining cost",
    )
    for i, row in enumerate(summary.itertuples()):
        total = row.cumulative_loss + row.retraining_cost
        ax.text(total, i, f"  {total:,.0f} ({row.retrains} retrains)", va="center", fontsize=8)
    ax.set_yticks(y, summary["policy"])
    ax.invert_yaxis()
    ax.set_xlabel("cost over the backtest")
    ax.set_xlim(0, (summary["cumulative_loss"] + summary["retraining_cost"]).max() * 1.35)
    ax.set_title("What each policy cost: wrong decisions + retraining")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2, fontsize=8)
    return ax


def plot_fleet_status(summary: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """One tile per model, a row per business unit, coloured by status.

    Parameters
    ----------
    summary : pandas.DataFrame
        Columns ``model``, ``unit``, ``status`` (one of :data:`STATUS_COLORS`)
        and ``alerts`` (written inside each tile).
    ax : Axes, optional
    """
    _check_table(summary, "summary", {"model", "unit", "status", "alerts"})
    unknown = sorted(set(summary["status"]) - set(STATUS_COLORS))
    if unknown:
        raise ValueError(f"status must be one of {list(STATUS_COLORS)}, got {unknown}")
    ax = _ax(ax, (10, 4))
    units = sorted(summary["unit"].unique())
    width = max(summary.groupby("unit").size())
    for r, unit in enumerate(units):
        rows = summary[summary["unit"] == unit].reset_index(drop=True)
        for c, row in rows.iterrows():
            ax.add_patch(
                plt.Rectangle((c, -r - 0.9), 0.95, 0.85, color=STATUS_COLORS[row["status"]])
            )
            ax.text(
                c + 0.475,
                -r - 0.35,
                str(row["model"]),
                ha="center",
                va="center",
                fontsize=6.5,
                color="white",
                wrap=True,
            )
            extra = f" · breaches: {row['breaches']}" if "breaches" in row else ""
            ax.text(
                c + 0.475,
                -r - 0.7,
                f"alerts: {row['alerts']}{extra}",
                ha="center",
                va="center",
                fontsize=6,
                color="white",
            )
    ax.set_xlim(-0.1, width)
    ax.set_ylim(-len(units) - 0.1, 0.1)
    ax.set_yticks([-r - 0.45 for r in range(len(units))], units)
    ax.set_xticks([])
    ax.set_xlabel("models (tile text: name; alerts and breaches over the monitored weeks)")
    ax.set_ylabel("business unit")
    ax.set_title("Fleet status after the last monitoring run")
    ax.legend(
        handles=[Patch(color=c, label=s) for s, c in STATUS_COLORS.items()],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12),
        ncol=len(STATUS_COLORS),
        fontsize=8,
    )
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    return ax


def plot_fleet_timeline(weekly: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Status of every model (rows, grouped by unit) in every monitored week (columns).

    Parameters
    ----------
    weekly : pandas.DataFrame
        Columns ``week``, ``model``, ``unit``, ``status`` (one row per model
        and week), e.g. :attr:`casebook.monitoring.fleet.FleetResult.weekly`.
    ax : Axes, optional
    """
    _check_table(weekly, "weekly", {"week", "model", "unit", "status"})
    unknown = sorted(set(weekly["status"]) - set(STATUS_COLORS))
    if unknown:
        raise ValueError(f"status must be one of {list(STATUS_COLORS)}, got {unknown}")
    dup = weekly.duplicated(["model", "week"])
    if dup.any():
        first = weekly.loc[dup, ["model", "week"]].iloc[0].tolist()
        raise ValueError(
            f"weekly must have one row per model and week, got {int(dup.sum())} duplicate(s), "
            f"e.g. model/week {first}"
        )
    order = weekly[["unit", "model"]].drop_duplicates().sort_values(["unit", "model"])
    grid = weekly.pivot(index="model", columns="week", values="status").loc[order["model"]]
    codes = {s: i for i, s in enumerate(STATUS_COLORS)}
    from matplotlib.colors import ListedColormap

    cmap = ListedColormap(list(STATUS_COLORS.values()))
    ax = _ax(ax, (9, 0.28 * len(grid) + 1.5))
    ax.imshow(
        grid.replace(codes).to_numpy(dtype=float),
        cmap=cmap,
        vmin=-0.5,
        vmax=len(codes) - 0.5,
        aspect="auto",
        interpolation="nearest",
    )
    ax.set_xticks(range(grid.shape[1]), grid.columns)
    ax.set_yticks(range(len(grid)), [f"{u} / {m}" for u, m in order.to_numpy()], fontsize=7)
    ax.set_xlabel("week")
    ax.set_ylabel("unit / model")
    ax.set_title("Fleet status per week")
    ax.legend(
        handles=[Patch(color=c, label=s) for s, c in STATUS_COLORS.items()],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.08),
        ncol=len(STATUS_COLORS),
        fontsize=8,
    )
    return ax
