"""Smoke and content tests for casebook.plots.modeling."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from casebook.decisions.profit import profit_curve
from casebook.modeling.latency import measure_latency
from casebook.modeling.segment_description import segment_rates
from casebook.modeling.segmentation import choose_k
from casebook.plots.modeling import (
    plot_contributions,
    plot_k_selection,
    plot_latency,
    plot_pr_comparison,
    plot_profit_curves,
    plot_roc_comparison,
    plot_segment_profiles,
    plot_segment_rates,
)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.fixture
def scores():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 200)
    return y, {"good": y + rng.normal(0, 0.5, 200), "bad": rng.normal(size=200)}


def test_roc_and_pr_comparison_label_each_model(scores):
    y, s = scores
    ax = plot_roc_comparison(y, s)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0].startswith("good (AUC 0.9") and labels[1].startswith("bad (AUC")
    assert ax.get_title() and ax.get_ylabel()
    ax = plot_pr_comparison(y, s)
    assert "prevalence" in ax.get_legend().get_texts()[-1].get_text()
    with pytest.raises(ValueError, match="scores must be a non-empty mapping"):
        plot_roc_comparison(y, {})
    with pytest.raises(ValueError, match=r"scores\['x'\] must have one score per label"):
        plot_pr_comparison(y, {"x": [0.1]})


def test_k_selection_segments_and_rates():
    rng = np.random.default_rng(1)
    X = np.vstack([rng.normal(0, 0.4, (60, 2)), rng.normal(3, 0.4, (60, 2))])
    ax = plot_k_selection(choose_k(X, k_values=[2, 3], n_bootstrap=3))
    assert len(ax.get_lines()) == 2 and ax.get_xlabel() == "number of segments k"
    frame = pd.DataFrame({"tenure": X[:, 0], "charges": X[:, 1], "plan": ["a"] * 120})
    labels = np.repeat([0, 1], 60)
    ax = plot_segment_profiles(frame[["tenure", "charges"]], labels)
    assert len(ax.get_yticklabels()) == 2 and len(ax.texts) == 4
    y = np.r_[np.zeros(50), np.ones(10), np.ones(60)]
    ax = plot_segment_rates(segment_rates(y, labels))
    assert len(ax.patches) == 2
    with pytest.raises(ValueError, match="selections must be a KSelection"):
        plot_k_selection({})
    with pytest.raises(ValueError, match="at least one numeric column"):
        plot_segment_profiles(frame[["plan"]], labels)
    with pytest.raises(ValueError, match="labels must have one entry per row"):
        plot_segment_profiles(frame[["tenure"]], labels[:3])
    with pytest.raises(ValueError, match="rates must be a segment_rates table"):
        plot_segment_rates(pd.DataFrame({"x": [1]}))


def test_profit_curves_one_line_per_group():
    y = np.array([1, 0, 1, 0, 1, 0])
    s = np.array([0.9, 0.1, 0.8, 0.3, 0.2, 0.6])
    curve = profit_curve(
        y, s, value=100.0, offer_cost=10.0, save_rate=0.5, groups=[0, 0, 0, 1, 1, 1]
    )
    ax = plot_profit_curves(curve)
    assert len(ax.get_legend().get_texts()) == 2
    ax = plot_profit_curves(curve.drop(columns="group").iloc[:4], x="n_targeted")
    assert ax.get_xlabel() == "customers contacted"
    with pytest.raises(ValueError, match="curve must be a profit_curve table"):
        plot_profit_curves(curve, x="threshold")


def test_latency_and_contributions():
    res = measure_latency(lambda r: None, [None], n_calls=20, n_warmup=0)
    ax = plot_latency({"noop": res}, budget_ms=50)
    assert ax.get_xscale() == "log"
    assert "budget 50 ms" in [t.get_text() for t in ax.get_legend().get_texts()]
    c = pd.Series({"a": 0.5, "b": -1.0, "c": 0.1})
    ax = plot_contributions(c, row=pd.Series({"a": 1.234, "b": "x", "c": 3}))
    assert [t.get_text() for t in ax.get_yticklabels()] == ["c = 3", "a = 1.23", "b = x"]
    with pytest.raises(ValueError, match="results must be a non-empty mapping"):
        plot_latency({})
    with pytest.raises(ValueError, match="contributions must be a non-empty pandas Series"):
        plot_contributions(pd.Series(dtype=float))


def test_plots_reject_bad_input(scores):
    y, s = scores
    with pytest.raises(ValueError, match="y_true must contain exactly two classes"):
        plot_roc_comparison(np.zeros_like(y), s)
    with pytest.raises(ValueError, match=r"scores\['good'\] must be finite numbers"):
        plot_pr_comparison(y, {"good": np.full(len(y), np.nan)})
    frame = pd.DataFrame({"t": [1.0, 2.0], "plan": ["a", "b"]})
    with pytest.raises(ValueError, match="frame must contain only numeric columns"):
        plot_segment_profiles(frame, [0, 1])
    with pytest.raises(ValueError, match="labels must not contain NaN"):
        plot_segment_profiles(frame[["t"]], [0.0, np.nan])
    with pytest.raises(ValueError, match="frame must have at least one row"):
        plot_segment_profiles(frame[["t"]].iloc[:0], [])
    with pytest.raises(ValueError, match="rates must have at least one segment row"):
        plot_segment_rates(
            pd.DataFrame({"rate": [0.1], "low": [0.0], "high": [0.2]}, index=["all"])
        )
    curve = profit_curve([1, 0], [0.9, 0.1], value=100.0, offer_cost=10.0, save_rate=0.5)
    with pytest.raises(ValueError, match="curve must not be empty"):
        plot_profit_curves(curve.iloc[:0])
    with pytest.raises(TypeError, match=r"results\['x'\] must be a LatencyResult"):
        plot_latency({"x": [1.0]})
    res = measure_latency(lambda r: None, [None], n_calls=10, n_warmup=0)
    with pytest.raises(ValueError, match="budget_ms must be a positive number"):
        plot_latency({"noop": res}, budget_ms=-1.0)
    with pytest.raises(ValueError, match="contributions must be finite numbers"):
        plot_contributions(pd.Series({"a": np.inf}))
