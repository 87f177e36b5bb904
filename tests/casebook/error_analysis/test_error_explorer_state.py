"""Tests for casebook.error_analysis.error_explorer: per-slice confusion tables and the explorer state."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest
from sklearn.metrics import confusion_matrix

from casebook.error_analysis.error_explorer import (
    RATES,
    ErrorExplorerState,
    error_explorer_state,
    slice_confusion,
)


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    n = 600
    y = rng.integers(0, 2, n)
    score = np.clip(0.35 * y + rng.random(n) * 0.65, 0, 1)
    X = pd.DataFrame(
        {
            "length": rng.integers(1, 160, n),
            "kind": rng.choice(["chat", "work", "shop"], n),
            "ratio": np.where(rng.random(n) < 0.05, np.nan, rng.normal(size=n)),
        }
    )
    return X, y, score


def test_hand_checked_small_example():
    t = slice_confusion(
        ["ham", "ham", "spam", "spam", "ham", "spam", "ham"],
        [0.9, 0.2, 0.8, 0.3, 0.1, 0.7, 0.6],
        ["a", "a", "a", "b", "b", "b", "c"],
        threshold=0.5,
        fp_cost=10,
        fn_cost=1,
        labels=("ham", "spam"),
    )
    assert list(t.index) == ["a", "b", "c", "all"]
    # a: ham 0.9 -> FP, ham 0.2 -> TN, spam 0.8 -> TP; b: spam 0.3 -> FN, ham 0.1 -> TN, spam 0.7 -> TP
    assert t.loc["a", ["n", "tp", "fp", "tn", "fn"]].tolist() == [3, 1, 1, 1, 0]
    assert t.loc["b", ["n", "tp", "fp", "tn", "fn"]].tolist() == [3, 1, 0, 1, 1]
    assert t.loc["c", ["n", "tp", "fp", "tn", "fn"]].tolist() == [1, 0, 1, 0, 0]
    assert t.loc["all", ["n", "tp", "fp", "tn", "fn"]].tolist() == [7, 2, 2, 2, 1]
    assert t.loc["a", "cost"] == 10 and t.loc["b", "cost"] == 1 and t.loc["all", "cost"] == 21
    assert t.loc["all", "cost_per_row"] == pytest.approx(3.0)
    assert t.loc["a", "error_rate"] == pytest.approx(1 / 3)
    assert t.loc["a", "fpr"] == pytest.approx(0.5) and t.loc["b", "fnr"] == pytest.approx(0.5)
    assert t.loc["b", "tpr"] == pytest.approx(0.5) and t.loc["a", "precision"] == pytest.approx(0.5)
    assert t.loc["all", "selection_rate"] == pytest.approx(4 / 7)


def test_rates_with_an_empty_denominator_are_nan_not_zero():
    # slice "c" holds one negative only: no positives, so TPR/FNR are undefined; nothing
    # selected in "n", so precision is undefined there
    t = slice_confusion([1, 0, 0, 0], [0.9, 0.8, 0.1, 0.2], ["p", "c", "n", "n"], threshold=0.5)
    assert np.isnan(t.loc["c", "tpr"]) and np.isnan(t.loc["c", "fnr"])
    assert np.isnan(t.loc["n", "precision"]) and np.isnan(t.loc["p", "fpr"])
    assert t.loc["n", "fpr"] == 0.0 and t.loc["n", "error_rate"] == 0.0
    wide = slice_confusion([1, 0, 0, 0], [0.9, 0.8, 0.1, 0.2], ["p", "c", "n", "n"],
                           threshold=0.5, intervals=True)  # fmt: skip
    assert np.isnan(wide.loc["c", "tpr_low"]) and np.isnan(wide.loc["c", "tpr_high"])


def test_counts_equal_sklearn_confusion_matrix_on_every_slice(data):
    X, y, score = data
    slices = X["kind"].to_numpy()
    t = slice_confusion(y, score, slices, threshold=0.4)
    pred = (score >= 0.4).astype(int)
    for s in np.unique(slices):
        rows = slices == s
        tn, fp, fn, tp = confusion_matrix(y[rows], pred[rows], labels=[0, 1]).ravel()
        assert t.loc[s, ["tn", "fp", "fn", "tp"]].tolist() == [tn, fp, fn, tp]
    assert (
        t.loc["all", ["tn", "fp", "fn", "tp"]].tolist()
        == confusion_matrix(y, pred).ravel().tolist()
    )
    # the accounting identity: per-slice counts add up to the overall ones
    assert (t.drop(index="all")[["n", "tp", "fp", "tn", "fn"]].sum() == t.loc["all", ["n", "tp", "fp", "tn", "fn"]]).all()  # fmt: skip


def test_counts_equal_a_pandas_groupby_crosstab(data):
    X, y, score = data
    pred = score >= 0.6
    t = slice_confusion(y, score, X["kind"], threshold=0.6)
    cell = np.select([(y == 1) & pred, (y == 0) & pred, (y == 0) & ~pred], ["tp", "fp", "tn"], "fn")
    tab = pd.crosstab(X["kind"], cell)
    pd.testing.assert_frame_equal(
        t.drop(index="all")[["tp", "fp", "tn", "fn"]], tab[["tp", "fp", "tn", "fn"]],
        check_names=False, check_dtype=False,
    )  # fmt: skip
    by_hand = (
        pd.DataFrame({"kind": X["kind"], "err": (y == 1) != pred}).groupby("kind")["err"].mean()
    )
    np.testing.assert_allclose(t.loc[by_hand.index, "error_rate"], by_hand)


def test_wilson_intervals_equal_scipy(data):
    X, y, score = data
    t = slice_confusion(y, score, X["kind"], threshold=0.5, intervals=True, confidence=0.9)
    for s in t.index:
        k, n = int(t.loc[s, "fp"]), int(t.loc[s, "fp"] + t.loc[s, "tn"])
        ci = binomtest(k, n).proportion_ci(confidence_level=0.9, method="wilson")
        assert t.loc[s, "fpr_low"] == pytest.approx(ci.low)
        assert t.loc[s, "fpr_high"] == pytest.approx(ci.high)
    for rate in RATES:
        assert (t[f"{rate}_low"] <= t[rate]).all() and (t[rate] <= t[f"{rate}_high"]).all()


def test_per_row_thresholds_and_costs(data):
    X, y, score = data
    per_row = np.where(X["kind"] == "chat", 0.3, 0.7)
    amounts = np.linspace(1, 5, len(y))
    t = slice_confusion(y, score, X["kind"], threshold=per_row, fn_cost=amounts)
    pred = score >= per_row
    chat = X["kind"].to_numpy() == "chat"
    assert t.loc["chat", "tp"] == np.sum(pred & (y == 1) & chat)
    expected = np.sum((pred & (y == 0)) * 1.0 + ((~pred) & (y == 1)) * amounts)
    assert t.loc["all", "cost"] == pytest.approx(expected)


def test_missing_slice_labels_form_their_own_slice_and_categories_keep_order():
    t = slice_confusion([0, 1, 1, 0], [0.2, 0.9, 0.1, 0.6], ["b", None, "a", np.nan], threshold=0.5)
    assert list(t.index) == ["a", "b", "missing", "all"]
    assert t.loc["missing", "n"] == 2
    cat = pd.Categorical(["z", "a", "z", "a"], categories=["z", "a", "unused"])
    assert list(slice_confusion([0, 1, 1, 0], [0.2, 0.9, 0.1, 0.6], cat, threshold=0.5).index) == [
        "z", "a", "all",
    ]  # fmt: skip


def test_state_tables_comparison_and_summary(data):
    X, y, score = data
    views = {"shipped 0.5": (score, 0.5), "stricter 0.7": (score, 0.7)}
    state = error_explorer_state(X, y, views, by="length", fp_cost=5, min_support=10)
    assert isinstance(state, ErrorExplorerState) and state.names == ("shipped 0.5", "stricter 0.7")
    a, b = state.tables["shipped 0.5"], state.tables["stricter 0.7"]
    expected = slice_confusion(y, score, state_slices(X, "length"), threshold=0.5, fp_cost=5,
                               intervals=True)  # fmt: skip
    pd.testing.assert_frame_equal(a, expected)
    assert (state.comparison["fp"] == b["fp"] - a["fp"]).all()
    assert (state.comparison["fp"] <= 0).all()  # a higher threshold never adds a false positive
    assert (state.comparison["n"] == a["n"]).all()
    # numeric bins in the order of their values
    lows = [int(s.split("-")[0]) for s in state.slices]
    assert lows == sorted(lows) and len(lows) == 4
    lines = state.summary().splitlines()
    assert len(lines) == 2 and lines[0].startswith("shipped 0.5 (threshold 0.500)")
    assert f"{int(a.loc['all', 'fp']):,} false alarm(s)" in lines[0]


def state_slices(X, by):
    """The slice of each row as the state computes it (bins of a numeric column, in value order)."""
    from casebook.error_analysis.error_explorer import _slice_labels

    return _slice_labels(X[by], bins=4, strategy="quantile")


def test_state_missing_values_and_per_row_view(data):
    X, y, score = data
    views = {"single": (score, 0.5), "per group": (score, np.where(X["kind"] == "work", 0.4, 0.5))}
    state = error_explorer_state(X, y, views, by="ratio", min_support=5)
    assert state.slices[-1] == "missing"
    assert state.tables["single"].loc["missing", "n"] == X["ratio"].isna().sum()
    assert state.thresholds == {"single": 0.5, "per group": None}
    assert "per-row thresholds" in state.summary()
    one = error_explorer_state(X, y, {"only": (score, 0.5)}, by="kind")
    assert one.comparison is None and one.slices == ["chat", "shop", "work"]


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"threshold": "high"}, ValueError, r"threshold must be a number, got 'high'"),
        ({"threshold": float("nan")}, ValueError, r"threshold must be finite \(not NaN\)"),
        ({"threshold": True}, ValueError, r"threshold must be a number or one number per row"),
        (
            {"threshold": [0.5, 0.5]},
            ValueError,
            r"threshold must be a number or one number per row \(4\), got 2",
        ),
        ({"intervals": "yes"}, TypeError, r"intervals must be a bool, got str"),
        ({"confidence": 1.5}, ValueError, r"confidence must be in \(0, 1\), got 1.5"),
        ({"confidence": "high"}, ValueError, r"confidence must be a number in \(0, 1\)"),
        ({"fp_cost": -1}, ValueError, r"fp_cost must be finite and non-negative"),
        ({"slices": ["a", "b", "all", "a"]}, ValueError, r"slices must not use the label 'all'"),
        ({"slices": ["a", "b"]}, ValueError, r"slices has 2"),
        ({"slices": "ab"}, ValueError, r"slices must be 1-D with one label per row"),
        (
            {"slices": pd.Categorical([1, "1", 2, 2])},
            ValueError,
            r"slices must have distinct labels as strings",
        ),
        ({"y_score": [0.1, 0.2, 0.3]}, ValueError, r"y_score has 3"),
        ({"y_true": [0, 1, float("nan"), 1]}, ValueError, r"y_true must not contain NaN"),
    ],
)
def test_slice_confusion_bad_input(kwargs, exc, match):
    args = {"y_true": [0, 1, 0, 1], "y_score": [0.1, 0.9, 0.6, 0.4], "slices": ["a", "a", "b", "b"],
            "threshold": 0.5} | kwargs  # fmt: skip
    with pytest.raises(exc, match=match):
        slice_confusion(args.pop("y_true"), args.pop("y_score"), args.pop("slices"), **args)


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"X": [[1], [2]]}, TypeError, r"X must be a pandas DataFrame, got list"),
        ({"by": "nope"}, ValueError, r"by must name a column of X .*got 'nope'"),
        ({"views": [(1, 2)]}, TypeError, r"views must be a mapping name -> \(scores, threshold\)"),
        ({"views": {}}, ValueError, r"views must hold one or two views, got 0"),
        (
            {"views": {"a": 1, "b": 2, "c": 3}},
            ValueError,
            r"views must hold one or two views, got 3",
        ),
        ({"views": {1: ([0.1] * 4, 0.5)}}, TypeError, r"views must be keyed by non-empty names"),
        (
            {"views": {"a": [0.1] * 4}},
            TypeError,
            r"views\['a'\] must be a pair \(scores, threshold\)",
        ),
        ({"views": {"a": ([0.1] * 3, 0.5)}}, ValueError, r"y_score has 3"),
        ({"y_true": [0, 1, 1]}, ValueError, r"X has 4, y_true has 3"),
        ({"min_support": 0}, ValueError, r"min_support must be a positive integer, got 0"),
        ({"bins": 1}, ValueError, r"bins must be an integer >= 2, got 1"),
    ],
)
def test_error_explorer_state_bad_input(kwargs, exc, match):
    args = {
        "X": pd.DataFrame({"kind": ["a", "a", "b", "b"], "v": [1.0, 2.0, 3.0, 4.0]}),
        "y_true": [0, 1, 0, 1],
        "views": {"A": ([0.1, 0.9, 0.6, 0.4], 0.5), "B": ([0.1, 0.9, 0.6, 0.4], 0.7)},
        "by": "kind",
    } | kwargs
    with pytest.raises(exc, match=match):
        error_explorer_state(args.pop("X"), args.pop("y_true"), args.pop("views"), **args)
