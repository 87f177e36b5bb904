"""Answer key of notebook 11 (loan default): window features, validation, a point-in-time count."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import roc_auc_score

from casebook.course.answer_keys._compare import Case
from casebook.course.answer_keys._key import AnswerKey
from casebook.decisions.costs import operating_point
from casebook.modeling.pointintime import window_features

KEY = AnswerKey("11")

ONLY_365 = r"_365d$|^days_since_last$|^history_days$"


@KEY.number(
    "oot_auc_365_only",
    question=(
        "Keep only the 365-day window features (plus days since the last transaction and the "
        "history length), refit the model on the same out-of-time training rows and report its "
        "ROC-AUC on the out-of-time test rows. Do the short windows matter here?"
    ),
    form="a ROC-AUC between 0 and 1",
    hint=(
        "Same protocol as section 4, fewer columns: train on the earliest applications, score "
        "the latest, and compare with the out-of-time AUC of all windows."
    ),
    abs_tol=0.02,
    wrong_example=0.5,
    slip="that is the AUC of a random score, the chance level",
)
def oot_auc_365_only(
    *, features: pd.DataFrame, model: Any, y: Any, train_idx: Any, test_idx: Any
) -> float:
    f365 = features.filter(regex=ONLY_365)
    y = np.asarray(y)
    fitted = clone(model).fit(f365.iloc[train_idx], y[train_idx])
    return float(roc_auc_score(y[test_idx], fitted.predict_proba(f365.iloc[test_idx])[:, 1]))


KEY.choice(
    "which_auc_to_report",
    question="The validation report needs one AUC for this model. Which do you write down?",
    hint="The model will score applications that arrive after it is trained.",
    options={
        "leaky random split": "its features saw the weeks after each application (late fees): "
        "no deployed model can see them, so the number measures the leak",
        "random split": "it tests on applications from the same months as the training data, so "
        "it hides the drift a deployed model meets on later applications",
        "out-of-time with interval": None,
    },
)


@KEY.judgement(
    "threshold_pays_out_of_time",
    question=(
        "The risk committee asks whether the cost-optimal threshold, chosen on the training "
        "period, should go live, or whether the lender should keep approving everyone. Decide "
        "from the out-of-time test period, and give the share of the approve-all cost that the "
        "threshold saves there (negative if it costs more)."
    ),
    hint=(
        "Price both policies on the later applications with the same example-dependent costs: "
        "a rejected good applicant loses the margin, an approved defaulter loses part of the loan."
    ),
    options={
        "apply the threshold": "out of time the chosen threshold costs more than approving "
        "everyone: drift erased the saving it promised on the training period",
        "approve everyone": "out of time the chosen threshold still costs less than approving "
        "everyone, so approving everyone throws that saving away",
    },
    abs_tol=0.01,
)
def threshold_pays_out_of_time(
    *, y_test: Any, score_test: Any, threshold: float, fp_cost: Any, fn_cost: Any
) -> tuple[str, float]:
    costs = {"fp_cost": fp_cost, "fn_cost": fn_cost}
    chosen = operating_point(y_test, score_test, threshold=threshold, **costs).cost
    everyone = operating_point(y_test, score_test, threshold=np.inf, **costs).cost
    saved = 1 - chosen / everyone
    return ("apply the threshold" if saved > 0 else "approve everyone"), float(saved)


def _pairs(applications, transactions):
    apps = applications.reset_index(drop=True).rename_axis("row").reset_index()
    return apps.merge(transactions, on="customer_id", how="left")


def _counts(applications, pairs, keep):
    counted = pairs[keep].groupby("row").size()
    return counted.reindex(range(len(applications)), fill_value=0).to_numpy()


def _includes_cutoff(applications, transactions, *, days):
    p = _pairs(applications, transactions)
    start = p["application_date"] - pd.Timedelta(days=days)
    return _counts(
        applications, p, (p["timestamp"] <= p["application_date"]) & (p["timestamp"] >= start)
    )


def _no_window_start(applications, transactions, *, days):
    p = _pairs(applications, transactions)
    return _counts(applications, p, p["timestamp"] < p["application_date"])


def _after_the_cutoff_too(applications, transactions, *, days):
    p = _pairs(applications, transactions)
    start = p["application_date"] - pd.Timedelta(days=days)
    return _counts(applications, p, p["timestamp"] >= start)


def _frames(apps: list[tuple[int, str]], tx: list[tuple[int, str]]) -> tuple[pd.DataFrame, ...]:
    applications = pd.DataFrame(
        {
            "customer_id": [c for c, _ in apps],
            "application_date": pd.to_datetime([d for _, d in apps]),
        }
    )
    transactions = pd.DataFrame(
        {
            "customer_id": [c for c, _ in tx],
            "timestamp": pd.to_datetime([t for _, t in tx], format="ISO8601"),
            "amount": np.arange(1.0, len(tx) + 1),
            "category": "card",
        }
    )
    return applications, transactions


_TYPICAL = _frames(
    [(1, "2024-03-01"), (2, "2024-03-10"), (3, "2024-02-01")],
    [(1, "2024-02-10"), (1, "2024-02-25 14:00"), (1, "2024-01-05"), (2, "2024-03-09"),
     (2, "2024-03-12"), (3, "2024-01-20"), (1, "2024-03-05")],
)  # fmt: skip
_EDGES = _frames(
    [(7, "2024-06-01")],
    [(7, "2024-06-01 00:00"), (7, "2024-06-01 09:30"), (7, "2024-05-31 23:59"),
     (7, "2024-05-02 00:00"), (7, "2024-05-01 23:59")],
)  # fmt: skip
_REPEAT = _frames(
    [(4, "2024-04-01"), (4, "2024-07-01")],
    [(4, "2024-03-20"), (4, "2024-06-15"), (4, "2024-06-30"), (4, "2024-04-01")],
)
_NEWCOMER = _frames([(5, "2024-05-01"), (6, "2024-05-01")], [(5, "2024-04-20")])
_NAT = (_TYPICAL[0], _TYPICAL[1].assign(timestamp=_TYPICAL[1]["timestamp"].where(
    _TYPICAL[1].index != 2)))  # fmt: skip


@KEY.implement(
    "implement_window_count",
    question=(
        "Write the point-in-time count behind `count_<days>d`: for each application (in the "
        "order of `applications`), the number of its customer's transactions in the `days` days "
        "before the application date. The window starts exactly `days` days before the cut-off "
        "(a transaction at that instant counts) and stops strictly before the cut-off: a "
        "transaction at the cut-off or after it never counts. An applicant with no transaction "
        "gets 0. Bad input (`days` not a positive whole number, a missing timestamp) raises "
        "ValueError or TypeError."
    ),
    signature="my_window_count(applications, transactions, *, days)",
    hint=(
        "Pair every application with its customer's transactions, keep the pairs whose time "
        "falls in [cut-off - days, cut-off), and count per application, filling in zeros for "
        "applicants with nothing in the window."
    ),
    cases=[
        Case("typical, 30 days", args=_TYPICAL, kwargs={"days": 30}),
        Case("typical, 90 days", args=_TYPICAL, kwargs={"days": 90}),
        Case("at the cut-off, after it, and at the window start", args=_EDGES, kwargs={"days": 30}),
        Case("one customer applying twice", args=_REPEAT, kwargs={"days": 30}),
        Case("applicant with no transaction", args=_NEWCOMER, kwargs={"days": 30}),
        Case("a zero-day window", args=_TYPICAL, kwargs={"days": 0}),
        Case("a fractional window", args=_TYPICAL, kwargs={"days": 30.5}),
        Case("a missing timestamp", args=_NAT, kwargs={"days": 30}),
    ],
    slips={
        "counts a transaction at the cut-off itself (<= instead of <)": _includes_cutoff,
        "forgets where the window starts and counts the whole history": _no_window_start,
        "counts transactions after the application date too (they leak the future)": (
            _after_the_cutoff_too
        ),
    },
)
def my_window_count(applications, transactions, *, days):
    counts = window_features(applications, transactions, windows=[days], category_col=None)
    return counts[f"count_{days}d"].to_numpy()
