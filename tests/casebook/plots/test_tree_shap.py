"""Tests for casebook.plots.tree_shap: the SHAP summary draws what it is given, bad input."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from casebook.plots.tree_shap import plot_shap_summary


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.fixture
def explained():
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"big": rng.normal(size=50), "small": rng.normal(size=50)})
    X["cat"] = rng.choice(["a", "b"], size=50)
    values = pd.DataFrame(
        {
            "big": 2 * X["big"],
            "small": 0.1 * X["small"],
            "cat": np.where(X["cat"] == "a", 0.5, -0.5),
        }
    )
    return values, X


def test_features_sorted_by_mean_abs_and_points_drawn(explained):
    values, X = explained
    ax = plot_shap_summary(values, X, title="t")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["small", "cat", "big"]  # largest mean |contribution| on top
    assert ax.get_title() == "t"
    assert "log-odds" in ax.get_xlabel()
    offsets = [c.get_offsets() for c in ax.collections]
    assert sum(len(o) for o in offsets) == values.size
    # each feature's dots sit at its own row, at the contribution values
    top = ax.collections[-1].get_offsets()
    np.testing.assert_allclose(np.sort(top[:, 0]), np.sort(values["big"].to_numpy()))
    assert np.all(np.abs(top[:, 1] - 2) <= 0.3)


def test_numeric_coloured_by_value_categorical_grey(explained):
    values, X = explained
    ax = plot_shap_summary(values, X)
    big = ax.collections[-1]  # numeric: a colour array from the value ranks
    ranks = X["big"].rank(pct=True).to_numpy()
    np.testing.assert_allclose(big.get_array(), ranks)
    cat = ax.collections[1]
    assert cat.get_array() is None


def test_max_features_and_given_axes(explained):
    values, X = explained
    fig, ax = plt.subplots()
    out = plot_shap_summary(values, X, max_features=1, ax=ax)
    assert out is ax
    assert [t.get_text() for t in ax.get_yticklabels()] == ["big"]


def test_bad_input(explained):
    values, X = explained
    with pytest.raises(ValueError, match="values must be a non-empty DataFrame"):
        plot_shap_summary(values.iloc[:0], X.iloc[:0])
    with pytest.raises(TypeError, match="X must be a pandas DataFrame"):
        plot_shap_summary(values, X.to_numpy())
    with pytest.raises(ValueError, match="values must be numeric"):
        plot_shap_summary(values.assign(big="x"), X)
    with pytest.raises(ValueError, match="values must be finite"):
        plot_shap_summary(values.assign(big=np.nan), X)
    with pytest.raises(ValueError, match=r"missing \['cat'\]"):
        plot_shap_summary(values, X.drop(columns="cat"))
    with pytest.raises(ValueError, match="X must have the same index as values"):
        plot_shap_summary(values, X.iloc[::-1])
    with pytest.raises(TypeError, match="max_features must be a positive integer"):
        plot_shap_summary(values, X, max_features=2.5)
    with pytest.raises(ValueError, match="max_features must be a positive integer"):
        plot_shap_summary(values, X, max_features=0)
