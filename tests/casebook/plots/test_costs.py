"""Tests for casebook.plots.costs: every plot draws what it says and validates its input."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from casebook.decisions.calibration import reliability_table
from casebook.decisions.costs import cost_curve, cost_optimal_threshold, threshold_for_budget
from casebook.decisions.decision_curve import decision_curve
from casebook.plots.costs import (
    plot_cost_curve,
    plot_decision_curve,
    plot_pr_with_points,
    plot_reliability,
    plot_roc_with_points,
)


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 400)
    s = np.clip(0.35 * y + rng.random(400) * 0.65, 0, 1)
    return y, s


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_plot_cost_curve_marks_points(data):
    y, s = data
    curve = cost_curve(y, s, fp_cost=1, fn_cost=5)
    best = cost_optimal_threshold(y, s, fp_cost=1, fn_cost=5)
    ax = plot_cost_curve(curve, points={"cost-optimal": best}, cost_label="cost (units)")
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel() == "cost (units)"
    marker = ax.lines[1]
    assert marker.get_xdata()[0] == best.threshold
    assert marker.get_ydata()[0] == best.cost
    assert "cost-optimal" in ax.get_legend().get_texts()[1].get_text()
    ax2 = plot_cost_curve(curve, points={"best": best}, x="flag_rate")
    assert ax2.lines[1].get_xdata()[0] == pytest.approx(best.flag_rate)
    assert ax2.get_xlabel() == "share of cases flagged"


def test_plot_cost_curve_flag_nothing_point_is_drawn():
    curve = cost_curve([0, 0, 1], [0.9, 0.8, 0.1], fp_cost=10, fn_cost=1)
    best = cost_optimal_threshold([0, 0, 1], [0.9, 0.8, 0.1], fp_cost=10, fn_cost=1)
    ax = plot_cost_curve(curve, points={"best": best})
    assert np.isfinite(ax.lines[1].get_xdata()[0])


def test_roc_and_pr_points_land_on_their_rates(data):
    y, s = data
    best = cost_optimal_threshold(y, s, fp_cost=1, fn_cost=5)
    budget = threshold_for_budget(y, s, max_fpr=0.1)
    ax = plot_roc_with_points(y, s, points={"best": best, "budget": budget})
    assert ax.lines[2].get_xdata()[0] == pytest.approx(best.fpr)
    assert ax.lines[3].get_ydata()[0] == pytest.approx(budget.recall)
    assert "false-positive rate" in ax.get_xlabel()
    ax = plot_pr_with_points(y, s, points={"best": best})
    assert ax.lines[2].get_ydata()[0] == pytest.approx(best.precision)
    assert ax.get_ylabel() == "precision"


def test_plot_reliability_and_decision_curve(data):
    y, s = data
    fig, (a1, a2) = plt.subplots(1, 2)
    t = reliability_table(y, s, n_bins=5)
    out = plot_reliability({"raw": t, "copy": t}, ax=a1)
    assert out is a1
    assert len(a1.lines) == 3  # diagonal + two models
    legend = [t.get_text() for t in a1.get_legend().get_texts()]
    assert "marker area: cases in the bin" in legend  # every marker on the plot is explained
    sizes = a1.collections[0].get_sizes()
    assert sizes.max() > sizes.min()  # area follows the bin counts
    assert a1.get_xlabel().startswith("mean predicted")
    dc = decision_curve(y, s)
    plot_decision_curve(dc, mark=[0.2], ax=a2)
    labels = [ln.get_label() for ln in a2.lines]
    assert {"model", "treat all", "treat none"} <= set(labels)
    assert a2.get_title()


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda: plot_cost_curve("x"), TypeError, r"curve must be a cost_curve DataFrame"),
        (
            lambda: plot_cost_curve(cost_curve([0, 1], [0.1, 0.9], fp_cost=1, fn_cost=1), x="cost"),
            ValueError,
            r"x must be 'threshold' or 'flag_rate', got 'cost'",
        ),
        (
            lambda: plot_roc_with_points([0, 1], [0.1, 0.9], points=[1, 2]),
            TypeError,
            r"points must be a mapping",
        ),
        (
            lambda: plot_roc_with_points([0, 1], [0.1, 0.9], points={"a": 0.5}),
            TypeError,
            r"points\['a'\] must be a ThresholdChoice, got float",
        ),
        (lambda: plot_reliability({}), TypeError, r"tables must be"),
        (lambda: plot_decision_curve([]), TypeError, r"curves must be"),
        (
            lambda: plot_cost_curve(cost_curve([0, 1], [0.1, 0.9], fp_cost=1, fn_cost=1).iloc[:0]),
            ValueError,
            r"curve must have at least one row, got an empty cost_curve DataFrame",
        ),
        (
            lambda: plot_cost_curve(
                cost_curve([0, 1], [0.1, 0.9], fp_cost=1, fn_cost=1).drop(columns="cost")
            ),
            ValueError,
            r"curve must be a cost_curve DataFrame with columns .*missing \['cost'\]",
        ),
        (
            lambda: plot_reliability(reliability_table([0, 1], [0.2, 0.8]).drop(columns="count")),
            ValueError,
            r"tables\['model'\] must be a reliability_table DataFrame .*missing \['count'\]",
        ),
        (
            lambda: plot_reliability({"m": reliability_table([0, 1], [0.2, 0.8]).iloc[:0]}),
            ValueError,
            r"tables\['m'\] must have at least one row",
        ),
        (
            lambda: plot_decision_curve(decision_curve([0, 1], [0.2, 0.8]).drop(columns="model")),
            ValueError,
            r"curves\['model'\] must be a decision_curve DataFrame .*missing \['model'\]",
        ),
        (
            lambda: plot_decision_curve(decision_curve([0, 1], [0.2, 0.8]).iloc[:0]),
            ValueError,
            r"curves\['model'\] must have at least one row",
        ),
        (
            lambda: plot_roc_with_points([0, 1, 1], [0.1, 0.9]),
            ValueError,
            r"inputs must have the same length, got y_true has 3, y_score has 2",
        ),
        (
            lambda: plot_pr_with_points([0, 1], [0.1, np.nan]),
            ValueError,
            r"y_score must be finite, got 1 non-finite",
        ),
        (
            lambda: plot_roc_with_points([0, 1], [0.1, np.inf]),
            ValueError,
            r"y_score must be finite, got 1 non-finite",
        ),
        (lambda: plot_pr_with_points([], []), ValueError, r"y_true must not be empty"),
        (
            lambda: plot_roc_with_points([0, 1], ["a", "b"]),
            ValueError,
            r"y_score must be numeric, got dtype <U1",
        ),
        (
            lambda: plot_pr_with_points([0, 0], [0.1, 0.9]),
            ValueError,
            r"y_true must contain both the positive label 1 and another label, got 0 positives",
        ),
        (
            lambda: plot_roc_with_points([1, 1], [0.1, 0.9]),
            ValueError,
            r"y_true must contain both the positive label 1 and another label, got 2 positives",
        ),
        (
            lambda: plot_roc_with_points([0.0, np.nan], [0.1, 0.9]),
            ValueError,
            r"y_true must not contain NaN or infinity",
        ),
    ],
)
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
