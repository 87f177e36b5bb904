"""Notebook 10's answer key: an independent average precision passes, typical slips are rejected."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
from sklearn.metrics import average_precision_score
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier

from casebook.course.answer_keys.nb10 import KEY
from casebook.modeling.imbalance import subsample_majority
from casebook.synthetic.fraud import fraud_feature_matrix, make_fraud_transactions


def loop_average_precision(y_true, score, *, sample_weight=None):
    """Plain Python: one step per distinct score, from the highest down."""
    y, s = list(y_true), [float(v) for v in score]
    w = [1.0] * len(y) if sample_weight is None else [float(v) for v in sample_weight]
    if not (len(y) == len(s) == len(w)):
        raise ValueError("y_true, score and sample_weight must have the same length")
    if any(math.isnan(v) for v in s) or any(v < 0 for v in w) or set(y) - {0, 1}:
        raise ValueError("scores must be numbers, weights non-negative, labels 0 or 1")
    positives = sum(wi for yi, wi in zip(y, w, strict=True) if yi == 1)
    if not any(yi == 1 for yi in y):
        raise ValueError("y_true needs at least one positive")
    ap, recalled = 0.0, 0.0
    for t in sorted(set(s), reverse=True):
        flagged = [i for i in range(len(y)) if s[i] >= t]
        tp = sum(w[i] for i in flagged if y[i] == 1)
        precision = tp / sum(w[i] for i in flagged)
        ap += precision * (tp / positives - recalled)
        recalled = tp / positives
    return ap


def test_independent_average_precision_passes():
    assert KEY.check("implement_average_precision", loop_average_precision) is None


def test_typical_wrong_average_precisions_are_rejected():
    def sklearn_without_checks(y_true, score, *, sample_weight=None):
        return float(average_precision_score(y_true, score, sample_weight=sample_weight))

    def precision_at_the_top_half(y_true, score, *, sample_weight=None):
        loop_average_precision(y_true, score, sample_weight=sample_weight)
        order = np.argsort(-np.asarray(score, dtype=float))[: max(1, len(score) // 2)]
        return float(np.mean(np.asarray(y_true)[order]))

    message = KEY.check("implement_average_precision", sklearn_without_checks)
    assert message.startswith("case '"), message
    assert "bad input" in message
    message = KEY.check("implement_average_precision", precision_at_the_top_half)
    assert message.startswith("case 'typical'"), message


def test_pr_auc_at_double_fraud_rate_on_a_small_set():
    model = DecisionTreeClassifier(max_depth=3, random_state=0)
    inputs = {"model": model, "n_transactions": 20_000, "legit_keep": 0.2, "seed": 1}
    tx = make_fraud_transactions(20_000, fraud_rate=0.0016, seed=1)
    keep, w = subsample_majority(tx["is_fraud"], keep=0.2, seed=1)
    X, y = fraud_feature_matrix(tx.iloc[keep]), tx["is_fraud"].to_numpy()[keep]
    a, b = train_test_split(np.arange(len(y)), test_size=0.5, stratify=y, random_state=1)
    s = (
        DecisionTreeClassifier(max_depth=3, random_state=0)
        .fit(X[a], y[a])
        .predict_proba(X[b])[:, 1]
    )
    right = average_precision_score(y[b], s, sample_weight=w[b])
    unweighted = average_precision_score(y[b], s)
    assert KEY.check("pr_auc_at_double_fraud_rate", right, inputs=inputs) is None
    assert KEY.check("pr_auc_at_double_fraud_rate", unweighted, inputs=inputs) is not None
    assert "typical slip" in KEY.check("pr_auc_at_double_fraud_rate", 0.99, inputs=inputs)
    assert not hasattr(model, "tree_"), "the reference must not refit the notebook's model"


def test_honest_protocol_choice():
    assert KEY.check("honest_resampling_protocol", "resample inside training folds") is None
    assert "near-copies" in KEY.check("honest_resampling_protocol", "keep the 0.99")


def test_ship_smote_follows_the_paired_interval():
    tied = {"gains": {"smote": SimpleNamespace(estimate=0.01, low=-0.02, high=0.04)}}
    assert KEY.check("ship_smote_on_ulb", ("keep the plain model", -0.02), inputs=tied) is None
    assert "not established" in KEY.check("ship_smote_on_ulb", ("add SMOTE", -0.02), inputs=tied)
    assert "the number" in KEY.check(
        "ship_smote_on_ulb", ("keep the plain model", 0.01), inputs=tied
    )
    better = {"gains": {"smote": SimpleNamespace(estimate=0.05, low=0.02, high=0.08)}}
    assert KEY.check("ship_smote_on_ulb", ("add SMOTE", 0.02), inputs=better) is None
    assert "entirely above zero" in KEY.check(
        "ship_smote_on_ulb", ("keep the plain model", 0.02), inputs=better
    )
