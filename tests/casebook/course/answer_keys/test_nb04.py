"""Answer key of notebook 04: independent implementations pass, typical wrong ones are rejected."""

from __future__ import annotations

import math

import numpy as np
import pytest

from casebook.course.answer_keys import key_for
from casebook.decisions.bootstrap import ConfidenceInterval

KEY = key_for("04")


def money_lost_with_a_loop(y_true, y_score, amount, *, threshold, fee):
    """Money lost, one transaction at a time (the reference uses the package's counts)."""
    if not (len(y_true) == len(y_score) == len(amount)):
        raise ValueError("y_true, y_score and amount must have one value per transaction")
    if not (math.isfinite(fee) and fee >= 0):
        raise ValueError("fee must be finite and non-negative")
    total = 0.0
    for label, score, euros in zip(y_true, y_score, amount, strict=True):
        if not (math.isfinite(score) and math.isfinite(euros) and euros >= 0):
            raise ValueError("scores and amounts must be finite, amounts non-negative")
        if score >= threshold:
            total += fee
        elif label == 1:
            total += euros
    return total


def loss_as_error_count(y_true, y_score, amount, *, threshold, fee):
    """Wrong: counts errors, as accuracy does, instead of euros."""
    flagged = np.asarray(y_score) >= threshold
    return float(np.sum(flagged != (np.asarray(y_true) == 1)))


def loss_without_checks(y_true, y_score, amount, *, threshold, fee):
    """Wrong: the right price, but a missing amount is silently dropped."""
    y, s, a = np.asarray(y_true), np.asarray(y_score, dtype=float), np.asarray(amount, dtype=float)
    flagged = s >= threshold
    return float(fee * flagged.sum() + np.nansum(a[~flagged & (y == 1)]))


def test_independent_money_lost_passes():
    assert KEY.check("implement_money_lost", money_lost_with_a_loop) is None


def test_typical_wrong_money_lost_is_rejected_with_the_case_named():
    message = KEY.check("implement_money_lost", loss_as_error_count)
    assert message.startswith("case 'six transactions, threshold 0.5, fee 5'"), message
    message = KEY.check("implement_money_lost", loss_without_checks)
    assert message.startswith("case 'a missing amount'"), message
    assert "bad input" in message


def test_threshold_for_fee_20():
    y = np.array([0, 0, 1, 0, 1, 0])
    p = np.array([0.01, 0.05, 0.2, 0.3, 0.6, 0.02])
    amount = np.array([10.0, 50.0, 15.0, 70.0, 500.0, 5.0])
    inputs = {"y_val": y, "p_val": p, "amount_val": amount}
    # flag >= 0.6 costs 20 + 15 (missed); >= 0.3 costs 40 + 15; >= 0.2 costs 60; inf costs 515
    assert KEY.check("threshold_for_fee_20", 0.6, inputs=inputs) is None
    assert "default threshold" in KEY.check("threshold_for_fee_20", 0.5, inputs=inputs)
    assert KEY.check("threshold_for_fee_20", 0.2, inputs=inputs) is not None


def test_break_even_probability():
    assert KEY.check("break_even_probability", 5 / 200) is None
    assert "the other way round" in KEY.check("break_even_probability", 200 / 5)
    assert KEY.check("break_even_probability", 5 / 205) is not None


def test_class_weights_at_default():
    assert KEY.check("class_weights_at_default", "b") is None
    assert "recall is not money" in KEY.check("class_weights_at_default", "a")


@pytest.mark.parametrize(("low", "high", "call"), [(12.0, 300.0, "claim it"),
                                                    (-80.0, 250.0, "not yet")])  # fmt: skip
def test_rule_saves_money(low, high, call):
    inputs = {"saving_ci": ConfidenceInterval((low + high) / 2, low, high, 0.95, 200)}
    assert KEY.check("rule_saves_money", (call, low), inputs=inputs) is None
    other = "not yet" if call == "claim it" else "claim it"
    assert "not the right call" in KEY.check("rule_saves_money", (other, low), inputs=inputs)
    assert "the number" in KEY.check("rule_saves_money", (call, (low + high) / 2), inputs=inputs)
