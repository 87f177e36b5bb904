"""Answer key of notebook 06: scipy's Wilson interval passes, typical slips do not."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest

from casebook.course.answer_keys import key_for, nb06
from casebook.course.answer_keys.nb06 import implement_verdict

KEY = key_for("06")


def wilson_from_scipy(successes, n, *, confidence=0.95):
    """The standard library's Wilson interval, with its own bad-input errors."""
    if not 0 < confidence < 1:
        raise ValueError("confidence must be in (0, 1)")
    ci = binomtest(successes, n).proportion_ci(confidence_level=confidence, method="wilson")
    return ci.low, ci.high


def test_scipy_wilson_passes():
    assert KEY.check("implement_wilson", wilson_from_scipy) is None


def test_typical_wrong_implementations_are_rejected_with_the_failing_case():
    def clipped_wald(successes, n, *, confidence=0.95):
        z = statistics.NormalDist().inv_cdf(0.5 + confidence / 2)
        p = successes / n
        half = z * math.sqrt(p * (1 - p) / n)
        return max(0.0, p - half), min(1.0, p + half)

    def wilson_without_checks(successes, n, *, confidence=0.95):
        if n == 0:
            return 0.0, 1.0
        return wilson_from_scipy(min(max(successes, 0), n), n, confidence=confidence)

    message = KEY.check("implement_wilson", clipped_wald)
    assert message.startswith("case 'young applicants approved' f(112, 190)"), message
    message = KEY.check("implement_wilson", wilson_without_checks)
    assert message.startswith("case 'an empty group' f(0, 0): this is bad input"), message


def test_age30_gap_is_a_difference_of_rates():
    age = np.array([22, 30, 31, 45, 60, 28])
    y_pred = np.array([1, 0, 1, 1, 1, 0])  # <=30: 1/3 approved; >30: 3/3
    inputs = {"age": age, "y_pred": y_pred}
    assert KEY.check("age30_gap", 2 / 3, inputs=inputs) is None
    assert "typical slip: that is the ratio" in KEY.check("age30_gap", 1 / 3, inputs=inputs)
    assert KEY.check("age30_gap", 0.5, inputs=inputs) is not None  # 30 counted as older


def sheet(status, low):
    return pd.DataFrame(
        {
            "criterion": ["demographic_parity", "demographic_parity"],
            "method": ["difference", "ratio"],
            "low": [low, 0.6],
            "status": [status, "fail"],
        }
    )


@pytest.mark.parametrize(
    ("status", "low", "call"),
    [
        ("inconclusive", 0.04, "inconclusive"),
        ("fail", 0.13, "breach"),
        ("pass", 0.0, "within tolerance"),
    ],
)
def test_committee_conclusion_follows_the_verdict(status, low, call):
    inputs = {"sheet_age": sheet(status, low)}
    assert KEY.check("committee_conclusion", (call, low), inputs=inputs) is None
    wrong = "within tolerance" if call != "within tolerance" else "breach"
    assert "is not the right call" in KEY.check("committee_conclusion", (wrong, low), inputs=inputs)
    assert "right call, but the number" in KEY.check(
        "committee_conclusion", (call, low + 0.05), inputs=inputs
    )


def test_the_audit_sheets_verdict_passes_implement_verdict():
    from casebook.fairness.audit import verdict

    def library_verdict(low, high, *, tolerance, method):
        for name, value in (("low", low), ("high", high)):
            if not isinstance(value, (int, float)):
                raise TypeError(f"{name} must be a number")
        return verdict(low, high, tolerance=tolerance, method=method)

    assert KEY.check("implement_verdict", library_verdict) is None


def test_implement_verdict_names_each_slip():
    for fn, words in (
        (nb06._strict, "strict inequalities"),
        (nb06._ratio_as_difference, "a ratio judged like a difference"),
        (nb06._midpoint, "midpoint"),
    ):
        message = KEY.check("implement_verdict", fn)
        assert message is not None and words in message, message


def test_implement_verdict_wants_inconclusive_for_nan():
    def nan_fails(low, high, *, tolerance, method):
        if low != low:
            return "fail"
        return implement_verdict(low, high, tolerance=tolerance, method=method)

    message = KEY.check("implement_verdict", nan_fails)
    assert message is not None and "an undefined interval" in message, message
