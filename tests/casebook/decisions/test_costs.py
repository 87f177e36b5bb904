"""Tests for casebook.decisions.costs: exactness against brute force, ties, per-example costs, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import confusion_matrix, roc_curve

from casebook.decisions.costs import (
    CostMatrix,
    ThresholdChoice,
    cost_curve,
    cost_optimal_threshold,
    expected_cost,
    operating_point,
    threshold_for_budget,
)


def brute_force(y, s, fp, fn, tp=0.0, tn=0.0):
    """Cost at every candidate threshold by re-counting, the slow obvious way."""
    y = np.asarray(y)
    s = np.asarray(s, dtype=float)
    out = {}
    for t in np.concatenate(([np.inf], np.unique(s))):
        pred = (s >= t).astype(int)
        out[float(t)] = expected_cost(y, pred, fp_cost=fp, fn_cost=fn, tp_cost=tp, tn_cost=tn)
    return out


@st.composite
def binary_problem(draw):
    n = draw(st.integers(min_value=2, max_value=40))
    y = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    if len(set(y)) < 2:
        y[0], y[1] = 0, 1
    # few distinct values on a coarse grid: plenty of ties
    s = draw(st.lists(st.integers(0, 6), min_size=n, max_size=n))
    per_example = draw(st.booleans())
    if per_example:
        fp = draw(st.lists(st.integers(0, 9), min_size=n, max_size=n))
        fn = draw(st.lists(st.integers(0, 50), min_size=n, max_size=n))
    else:
        fp = draw(st.integers(0, 9))
        fn = draw(st.integers(0, 50))
    tp = draw(st.integers(0, 3))
    tn = draw(st.integers(0, 3))
    return np.array(y), np.array(s) / 6.0, fp, fn, tp, tn


@settings(max_examples=150, deadline=None)
@given(binary_problem())
def test_cost_optimal_threshold_matches_brute_force(problem):
    y, s, fp, fn, tp, tn = problem
    choice = cost_optimal_threshold(y, s, fp_cost=fp, fn_cost=fn, tp_cost=tp, tn_cost=tn)
    costs = brute_force(y, s, fp, fn, tp, tn)
    best = min(costs.values())
    assert choice.cost == pytest.approx(best)
    assert costs[choice.threshold] == pytest.approx(choice.cost)
    # ties: the highest threshold among the optimal ones
    assert choice.threshold == max(t for t, c in costs.items() if np.isclose(c, best))
    # counts describe the chosen threshold
    pred = s >= choice.threshold
    assert choice.tp == int(np.sum(pred & (y == 1)))
    assert choice.fp == int(np.sum(pred & (y == 0)))
    assert choice.fn == int(np.sum(~pred & (y == 1)))
    assert choice.tn == int(np.sum(~pred & (y == 0)))


@settings(max_examples=60, deadline=None)
@given(binary_problem())
def test_cost_curve_matches_brute_force_everywhere(problem):
    y, s, fp, fn, tp, tn = problem
    curve = cost_curve(y, s, fp_cost=fp, fn_cost=fn, tp_cost=tp, tn_cost=tn)
    costs = brute_force(y, s, fp, fn, tp, tn)
    assert len(curve) == len(costs)
    for t, c in zip(curve["threshold"], curve["cost"], strict=True):
        assert costs[float(t)] == pytest.approx(c)
    assert curve["threshold"].is_monotonic_decreasing


def test_counts_agree_with_sklearn_roc_curve():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 500)
    s = np.round(rng.random(500), 2)  # ties
    curve = cost_curve(y, s, fp_cost=1, fn_cost=1)
    fpr, tpr, thr = roc_curve(y, s, drop_intermediate=False)
    np.testing.assert_allclose(curve["tpr"], tpr)
    np.testing.assert_allclose(curve["fpr"], fpr)
    np.testing.assert_allclose(curve["threshold"].to_numpy()[1:], thr[1:])


def test_ties_are_never_split():
    # three tied scores: two negatives, one positive
    y = [0, 0, 1, 1]
    s = [0.5, 0.5, 0.5, 0.9]
    choice = cost_optimal_threshold(y, s, fp_cost=1, fn_cost=1.5)
    # flagging the tie costs 2 FP; leaving it costs 1.5 FN: keep 0.9
    assert choice.threshold == 0.9
    assert (choice.tp, choice.fp, choice.fn) == (1, 0, 1)
    assert choice.cost == 1.5


def test_flag_nothing_can_win():
    choice = cost_optimal_threshold([0, 0, 1], [0.9, 0.8, 0.1], fp_cost=10, fn_cost=1)
    assert choice.threshold == np.inf
    assert (choice.tp, choice.fp) == (0, 0)
    assert choice.predict([0.99, 1.0]).tolist() == [False, False]


def test_per_example_costs_fraud_style():
    # a missed fraud costs its amount, a flag a fixed fee of 5
    y = np.array([1, 1, 0, 0, 0])
    s = np.array([0.9, 0.2, 0.3, 0.1, 0.05])
    amount = np.array([1000.0, 3.0, 50.0, 20.0, 10.0])
    choice = cost_optimal_threshold(y, s, fp_cost=5.0, fn_cost=np.where(y == 1, amount, 0.0))
    # catching the 3-dollar fraud would need 2 reviews at 5 each (threshold 0.2): not worth it
    assert choice.threshold == 0.9
    assert choice.cost == 3.0
    assert expected_cost(y, choice.predict(s).astype(int), fp_cost=5.0, fn_cost=amount) == 3.0


def test_threshold_choice_properties():
    c = ThresholdChoice(threshold=0.5, cost=3.0, tp=8, fp=2, tn=88, fn=2)
    assert c.n == 100
    assert c.recall == 0.8
    assert c.precision == 0.8
    assert c.specificity == pytest.approx(88 / 90)
    assert c.fpr == pytest.approx(2 / 90)
    assert c.flag_rate == 0.1
    assert np.isnan(ThresholdChoice(np.inf, None, 0, 0, 5, 5).precision)


def test_string_labels():
    y = np.array(["ham", "spam", "spam", "ham"])
    s = [0.1, 0.8, 0.6, 0.7]
    choice = cost_optimal_threshold(y, s, fp_cost=5, fn_cost=1, labels=("ham", "spam"))
    assert choice.threshold == 0.8
    assert expected_cost(y, ["ham"] * 4, fp_cost=1, fn_cost=2, labels=("ham", "spam")) == 4.0


def test_expected_cost_normalize_and_matrix():
    assert expected_cost([0, 1], [1, 1], fp_cost=2, fn_cost=9, normalize=True) == 1.0
    cm = CostMatrix.from_mapping(
        {("Home", "Electronics"): 40}, labels=["Electronics", "Home", "Clothing"], default=5
    )
    y = ["Home", "Home", "Clothing", "Electronics"]
    p = ["Electronics", "Home", "Home", "Electronics"]
    assert expected_cost(y, p, cost_matrix=cm) == 45.0
    assert expected_cost(y, p, cost_matrix=cm, normalize=True) == 45.0 / 4


def test_expected_cost_allows_one_class_batch():
    assert expected_cost([0, 0], [1, 0], fp_cost=3, fn_cost=1) == 3.0


def test_threshold_for_budget():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 300)
    s = np.clip(0.3 * y + rng.normal(0.4, 0.2, 300), 0, 1)
    n_neg = int((y == 0).sum())
    c = threshold_for_budget(y, s, max_fp=10)
    assert c.fp <= 10
    # nothing with fp <= 10 has higher recall
    curve = cost_curve(y, s, fp_cost=1, fn_cost=1)
    assert c.tp == curve.loc[curve["fp"] <= 10, "tp"].max()
    c2 = threshold_for_budget(y, s, max_fpr=0.05)
    assert c2.fp <= 0.05 * n_neg
    c3 = threshold_for_budget(y, s, min_recall=0.98)
    assert c3.recall >= 0.98
    feasible = curve[curve["tpr"] >= 0.98]
    assert c3.fp == feasible["fp"].min()
    c4 = threshold_for_budget(y, s, min_recall=0.5, max_fp=40)
    assert c4.recall >= 0.5 and c4.fp <= 40
    assert c4.cost is None


def test_threshold_for_budget_agrees_with_confusion_matrix():
    y = np.array([0, 1, 0, 1, 1, 0, 0, 1])
    s = np.array([0.2, 0.9, 0.6, 0.4, 0.7, 0.1, 0.3, 0.8])
    c = threshold_for_budget(y, s, min_recall=0.75)
    tn, fp, fn, tp = confusion_matrix(y, (s >= c.threshold).astype(int), labels=[0, 1]).ravel()
    assert (c.tn, c.fp, c.fn, c.tp) == (tn, fp, fn, tp)
    assert (c.threshold, c.fp) == (0.7, 0)


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"y_true": [0, 1, 1], "y_score": [0.1, 0.2]}, r"same length.*y_true has 3.*y_score has 2"),
        ({"y_true": [0, 1], "y_score": [0.1, np.nan]}, r"y_score must be finite.*nan"),
        ({"y_true": [0, 1], "y_score": [0.1, np.inf]}, r"y_score must be finite.*inf"),
        (
            {"y_true": [0, 2], "y_score": [0.1, 0.2]},
            r"y_true contains values not in labels=\(0, 1\).*2",
        ),
        ({"y_true": [1, 1], "y_score": [0.1, 0.2]}, r"y_true must contain both classes.*only 1"),
        ({"y_true": [0, 1], "y_score": ["a", "b"]}, r"y_score must be numeric"),
        ({"y_true": [[0, 1]], "y_score": [0.1, 0.2]}, r"y_true must be 1-dimensional.*\(1, 2\)"),
        ({"y_true": [], "y_score": []}, r"y_true must not be empty"),
        (
            {"y_true": [0, 1], "y_score": [0.1, 0.2], "fp_cost": -1},
            r"fp_cost must be finite and non-negative, got -1",
        ),
        (
            {"y_true": [0, 1], "y_score": [0.1, 0.2], "fn_cost": [1, 2, 3]},
            r"fn_cost must be a scalar or a 1-D array.*length 2.*\(3,\)",
        ),
        (
            {"y_true": [0, 1], "y_score": [0.1, 0.2], "fn_cost": [1, -2]},
            r"fn_cost must be finite and non-negative.*-2",
        ),
        (
            {"y_true": [0, 1], "y_score": [0.1, 0.2], "tp_cost": np.nan},
            r"tp_cost must be finite and non-negative, got nan",
        ),
        ({"y_true": [0, 1], "y_score": [0.1, 0.2], "tn_cost": "x"}, r"tn_cost must be numeric"),
        ({"y_true": [0, 1], "y_score": [0.1, 0.2], "labels": (1,)}, r"labels must be a pair"),
        (
            {"y_true": [0, 1], "y_score": [0.1, 0.2], "labels": (1, 1)},
            r"labels must be two different",
        ),
        ({"y_true": [0, np.nan], "y_score": [0.1, 0.2]}, r"y_true must not contain NaN"),
    ],
)
def test_cost_optimal_threshold_bad_input(kwargs, match):
    args = {"fp_cost": 1, "fn_cost": 5, **kwargs}
    with pytest.raises(ValueError, match=match):
        cost_optimal_threshold(args.pop("y_true"), args.pop("y_score"), **args)


def test_cost_curve_bad_input():
    with pytest.raises(ValueError, match=r"y_score must be finite"):
        cost_curve([0, 1], [np.nan, 1.0], fp_cost=1, fn_cost=1)


def test_expected_cost_bad_input():
    with pytest.raises(ValueError, match=r"y_pred contains values not in labels"):
        expected_cost([0, 1], [0, 7], fp_cost=1, fn_cost=1)
    with pytest.raises(ValueError, match=r"same length.*y_true has 2.*y_pred has 3"):
        expected_cost([0, 1], [0, 1, 1], fp_cost=1, fn_cost=1)
    with pytest.raises(ValueError, match=r"fp_cost and fn_cost are required.*fn_cost=None"):
        expected_cost([0, 1], [0, 1], fp_cost=1)
    cm = CostMatrix.from_binary(fp_cost=1, fn_cost=2)
    with pytest.raises(ValueError, match=r"either cost_matrix or fp_cost"):
        expected_cost([0, 1], [0, 1], fp_cost=1, cost_matrix=cm)
    with pytest.raises(TypeError, match=r"cost_matrix must be a CostMatrix, got dict"):
        expected_cost([0, 1], [0, 1], cost_matrix={"a": 1})
    with pytest.raises(ValueError, match=r"y_true contains values not in labels=\(0, 1\): \[5\]"):
        expected_cost([0, 5], [0, 1], cost_matrix=cm)
    with pytest.raises(
        ValueError, match=r"fp_cost must be a non-negative number or array, got True"
    ):
        expected_cost([0, 1], [0, 1], fp_cost=True, fn_cost=1)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({}, r"at least one of max_fpr, max_fp or min_recall"),
        ({"max_fpr": 1.5}, r"max_fpr must be a number in \[0, 1\], got 1.5"),
        ({"min_recall": -0.1}, r"min_recall must be a number in \[0, 1\], got -0.1"),
        ({"max_fp": -1}, r"max_fp must be a non-negative integer, got -1"),
        ({"max_fp": 2.5}, r"max_fp must be a non-negative integer, got 2.5"),
        ({"min_recall": 1.0, "max_fp": 0}, r"no threshold meets"),
    ],
)
def test_threshold_for_budget_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        threshold_for_budget([0, 1, 0, 1], [0.9, 0.2, 0.3, 0.8], **kwargs)


def test_threshold_for_budget_one_class():
    with pytest.raises(ValueError, match=r"both classes"):
        threshold_for_budget([0, 0], [0.1, 0.2], max_fp=1)


def test_operating_point_matches_confusion_matrix():
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, 200)
    s = rng.random(200)
    p = operating_point(y, s, threshold=0.3, fp_cost=2, fn_cost=np.arange(200.0))
    tn, fp, fn, tp = confusion_matrix(y, (s >= 0.3).astype(int), labels=[0, 1]).ravel()
    assert (p.tn, p.fp, p.fn, p.tp) == (tn, fp, fn, tp)
    assert p.cost == expected_cost(y, (s >= 0.3).astype(int), fp_cost=2, fn_cost=np.arange(200.0))
    assert operating_point(y, s, threshold=0.3).cost is None
    # at the chosen optimum it reproduces the search
    best = cost_optimal_threshold(y, s, fp_cost=1, fn_cost=4)
    assert operating_point(y, s, threshold=best.threshold, fp_cost=1, fn_cost=4) == best
    # one-class data is fine for describing a fixed threshold
    assert operating_point([0, 0], [0.1, 0.9], threshold=0.5).fp == 1


@pytest.mark.parametrize(
    ("threshold", "match"),
    [("0.5", r"threshold must be a number, got '0.5'"), (np.nan, r"threshold must not be NaN")],
)
def test_operating_point_bad_threshold(threshold, match):
    with pytest.raises(ValueError, match=match):
        operating_point([0, 1], [0.1, 0.9], threshold=threshold)


def test_operating_point_bad_input():
    with pytest.raises(ValueError, match=r"same length.*y_true has 2.*y_score has 3"):
        operating_point([0, 1], [0.1, 0.9, 0.3], threshold=0.5)
    with pytest.raises(ValueError, match=r"fp_cost and fn_cost are required"):
        operating_point([0, 1], [0.1, 0.9], threshold=0.5, fp_cost=1)
