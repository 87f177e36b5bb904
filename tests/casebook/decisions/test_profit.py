"""Tests for casebook.decisions.profit."""

import numpy as np
import pandas as pd
import pytest

from casebook.decisions.profit import best_targeting, break_even_probability, profit_curve

ECON = {"value": 100.0, "offer_cost": 10.0, "save_rate": 0.5}


def test_profit_curve_matches_hand_computation():
    curve = profit_curve([0, 1, 1, 0], [0.1, 0.9, 0.7, 0.8], **ECON)
    # order: 0.9 (churner +40), 0.8 (stayer -10), 0.7 (churner +40), 0.1 (stayer -10)
    assert curve["profit"].tolist() == [0.0, 40.0, 30.0, 70.0, 60.0]
    assert curve["churners_reached"].tolist() == [0, 1, 1, 2, 2]
    assert curve["depth"].tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert np.isinf(curve["threshold"].iloc[0])
    plan = best_targeting(curve)
    assert (plan.n_targeted, plan.threshold, plan.profit, plan.profit_all) == (3, 0.7, 70.0, 60.0)


def test_per_customer_value():
    curve = profit_curve([1, 1], [0.9, 0.8], value=[100.0, 300.0], offer_cost=10.0, save_rate=0.5)
    assert curve["profit"].tolist() == [0.0, 40.0, 180.0]


def test_break_even_threshold_is_where_expected_gain_changes_sign():
    rng = np.random.default_rng(0)
    p = rng.uniform(size=200_000)
    y = (rng.uniform(size=p.size) < p).astype(int)
    t = break_even_probability(**ECON)
    assert t == pytest.approx(0.2)
    plan = best_targeting(profit_curve(y, p, **ECON))
    # with calibrated scores the best realized threshold is close to break-even
    assert plan.threshold == pytest.approx(t, abs=0.02)


def test_grouped_curves_rank_within_each_segment():
    y = [1, 0, 0, 1, 0]
    s = [0.9, 0.2, 0.8, 0.1, 0.05]
    g = ["a", "a", "b", "b", "b"]
    curve = profit_curve(y, s, groups=g, **ECON)
    assert set(curve["group"]) == {"a", "b"}
    a = curve[curve["group"] == "a"]
    assert a["profit"].tolist() == [0.0, 40.0, 30.0]
    plans = best_targeting(curve)
    assert plans["a"].n_targeted == 1
    assert plans["b"].n_targeted == 2 and plans["b"].profit == pytest.approx(30.0)
    assert plans["b"].depth == pytest.approx(2 / 3)


def test_no_one_targeted_when_offers_never_pay():
    plan = best_targeting(profit_curve([0, 0, 1], [0.3, 0.2, 0.1], **ECON | {"offer_cost": 60.0}))
    assert plan.n_targeted == 0 and plan.profit == 0.0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"y_true": [0, 2]}, "y_true must contain only 0 and 1"),
        ({"y_score": [0.1]}, "y_true and y_score must be 1-D with the same"),
        ({"y_score": [np.nan, 0.1]}, "y_score must be finite"),
        ({"value": -1.0}, "value must be positive and finite"),
        ({"value": [1.0, 2.0, 3.0]}, "value must be a number or one per customer"),
        ({"offer_cost": -1.0}, "offer_cost must be a non-negative number"),
        ({"save_rate": 0.0}, "save_rate must be in"),
        ({"groups": ["a"]}, "groups must have one entry per customer"),
    ],
)
def test_profit_curve_rejects_bad_input(kwargs, match):
    args = {"y_true": [0, 1], "y_score": [0.2, 0.8], **ECON, **kwargs}
    with pytest.raises(ValueError, match=match):
        profit_curve(args.pop("y_true"), args.pop("y_score"), **args)


def test_best_targeting_rejects_bad_curve():
    with pytest.raises(ValueError, match="curve must be a profit_curve DataFrame"):
        best_targeting(pd.DataFrame({"x": [1]}))
    with pytest.raises(ValueError, match="curve must not be empty"):
        best_targeting(profit_curve([0], [0.1], **ECON).iloc[:0])
    with pytest.raises(ValueError, match="save_rate must be in"):
        break_even_probability(value=1.0, offer_cost=1.0, save_rate=2.0)


def test_profit_curve_rejects_non_numeric_scores():
    with pytest.raises(TypeError, match="y_score must be numeric"):
        profit_curve([0, 1], ["a", "b"], **ECON)


def test_uplift_by_group_recovers_planted_effects():
    from casebook.decisions.profit import uplift_by_group

    # planted truth: persuadables (offer cuts churn 0.5 -> 0.2), lost causes (0.8 -> 0.8),
    # sleeping dogs (0.1 -> 0.2: the call drives them away)
    rng = np.random.default_rng(0)
    n = 30_000
    group = rng.choice(["lost", "persuadable", "sleeping"], n)
    base = pd.Series(group).map({"lost": 0.8, "persuadable": 0.5, "sleeping": 0.1}).to_numpy()
    effect = pd.Series(group).map({"lost": 0.0, "persuadable": 0.3, "sleeping": -0.1}).to_numpy()
    treated = rng.random(n) < 0.5
    y = (rng.random(n) < base - treated * effect).astype(int)
    table = uplift_by_group(y, treated.astype(int), group)
    truth = {"lost": 0.0, "persuadable": 0.3, "sleeping": -0.1}
    for g, true_uplift in truth.items():
        assert table.loc[g, "low"] < true_uplift < table.loc[g, "high"], g
        assert abs(table.loc[g, "uplift"] - true_uplift) < 0.03, g
    assert table.loc["lost", "churn_control"] > table.loc["persuadable", "churn_control"]
    assert table.loc["sleeping", "high"] < 0  # the harm is detected, not just guessed
    assert (table["n_treated"] + table["n_control"]).sum() == n


def test_uplift_by_group_without_control_is_nan():
    from casebook.decisions.profit import uplift_by_group

    table = uplift_by_group([1, 0, 1], [1, 1, 0], ["a", "a", "b"])
    assert np.isnan(table.loc["a", "uplift"]) and np.isnan(table.loc["b", "uplift"])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"y": [1, 2, 0]}, "y must contain only 0 and 1"),
        ({"treated": [1, 0, 3]}, "treated must contain only 0 and 1"),
        ({"groups": ["a", "b"]}, "y, treated and groups must have the same length"),
        ({"groups": [["a"], ["b"], ["c"]]}, "groups must be one-dimensional"),
        ({"y": [], "treated": [], "groups": []}, "y must not be empty"),
        ({"confidence": 1.5}, "confidence must be in"),
    ],
)
def test_uplift_by_group_rejects_bad_input(kwargs, match):
    from casebook.decisions.profit import uplift_by_group

    args = {"y": [1, 0, 1], "treated": [1, 0, 0], "groups": ["a", "a", "b"], **kwargs}
    with pytest.raises(ValueError, match=match):
        uplift_by_group(args.pop("y"), args.pop("treated"), args.pop("groups"), **args)
