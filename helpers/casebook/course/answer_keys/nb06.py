"""Answer key of notebook 06 (German Credit age audit): small groups, intervals and verdicts."""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import norm

from casebook.course.answer_keys._compare import Case
from casebook.course.answer_keys._key import AnswerKey

KEY = AnswerKey("06")


def _approval_by_age_band(age: Any, y_pred: Any, cutoff: int) -> pd.Series:
    young = np.asarray(age) <= cutoff
    return pd.Series(np.asarray(y_pred, dtype=float)).groupby(young).mean()


@KEY.number(
    "age30_gap",
    question=(
        "Committees argue about where 'young' ends. On the same decisions, what is the approval "
        "gap (largest approval rate minus smallest) between applicants aged 30 or under and the "
        "others?"
    ),
    form="a gap between 0 and 1",
    hint=(
        "Split the applicants at the new cut-off (30 itself counts as young), take each side's "
        "share approved, and subtract the smaller from the larger."
    ),
    abs_tol=0.005,
    wrong_example=lambda *, age, y_pred: float(
        _approval_by_age_band(age, y_pred, 30).min() / _approval_by_age_band(age, y_pred, 30).max()
    ),
    slip="that is the ratio of the approval rates; the gap is their difference",
)
def age30_gap(*, age: Any, y_pred: Any) -> float:
    rates = _approval_by_age_band(age, y_pred, 30)
    return float(rates.max() - rates.min())


_CALL_BY_STATUS = {"fail": "breach", "pass": "within tolerance", "inconclusive": "inconclusive"}


@KEY.judgement(
    "committee_conclusion",
    question=(
        "The committee chair wants a one-line conclusion on age, judged against the 0.1 "
        "tolerance for the approval gap: does the scorecard breach it, stay within it, or is it "
        "inconclusive? Give the call and the lower end of the approval gap's 95% interval."
    ),
    hint=(
        "A verdict needs the whole interval on one side of the tolerance; also ask whether the "
        "interval excludes zero, which tells you whether there is a gap at all."
    ),
    options={
        "breach": "a breach needs the whole interval of the approval gap above 0.1; here the "
        "interval reaches down to 0.1 or below (or the groups are too small to judge)",
        "within tolerance": "certifying needs the whole interval at or below 0.1; here it "
        "reaches above the tolerance (or the groups are too small to judge): 'not significant' "
        "is not evidence of fairness",
        "inconclusive": "the interval lies entirely on one side of the tolerance, with groups "
        "large enough to judge: the data do settle the question",
    },
    abs_tol=0.01,
)
def committee_conclusion(*, sheet_age: pd.DataFrame) -> tuple[str, float]:
    row = sheet_age.set_index(["criterion", "method"]).loc[("demographic_parity", "difference")]
    return _CALL_BY_STATUS[str(row["status"])], float(row["low"])


def _check_counts(successes: Any, n: Any, confidence: Any) -> None:
    for name, value in (("successes", successes), ("n", n)):
        if isinstance(value, bool) or not isinstance(value, Integral):
            raise TypeError(f"{name} must be an int (a count), got {value!r}")
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    if not 0 <= successes <= n:
        raise ValueError(f"successes must be between 0 and n={n}, got {successes}")
    if isinstance(confidence, bool) or not isinstance(confidence, Real):
        raise TypeError(f"confidence must be a number, got {confidence!r}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be strictly between 0 and 1, got {confidence!r}")


def _wald(successes: Any, n: Any, *, confidence: float = 0.95) -> tuple[float, float]:
    z = norm.ppf(0.5 + confidence / 2)
    p = successes / n
    half = z * math.sqrt(p * (1 - p) / n)
    return float(p - half), float(p + half)


def _one_sided_z(successes: Any, n: Any, *, confidence: float = 0.95) -> tuple[float, float]:
    z = norm.ppf(confidence)
    p = successes / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    return float(centre - half), float(centre + half)


@KEY.implement(
    "implement_wilson",
    question=(
        "Write the Wilson score interval for a group's rate: the rate of `successes` out of `n` "
        "people, with a two-sided `confidence` level. Unlike rate ± z standard errors, it stays "
        "inside [0, 1] and does not collapse to a point when nobody (or everybody) in a small "
        "group is approved. Bad input (n below 1, successes outside 0..n, a count that is not "
        "an int, a confidence outside (0, 1)) must raise ValueError or TypeError."
    ),
    signature="my_wilson(successes, n, *, confidence=0.95) -> (low, high)",
    hint=(
        "Wilson inverts the score test: it keeps every rate whose own standard error would not "
        "reject the observed share. Solving that quadratic gives a centre pulled towards 1/2, "
        "(p + z²/2n) / (1 + z²/n), and a half-width z / (1 + z²/n) · sqrt(p(1-p)/n + z²/4n²); "
        "z is the two-sided normal quantile of the confidence level."
    ),
    cases=[
        Case("young applicants approved", args=(112, 190)),
        Case("a small group", args=(7, 25)),
        Case("90% confidence", args=(45, 105), kwargs={"confidence": 0.9}),
        Case("nobody approved", args=(0, 20)),
        Case("everybody approved", args=(20, 20)),
        Case("a group of one", args=(1, 1)),
        Case("an empty group", args=(0, 0)),
        Case("more successes than people", args=(21, 20)),
        Case("negative successes", args=(-1, 20)),
        Case("a fractional count", args=(2.5, 20)),
        Case("confidence given in percent", args=(7, 25), kwargs={"confidence": 95}),
    ],
    slips={
        "the Wald interval (rate ± z standard errors) instead of Wilson's": _wald,
        "a one-sided z (the confidence quantile) instead of the two-sided one": _one_sided_z,
    },
)
def implement_wilson(successes: Any, n: Any, *, confidence: float = 0.95) -> tuple[float, float]:
    _check_counts(successes, n, confidence)
    z = norm.ppf(0.5 + confidence / 2)
    p = successes / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * math.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
    return max(0.0, float(centre - half)), min(1.0, float(centre + half))


