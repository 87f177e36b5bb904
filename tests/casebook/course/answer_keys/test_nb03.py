"""Answer key of notebook 03: independent implementations pass, typical wrong ones are rejected."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_curve

from casebook.course.answer_keys import key_for

KEY = key_for("03")


def threshold_from_roc(y_true, y_score, *, fp_cost, fn_cost):
    """Cost-optimal threshold from scikit-learn's ROC points (the reference uses the package)."""
    y, s = np.asarray(y_true), np.asarray(y_score, dtype=float)
    if len(y) != len(s):
        raise ValueError("y_true and y_score must have the same length")
    if fp_cost < 0 or fn_cost < 0:
        raise ValueError("costs must be non-negative")
    if len(set(y.tolist())) < 2:
        raise ValueError("y_true must hold both classes")
    fpr, tpr, thresholds = roc_curve(y, s, drop_intermediate=False)  # raises on NaN
    n_pos, n_neg = int(y.sum()), int(len(y) - y.sum())
    cost = fp_cost * fpr * n_neg + fn_cost * (1 - tpr) * n_pos
    best = int(np.flatnonzero(cost <= cost.min() + 1e-9)[0])  # thresholds decrease: highest first
    return math.inf if best == 0 else float(thresholds[best])


def formula_threshold(y_true, y_score, *, fp_cost, fn_cost):
    """Wrong: the formula for calibrated risks, not a search of the scores."""
    return fp_cost / (fp_cost + fn_cost)


def fewest_errors_threshold(y_true, y_score, *, fp_cost, fn_cost):
    """Wrong: counts errors and ignores their prices."""
    return threshold_from_roc(y_true, y_score, fp_cost=1.0, fn_cost=1.0)


def test_independent_threshold_passes():
    assert KEY.check("implement_cost_optimal_threshold", threshold_from_roc) is None


@pytest.mark.parametrize("wrong", [formula_threshold, fewest_errors_threshold])
def test_typical_wrong_thresholds_are_rejected_with_the_case_named(wrong):
    message = KEY.check("implement_cost_optimal_threshold", wrong)
    assert message.startswith("case 'eight patients, misses cost 5'"), message


Y = np.array([0, 0, 1, 1, 0, 1, 0, 0])
P = np.array([0.1, 0.4, 0.35, 0.8, 0.2, 0.6, 0.05, 0.7])


def test_threshold_for_fn_cost_60():
    inputs = {"y_dev": Y, "p_dev": P}
    # at 60:1 every cancer must be caught: the lowest malignant score, 0.35, is the optimum
    assert KEY.check("threshold_for_fn_cost_60", 0.35, inputs=inputs) is None
    assert "default threshold" in KEY.check("threshold_for_fn_cost_60", 0.5, inputs=inputs)


def test_false_alarms_per_10000():
    inputs = {"sens_test": 0.95, "spec_test": 0.9}
    healthy = 10_000 * (1 - 0.005)
    assert KEY.check("false_alarms_per_10000", healthy * 0.1, inputs=inputs) is None
    clinic = 10_000 * (1 - 0.37) * 0.1
    assert "hospital's prevalence" in KEY.check("false_alarms_per_10000", clinic, inputs=inputs)


def test_what_recalibration_does():
    assert KEY.check("what_recalibration_does", "b") is None
    assert "monotonic" in KEY.check("what_recalibration_does", "a")


@pytest.mark.parametrize(("at_05", "at_opt", "call"), [([10, 30], [5, 10], "switch"),
                                                        ([10, 20], [12, 30], "keep 0.5")])  # fmt: skip
def test_switch_from_05(at_05, at_opt, call):
    repeat = pd.DataFrame({"cost_at_05": at_05, "cost_at_optimum": at_opt})
    pooled = 1 - sum(at_opt) / sum(at_05)
    inputs = {"repeat": repeat}
    assert KEY.check("switch_from_05", (call, pooled), inputs=inputs) is None
    other = "keep 0.5" if call == "switch" else "switch"
    assert "not the right call" in KEY.check("switch_from_05", (other, pooled), inputs=inputs)
    mean_of_shares = float(np.mean(1 - np.array(at_opt) / np.array(at_05)))
    assert not math.isclose(mean_of_shares, pooled, abs_tol=0.01)  # the mean of ratios slip
    assert "the number" in KEY.check("switch_from_05", (call, mean_of_shares), inputs=inputs)
