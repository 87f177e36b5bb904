"""Answer key of notebook 07 (resume screening mitigation): gaps removed, the lawful pick, TPRs."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from casebook._validation.binary import check_same_length, encode_binary
from casebook.course.answer_keys._compare import Case
from casebook.course.answer_keys._key import AnswerKey
from casebook.fairness.groups import encode_groups
from casebook.fairness.mitigation import reweighing_predictions
from casebook.fairness.operating_point import mitigation_table

KEY = AnswerKey("07")


def _share_removed(applicants: pd.DataFrame, features: list[str]) -> float:
    half = len(applicants) // 2
    X = StandardScaler().fit(applicants[features][:half]).transform(applicants[features])
    g, y = applicants["gender"].astype(str).to_numpy(), applicants["hired"].to_numpy()
    model = LogisticRegression(max_iter=1000)
    reweighed = reweighing_predictions(
        model, X[:half], y[:half], X[half:], sensitive_features=g[:half]
    )
    baseline = LogisticRegression(max_iter=1000).fit(X[:half], y[:half]).predict(X[half:])
    table = mitigation_table(
        {"baseline": baseline, "reweighing": reweighed},
        y_historical=y[half:],
        sensitive_features=g[half:],
    )
    return float(table.loc["reweighing", "disparity_removed"])


@KEY.number(
    "reweighing_under_stronger_bias",
    question=(
        "Suppose the historical process rejected 60% of qualified women. On those applicants, "
        "trained on the first half and tested on the second, what share of the baseline's "
        "selection-rate gap does reweighing (strength 1) remove?"
    ),
    form="a share between 0 and 1 (not a percentage)",
    hint=(
        "Fit the gender-blind baseline and the reweighed model on the same standardized first "
        "half; on the second half, compare the two selection-rate gaps: the share removed is the "
        "drop in the gap divided by the baseline's gap."
    ),
    abs_tol=0.02,
    wrong_example=lambda *, applicants, features: 100 * _share_removed(applicants, features),
    slip="that is a percentage; the share removed is a fraction between 0 and 1",
)
def reweighing_under_stronger_bias(*, applicants: pd.DataFrame, features: list[str]) -> float:
    return _share_removed(applicants, features)


_ALLOWED = {"reweighing": "reweighing x1", "exp. gradient": "exp. gradient"}


@KEY.judgement(
    "mitigation_without_gender_at_decision_time",
    question=(
        "Legal says gender may not be used when a decision is made (it may be used to train and "
        "to audit). Which mitigation at default strength do you recommend: the allowed one that "
        "removes the larger share of the selection-rate gap on the test set? Give it with the "
        "share it removes."
    ),
    hint=(
        "First drop every method that needs the applicant's gender to decide; then compare what "
        "is left on the share of the baseline's gap it removes."
    ),
    options={
        "reweighing": "both remaining methods are allowed, and on the test set exponentiated "
        "gradient removes a larger share of the gap than reweighing",
        "exp. gradient": "both remaining methods are allowed, and on the test set reweighing "
        "removes a larger share of the gap than exponentiated gradient",
        "thresholds": "group thresholds need the applicant's gender at decision time, which "
        "legal rules out (and US hiring law forbids), whatever share of the gap they remove",
    },
    abs_tol=0.02,
)
def mitigation_without_gender_at_decision_time(*, table: pd.DataFrame) -> tuple[str, float]:
    removed = {k: float(table.loc[m, "disparity_removed"]) for k, m in _ALLOWED.items()}
    best = max(removed, key=removed.__getitem__)
    return best, removed[best]


def _tp_counts(y_true: Any, y_pred: Any, groups: Any) -> pd.DataFrame:
    t, p = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    frame = pd.DataFrame({"g": list(groups), "t": t, "p": p, "tp": t * p})
    return frame.groupby("g").agg(
        tp=("tp", "sum"), positives=("t", "sum"), selected=("p", "sum"), n=("t", "size")
    )


def _gap(rates: pd.Series) -> tuple[dict, float]:
    return {g: float(r) for g, r in rates.items()}, float(rates.max() - rates.min())


def _precision(y_true: Any, y_pred: Any, groups: Any) -> tuple[dict, float]:
    c = _tp_counts(y_true, y_pred, groups)
    return _gap(c["tp"] / c["selected"])


def _selection_rate(y_true: Any, y_pred: Any, groups: Any) -> tuple[dict, float]:
    c = _tp_counts(y_true, y_pred, groups)
    return _gap(c["selected"] / c["n"])


def _signed(y_true: Any, y_pred: Any, groups: Any) -> tuple[dict, float]:
    c = _tp_counts(y_true, y_pred, groups)
    rates = c["tp"] / c["positives"]
    return {g: float(r) for g, r in rates.items()}, float(rates.iloc[0] - rates.iloc[1])


_rng = np.random.default_rng(0)
_G = np.repeat(["female", "male"], [30, 30])
_T = (_rng.random(60) < 0.4).astype(int)
_T[[0, 1, 30, 31]] = 1  # at least two qualified in each group
_P = np.where(_T == 1, _rng.random(60) < np.where(_G == "female", 0.45, 0.8), _rng.random(60) < 0.2)
_P = _P.astype(int)


@KEY.implement(
    "implement_equal_opportunity",
    question=(
        "Write the equal-opportunity check: for each group, the true positive rate (the share of "
        "its truly qualified applicants the model selects), and the gap between the largest and "
        "the smallest. Bad input (lengths that differ, labels or decisions other than 0/1, a "
        "missing group, fewer than two groups, a group with no qualified applicant) must raise "
        "ValueError or TypeError."
    ),
    signature="my_equal_opportunity(y_true, y_pred, groups) -> (tpr, gap), tpr a dict group -> rate",
    hint=(
        "Equal opportunity only looks at the people who deserved a yes: within each group, "
        "count those the model selected and divide by those who were qualified. A group with "
        "nobody qualified has no true positive rate at all, not a rate of 0."
    ),
    cases=[
        Case("women and men", args=(_T.tolist(), _P.tolist(), _G.tolist())),
        Case(
            "three groups",
            args=(
                [1, 1, 0, 1, 1, 1, 0, 1, 1, 0],
                [1, 0, 1, 1, 1, 0, 0, 0, 1, 1],
                list("aaabbbbccc"),
            ),
        ),
        Case("booleans", args=([True, True, True, False], [True, False, True, True], list("abab"))),
        Case("every qualified person selected", args=([1, 0, 1, 0], [1, 1, 1, 0], list("aabb"))),
        Case("a group with nobody qualified", args=([1, 1, 0, 0], [1, 0, 1, 0], list("aabb"))),
        Case("one group only", args=([1, 0, 1], [1, 0, 0], ["men"] * 3)),
        Case("lengths differ", args=([1, 0, 1], [1, 0], list("abb"))),
        Case("labels given as text", args=(["yes", "no", "yes", "no"], [1, 0, 1, 0], list("aabb"))),
        Case("a missing group label", args=([1, 1, 1, 1], [1, 0, 1, 0], ["a", None, "b", "b"])),
    ],
    slips={
        "precision (the qualified among the selected) instead of the selected among the "
        "qualified": _precision,
        "the selection rate of the whole group instead of the rate among its qualified": (
            _selection_rate
        ),
        "a signed gap (first group minus second) instead of the largest minus the smallest": _signed,
    },
)
def implement_equal_opportunity(y_true: Any, y_pred: Any, groups: Any) -> tuple[dict, float]:
    truth = encode_binary(y_true, name="y_true")
    selected = encode_binary(y_pred, name="y_pred")
    n = check_same_length(y_true=truth, y_pred=selected, groups=np.asarray(groups, dtype=object))
    codes, index = encode_groups(groups, n=n)
    qualified = np.bincount(codes, weights=truth, minlength=len(index))
    if (qualified == 0).any():
        empty = [str(g) for g, q in zip(index, qualified, strict=True) if q == 0]
        raise ValueError(f"y_true has no qualified person in group(s) {empty}: TPR is undefined")
    hits = np.bincount(codes, weights=truth & selected, minlength=len(index))
    tpr = hits / qualified
    return {g: float(r) for g, r in zip(index, tpr, strict=True)}, float(tpr.max() - tpr.min())
