"""Notebook 09's answer key: an independent profit curve passes, typical slips are rejected."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np

from casebook.course.answer_keys.nb09 import KEY


def loop_profit_curve(y_true, score, *, value, offer_cost, save_rate):
    """Written with plain Python: sort the customers, then keep a running total."""
    y, score = list(y_true), [float(s) for s in score]
    if len(y) != len(score) or not y:
        raise ValueError("y_true and score must have the same non-zero length")
    if any(math.isnan(s) for s in score) or any(label not in (0, 1) for label in y):
        raise ValueError("scores must be numbers and labels 0 or 1")
    values = list(value) if isinstance(value, list | tuple) else [value] * len(y)
    ranked = sorted(range(len(y)), key=lambda i: score[i], reverse=True)
    total, curve = 0.0, [0.0]
    for i in ranked:
        total += y[i] * save_rate * values[i] - offer_cost
        curve.append(total)
    return curve


def test_independent_profit_curve_passes():
    assert KEY.check("implement_profit_curve", loop_profit_curve) is None


def test_typical_wrong_profit_curves_are_rejected():
    def no_bad_input_check(y_true, score, *, value, offer_cost, save_rate):
        y, s = np.asarray(y_true, float), np.asarray(score, float)
        order = np.argsort(-s, kind="stable")
        v = np.broadcast_to(np.asarray(value, float), y.shape)[order]
        return np.concatenate([[0.0], np.cumsum(y[order] * save_rate * v - offer_cost)])

    def ignores_per_customer_value(y_true, score, *, value, offer_cost, save_rate):
        mean_value = float(np.mean(value))
        return loop_profit_curve(
            y_true, score, value=mean_value, offer_cost=offer_cost, save_rate=save_rate
        )

    message = KEY.check("implement_profit_curve", no_bad_input_check)
    assert message.startswith("case 'lengths differ'"), message
    message = KEY.check("implement_profit_curve", ignores_per_customer_value)
    assert message.startswith("case 'one value per customer'"), message


def test_blank_template_is_not_attempted():
    def blank(y_true, score, *, value, offer_cost, save_rate):
        raise NotImplementedError

    ex = KEY.exercise("implement_profit_curve")
    assert ex.submit(blank).status == "not attempted"


def test_richer_offer_depth_on_small_data():
    y = np.array([1, 0, 1, 0, 0, 1, 0, 0])
    p = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.2, 0.1])
    value = np.full(8, 400.0)
    # brute force: try every depth of the list ranked by p * 0.45 * value - 100
    order = sorted(range(8), key=lambda i: -(p[i] * 0.45 * value[i] - 100))
    profits = [sum(y[i] * 0.45 * value[i] - 100 for i in order[:n]) for n in range(9)]
    best = profits.index(max(profits)) / 8
    inputs = {"y": y, "p_oof": p, "value": value}
    assert KEY.check("richer_offer_depth", best, inputs=inputs) is None
    assert "typical slip" in KEY.check("richer_offer_depth", 100 * best, inputs=inputs)
    assert KEY.check("richer_offer_depth", best + 0.25, inputs=inputs) is not None


def comparison(low, high):
    def ttest(metric, model_a, model_b):
        assert (metric, model_a, model_b) == ("roc_auc", "gradient boosting", "logistic regression")
        return SimpleNamespace(low=low, high=high)

    return SimpleNamespace(ttest=ttest)


def test_which_model_keeps_the_baseline_unless_boosting_is_clearly_better():
    inputs = {"comparison": comparison(-0.004, 0.006)}
    assert KEY.check("which_model", ("logistic regression", 0.006), inputs=inputs) is None
    message = KEY.check("which_model", ("gradient boosting", 0.006), inputs=inputs)
    assert "not established as large enough" in message
    message = KEY.check("which_model", ("neural network", 0.006), inputs=inputs)
    assert "no edge over boosted trees" in message
    assert "the number" in KEY.check("which_model", ("logistic regression", 0.001), inputs=inputs)
    clearly = {"comparison": comparison(0.01, 0.05)}
    assert KEY.check("which_model", ("gradient boosting", 0.05), inputs=clearly) is None
    assert "excludes zero" in KEY.check(
        "which_model", ("logistic regression", 0.05), inputs=clearly
    )
