"""Answer key of notebook 13: an independent PSI passes, typical slips do not; the other answers."""

from __future__ import annotations

import bisect
import math

import numpy as np
import pandas as pd
import pytest

from casebook.course.answer_keys import key_for

KEY = key_for("13")


def psi_by_loops(reference, current, *, bins=10):
    """PSI with the standard library's bisect, written apart from the reference's searchsorted."""
    if isinstance(bins, bool) or not isinstance(bins, int) or bins < 2:
        raise ValueError("bins must be an integer >= 2")
    samples = []
    for values in (reference, current):
        if any(isinstance(v, str) for v in values):
            raise TypeError("numbers expected")
        kept = [float(v) for v in values if not math.isnan(float(v))]
        if not kept:
            raise ValueError("a sample has no value")
        samples.append(kept)
    ref, cur = samples
    edges = sorted(set(np.quantile(ref, [k / bins for k in range(1, bins)]).tolist()))
    total = 0.0
    shares = []
    for sample in (ref, cur):
        counts = [0] * (len(edges) + 1)
        for v in sample:
            counts[bisect.bisect_right(edges, v)] += 1
        shares.append([n / len(sample) or 1e-4 for n in counts])
    for r, c in zip(*shares, strict=True):
        total += (c - r) * math.log(c / r)
    return total


def test_an_independent_psi_passes():
    assert KEY.check("implement_psi", psi_by_loops) is None


def test_typical_wrong_psis_are_rejected_with_the_failing_case():
    def histogram_on_reference_range(reference, current, *, bins=10):
        ref, cur = np.asarray(reference, float), np.asarray(current, float)
        edges = np.quantile(ref, np.linspace(0, 1, bins + 1))
        r = np.histogram(ref, edges)[0] / len(ref)
        c = np.histogram(cur, edges)[0] / len(cur)
        r, c = np.maximum(r, 1e-4), np.maximum(c, 1e-4)
        return float(np.sum((c - r) * np.log(c / r)))

    def nan_kept(reference, current, *, bins=10):
        if any(isinstance(v, float) and math.isnan(v) for v in [*reference, *current]):
            return 0.0
        return psi_by_loops(reference, current, bins=bins)

    message = KEY.check("implement_psi", histogram_on_reference_range)
    assert message.startswith("case 'a shifted sample'"), message
    message = KEY.check("implement_psi", nan_kept)
    assert message.startswith("case 'missing values are dropped'"), message


def test_crypto_payment_choice():
    assert KEY.check("crypto_payment_check", "unseen_category") is None
    assert "numeric columns only" in KEY.check("crypto_payment_check", "out_of_range")


def test_false_alarm_probability():
    inputs = {"n_features": 19}
    assert KEY.check("false_alarm_probability", 1 - 0.99**19, inputs=inputs) is None
    assert "typical slip: adding the 1%" in KEY.check(
        "false_alarm_probability", 0.19, inputs=inputs
    )


def test_label_only_delay():
    assert KEY.check("label_only_delay", 4, inputs={"label_delay_weeks": 4}) is None
    assert KEY.check("label_only_delay", 5, inputs={"label_delay_weeks": 4}) is not None


def week_tables(quality_alert, estimate):
    weeks = pd.DataFrame({"week": [1, 2], "quality_alert": [False, quality_alert]})
    monday = pd.DataFrame({"week": [1, 2], "expected_accuracy": [0.8, estimate]})
    return {"weeks": weeks, "monday_view": monday, "week": 2, "ref_accuracy": 0.8}


@pytest.mark.parametrize(
    ("quality_alert", "estimate", "call"),
    [(True, 0.79, "fix the pipeline"), (False, 0.70, "retrain now"), (False, 0.78, "keep using")],
)
def test_promotion_week_action_follows_diagnosis(quality_alert, estimate, call):
    inputs = week_tables(quality_alert, estimate)
    assert KEY.check("promotion_week_action", (call, estimate), inputs=inputs) is None
    wrong = "retrain now" if call != "retrain now" else "keep using"
    assert "is not the right call" in KEY.check(
        "promotion_week_action", (wrong, estimate), inputs=inputs
    )
    assert "right call, but the number" in KEY.check(
        "promotion_week_action", (call, estimate - 0.05), inputs=inputs
    )
