"""Answer key of notebook 13 (weekly drift monitoring): quality checks, false alarms, PSI, action."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from casebook.course.answer_keys._compare import Case
from casebook.course.answer_keys._key import AnswerKey
from casebook.monitoring.drift.stats import psi

KEY = AnswerKey("13")

EPS = 1e-4  # the share an empty bin counts as (section 3)
MAX_DROP = 0.05  # an estimated accuracy more than 5 points below the reference's calls for action

KEY.choice(
    "crypto_payment_check",
    question=(
        "Next week 10% of the batch arrives with payment_method 'Crypto wallet', a payment "
        "option the reference never had; everything else is clean. Which quality check fires?"
    ),
    hint=(
        "Ask what kind of column payment_method is and what the schema remembers about it "
        "from the reference; the table of bad inputs in section 2 has the same situation."
    ),
    options={
        "unseen_category": None,
        "out_of_range": "ranges are kept for numeric columns only; payment_method is a "
        "category, and a category the schema never saw is reported as such",
        "type_change": "the column is still text, as in the reference: only one of its values "
        "is new",
        "constant_column": "the column still takes several values (90% of the rows keep their "
        "usual payment methods)",
    },
)


@KEY.number(
    "false_alarm_probability",
    question=(
        "Suppose the feature tests of a clean week are independent and each is run at 1% with no "
        "correction. What is the probability that the week raises at least one false flag?"
    ),
    form="a probability between 0 and 1",
    hint=(
        "A clean week stays quiet only if every one of its tests stays quiet; at least one false "
        "flag is the complement of that."
    ),
    abs_tol=0.005,
    wrong_example=lambda *, n_features: 0.01 * n_features,
    slip="adding the 1% of every test overcounts weeks with two or more false flags; the "
    "chance of at least one is one minus the chance that all tests stay quiet",
)
def false_alarm_probability(*, n_features: int) -> float:
    return 1 - (1 - 0.01) ** n_features


@KEY.number(
    "label_only_delay",
    question=(
        "A monitor that watches only realized accuracy first sees the charges-in-cents bug when "
        "that week's churn labels arrive. How many weeks after the bug started is that?"
    ),
    form="a whole number of weeks",
    hint="Labels come back a fixed number of weeks after the batch is scored.",
    abs_tol=0.0,
)
def label_only_delay(*, label_delay_weeks: int) -> float:
    return float(label_delay_weeks)


@KEY.judgement(
    "promotion_week_action",
    question=(
        "It is the Monday of the first promotion week and the monitor is red. The retention "
        "manager asks what to do with this week's scores: 'keep using' them for the call list "
        "(and watch the labels as they land), 'fix the pipeline' first, or 'retrain now'. Give "
        "the call and that week's label-free estimate of accuracy, the number it rests on."
    ),
    hint=(
        "Diagnose before acting: did the batch pass the pipeline checks? If it did, ask whether "
        "the calibrated scores themselves expect the model to do much worse than on the "
        "reference set (more than 5 points); retraining needs labels, which are weeks away."
    ),
    options={
        "keep using": "this week is not usable as is: either the pipeline checks failed, or the "
        "label-free estimate of accuracy fell more than 5 points below the reference accuracy",
        "fix the pipeline": "the batch passed every pipeline check: its values are plausible, "
        "only their distribution moved, so there is nothing to fix upstream",
        "retrain now": "retraining is not the call: either the pipeline is broken (a model "
        "retrained on broken data learns the bug) or the label-free estimate is not more than "
        "5 points below the reference accuracy, so the model still works for this population",
    },
    abs_tol=0.01,
)
def promotion_week_action(
    *, weeks: pd.DataFrame, monday_view: pd.DataFrame, week: int, ref_accuracy: float
) -> tuple[str, float]:
    estimate = float(monday_view.set_index("week").loc[week, "expected_accuracy"])
    if bool(weeks.set_index("week").loc[week, "quality_alert"]):
        return "fix the pipeline", estimate
    if estimate < ref_accuracy - MAX_DROP:
        return "retrain now", estimate
    return "keep using", estimate


def _psi_no_empty_bins(reference, current, *, bins=10):
    ref, cur, edges = _binned(reference, current, bins)
    r, c = _shares(ref, edges), _shares(cur, edges)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.sum((c - r) * np.log(c / r)))


def _psi_right_closed(reference, current, *, bins=10):
    ref, cur, edges = _binned(reference, current, bins)
    r = np.bincount(np.searchsorted(edges, ref, side="left"), minlength=len(edges) + 1)
    c = np.bincount(np.searchsorted(edges, cur, side="left"), minlength=len(edges) + 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        r, c = r / r.sum(), c / c.sum()
    r, c = np.where(r == 0, EPS, r), np.where(c == 0, EPS, c)
    return float(np.sum((c - r) * np.log(c / r)))


def _psi_drops_outside_range(reference, current, *, bins=10):
    ref, cur, edges = _binned(reference, current, bins)
    cur = cur[(cur >= ref.min()) & (cur <= ref.max())]
    r, c = _shares(ref, edges), _shares(cur, edges)
    r, c = np.where(r == 0, EPS, r), np.where(c == 0, EPS, c)
    return float(np.sum((c - r) * np.log(c / r)))


def _binned(reference, current, bins):
    ref = np.asarray(reference, dtype=float)
    cur = np.asarray(current, dtype=float)
    ref, cur = ref[~np.isnan(ref)], cur[~np.isnan(cur)]
    edges = np.unique(np.quantile(ref, np.linspace(0, 1, bins + 1)[1:-1]))
    return ref, cur, edges


def _shares(values, edges):
    counts = np.bincount(np.searchsorted(edges, values, side="right"), minlength=len(edges) + 1)
    return counts / max(counts.sum(), 1)


_rng = np.random.default_rng(0)
_REF = np.round(_rng.normal(50, 10, 40), 1)
_SHIFTED = np.round(_rng.normal(54, 10, 60), 1)


@KEY.implement(
    "implement_psi",
    question=(
        "Write the population stability index the monitor computes for a numeric feature. Cut "
        "the reference into `bins` bins at its quantiles: the interior edges are "
        "np.quantile(reference, [1/bins, ..., (bins-1)/bins]) with repeated edges kept once; "
        "the outer bins are open (every current value is counted, even outside the reference's "
        "range) and a value equal to an edge goes into the bin above it. With r and c the "
        "reference and current shares per bin, an empty bin's share counts as 0.0001 (no "
        "renormalising), and PSI = sum (c - r) * ln(c / r). Missing values (NaN) are dropped "
        "first. Bad input (a sample with no value left, text instead of numbers, bins below 2) "
        "raises ValueError or TypeError."
    ),
    signature="my_psi(reference, current, *, bins=10) -> float",
    hint=(
        "Bin both samples with the same edges, taken from the reference alone. The logarithm "
        "of an empty bin's share would be minus infinity: that is what the 0.0001 is for."
    ),
    cases=[
        Case("a shifted sample", args=(_REF.tolist(), _SHIFTED.tolist()), kwargs={"bins": 5}),
        Case("ten bins", args=(_REF.tolist(), _SHIFTED.tolist()), kwargs={"bins": 10}),
        Case(
            "two bins, 50/50 becomes 25/75", args=([1, 2, 3, 4], [1, 3, 4, 4]), kwargs={"bins": 2}
        ),
        Case("the same sample", args=(_REF.tolist(), _REF.tolist()), kwargs={"bins": 10}),
        Case(
            "values on the edges", args=([1, 2, 3, 4, 5, 6], [2, 2, 4, 4, 6, 6]), kwargs={"bins": 3}
        ),
        Case("empty bin in current", args=([1, 2, 3, 4], [3, 4, 4, 3]), kwargs={"bins": 2}),
        Case(
            "current outside the reference's range", args=([1, 2, 3, 4], [0, 9]), kwargs={"bins": 2}
        ),
        Case("tied quantiles collapse", args=([0, 0, 0, 1], [0, 1, 1, 1, -1]), kwargs={"bins": 4}),
        Case(
            "missing values are dropped",
            args=([1.0, 2.0, float("nan"), 3.0, 4.0], [1.0, 3.0, 4.0, 4.0, float("nan")]),
            kwargs={"bins": 2},
        ),
        Case("empty current", args=([1, 2, 3, 4], []), kwargs={"bins": 2}),
        Case("only missing values", args=([1, 2, 3], [float("nan")]), kwargs={"bins": 2}),
        Case("text instead of numbers", args=(["a", "b", "c"], ["a", "b"]), kwargs={"bins": 2}),
        Case("one bin", args=([1, 2, 3, 4], [1, 2]), kwargs={"bins": 1}),
    ],
    slips={
        "no empty-bin rule: an empty bin makes ln(0) and PSI infinite": _psi_no_empty_bins,
        "a value equal to an edge goes into the bin below it": _psi_right_closed,
        "current values outside the reference's range are dropped, not counted": (
            _psi_drops_outside_range
        ),
    },
)
def my_psi(reference: Any, current: Any, *, bins: int = 10) -> float:
    return psi(reference, current, bins=bins, eps=EPS).statistic
