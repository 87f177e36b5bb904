"""Imbalanced evaluation: recall at precision, ranking scores, money, subsampling."""

import numpy as np
import pytest

from casebook.modeling.imbalance import (
    net_savings,
    ranking_scores,
    recall_at_precision,
    subsample_majority,
)


def test_recall_at_precision_brute_force():
    rng = np.random.default_rng(1)
    y = (rng.random(300) < 0.2).astype(int)
    s = rng.random(300) + y * 0.5
    op = recall_at_precision(y, s, min_precision=0.8)
    best = 0.0
    for t in np.unique(s):
        flag = s >= t
        if y[flag].mean() >= 0.8:
            best = max(best, y[flag].sum() / y.sum())
    assert op.recall == pytest.approx(best)
    assert op.precision >= 0.8
    assert ((s >= op.threshold) & (y == 1)).sum() / y.sum() == pytest.approx(op.recall)


def test_sample_weight_restores_prevalence():
    y = np.array([0, 0, 1, 1])
    s = np.array([0.9, 0.1, 0.8, 0.7])
    plain = recall_at_precision(y, s, min_precision=0.6)
    assert plain.recall == 1.0  # 2 of 3 flagged are frauds
    weighted = recall_at_precision(y, s, min_precision=0.6, sample_weight=[10, 10, 1, 1])
    assert weighted.recall == 0.0 and np.isnan(weighted.precision)
    assert weighted.threshold == np.inf
    rs = ranking_scores(y, s, sample_weight=[10, 10, 1, 1])
    assert rs.prevalence == pytest.approx(2 / 22)
    assert rs.roc_auc == pytest.approx(0.5)


def test_ranking_scores_random_baseline():
    rng = np.random.default_rng(2)
    y = (rng.random(20_000) < 0.01).astype(int)
    rs = ranking_scores(y, rng.random(20_000))
    assert abs(rs.roc_auc - 0.5) < 0.05
    assert rs.pr_auc < 3 * rs.prevalence


def test_metric_bad_input():
    with pytest.raises(ValueError, match="at least one positive"):
        recall_at_precision([0, 0], [0.1, 0.2], min_precision=0.5)
    with pytest.raises(ValueError, match="at least one negative"):
        ranking_scores([1, 1], [0.1, 0.2])
    with pytest.raises(ValueError, match="only 0 and 1"):
        ranking_scores([0, 2], [0.1, 0.2])
    with pytest.raises(ValueError, match="same length"):
        ranking_scores([0, 1], [0.1])
    with pytest.raises(ValueError, match="finite"):
        ranking_scores([0, 1], [0.1, np.nan])
    with pytest.raises(ValueError, match="sample_weight must be non-negative"):
        ranking_scores([0, 1], [0.1, 0.2], sample_weight=[1, -1])
    with pytest.raises(ValueError, match="min_precision must be in"):
        recall_at_precision([0, 1], [0.1, 0.2], min_precision=0)


def test_net_savings_by_hand_and_weights():
    y = [0, 1, 1, 0]
    s = [0.9, 0.8, 0.1, 0.2]
    m = net_savings(
        y, s, amount=[5, 100, 40, 7], threshold=0.5, review_cost=3, sample_weight=[10, 1, 1, 10]
    )
    assert m.alerts == 11 and m.caught_amount == 100 and m.missed_amount == 40
    assert m.net_savings == pytest.approx(100 - 33)
    none = net_savings(y, s, amount=[5, 100, 40, 7], threshold=np.inf, review_cost=3)
    assert none.alerts == 0 and none.net_savings == 0 and none.missed_amount == 140
    with pytest.raises(ValueError, match="amount must be finite"):
        net_savings(y, s, amount=[1, 2], threshold=0.5, review_cost=1)
    with pytest.raises(ValueError, match="review_cost must be non-negative"):
        net_savings(y, s, amount=[1, 2, 3, 4], threshold=0.5, review_cost=-1)


def test_subsample_majority_keeps_positives_and_restores_prevalence():
    y = (np.random.default_rng(0).random(50_000) < 0.01).astype(int)
    idx, w = subsample_majority(y, keep=0.1, seed=1)
    assert y[idx].sum() == y.sum()
    assert abs(len(idx) - (y.sum() + 0.1 * (y == 0).sum())) < 300
    assert w[y[idx] == 1].sum() / w.sum() == pytest.approx(y.mean(), rel=0.05)
    assert (np.diff(idx) > 0).all()
    with pytest.raises(ValueError, match="keep must be in"):
        subsample_majority(y, keep=0, seed=0)
    with pytest.raises(ValueError, match="only 0 and 1"):
        subsample_majority([0, 2], keep=0.5, seed=0)


# ---- bad input: every error names the parameter ------------------------------------

_Y = np.array([0, 1] * 10)
_S = np.linspace(0.05, 0.95, 20)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"y_score": _S.astype(str)}, ValueError, "y_score must be numeric"),
        ({"y_score": _S[:-1]}, ValueError, "y_true has 20, y_score has 19"),
        ({"y_score": np.r_[np.inf, _S[1:]]}, ValueError, "y_score must be finite"),
        ({"y_true": np.r_[7, _Y[1:]]}, ValueError, "y_true must contain only 0 and 1"),
        ({"y_true": [], "y_score": []}, ValueError, "y_true must not be empty"),
        ({"sample_weight": ["a"] * 20}, TypeError, "sample_weight must be numeric"),
        ({"sample_weight": np.r_[np.nan, np.ones(19)]}, ValueError, "sample_weight must be non"),
    ],
)
def test_scores_bad_input_names_the_parameter(kwargs, error, match):
    args = {"y_true": _Y, "y_score": _S} | kwargs
    for func, extra in [(ranking_scores, {}), (recall_at_precision, {"min_precision": 0.5})]:
        with pytest.raises(error, match=match):
            func(**args, **extra)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"review_cost": np.inf}, ValueError, "review_cost must be a finite number, got inf"),
        ({"review_cost": "3"}, TypeError, "review_cost must be a number, got str"),
        ({"threshold": np.nan}, ValueError, "threshold must be a finite number, got nan"),
        ({"y_score": _S.astype(str)}, ValueError, "y_score must be numeric"),
    ],
)
def test_net_savings_bad_input_names_the_parameter(kwargs, error, match):
    args = {"amount": np.arange(1.0, 21), "threshold": 0.5, "review_cost": 3.0} | kwargs
    y_score = args.pop("y_score", _S)
    with pytest.raises(error, match=match):
        net_savings(_Y, y_score, **args)


def test_net_savings_infinite_threshold_flags_nothing():
    m = net_savings(_Y, _S, amount=np.ones(20), threshold=np.inf, review_cost=1.0)
    assert (m.alerts, m.caught_amount, m.net_savings) == (0.0, 0.0, 0.0)
