"""Answer key of notebook 02: independent implementations pass, typical wrong ones are rejected."""

from __future__ import annotations

import math

import numpy as np
import pytest

from casebook.course.answer_keys import key_for
from casebook.decisions.cost_matrix import CostMatrix

KEY = key_for("02")


def decide_with_loops(proba, costs, *, labels, review_cost=None):
    """Minimum expected cost written with plain loops (the reference uses the package)."""
    k = len(labels)
    if len(costs) != k or any(len(row) != k for row in costs):
        raise ValueError("costs must be a square matrix matching labels")
    if review_cost is not None and review_cost < 0:
        raise ValueError("review_cost must be non-negative")
    out = []
    for row in proba:
        if len(row) != k or not math.isclose(sum(row), 1.0, abs_tol=1e-6):
            raise ValueError("each row must hold one probability per label, summing to 1")
        expected = [sum(row[i] * costs[i][j] for i in range(k)) for j in range(k)]
        best = min(range(k), key=lambda j: (expected[j], j))
        out.append(
            "review" if review_cost is not None and expected[best] > review_cost else labels[best]
        )
    return out


def decide_review_when_unsure(proba, costs, *, labels, review_cost=None):
    """Wrong: reviews when the top probability is low, whatever the costs say."""
    p = np.asarray(proba, dtype=float)
    expected = p @ np.asarray(costs, dtype=float)
    out = [labels[j] for j in expected.argmin(axis=1)]
    if review_cost is not None:
        out = ["review" if top < 0.6 else d for d, top in zip(out, p.max(axis=1), strict=True)]
    return out


def decide_without_checks(proba, costs, *, labels, review_cost=None):
    """Wrong: the right rule, but rows that do not sum to 1 are decided anyway."""
    expected = np.asarray(proba, dtype=float) @ np.asarray(costs, dtype=float)[: len(proba[0])]
    out = [labels[j] for j in expected.argmin(axis=1)]
    if review_cost is not None:
        out = [
            "review" if m > review_cost else d
            for d, m in zip(out, expected.min(axis=1), strict=True)
        ]
    return out


def test_independent_decisions_pass():
    assert KEY.check("implement_min_cost_decisions", decide_with_loops) is None


def test_typical_wrong_decisions_are_rejected_with_the_case_named():
    message = KEY.check("implement_min_cost_decisions", decide_review_when_unsure)
    assert message.startswith("case 'three categories, review at 0.8'"), message
    message = KEY.check("implement_min_cost_decisions", decide_without_checks)
    assert message.startswith("case 'probabilities that do not sum to 1'"), message
    assert "bad input" in message


LABELS = ["Electronics", "Home", "Clothing"]
COSTS = CostMatrix(tuple(LABELS), [[0, 5, 1], [25, 0, 1], [1, 1, 0]])
Y = np.array(["Home", "Home", "Electronics", "Clothing", "Home"])
PRED = np.array(["Electronics", "Home", "Home", "Electronics", "Electronics"])
PROBA = np.array(
    [[0.6, 0.4, 0.0], [0.1, 0.9, 0.0], [0.95, 0.05, 0.0], [0.2, 0.0, 0.8], [0.5, 0.5, 0.0]]
)


def test_cost_share_home_electronics():
    inputs = {"y_true": Y, "y_pred": PRED, "costs": COSTS}
    # Home->Electronics twice at 25, Electronics->Home at 5, Clothing->Electronics at 1
    assert KEY.check("cost_share_home_electronics", 50 / 56, inputs=inputs) is None
    message = KEY.check("cost_share_home_electronics", 2 / 4, inputs=inputs)
    assert "share of the errors by count" in message


def test_pricier_returns():
    inputs = {"y_true": Y, "proba_fixed": PROBA, "pricier_costs": COSTS}
    decided = decide_with_loops(PROBA.tolist(), COSTS.costs.tolist(), labels=LABELS)
    bill = sum(COSTS.cost(t, d) for t, d in zip(Y, decided, strict=True))
    assert KEY.check("pricier_returns", bill, inputs=inputs) is None
    assert "typical slip" in KEY.check("pricier_returns", 0.0, inputs=inputs)


def test_root_cause_fix():
    assert KEY.check("root_cause_fix", "label and retrain") is None
    assert "symptom" in KEY.check("root_cause_fix", "class weights")


@pytest.mark.parametrize("review_cost", [0.3, 5.0])
def test_adopt_review(review_cost):
    inputs = {"y_true": Y, "proba_fixed": PROBA, "costs": COSTS, "review_cost": review_cost}
    costs = COSTS.costs.tolist()
    filed = decide_with_loops(PROBA.tolist(), costs, labels=LABELS)
    reviewed = decide_with_loops(PROBA.tolist(), costs, labels=LABELS, review_cost=review_cost)
    bill_filed = sum(COSTS.cost(t, d) for t, d in zip(Y, filed, strict=True))
    bill_review = sum(
        review_cost if d == "review" else COSTS.cost(t, d) for t, d in zip(Y, reviewed, strict=True)
    )
    saving = bill_filed - bill_review
    call = "adopt" if saving > 0 else "skip"
    assert (call == "adopt") == (review_cost == 0.3)  # a cheap review pays, a dear one does not
    assert KEY.check("adopt_review", (call, saving), inputs=inputs) is None
    other = "skip" if call == "adopt" else "adopt"
    assert "not the right call" in KEY.check("adopt_review", (other, saving), inputs=inputs)
    assert "the number" in KEY.check("adopt_review", (call, saving + 10), inputs=inputs)
