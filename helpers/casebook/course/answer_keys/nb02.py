"""Answer key of notebook 02 (product category confusion): costs, cost shares, review decisions."""

from __future__ import annotations

from typing import Any

import numpy as np

from casebook.course.answer_keys._compare import Case
from casebook.course.answer_keys._key import AnswerKey
from casebook.decisions.cost_matrix import CostMatrix, min_expected_cost_decision
from casebook.decisions.costs import expected_cost

KEY = AnswerKey("02")


@KEY.number(
    "pricier_returns",
    question=(
        "Courier fees rise and a Home item filed as Electronics now costs $60 in returns "
        "(`pricier_costs`). With the retrained model's probabilities, what is the returns cost, "
        "at the new prices, of minimum-expected-cost decisions made with the new prices?"
    ),
    form="a returns cost in USD",
    hint=(
        "New prices change the decisions, not only the bill: decide again with the new matrix, "
        "then price what you decided."
    ),
    rel_tol=0.01,
    wrong_example=0.0,
    slip="zero forgets that the wrong decisions still cost returns",
)
def pricier_returns(*, y_true: Any, proba_fixed: Any, pricier_costs: CostMatrix) -> float:
    decisions = min_expected_cost_decision(proba_fixed, cost_matrix=pricier_costs)
    return float(expected_cost(y_true, decisions, cost_matrix=pricier_costs))


KEY.choice(
    "root_cause_fix",
    question="Which fix targets the cause of the most expensive errors?",
    hint="What did the training data lack that the current catalog has?",
    options={
        "class weights": "weights make Home more likely everywhere, but the model still reads "
        "gadget words as Electronics: it treats the symptom and errs elsewhere",
        "label and retrain": None,
        "drop brand names": "the brand explains a minority of the errors; most are smart "
        "appliances whose gadget words the model never saw on a Home item",
        "longer descriptions": "short descriptions explain a minority of the errors; a long "
        "smart-kettle description is full of gadget words and still misfiled",
    },
)


def _cell_costs(y_true: Any, y_pred: Any, costs: CostMatrix) -> tuple[np.ndarray, np.ndarray]:
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    index = {label: i for i, label in enumerate(costs.labels)}
    per_item = np.array(
        [costs.costs[index[t], index[p]] for t, p in zip(y_true, y_pred, strict=True)]
    )
    he = (y_true == "Home") & (y_pred == "Electronics")
    return per_item, he


@KEY.number(
    "cost_share_home_electronics",
    question=(
        "What share (0 to 1) of the original model's returns cost comes from Home items filed "
        "as Electronics?"
    ),
    form="a fraction between 0 and 1",
    hint="Weight every error by what it costs before you ask which cell the money comes from.",
    abs_tol=0.02,
    wrong_example=lambda *, y_true, y_pred, costs: float(
        _cell_costs(y_true, y_pred, costs)[1].sum()
        / (np.asarray(y_true) != np.asarray(y_pred)).sum()
    ),
    slip="that is the share of the errors by count; the question asks for the share of the cost",
)
def cost_share_home_electronics(*, y_true: Any, y_pred: Any, costs: CostMatrix) -> float:
    per_item, he = _cell_costs(y_true, y_pred, costs)
    return float(per_item[he].sum() / per_item.sum())


@KEY.judgement(
    "adopt_review",
    question=(
        "The review team can check listings at `review_cost` dollars each. On top of the "
        "retrained model's minimum-expected-cost decisions, should the shop adopt the review "
        "action ('adopt') or file every listing ('skip')? Give the dollars the review action "
        "saves on the current listings (negative if it costs more)."
    ),
    hint=(
        "Compare the whole bill both ways: returns alone without review, returns plus the price "
        "of the reviews with it."
    ),
    options={
        "adopt": "with the retrained model the bill with review (returns plus reviews) is not "
        "lower than without: the reviews cost more than the returns they prevent",
        "skip": "the review action lowers the retrained model's bill: the reviews cost less "
        "than the returns they prevent",
    },
    abs_tol=1.0,
)
def adopt_review(
    *, y_true: Any, proba_fixed: Any, costs: CostMatrix, review_cost: float
) -> tuple[str, float]:
    filed = min_expected_cost_decision(proba_fixed, cost_matrix=costs)
    with_review = min_expected_cost_decision(
        proba_fixed, cost_matrix=costs, review_cost=review_cost
    )
    saving = expected_cost(y_true, filed, cost_matrix=costs) - expected_cost(
        y_true, with_review, cost_matrix=costs, review_cost=review_cost
    )
    return ("adopt" if saving > 0 else "skip"), float(saving)


def _argmax_slip(proba: Any, costs: Any, *, labels: Any, review_cost: Any = None) -> list:
    return [labels[j] for j in np.argmax(np.asarray(proba, dtype=float), axis=1)]