def _check_interval(low: Any, high: Any, tolerance: Any, method: Any) -> tuple[float, float]:
    for name, value in (("low", low), ("high", high), ("tolerance", tolerance)):
        if isinstance(value, bool) or not isinstance(value, Real):
            raise TypeError(f"{name} must be a number, got {value!r}")
    if method not in ("difference", "ratio"):
        raise ValueError(f"method must be 'difference' or 'ratio', got {method!r}")
    if math.isnan(low) or math.isnan(high):
        return math.nan, math.nan
    if low > high:
        raise ValueError(f"low must be <= high, got low={low!r}, high={high!r}")
    return float(low), float(high)


def _rule(low: float, high: float, tolerance: float, method: str, *, strict: bool = False) -> str:
    """The verdict on a checked, defined interval (``strict``: an end on the tolerance fails)."""

    def ok(a: float, b: float) -> bool:
        return a < b if strict else a <= b

    if method == "difference":
        return "pass" if ok(high, tolerance) else "fail" if low > tolerance else "inconclusive"
    return "pass" if ok(tolerance, low) else "fail" if high < tolerance else "inconclusive"


def _judged(rule: Any) -> Any:
    """A ``my_verdict``-shaped function: the shared checks, NaN inconclusive, then ``rule``."""

    def judge(low: Any, high: Any, *, tolerance: float, method: str) -> str:
        low, high = _check_interval(low, high, tolerance, method)
        return "inconclusive" if math.isnan(low) else rule(low, high, tolerance, method)

    return judge


def _midpoint_rule(low: float, high: float, tolerance: float, method: str) -> str:
    mid = (low + high) / 2
    return "pass" if (mid <= tolerance if method == "difference" else mid >= tolerance) else "fail"


# the slips the key recognises, each the reference with one thing wrong
_strict = _judged(lambda low, high, tol, method: _rule(low, high, tol, method, strict=True))
_ratio_as_difference = _judged(lambda low, high, tol, _method: _rule(low, high, tol, "difference"))
_midpoint = _judged(_midpoint_rule)


@KEY.implement(
    "implement_verdict",
    question=(
        "Every finding of the audit memo is a verdict from an interval and a tolerance. Write "
        "it: return 'pass', 'fail' or 'inconclusive' for the 95% interval (low, high) of a "
        "disparity. A `difference` must be at most `tolerance`, a `ratio` at least "
        "`tolerance`; pass and fail need the WHOLE interval on one side (an end exactly at the "
        "tolerance counts as acceptable); an interval reaching across the tolerance, or an "
        "undefined (NaN) end, is inconclusive. Bad input (low above high, a method other than "
        "'difference' or 'ratio', a bound that is not a number) must raise ValueError or "
        "TypeError."
    ),
    signature="my_verdict(low, high, *, tolerance, method) -> 'pass' | 'fail' | 'inconclusive'",
    hint=(
        "Ask two questions: is every value in the interval acceptable (pass)? Is every value "
        "unacceptable (fail)? If neither, the data cannot tell. For a ratio the acceptable side "
        "is above the tolerance, for a difference below it."
    ),
    cases=[
        Case("a small gap", args=(0.02, 0.06), kwargs={"tolerance": 0.1, "method": "difference"}),
        Case(
            "a gap across the tolerance",
            args=(0.05, 0.15),
            kwargs={"tolerance": 0.1, "method": "difference"},
        ),
        Case(
            "a gap clearly too large",
            args=(0.12, 0.2),
            kwargs={"tolerance": 0.1, "method": "difference"},
        ),
        Case(
            "a gap ending exactly at the tolerance",
            args=(0.03, 0.1),
            kwargs={"tolerance": 0.1, "method": "difference"},
        ),
        Case(
            "a ratio clearly below four fifths",
            args=(0.29, 0.38),
            kwargs={"tolerance": 0.8, "method": "ratio"},
        ),
        Case(
            "a ratio comfortably above",
            args=(0.85, 0.97),
            kwargs={"tolerance": 0.8, "method": "ratio"},
        ),
        Case(
            "a ratio starting exactly at the tolerance",
            args=(0.8, 0.9),
            kwargs={"tolerance": 0.8, "method": "ratio"},
        ),
        Case(
            "a ratio across the tolerance",
            args=(0.7, 0.9),
            kwargs={"tolerance": 0.8, "method": "ratio"},
        ),
        Case(
            "an undefined interval",
            args=(math.nan, math.nan),
            kwargs={"tolerance": 0.1, "method": "difference"},
        ),
        Case("low above high", args=(0.2, 0.1), kwargs={"tolerance": 0.1, "method": "difference"}),
        Case("an unknown method", args=(0.2, 0.3), kwargs={"tolerance": 0.1, "method": "percent"}),
        Case(
            "a bound given as text",
            args=("0.2", 0.3),
            kwargs={"tolerance": 0.1, "method": "difference"},
        ),
    ],  # fmt: skip
    slips={
        "strict inequalities: an interval ending exactly at the tolerance is acceptable": _strict,
        "a ratio judged like a difference (for a ratio, higher is better)": _ratio_as_difference,
        "the interval's midpoint judged, never 'inconclusive': the interval is the evidence": (
            _midpoint
        ),
    },
)
def implement_verdict(low: Any, high: Any, *, tolerance: float, method: str) -> str:
    return _judged(_rule)(low, high, tolerance=tolerance, method=method)
