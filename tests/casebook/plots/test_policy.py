"""Tests for casebook.plots.policy (named to avoid clashing with tests/casebook/test_policy.py)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from casebook.monitoring.backtest import compare_policies, compare_policies_over_streams
from casebook.monitoring.policy import RetrainingPolicy
from casebook.plots.policy import (
    STATUS_COLORS,
    STATUS_HATCHES,
    plot_fleet_status,
    plot_fleet_timeline,
    plot_policy_cost_distribution,
    plot_policy_costs,
    plot_policy_timeline,
)
from casebook.synthetic.stream import make_retraining_stream


@pytest.fixture(scope="module")
def backtests():
    s = make_retraining_stream(batch_size=100, seed=0)
    pols = [
        RetrainingPolicy(
            "perf",
            trigger="performance",
            threshold=0.3,
            disarm=0.25,
            cooldown=4,
            min_fresh_labels=200,
        ),
        RetrainingPolicy("monthly", trigger="scheduled", every=4),
    ]
    return s, compare_policies(s, pols)


def test_timeline(backtests):
    s, (_, res) = backtests
    fig, ax = plt.subplots()
    out = plot_policy_timeline(
        res["perf"], contaminated=s.contaminated, drift_points=s.drift_points, ax=ax
    )
    assert out is ax
    assert "perf" in ax.get_title() and ax.get_xlabel() == "week"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "contaminated (hold)" in labels and "business-rule override" in labels
    assert len(fig.axes) == 2  # signal on a twin axis
    plt.close(fig)
    ax2 = plot_policy_timeline(res["monthly"])  # no signal: no twin axis
    assert len(ax2.figure.axes) == 1
    plt.close(ax2.figure)


def test_costs(backtests):
    _, (summary, _) = backtests
    ax = plot_policy_costs(summary)
    assert [t.get_text() for t in ax.get_yticklabels()] == summary["policy"].tolist()
    assert len(ax.patches) == 2 * len(summary)
    plt.close(ax.figure)


def test_fleet_status():
    df = pd.DataFrame(
        {
            "model": ["a", "b", "c"],
            "unit": ["fraud", "fraud", "ads"],
            "status": ["ok", "breach", "hold"],
            "alerts": [0, 3, 1],
        }
    )
    ax = plot_fleet_status(df)
    assert len(ax.patches) == 3
    assert {t.get_text() for t in ax.get_yticklabels()} == {"ads", "fraud"}
    plt.close(ax.figure)


def test_errors(backtests):
    with pytest.raises(TypeError, match="result must be a BacktestResult"):
        plot_policy_timeline(None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="summary must be a DataFrame with columns"):
        plot_policy_costs(pd.DataFrame({"policy": ["a"]}))
    with pytest.raises(ValueError, match="summary must be a DataFrame with columns"):
        plot_fleet_status(pd.DataFrame())
    bad = pd.DataFrame({"model": ["a"], "unit": ["u"], "status": ["weird"], "alerts": [0]})
    with pytest.raises(ValueError, match="status must be one of"):
        plot_fleet_status(bad)
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        plot_policy_costs(backtests[1][0], ax="x")  # type: ignore[arg-type]


def test_fleet_timeline():
    df = pd.DataFrame(
        {
            "week": [1, 2, 1, 2],
            "model": ["a", "a", "b", "b"],
            "unit": ["u", "u", "v", "v"],
            "status": ["ok", "alert", "hold", "ok"],
        }
    )
    ax = plot_fleet_timeline(df)
    cells = {
        (round(p.get_x() + 0.5), round(p.get_y() + 0.5)): (p.get_facecolor(), p.get_hatch())
        for p in ax.patches
    }
    expected = {(0, 0): "ok", (1, 0): "alert", (0, 1): "hold", (1, 1): "ok"}  # (week, row)
    assert set(cells) == set(expected)
    for cell, status in expected.items():
        color, hatch = cells[cell]
        assert matplotlib.colors.to_hex(color).lower() == STATUS_COLORS[status].lower()
        assert (hatch or "") == STATUS_HATCHES[status]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["u / a", "v / b"]
    assert not ax.get_lines()  # no decision column, no retrain dots
    plt.close(ax.figure)
    ax = plot_fleet_timeline(df.assign(decision=["none", "retrain", "override", "none"]))
    (dots,) = ax.get_lines()
    assert list(dots.get_xdata()) == [1] and list(dots.get_ydata()) == [0]
    assert "retrain decided" in [t.get_text() for t in ax.get_legend().get_texts()]
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="weekly must be a DataFrame"):
        plot_fleet_timeline(df.drop(columns="unit"))
    with pytest.raises(ValueError, match="status must be one of"):
        plot_fleet_timeline(df.assign(status="bad"))


def _costs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "policy": ["a", "b"],
            "cumulative_loss": [10.0, 8.0],
            "retraining_cost": [0.0, 3.0],
            "retrains": [0, 2],
        }
    )


@pytest.mark.parametrize(
    ("summary", "error", "match"),
    [
        (_costs().iloc[:0], ValueError, "summary must have at least one row"),
        (
            _costs().assign(retraining_cost=[-1.0, 3.0]),
            ValueError,
            r"summary\['retraining_cost'\] must be non-negative",
        ),
        (
            _costs().assign(cumulative_loss=[np.nan, 8.0]),
            ValueError,
            r"summary\['cumulative_loss'\] must be finite",
        ),
        (_costs().assign(retrains=["0", "2"]), TypeError, r"summary\['retrains'\] must be numeric"),
        ([1, 2], ValueError, "summary must be a DataFrame with columns .*, got list"),
    ],
)
def test_policy_costs_bad_summary(summary, error, match):
    with pytest.raises(error, match=match):
        plot_policy_costs(summary)


def test_fleet_plots_reject_empty_and_duplicate_frames():
    status = pd.DataFrame({"model": ["m"], "unit": ["u"], "status": ["ok"], "alerts": [0]})
    with pytest.raises(ValueError, match="summary must have at least one row"):
        plot_fleet_status(status.iloc[:0])
    weekly = pd.DataFrame(
        {"week": [1, 1], "model": ["m", "m"], "unit": ["u", "u"], "status": ["ok"] * 2}
    )
    with pytest.raises(ValueError, match="weekly must have at least one row"):
        plot_fleet_timeline(weekly.iloc[:0])
    with pytest.raises(ValueError, match=r"weekly must have one row per model and week, got 1 dup"):
        plot_fleet_timeline(weekly)


def test_status_styles_differ_in_colour_and_hatch():
    assert len(set(STATUS_COLORS.values())) == len(STATUS_COLORS)
    assert len(set(STATUS_HATCHES.values())) == len(STATUS_HATCHES)
    assert set(STATUS_HATCHES) == set(STATUS_COLORS)


def test_policy_cost_distribution():
    streams = [make_retraining_stream(batch_size=60, seed=s) for s in range(3)]
    pols = [
        RetrainingPolicy("monthly", trigger="scheduled", every=4),
        RetrainingPolicy("never", trigger="scheduled", every=200),
    ]
    table = compare_policies_over_streams(streams, pols)
    ax = plot_policy_cost_distribution(table)
    medians = table.groupby("policy")["total"].median().sort_values()
    assert [t.get_text() for t in ax.get_yticklabels()] == medians.index.tolist()
    dots = [line for line in ax.get_lines() if line.get_marker() == "o"]
    assert sum(len(line.get_xdata()) for line in dots) == len(table)
    assert "3 streams" in ax.get_xlabel()
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="table must be a DataFrame with columns"):
        plot_policy_cost_distribution(table.drop(columns="stream"))
    with pytest.raises(ValueError, match="table must have at least one row"):
        plot_policy_cost_distribution(table.iloc[:0])
    with pytest.raises(ValueError, match=r"table\['total'\] must be non-negative"):
        plot_policy_cost_distribution(table.assign(total=-1.0))