def _slip_decide(proba: Any, costs: Any, labels: Any, review_cost: Any, *, transpose: bool,
                 review_on_tie: bool) -> list:  # fmt: skip
    matrix = np.asarray(costs, dtype=float)
    expected = np.asarray(proba, dtype=float) @ (matrix.T if transpose else matrix)
    out = [labels[j] for j in np.argmin(expected, axis=1)]
    if review_cost is not None:
        cheapest = expected.min(axis=1)
        to_review = cheapest >= review_cost if review_on_tie else cheapest > review_cost
        out = ["review" if r else d for d, r in zip(out, to_review, strict=True)]
    return out


def _transposed_slip(proba: Any, costs: Any, *, labels: Any, review_cost: Any = None) -> list:
    return _slip_decide(proba, costs, labels, review_cost, transpose=True, review_on_tie=False)


def _review_on_tie_slip(proba: Any, costs: Any, *, labels: Any, review_cost: Any = None) -> list:
    return _slip_decide(proba, costs, labels, review_cost, transpose=False, review_on_tie=True)


_L3 = ["Electronics", "Home", "Clothing"]
_C3 = [[0.0, 5.0, 1.0], [25.0, 0.0, 1.0], [1.0, 1.0, 0.0]]
_P3 = [[0.9, 0.1, 0.0], [0.55, 0.45, 0.0], [0.1, 0.8, 0.1], [0.0, 0.0, 1.0]]
_rng = np.random.default_rng(0)
_P_MANY = _rng.dirichlet([1.0, 1.0, 1.0, 1.0], size=12).round(3)
_P_MANY[:, -1] = 1.0 - _P_MANY[:, :-1].sum(axis=1)
_L4 = ["a", "b", "c", "d"]
_C4 = [[0, 2, 8, 1], [3, 0, 1, 6], [1, 4, 0, 2], [5, 1, 2, 0]]
_TIE_C = [[0.0, 2.0, 5.0], [2.0, 0.0, 5.0], [5.0, 5.0, 0.0]]

DECISION_CASES = [
    Case("three categories, no review", args=(_P3, _C3), kwargs={"labels": _L3}),
    Case(
        "three categories, review at 0.8",
        args=(_P3, _C3),
        kwargs={"labels": _L3, "review_cost": 0.8},
    ),
    Case("twelve items, four categories", args=(_P_MANY.tolist(), _C4), kwargs={"labels": _L4}),
    Case(
        "twelve items, four categories, review at 1.2",
        args=(_P_MANY.tolist(), _C4),
        kwargs={"labels": _L4, "review_cost": 1.2},
    ),
    Case(
        "two categories tie (the first in label order wins)",
        args=([[0.5, 0.5, 0.0]], _TIE_C),
        kwargs={"labels": _L3},
    ),
    Case(
        "review costs exactly the cheapest filing (file it: review only when cheaper)",
        args=([[0.5, 0.5, 0.0]], _TIE_C),
        kwargs={"labels": _L3, "review_cost": 1.0},
    ),
    Case(
        "a free review takes every doubtful item",
        args=(_P3, _C3),
        kwargs={"labels": _L3, "review_cost": 0.0},
    ),
    Case(
        "probabilities that do not sum to 1", args=([[0.5, 0.2, 0.1]], _C3), kwargs={"labels": _L3}
    ),
    Case(
        "more probability columns than labels",
        args=([[0.5, 0.2, 0.2, 0.1]], _C3),
        kwargs={"labels": _L3},
    ),
    Case("a negative review cost", args=(_P3, _C3), kwargs={"labels": _L3, "review_cost": -1.0}),
]


@KEY.implement(
    "implement_min_cost_decisions",
    question=(
        "Write the minimum-expected-cost decision with a review option: for each item, the "
        "category whose expected cost is lowest, or 'review' when a person is cheaper."
    ),
    signature="my_min_cost_decisions(proba, costs, *, labels, review_cost=None) -> list",
    hint=(
        "The expected cost of filing under category j weighs column j of the cost matrix (rows "
        "are the truth) by the item's probabilities. A person costs the same whatever the truth, "
        "so send an item to review only when every category is dearer."
    ),
    cases=DECISION_CASES,
    slips={
        "the argmax of the probabilities (the costs are ignored)": _argmax_slip,
        "the cost matrix read the wrong way round (rows are the truth, columns the decision)": (
            _transposed_slip
        ),
        "review on a tie (send to review only when it is strictly cheaper than filing)": (
            _review_on_tie_slip
        ),
    },
)
def min_cost_decisions(
    proba: Any, costs: Any, *, labels: Any, review_cost: float | None = None
) -> list:
    matrix = CostMatrix(tuple(labels), costs)
    decisions = min_expected_cost_decision(proba, cost_matrix=matrix, review_cost=review_cost)
    return [d.item() if isinstance(d, np.generic) else d for d in decisions]
