"""Answer key of notebook 09 (churn): campaign depth, model choice, the profit curve."""

from __future__ import annotations

from typing import Any

import numpy as np

from casebook.course.answer_keys._compare import Case
from casebook.course.answer_keys._key import AnswerKey
from casebook.decisions.profit import best_targeting, profit_curve

KEY = AnswerKey("09")

RICH_OFFER_COST, RICH_SAVE_RATE = 100.0, 0.45
MATTERS = 0.02  # an AUC gain below this does not change a call list


@KEY.number(
    "richer_offer_depth",
    question=(
        "Marketing proposes a richer offer: it costs $100 and saves 45% of contacted churners. "
        "Ranking customers by the new expected gain, what share of customers should be "
        "contacted to maximize the campaign's profit?"
    ),
    form="a share of customers between 0 and 1",
    hint=(
        "The offer changes each customer's expected gain, so it changes both the order of the "
        "call list and where the realized profit stops rising."
    ),
    abs_tol=0.02,
    wrong_example=lambda *, y, p_oof, value: (
        100 * richer_offer_depth(y=y, p_oof=p_oof, value=value)
    ),
    slip="that is a percentage; the question asks for a share between 0 and 1",
)
def richer_offer_depth(*, y: Any, p_oof: Any, value: Any) -> float:
    gain = np.asarray(p_oof) * RICH_SAVE_RATE * np.asarray(value) - RICH_OFFER_COST
    curve = profit_curve(y, gain, value=value, offer_cost=RICH_OFFER_COST, save_rate=RICH_SAVE_RATE)
    return float(best_targeting(curve).depth)


@KEY.judgement(
    "which_model",
    question=(
        "The product owner must pick the model that produces next month's call list, and the "
        "agents must be able to explain each call. Which model should it be, and what is the "
        "upper end of the corrected 95% interval of AUC(gradient boosting) - AUC(logistic "
        "regression) that justifies the call?"
    ),
    hint=(
        "Keep the interpretable baseline unless the stronger model is clearly better: look at "
        "the most the stronger model could plausibly gain, not at its mean gain on these folds."
    ),
    options={
        "logistic regression": "gradient boosting's AUC gain is established here (the "
        "corrected interval excludes zero) and large enough to change a call list",
        "gradient boosting": "its AUC gain over logistic regression is not established as large "
        "enough to matter (the corrected interval reaches zero or stays below 0.02), and each "
        "call is harder to explain to the agents",
        "neural network": "with about 7,000 rows of mostly categorical columns it has no edge "
        "over boosted trees, needs more tuning, is harder to explain, and was not even compared",
    },
    abs_tol=0.002,
)
def which_model(*, comparison: Any) -> tuple[str, float]:
    test = comparison.ttest("roc_auc", "gradient boosting", "logistic regression")
    clearly_better = test.low > 0 and test.high >= MATTERS
    return ("gradient boosting" if clearly_better else "logistic regression"), float(test.high)


def _charge_churners_only(y_true, score, *, value, offer_cost, save_rate):
    y, s = np.asarray(y_true, dtype=float), np.asarray(score, dtype=float)
    v = np.broadcast_to(np.asarray(value, dtype=float), y.shape)
    order = np.argsort(-s, kind="stable")
    gain = y[order] * (save_rate * v[order] - offer_cost)
    return np.concatenate([[0.0], np.cumsum(gain)])


def _every_churner_saved(y_true, score, *, value, offer_cost, save_rate):
    y, s = np.asarray(y_true, dtype=float), np.asarray(score, dtype=float)
    v = np.broadcast_to(np.asarray(value, dtype=float), y.shape)
    order = np.argsort(-s, kind="stable")
    return np.concatenate([[0.0], np.cumsum(y[order] * v[order] - offer_cost)])


def _lowest_score_first(y_true, score, *, value, offer_cost, save_rate):
    y, s = np.asarray(y_true, dtype=float), np.asarray(score, dtype=float)
    v = np.broadcast_to(np.asarray(value, dtype=float), y.shape)
    order = np.argsort(s, kind="stable")
    return np.concatenate([[0.0], np.cumsum(y[order] * save_rate * v[order] - offer_cost)])


def _no_empty_campaign(y_true, score, *, value, offer_cost, save_rate):
    return my_profit_curve(y_true, score, value=value, offer_cost=offer_cost, save_rate=save_rate)[
        1:
    ]


_ECON = {"offer_cost": 10.0, "save_rate": 0.5}


@KEY.implement(
    "implement_profit_curve",
    question=(
        "Write the profit curve of a retention campaign: rank customers by `score` (highest "
        "first) and return the realized profit of contacting the top 0, 1, 2, ..., n customers "
        "(n + 1 numbers, starting with 0.0 for contacting nobody). Every contacted customer "
        "costs `offer_cost`; a contacted churner (y_true = 1) is saved with probability "
        "`save_rate` and then keeps `value` (one number, or one per customer). Bad input "
        "(lengths that differ, no customers, a NaN score, a label other than 0/1) raises "
        "ValueError."
    ),
    signature="my_profit_curve(y_true, score, *, value, offer_cost, save_rate)",
    hint=(
        "Walk down the ranked list keeping a running total: each customer you add costs the "
        "offer, and brings back the value you expect to keep only if they were going to churn."
    ),
    cases=[
        Case(
            "typical", args=([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1]), kwargs={"value": 100.0, **_ECON}
        ),
        Case(
            "one value per customer",
            args=([0, 1, 1, 0, 1], [0.2, 0.9, 0.4, 0.6, 0.5]),
            kwargs={"value": [50.0, 200.0, 80.0, 120.0, 30.0], **_ECON},
        ),
        Case(
            "scores not sorted",
            args=([1, 1, 0, 0, 1, 0], [0.15, 0.65, 0.35, 0.95, 0.55, 0.05]),
            kwargs={"value": 60.0, "offer_cost": 12.0, "save_rate": 0.3},
        ),
        Case(
            "tied scores (same outcome and value)",
            args=([1, 1, 0, 0], [0.7, 0.7, 0.2, 0.2]),
            kwargs={"value": 100.0, **_ECON},
        ),
        Case("one customer", args=([1], [0.4]), kwargs={"value": 100.0, **_ECON}),
        Case("nobody churned", args=([0, 0, 0], [0.3, 0.6, 0.1]), kwargs={"value": 100.0, **_ECON}),
        Case(
            "free offer",
            args=([0, 1, 0], [0.5, 0.4, 0.3]),
            kwargs={"value": 100.0, "offer_cost": 0.0, "save_rate": 1.0},
        ),  # fmt: skip
        Case("lengths differ", args=([1, 0, 1], [0.9, 0.8]), kwargs={"value": 100.0, **_ECON}),
        Case("no customers", args=([], []), kwargs={"value": 100.0, **_ECON}),
        Case("NaN score", args=([1, 0], [float("nan"), 0.3]), kwargs={"value": 100.0, **_ECON}),
        Case("label not 0/1", args=([2, 0], [0.9, 0.3]), kwargs={"value": 100.0, **_ECON}),
    ],
    slips={
        "charges the offer only to churners, but every contacted customer costs it": (
            _charge_churners_only
        ),
        "counts every contacted churner as saved, forgetting the save rate": _every_churner_saved,
        "contacts the lowest scores first": _lowest_score_first,
        "leaves out the empty campaign (0 contacted, profit 0) at the start": _no_empty_campaign,
    },
)
def my_profit_curve(y_true, score, *, value, offer_cost, save_rate):
    curve = profit_curve(y_true, score, value=value, offer_cost=offer_cost, save_rate=save_rate)
    return curve["profit"].to_numpy()
