"""Tests for casebook.plots.confusion."""

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from casebook.decisions.confusion import confusion_table
from casebook.plots import use_theme
from casebook.plots.confusion import (
    plot_confusion,
    plot_error_slices,
    plot_taxonomy,
)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.fixture
def table():
    return confusion_table(
        ["Home"] * 10 + ["Electronics"] * 5 + ["Clothing"] * 5,
        ["Home"] * 6 + ["Electronics"] * 4 + ["Electronics"] * 5 + ["Clothing"] * 5,
        labels=["Electronics", "Home", "Clothing"],
    )


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def test_counts_heatmap_annotates_counts(table):
    fig, ax = plt.subplots()
    out = plot_confusion(table, ax=ax)
    assert out is ax
    assert "4" in _texts(ax) and "6" in _texts(ax)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Electronics", "Home", "Clothing"]
    assert ax.get_ylabel() == "true class"
    assert ax.get_title() == "Confusion matrix (counts)"


def test_rates_heatmap_row_normalised_with_counts(table):
    ax = plot_confusion(table, normalize="true", title="custom")
    texts = _texts(ax)
    assert "40%\n(4)" in texts and "60%\n(6)" in texts
    assert ax.get_title() == "custom"
    np.testing.assert_allclose(ax.images[0].get_array().sum(axis=1), 1.0)


def test_empty_row_shows_na():
    t = confusion_table(["a", "a"], ["a", "b"], labels=["a", "b"])
    ax = plot_confusion(t, normalize="true", colorbar=False)
    assert "n/a" in _texts(ax)


def test_accepts_counts_frame(table):
    ax = plot_confusion(table.counts)
    assert len(ax.texts) == 9


def test_plot_confusion_bad_input(table):
    with pytest.raises(ValueError, match="normalize must be"):
        plot_confusion(table, normalize="all")
    with pytest.raises(TypeError, match="ConfusionTable or a square"):
        plot_confusion(np.eye(2))
    with pytest.raises(TypeError, match="ConfusionTable or a square"):
        plot_confusion(pd.DataFrame(np.ones((2, 3))))


def test_taxonomy_bars_sorted_other_grey():
    tax = pd.DataFrame(
        {"count": [5, 2, 3], "share": [0.5, 0.2, 0.3]}, index=["numbers", "other", "money"]
    )
    ax = plot_taxonomy(tax)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["other", "money", "numbers"]
    assert [p.get_width() for p in ax.patches] == [2, 3, 5]
    assert ax.patches[0].get_facecolor()[:3] == pytest.approx((0.6, 0.6, 0.6))
    assert " 5 (50%)" in _texts(ax)
    with pytest.raises(ValueError, match="'count' and 'share'"):
        plot_taxonomy(pd.DataFrame({"count": [1]}))


def test_slice_bars():
    s = pd.DataFrame(
        {
            "feature": ["brand", "brand & n_words"],
            "slice": ["Nova", "Nova & (0, 5]"],
            "n": [100, 40],
            "error_rate": [0.3, 0.5],
            "lift": [3.0, 5.0],
        }
    )
    ax = plot_error_slices(s, overall=0.1, top=2)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["brand = Nova & n_words = (0, 5]", "brand = Nova"]  # every part named
    assert ax.get_legend() is not None
    with pytest.raises(ValueError, match="slices must be a DataFrame"):
        plot_error_slices(pd.DataFrame({"slice": ["a"]}))


def test_use_theme_is_opt_in():
    before = dict(matplotlib.rcParams)
    import importlib

    import casebook.plots.confusion as mod

    importlib.reload(mod)
    assert dict(matplotlib.rcParams) == before
    with matplotlib.rc_context():
        use_theme()
        assert matplotlib.rcParams["axes.spines.right"] is False
    with pytest.raises(ValueError, match="font_scale must be a positive number"):
        use_theme(font_scale=0)


def test_taxonomy_and_slices_plots_reject_empty_tables():
    with pytest.raises(ValueError, match="taxonomy must have at least one category row, got 0"):
        plot_taxonomy(pd.DataFrame({"count": [], "share": []}))
    empty = pd.DataFrame(columns=["feature", "slice", "n", "error_rate", "lift"])
    with pytest.raises(ValueError, match="slices must have at least one slice row, got 0"):
        plot_error_slices(empty)
    s = pd.DataFrame(
        {"feature": ["g"], "slice": ["a"], "n": [50], "error_rate": [0.4], "lift": [1.6]}
    )
    with pytest.raises(ValueError, match="top must be a positive integer, got 0"):
        plot_error_slices(s, top=0)
    plt.close("all")


def test_plots_name_missing_values():
    tax = pd.DataFrame({"count": [3, None], "share": [0.75, 0.25]}, index=["a", "other"])
    with pytest.raises(ValueError, match=r"taxonomy\['count'\] must have no missing values"):
        plot_taxonomy(tax)
    s = pd.DataFrame({"feature": ["g", None], "slice": ["a", "b"], "n": [50, 50],
                      "error_rate": [0.4, 0.1], "lift": [1.6, 0.4]})  # fmt: skip
    with pytest.raises(ValueError, match=r"slices must have no missing values.*'feature'"):
        plot_error_slices(s)
    plt.close("all")
