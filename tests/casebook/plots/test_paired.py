"""The paired-comparison figure shows which changes the sample can tell from no change."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from casebook.plots.paired import plot_decision_comparison


def test_plot_decision_comparison_colours_intervals_that_exclude_zero():
    from casebook.fairness.paired import compare_decisions

    rng = np.random.default_rng(0)
    g = rng.choice(["f", "m"], 2000)
    y = rng.integers(0, 2, 2000)
    a = (rng.random(2000) < 0.4).astype(int)
    b = np.where(g == "f", 1, a)
    t = compare_decisions(y, a, b, sensitive_features=g, n_resamples=200)
    ax = plot_decision_comparison(t, metrics=["selection_rate_f", "selection_rate_m"])
    colours = [tuple(c) for c in ax.collections[0].get_colors()]
    assert colours[0] != colours[1]  # f changed (excludes zero), m did not
    assert ax.get_title() and ax.get_xlabel()
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="metrics must be rows of table"):
        plot_decision_comparison(t, metrics=["nope"])
    with pytest.raises(ValueError, match="labels must have one name per metric"):
        plot_decision_comparison(t, metrics=["accuracy"], labels=["a", "b"])
    with pytest.raises(ValueError, match="table is missing column"):
        plot_decision_comparison(t.drop(columns="low"))
    with pytest.raises(TypeError, match="table must be a pandas DataFrame"):
        plot_decision_comparison([1, 2])
    with pytest.raises(ValueError, match="table must be finite"):
        plot_decision_comparison(t.assign(low=np.nan), metrics=["accuracy"])
