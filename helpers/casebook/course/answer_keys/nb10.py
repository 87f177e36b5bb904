"""Answer key of notebook 10 (fraud imbalance): prevalence, the leak, SMOTE, average precision."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import train_test_split

from casebook.course.answer_keys._compare import Case
from casebook.course.answer_keys._key import AnswerKey
from casebook.modeling.imbalance import ranking_scores, subsample_majority
from casebook.synthetic.fraud import fraud_feature_matrix, make_fraud_transactions

KEY = AnswerKey("10")

DOUBLE_RATE = 0.0016


@KEY.number(
    "pr_auc_at_double_fraud_rate",
    question=(
        "Regenerate the synthetic transactions with twice the fraud rate (0.16%), the same size "
        "and seed; keep every fraud and the same share of legitimate rows (with their weights); "
        "split the kept rows in two halves stratified on fraud; fit the plain model on one half. "
        "What is its PR-AUC on the other half, weighted back to the true prevalence?"
    ),
    form="a PR-AUC between 0 and 1",
    hint=(
        "PR-AUC is read against the prevalence: with twice as many frauds among the same "
        "legitimate payments, each alert is more often real. Weight every kept legitimate row "
        "by the rows it stands for, or you measure at the wrong prevalence."
    ),
    abs_tol=0.03,
    wrong_example=0.99,
    slip=(
        "that is a ROC-AUC-sized number (or a leaky one): with a fifth of the frauds "
        "indistinguishable from legitimate payments by design, PR-AUC cannot get near 1"
    ),
)
def pr_auc_at_double_fraud_rate(
    *, model: Any, n_transactions: int, legit_keep: float, seed: int
) -> float:
    tx = make_fraud_transactions(n_transactions, fraud_rate=DOUBLE_RATE, seed=seed)
    keep, w = subsample_majority(tx["is_fraud"], keep=legit_keep, seed=seed)
    X, y = fraud_feature_matrix(tx.iloc[keep]), tx["is_fraud"].to_numpy()[keep]
    a, b = train_test_split(np.arange(len(y)), test_size=0.5, stratify=y, random_state=seed)
    s = clone(model).fit(X[a], y[a]).predict_proba(X[b])[:, 1]
    return ranking_scores(y[b], s, sample_weight=w[b]).pr_auc


KEY.choice(
    "honest_resampling_protocol",
    question=(
        "A colleague reports: 'SMOTE before 5-fold cross-validation gives PR-AUC 0.99, so SMOTE "
        "solved our fraud problem.' Which protocol gives an estimate you would put in a report?"
    ),
    hint="Ask what the test folds contained when SMOTE ran before the split.",
    options={
        "keep the 0.99": "cross-validation only holds data out if the held-out rows were never "
        "used to build the training rows: SMOTE before the split puts near-copies of test frauds "
        "in the training folds, and makes test folds half frauds",
        "resample inside training folds": None,
        "resample the test folds too": "a test fold must look like the data the model will "
        "score: resampling it changes the prevalence, and PR-AUC depends on the prevalence",
    },
)


@KEY.judgement(
    "ship_smote_on_ulb",
    question=(
        "The team proposes adding SMOTE to the production model for the real (ULB) card data. "
        "Should they add it, and what is the lower end of the paired 95% interval of "
        "PR-AUC(SMOTE) - PR-AUC(plain model) on the test period that justifies the call?"
    ),
    hint=(
        "A remedy earns its place only when its gain over the plain model is established on the "
        "same test rows: look at the pessimistic end of the paired interval."
    ),
    options={
        "add SMOTE": "its PR-AUC gain over the plain model is not established on the test "
        "period (the paired interval does not lie above zero), and it adds a resampling step "
        "that changes what the scores mean",
        "keep the plain model": "SMOTE's paired interval lies entirely above zero: its PR-AUC "
        "gain over the plain model is established on the same test rows",
    },
    abs_tol=0.005,
)
def ship_smote_on_ulb(*, gains: Any) -> tuple[str, float]:
    ci = gains["smote"]
    return ("add SMOTE" if ci.low > 0 else "keep the plain model"), float(ci.low)


def _ignores_weights(y_true, score, *, sample_weight=None):
    return my_average_precision(y_true, score)


def _trapezoid(y_true, score, *, sample_weight=None):
    from sklearn.metrics import auc, precision_recall_curve

    my_average_precision(y_true, score, sample_weight=sample_weight)  # same bad-input errors
    precision, recall, _ = precision_recall_curve(y_true, score, sample_weight=sample_weight)
    return float(auc(recall, precision))


def _ties_one_by_one(y_true, score, *, sample_weight=None):
    my_average_precision(y_true, score, sample_weight=sample_weight)  # same bad-input errors
    y, s = np.asarray(y_true, dtype=float), np.asarray(score, dtype=float)
    w = np.ones_like(s) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    order = np.argsort(-s, kind="stable")
    tp, total = np.cumsum((w * y)[order]), np.cumsum(w[order])
    hits = y[order] == 1
    return float(np.sum((tp / total)[hits] * (w[order][hits] / tp[-1])))


_Y = [0, 1, 0, 1, 1, 0, 0, 1, 0, 0]
_S = [0.05, 0.9, 0.3, 0.6, 0.35, 0.7, 0.2, 0.4, 0.1, 0.5]
_W = [10.0, 1.0, 10.0, 1.0, 1.0, 10.0, 10.0, 1.0, 10.0, 10.0]


@KEY.implement(
    "implement_average_precision",
    question=(
        "Write average precision (PR-AUC), with optional sample weights: rank by `score`, "
        "and at each distinct score (tied scores form one threshold) add the precision of "
        "flagging every row scored at or above it, times the share of the positives' weight "
        "it newly recalls. A row of weight 10 counts as 10 rows. Bad input (lengths that differ, "
        "no positive, a NaN score, a negative weight, a label other than 0/1) raises ValueError."
    ),
    signature="my_average_precision(y_true, score, *, sample_weight=None)",
    hint=(
        "Walk down the distinct scores from the highest: each step flags a few more rows; "
        "precision is the flagged positives' weight over all flagged weight, and only the steps "
        "that recall new positives count, in proportion to how much they recall."
    ),
    cases=[
        Case("typical", args=(_Y, _S)),
        Case("legitimate rows weighted by 10", args=(_Y, _S), kwargs={"sample_weight": _W}),
        Case(
            "tied scores across classes", args=([1, 0, 1, 0, 0, 1], [0.8, 0.8, 0.5, 0.5, 0.5, 0.1])
        ),
        Case("perfect ranking", args=([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])),
        Case("worst ranking", args=([1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9])),
        Case("one positive", args=([0, 0, 0, 1, 0], [0.3, 0.9, 0.1, 0.5, 0.2])),
        Case("every score equal", args=([0, 1, 0, 0], [0.5, 0.5, 0.5, 0.5])),
        Case("no positive", args=([0, 0, 0], [0.2, 0.5, 0.9])),
        Case("lengths differ", args=([0, 1, 1], [0.2, 0.5])),
        Case("NaN score", args=([0, 1, 1], [0.2, float("nan"), 0.7])),
        Case(
            "negative weight",
            args=([0, 1, 1], [0.2, 0.5, 0.7]),
            kwargs={"sample_weight": [1.0, -1.0, 1.0]},
        ),  # fmt: skip
        Case("label not 0/1", args=([0, 2, 1], [0.2, 0.5, 0.7])),
    ],
    slips={
        "ignores sample_weight: a kept legitimate row must count for the rows it stands for": (
            _ignores_weights
        ),
        "takes the trapezoidal area under the PR curve instead of the step sum": _trapezoid,
        "breaks tied scores one row at a time instead of treating them as one threshold": (
            _ties_one_by_one
        ),
    },
)
def my_average_precision(y_true, score, *, sample_weight=None):
    return ranking_scores(y_true, score, sample_weight=sample_weight).pr_auc
