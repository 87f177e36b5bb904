"""PR curves mark the operating point; comparison bars show every value."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from casebook.modeling.imbalance import recall_at_precision
from casebook.plots.imbalance import plot_comparison_bars, plot_pr_curves


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_pr_curves_mark_recall_at_precision():
    rng = np.random.default_rng(0)
    y = (rng.random(2000) < 0.05).astype(int)
    s = rng.random(2000) + y
    _, ax = plt.subplots()
    out = plot_pr_curves(
        {"good": (y, s), "random": (y, rng.random(2000))}, min_precision=0.5, ax=ax
    )
    assert out is ax
    assert ax.get_title() and ax.get_ylabel()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(t.startswith("good (PR-AUC") for t in labels)
    # the target precision is named in the legend, never as text the curves can run over
    assert "target precision 50%" in labels and not ax.texts
    op = recall_at_precision(y, s, min_precision=0.5)
    markers = [ln for ln in ax.lines if ln.get_marker() == "o"]
    assert len(markers) == 1  # the random model never reaches 50% precision
    assert markers[0].get_xdata()[0] == pytest.approx(op.recall)
    with pytest.raises(ValueError, match="at least one"):
        plot_pr_curves({})


def test_comparison_bars():
    t = pd.DataFrame(
        {"pr_auc": [0.3, 0.5, 0.1], "roc_auc": [0.9, 0.92, 0.8]}, index=["none", "smote", "under"]
    )
    ax = plot_comparison_bars(t, columns=["pr_auc", "roc_auc"], title="T", xlabel="score")
    widths = sorted(p.get_width() for p in ax.patches)
    assert widths == sorted([0.3, 0.5, 0.1, 0.9, 0.92, 0.8])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["none", "smote", "under"]
    with pytest.raises(ValueError, match="columns must be non-empty columns"):
        plot_comparison_bars(t, columns=["nope"], title="T", xlabel="x")


_Y = np.array([0, 1] * 10)
_S = np.linspace(0.05, 0.95, 20)


@pytest.mark.parametrize(
    ("curves", "error", "match"),
    [
        ({"m": (_Y[:-1], _S)}, ValueError, r"curves\['m'\]: .*y_true has 19, y_score has 20"),
        ({"m": (_Y, np.r_[np.nan, _S[1:]])}, ValueError, r"curves\['m'\]: y_score must be finite"),
        ({"m": (_Y, np.r_[np.inf, _S[1:]])}, ValueError, r"curves\['m'\]: y_score must be finite"),
        ({"m": (_Y, _S.astype(str))}, ValueError, r"curves\['m'\]: y_score must be numeric"),
        ({"m": (np.zeros(20, int), _S)}, ValueError, r"curves\['m'\]: y_true must contain at"),
        ({"m": (np.ones(20, int), _S)}, ValueError, r"curves\['m'\]: y_true must contain at"),
        ({"m": (_Y, _S, _S)}, TypeError, r"curves\['m'\] must be a pair \(y_true, y_score\)"),
        ([(_Y, _S)], TypeError, "curves must be a mapping name -> "),
    ],
)
def test_pr_curves_bad_input_names_the_entry(curves, error, match):
    with pytest.raises(error, match=match):
        plot_pr_curves(curves)


def test_comparison_bars_rejects_non_numeric_or_infinite_columns():
    t = pd.DataFrame({"pr_auc": [0.3, 0.5], "roc_auc": [0.9, 0.92]}, index=["a", "b"])
    with pytest.raises(TypeError, match=r"table\['pr_auc'\] must be numeric, got dtype str"):
        plot_comparison_bars(t.assign(pr_auc=["x", "y"]), columns=["pr_auc"], title="T", xlabel="x")
    with pytest.raises(ValueError, match=r"table\['roc_auc'\] must be finite"):
        plot_comparison_bars(
            t.assign(roc_auc=[np.inf, 0.9]), columns=["pr_auc", "roc_auc"], title="T", xlabel="x"
        )
    ax = plot_comparison_bars(
        t.assign(pr_auc=[np.nan, 0.5]), columns=["pr_auc"], title="T", xlabel="x"
    )
    assert len(ax.patches) == 2  # a missing value draws an empty bar, not an error


def test_comparison_bars_intervals_and_label_format():
    t = pd.DataFrame({"auc": [0.9, 0.7], "cost": [-1234.5, 5678.9]}, index=["a", "b"])
    ax = plot_comparison_bars(
        t,
        columns=["auc"],
        intervals={"auc": ([np.nan, 0.6], [np.nan, 0.8])},
        title="t",
        xlabel="x",
    )
    # the interval is drawn for row "b" only, and the x range makes room for it
    segments = [np.asarray(seg) for coll in ax.collections for seg in coll.get_segments()]
    drawn = [seg for seg in segments if seg.ndim == 2 and np.isfinite(seg).all()]
    assert len(drawn) == 1 and np.allclose(sorted(drawn[0][:, 0]), [0.6, 0.8])
    assert ax.get_xlim()[1] >= 0.8
    ax = plot_comparison_bars(t, columns=["cost"], title="t", xlabel="x", fmt="{:,.0f}")
    assert {txt.get_text() for txt in ax.texts} == {"-1,234", "5,679"}
    with pytest.raises(ValueError, match="intervals must be keyed by columns"):
        plot_comparison_bars(
            t, columns=["auc"], intervals={"cost": ([0, 0], [1, 1])}, title="t", xlabel="x"
        )
    with pytest.raises(ValueError, match=r"intervals\['auc'\] must be \(low, high\)"):
        plot_comparison_bars(
            t, columns=["auc"], intervals={"auc": ([0.1], [0.2])}, title="t", xlabel="x"
        )
    plt.close("all")
