"""Plots for retraining policies and fleet monitoring.

* :func:`plot_policy_timeline` -- weekly loss of one policy, its signal and
  threshold, retrains (promoted or rejected), the contaminated period shaded.
* :func:`plot_policy_costs` -- loss + retraining cost per policy, stacked.
* :func:`plot_policy_cost_distribution` -- total cost per policy over many streams.
* :func:`plot_fleet_status` -- one tile per model, grouped by business unit,
  coloured by status.
* :func:`plot_fleet_timeline` -- status of every model in every week.

Statuses use the Okabe-Ito colour-blind-safe palette (:data:`STATUS_COLORS`)
and a hatch pattern each (:data:`STATUS_HATCHES`), so the two status plots
read without colour too.
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
    "STATUS_HATCHES",
    "plot_fleet_status",
    "plot_fleet_timeline",
    "plot_policy_cost_distribution",
    "plot_policy_costs",
    "plot_policy_timeline",
]

STATUS_COLORS = {  # Okabe-Ito: distinguishable with the common colour-vision deficiencies
    "ok": "#009E73",
    "alert": "#E69F00",
    "retrain": "#0072B2",
    "hold": "#BBBBBB",
    "breach": "#D55E00",
}
STATUS_HATCHES = {"ok": "", "alert": "..", "retrain": "//", "hold": "--", "breach": "xx"}


def _status_legend(ax: Axes, *, y: float) -> None:
    handles = [
        Patch(facecolor=c, edgecolor="black", hatch=STATUS_HATCHES[s], label=s)
        for s, c in STATUS_COLORS.items()
    ]
    handles += [h for h in ax.get_legend_handles_labels()[0] if isinstance(h, Line2D)]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, y),
        ncol=len(handles),
        fontsize=8,
    )


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
                plt.Rectangle(
                    (c, -r - 0.9),
                    0.95,
                    0.85,
                    facecolor=STATUS_COLORS[row["status"]],
                    edgecolor="0.25",
                    hatch=STATUS_HATCHES[row["status"]],
                    linewidth=0.5,
                )
            )
            ax.text(
                c + 0.475,
                -r - 0.35,
                str(row["model"]),
                ha="center",
                va="center",
                fontsize=6.5,
                color="black",
                wrap=True,
                bbox={"facecolor": "white", "alpha": 0.8, "pad": 1, "linewidth": 0},
            )
            extra = f" · breaches: {row['breaches']}" if "breaches" in row else ""
            ax.text(
                c + 0.475,
                -r - 0.7,
                f"alerts: {row['alerts']}{extra}",
                ha="center",
                va="center",
                fontsize=6,
                color="black",
                bbox={"facecolor": "white", "alpha": 0.8, "pad": 1, "linewidth": 0},
            )
    ax.set_xlim(-0.1, width)
    ax.set_ylim(-len(units) - 0.1, 0.1)
    ax.set_yticks([-r - 0.45 for r in range(len(units))], units)
    ax.set_xticks([])
    ax.set_xlabel("models (tile text: name; alerts and breaches over the monitored weeks)")
    ax.set_ylabel("business unit")
    ax.set_title("Fleet status after the last monitoring run")
    _status_legend(ax, y=-0.12)
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
        With a ``decision`` column, weeks whose decision was ``"retrain"`` get
        a black dot, also where the status shown is a breach.
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
    ax = _ax(ax, (9, 0.28 * len(grid) + 1.5))
    for r, statuses in enumerate(grid.to_numpy()):
        for c, status in enumerate(statuses):
            if not isinstance(status, str):  # a model without a row that week
                continue
            ax.add_patch(
                plt.Rectangle(
                    (c - 0.5, r - 0.5),
                    1,
                    1,
                    facecolor=STATUS_COLORS[status],
                    edgecolor="white",
                    hatch=STATUS_HATCHES[status],
                    linewidth=0.6,
                )
            )
    if "decision" in weekly.columns:  # a retrain hidden under a breach stays visible
        decided = weekly.pivot(index="model", columns="week", values="decision").loc[order["model"]]
        rows, cols = np.nonzero(decided.to_numpy() == "retrain")
        ax.plot(cols, rows, "o", ms=5, mfc="black", mec="white", label="retrain decided")
    ax.set_xlim(-0.5, grid.shape[1] - 0.5)
    ax.set_ylim(len(grid) - 0.5, -0.5)
    ax.set_xticks(range(grid.shape[1]), grid.columns)
    ax.set_yticks(range(len(grid)), [f"{u} / {m}" for u, m in order.to_numpy()], fontsize=7)
    ax.set_xlabel("week")
    ax.set_ylabel("unit / model")
    ax.set_title("Fleet status per week")
    _status_legend(ax, y=-0.08)
    return ax


def plot_policy_cost_distribution(table: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Total cost of each policy over many streams: one box and one dot per stream.

    Policies are ordered by median total, cheapest on top; the dots of one
    stream are the same world under each policy.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`casebook.monitoring.backtest.compare_policies_over_streams`
        (columns ``stream``, ``policy``, ``total``), at least one row; ``total``
        finite and non-negative.
    ax : Axes, optional
    """
    _check_table(table, "table", {"stream", "policy", "total"})
    numeric_column(table, "total", name="table", non_negative=True)
    ax = _ax(ax, (8, 3.5))
    order = table.groupby("policy")["total"].median().sort_values().index.tolist()
    data = [table.loc[table["policy"] == p, "total"].to_numpy(dtype=float) for p in order]
    ax.boxplot(
        data,
        positions=range(len(order)),
        orientation="horizontal",
        widths=0.5,
        showfliers=False,
        medianprops={"color": "black", "linewidth": 2},
    )
    jitter = np.random.default_rng(0).uniform(-0.15, 0.15, size=max(len(d) for d in data))
    for i, d in enumerate(data):
        ax.plot(d, i + jitter[: len(d)], "o", ms=3.5, color="#0072B2", alpha=0.7)
    ax.set_yticks(range(len(order)), order)
    ax.set_ylim(len(order) - 0.5, -0.5)
    n = table["stream"].nunique()
    ax.set_xlabel(f"total cost over the backtest (one dot per simulated stream, {n} streams)")
    ax.set_title("Total cost per policy across simulated streams (box: quartiles)")
    return ax
