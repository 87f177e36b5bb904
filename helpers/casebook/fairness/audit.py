"""An audit sheet in the spirit of Aequitas: each disparity, its interval, a verdict.

For every criterion (demographic parity, equal opportunity, equalized odds,
predictive parity) in difference and ratio form the sheet gives the value, its
bootstrap interval, the tolerance the organisation chose, and a verdict:

* ``pass`` -- the whole interval is on the acceptable side of the tolerance;
* ``fail`` -- the whole interval is on the wrong side;
* ``inconclusive`` -- the interval straddles the tolerance, the metric is
  undefined, or a group is too small: fewer than ``min_group_size`` people in
  the count the rate is computed from (the group for a selection rate, its
  actual positives for a true positive rate, its selected people for a
  precision).

A point estimate alone never passes or fails a criterion: on a small sample a
gap of 0.12 can be noise, and a gap of 0.03 can hide a real 0.15.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd

from casebook.fairness._checks import finite_scalar
from casebook.fairness.intervals import bootstrap_disparities
from casebook.fairness.metrics import CRITERIA

__all__ = ["DEFAULT_TOLERANCES", "audit_sheet", "verdict"]

Status = Literal["pass", "fail", "inconclusive"]

#: Default tolerances: a gap of at most 0.1 (10 points) and a ratio of at
#: least 0.8 (the four-fifths rule of US employment guidance).
DEFAULT_TOLERANCES: dict[str, float] = {"difference": 0.1, "ratio": 0.8}


def verdict(
    low: float,
    high: float,
    *,
    tolerance: float,
    method: Literal["difference", "ratio"],
) -> Status:
    """Pass, fail or inconclusive from an interval and a tolerance.

    A difference passes when ``high <= tolerance`` and fails when
    ``low > tolerance``; a ratio passes when ``low >= tolerance`` and fails when
    ``high < tolerance``. An interval that straddles the tolerance, or a NaN
    bound, is inconclusive.

    Examples
    --------
    >>> verdict(0.02, 0.06, tolerance=0.1, method="difference")
    'pass'
    >>> verdict(0.05, 0.15, tolerance=0.1, method="difference")
    'inconclusive'
    >>> verdict(0.55, 0.70, tolerance=0.8, method="ratio")
    'fail'
    """
    if method not in ("difference", "ratio"):
        raise ValueError(f"method must be 'difference' or 'ratio', got {method!r}")
    tolerance = finite_scalar(tolerance, name="tolerance", nonnegative=True)
    if np.isnan(low) or np.isnan(high):
        return "inconclusive"
    if low > high:
        raise ValueError(f"low must be <= high, got low={low!r}, high={high!r}")
    if method == "difference":
        return "pass" if high <= tolerance else "fail" if low > tolerance else "inconclusive"
    return "pass" if low >= tolerance else "fail" if high < tolerance else "inconclusive"


def audit_sheet(
    y_true: Any,
    y_pred: Any,
    *,
    sensitive_features: Any,
    criteria: tuple[str, ...] = tuple(CRITERIA),
    tolerances: Mapping[Any, float] | None = None,
    min_group_size: int = 30,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """One row per criterion and form: value, interval, tolerance, verdict, reason.

    Parameters
    ----------
    y_true, y_pred : array-like of {0, 1} or bool
    sensitive_features : array-like, Series or DataFrame
        Groups, or intersections for several columns.
    criteria : tuple of str, default=all criteria
    tolerances : mapping, optional
        ``{"difference": 0.1, "ratio": 0.8}`` by default
        (:data:`DEFAULT_TOLERANCES`); keys ``(criterion, method)`` override one
        row, e.g. ``{("equal_opportunity", "difference"): 0.05}``.
    min_group_size : int, default=30
        Fewest people a rate may be computed from before the verdict is
        ``inconclusive`` whatever the interval says.
    n_resamples, confidence, seed
        Passed to :func:`~casebook.fairness.intervals.bootstrap_disparities`.

    Returns
    -------
    pandas.DataFrame
        Columns ``criterion``, ``method``, ``value``, ``low``, ``high``,
        ``tolerance``, ``rule``, ``min_denominator``, ``status`` and ``reason``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> g = rng.choice(["a", "b"], 2000)
    >>> y = rng.integers(0, 2, 2000)
    >>> p = (rng.random(2000) < np.where(g == "a", 0.6, 0.3)).astype(int)
    >>> sheet = audit_sheet(y, p, sensitive_features=g, criteria=("demographic_parity",),
    ...                     n_resamples=200)
    >>> sheet[["method", "status"]].to_dict("records")
    [{'method': 'difference', 'status': 'fail'}, {'method': 'ratio', 'status': 'fail'}]
    """
    tol = dict(DEFAULT_TOLERANCES)
    tol.update(tolerances or {})
    if isinstance(min_group_size, bool) or not isinstance(min_group_size, (int, np.integer)):
        raise TypeError(f"min_group_size must be an int, got {type(min_group_size).__name__}")
    if min_group_size < 1:
        raise ValueError(f"min_group_size must be >= 1, got {min_group_size}")
    table = bootstrap_disparities(
        y_true,
        y_pred,
        sensitive_features=sensitive_features,
        criteria=criteria,
        n_resamples=n_resamples,
        confidence=confidence,
        seed=seed,
    )
    rows = []
    for (criterion, method), r in table.iterrows():
        t = float(tol.get((criterion, method), tol[method]))
        rule = f"difference <= {t:g}" if method == "difference" else f"ratio >= {t:g}"
        status = verdict(r.low, r.high, tolerance=t, method=method)
        pct = round(100 * confidence)
        if np.isnan(r.estimate) or np.isnan(r.low):
            status, reason = "inconclusive", "undefined for some group (no one to compute it on)"
        elif r.min_denominator < min_group_size:
            status = "inconclusive"
            reason = (
                f"too few people: a rate rests on {int(r.min_denominator)} "
                f"(< {min_group_size}); collect more data"
            )
        elif status == "pass":
            reason = f"whole {pct}% interval within the tolerance"
        elif status == "fail":
            reason = f"whole {pct}% interval beyond the tolerance"
        else:
            reason = f"{pct}% interval straddles the tolerance: not enough evidence either way"
        rows.append(
            {
                "criterion": criterion,
                "method": method,
                "value": r.estimate,
                "low": r.low,
                "high": r.high,
                "tolerance": t,
                "rule": rule,
                "min_denominator": int(r.min_denominator),
                "status": status,
                "reason": reason,
            }
        )
    return pd.DataFrame(rows)
