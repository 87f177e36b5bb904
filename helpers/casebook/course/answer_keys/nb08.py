"""Answer key of notebook 08 (credit API bias monitoring): the robust alert rule and its settings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from casebook.course.answer_keys._compare import Case
from casebook.course.answer_keys._key import AnswerKey
from casebook.fairness.alerts import alert_timeline, fairness_kpis_by_batch, first_alert
from casebook.fairness.intervals import required_group_size
from casebook.synthetic.credit_stream import CREDIT_FEATURES

KEY = AnswerKey("08")
APPROVAL_RATE = 0.6  # the credit policy approves the top 60% of the development sample
MARGIN = 0.10  # compliance's precision requirement for a group's weekly approval rate


@KEY.number(
    "first_alert_with_later_drift",
    question=(
        "Suppose the vendor change happened in week 30 instead. Deciding that stream with the "
        "same model and threshold, and computing the KPIs and the robust timeline with the same "
        "settings, in which week does the first alert fire?"
    ),
    form="a week number (-1 if no alert fires in the stream)",
    hint=(
        "Only the live weeks are decided; the alert fires in the week that completes the "
        "required run of judged weeks whose whole interval is below the tolerance, not in the "
        "week the drift starts."
    ),
    abs_tol=0.5,
    wrong_example=30,
    slip="that is the week of the injection, not the week the alert fires",
)
def first_alert_with_later_drift(
    *, stream: pd.DataFrame, model: Any, threshold: float, settings: Mapping[str, Any]
) -> float:
    live = stream[stream["week"] > 0]
    approved = (model.predict_proba(live[list(CREDIT_FEATURES)])[:, 1] >= threshold).astype(int)
    kpis = fairness_kpis_by_batch(
        approved,
        approved,
        sensitive_features=live["age_group"].astype(str),
        batch=live["week"],
        n_resamples=settings["n_resamples"],
        seed=settings["seed"],
    )
    timeline = alert_timeline(
        kpis,
        tolerance=settings["tolerance"],
        min_group_size=settings["min_group_size"],
        consecutive=settings["consecutive"],
    )
    week = first_alert(timeline)
    if week is None:  # the form says so: no alert is answered as -1
        return -1.0
    return float(week)


@KEY.judgement(
    "min_group_size_for_margin",
    question=(
        "Compliance wants the weekly approval rate of a group (about 60%, the policy's approval "
        "rate) known to within ±0.10 at 95% confidence before a week is judged. Should the rule "
        "keep its current min_group_size or raise it? Give the call and the group size that "
        "margin needs."
    ),
    hint=(
        "The half-width of a rate's interval shrinks with the square root of the group size: "
        "solve for the size at which the 95% half-width of a 60% rate is 0.10, then compare."
    ),
    options={
        "keep": "the current minimum is smaller than the size a ±0.10 margin at 95% needs for a "
        "rate near 60%: weeks would be judged on rates known less precisely than compliance asks",
        "raise": "the current minimum already reaches the size compliance's margin needs: "
        "raising it would only skip more weeks without making the verdicts meet a stricter need",
    },
    abs_tol=2,
)
def min_group_size_for_margin(*, min_group_size: int) -> tuple[str, float]:
    needed = required_group_size(APPROVAL_RATE, margin=MARGIN)
    return ("keep" if min_group_size >= needed else "raise"), float(needed)


def _runs(
    kpis: pd.DataFrame,
    tolerance: float,
    min_group_size: int,
    consecutive: int,
    *,
    edge: str = "high",
    reset_on_quiet: bool = False,
    or_equal: bool = False,
) -> Any:
    streak = 0
    for _, row in kpis.iterrows():
        value = row[edge]
        if row["min_group_n"] < min_group_size or np.isnan(value):
            if reset_on_quiet:
                streak = 0
            continue
        past = value <= tolerance if or_equal else value < tolerance
        streak = streak + 1 if past else 0
        if streak >= consecutive:
            return row["batch"]
    return None


def _quiet_resets(kpis, *, tolerance=0.8, min_group_size=30, consecutive=2):
    return _runs(kpis, tolerance, min_group_size, consecutive, reset_on_quiet=True)


def _point_rule(kpis, *, tolerance=0.8, min_group_size=30, consecutive=2):
    return _runs(kpis, tolerance, min_group_size, consecutive, edge="estimate")


def _touching_counts(kpis, *, tolerance=0.8, min_group_size=30, consecutive=2):
    return _runs(kpis, tolerance, min_group_size, consecutive, or_equal=True)


def _weeks(high: list[float], *, n: list[int] | None = None, estimate: list[float] | None = None):
    high_arr = np.asarray(high, dtype=float)
    return pd.DataFrame(
        {
            "batch": np.arange(1, len(high) + 1),
            "min_group_n": n if n is not None else [60] * len(high),
            "estimate": estimate if estimate is not None else high_arr - 0.08,
            "low": high_arr - 0.16,
            "high": high_arr,
        }
    )


_BUILDS_UP = _weeks([0.97, 0.95, 0.98, 0.9, 0.79, 0.7, 0.66, 0.6])
_QUIET_INSIDE = _weeks([0.96, 0.95, 0.74, 0.99, 0.72, 0.7], n=[60, 55, 58, 12, 61, 60])
_UNLUCKY = _weeks([0.95, 0.75, 0.92, 0.96, 0.78, 0.7, 0.97])
_POINT_ONLY = _weeks([0.95, 0.86, 0.85, 0.84, 0.9], estimate=[0.88, 0.74, 0.72, 0.73, 0.8])
_AT_TOLERANCE = _weeks([0.95, 0.8, 0.8, 0.8, 0.79, 0.7])
_UNDEFINED = _weeks([0.9, 0.75, np.nan, 0.7, 0.95])


@KEY.implement(
    "implement_alert_rule",
    question=(
        "Write the robust alert rule: given the weekly KPI table (columns batch, min_group_n, "
        "estimate, low, high, in week order), return the batch in which the first alert fires, "
        "or None. A week is judged only if its smallest group has at least min_group_size "
        "people and its KPI is defined; a judged week is a breach when its whole interval is "
        "below the tolerance; an alert fires in the week that completes `consecutive` judged "
        "breaches in a row; weeks that are not judged neither extend nor reset a run. A table "
        "without the needed columns, or a consecutive below 1, must raise ValueError or "
        "TypeError."
    ),
    signature=(
        "my_first_alert(kpis, *, tolerance=0.8, min_group_size=30, consecutive=2) -> batch or None"
    ),
    hint=(
        "Walk the weeks in order keeping one counter: the judged breaches in a row. A judged "
        "week that is not a breach resets it; a week too small to judge leaves it alone. "
        "'Whole interval below' means the upper end is below, strictly."
    ),
    cases=[
        Case("a drift that builds up", args=(_BUILDS_UP,)),
        Case("a quiet week inside a run of breaches", args=(_QUIET_INSIDE,)),
        Case("single unlucky weeks, then a real run", args=(_UNLUCKY,)),
        Case("point estimates below, intervals reaching the tolerance", args=(_POINT_ONLY,)),
        Case("intervals ending exactly at the tolerance", args=(_AT_TOLERANCE,)),
        Case("an undefined KPI (NaN) between breaches", args=(_UNDEFINED,)),
        Case(
            "groups exactly at the minimum size",
            args=(_weeks([0.9, 0.7, 0.72], n=[30, 30, 30]),),
        ),
        Case("three breaches in a row required", args=(_BUILDS_UP,), kwargs={"consecutive": 3}),
        Case("a stricter tolerance", args=(_POINT_ONLY,), kwargs={"tolerance": 0.9}),
        Case("no alert at all", args=(_weeks([0.95, 0.97, 0.93, 0.99]),)),
        Case("no weeks yet", args=(_weeks([]),)),
        Case("consecutive of zero", args=(_BUILDS_UP,), kwargs={"consecutive": 0}),
        Case("a table without the interval", args=(_BUILDS_UP.drop(columns="high"),)),
    ],
    slips={
        "a quiet week resets the run of breaches (it should be skipped)": _quiet_resets,
        "the point estimate decides instead of the whole interval": _point_rule,
        "an interval that only touches the tolerance counted as a breach": _touching_counts,
    },
)
def implement_alert_rule(
    kpis: pd.DataFrame, *, tolerance: float = 0.8, min_group_size: int = 30, consecutive: int = 2
) -> Any:
    timeline = alert_timeline(
        kpis, tolerance=tolerance, min_group_size=min_group_size, consecutive=consecutive
    )
    return first_alert(timeline)


@KEY.judgement(
    "incident_status",
    question=(
        "The incident memo goes to the model risk committee with the re-audit of the retrained "
        "model: its approval-rate ratio on the weeks after the alert, with a 95% interval. "
        "Should the committee 'close' the incident, 'downgrade' it (keep watching, no more "
        "escalation) or 'keep open'? Give the call and the lower end of that interval."
    ),
    hint=(
        "A fix is confirmed when the whole interval of the retrained model's ratio is on the "
        "acceptable side of the tolerance; an interval that reaches across it neither confirms "
        "nor refutes the fix."
    ),
    options={
        "close": "closing needs the retrained model's whole interval at or above the tolerance; "
        "here the interval reaches below it, so the fix is not yet confirmed",
        "downgrade": "downgrading fits an interval that reaches across the tolerance; here the "
        "interval lies entirely on one side of it, so the evidence does settle the question",
        "keep open": "keeping the incident open fits a retrained model whose whole interval is "
        "still below the tolerance; here the interval reaches the tolerance or above",
    },
    abs_tol=0.01,
)
def incident_status(*, retrained_ratio_ci: Any, tolerance: float) -> tuple[str, float]:
    _, low, high = (float(v) for v in retrained_ratio_ci)
    call = "close" if low >= tolerance else "keep open" if high < tolerance else "downgrade"
    return call, low
