"""Profit curves for a retention campaign: whom to contact, and how many.

A retention offer costs ``offer_cost`` for every customer contacted. A
contacted customer who would have churned stays with probability
``save_rate`` and keeps ``value`` (e.g. a year of margin). Contacting a
customer who would have stayed anyway only costs the offer. So contacting
customer *i* is worth, in expectation,
``p_i * save_rate * value_i - offer_cost`` with ``p_i`` the churn
probability, and it pays exactly when ``p_i`` exceeds the break-even
probability ``offer_cost / (save_rate * value_i)``.

:func:`profit_curve` ranks customers by a score and reports the realized
profit (on known outcomes) of contacting the top 0, 1, 2, ... customers;
:func:`best_targeting` reads off the profit-maximizing depth;
:func:`break_even_probability` gives the threshold a calibrated model can
use without looking at outcomes. Pass ``groups`` to get one curve per
segment (each segment ranked by its own scores).

All of this ranks by churn *risk* and assumes the offer saves the same share
of every churner. It does not: some risky customers cannot be saved, and
some are "sleeping dogs" whom a call drives away. :func:`uplift_by_group`
measures, from a randomized pilot, how much the offer actually changes churn
in each group (e.g. each risk decile).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from casebook._validation.arrays import check_01
from casebook._validation.binary import check_no_na

__all__ = [
    "TargetingPlan",
    "best_targeting",
    "break_even_probability",
    "profit_curve",
    "uplift_by_group",
]


def break_even_probability(*, value: float, offer_cost: float, save_rate: float) -> float:
    """Churn probability above which contacting a customer pays off in expectation.

    Examples
    --------
    >>> break_even_probability(value=500.0, offer_cost=50.0, save_rate=0.4)
    0.25
    """
    _check_economics(value, offer_cost, save_rate)
    return float(offer_cost / (save_rate * value))


def _check_economics(value: Any, offer_cost: float, save_rate: float) -> None:
    v = np.asarray(value, dtype=float)
    if v.size == 0 or not np.all(np.isfinite(v)) or np.any(v <= 0):
        raise ValueError(f"value must be positive and finite, got {value!r}")
    if not np.isfinite(offer_cost) or offer_cost < 0:
        raise ValueError(f"offer_cost must be a non-negative number, got {offer_cost!r}")
    if not 0 < save_rate <= 1:
        raise ValueError(f"save_rate must be in (0, 1], got {save_rate!r}")


def _one_curve(
    y: np.ndarray, s: np.ndarray, v: np.ndarray, cost: float, rate: float
) -> pd.DataFrame:
    order = np.argsort(-s, kind="stable")
    gain = y[order] * rate * v[order] - cost
    n = len(y)
    return pd.DataFrame(
        {
            "n_targeted": np.arange(n + 1),
            "depth": np.arange(n + 1) / n,
            "threshold": np.concatenate([[np.inf], s[order]]),
            "churners_reached": np.concatenate([[0], np.cumsum(y[order])]).astype(int),
            "profit": np.concatenate([[0.0], np.cumsum(gain)]),
        }
    )


def profit_curve(
    y_true: Any,
    y_score: Any,
    *,
    value: float | Any,
    offer_cost: float,
    save_rate: float,
    groups: Any = None,
) -> pd.DataFrame:
    """Realized campaign profit when contacting the top-scored customers.

    Parameters
    ----------
    y_true : array-like of 0/1
        1 = the customer churned (would have churned without an offer).
    y_score : array-like of float
        Ranking score, higher = contact first (a churn probability, or the
        expected gain ``p * save_rate * value - offer_cost``).
    value : float or array-like
        Value kept when a churner is saved, one number or one per customer.
    offer_cost : float
        Cost of the offer per contacted customer.
    save_rate : float
        Probability that a contacted churner stays, in (0, 1].
    groups : array-like, optional
        Segment of each customer: one curve per segment, each ranked by
        its own scores, with a ``group`` column.

    Returns
    -------
    pandas.DataFrame
        ``n_targeted`` (0..n), ``depth`` (share of the customers, or of the
        segment), ``threshold`` (score of the last contacted customer; inf for
        nobody), ``churners_reached`` and ``profit``.

    Examples
    --------
    >>> curve = profit_curve([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1],
    ...                      value=100.0, offer_cost=10.0, save_rate=0.5)
    >>> curve["profit"].tolist()
    [0.0, 40.0, 30.0, 70.0, 60.0]
    """
    y = check_no_na(np.asarray(y_true), name="y_true")
    s = np.asarray(y_score)
    if s.dtype.kind not in "biuf":
        raise TypeError(f"y_score must be numeric, got dtype {s.dtype}")
    s = s.astype(float)
    if y.ndim != 1 or y.shape != s.shape or len(y) == 0:
        raise ValueError(
            f"y_true and y_score must be 1-D with the same non-zero length, "
            f"got shapes {y.shape} and {s.shape}"
        )
    if not np.isin(y, (0, 1)).all():
        raise ValueError(f"y_true must contain only 0 and 1, got values {np.unique(y)[:5]}")
    if not np.isfinite(s).all():
        raise ValueError("y_score must be finite, got NaN or inf")
    _check_economics(value, offer_cost, save_rate)
    if np.ndim(value) and np.shape(value) != y.shape:
        raise ValueError(
            f"value must be a number or one per customer ({len(y)}), got shape {np.shape(value)}"
        )
    v = np.broadcast_to(np.asarray(value, dtype=float), y.shape)
    y = y.astype(int)
    if groups is None:
        return _one_curve(y, s, v, float(offer_cost), float(save_rate))
    g = check_no_na(np.asarray(groups), name="groups")
    if g.shape != y.shape:
        raise ValueError(f"groups must have one entry per customer ({len(y)}), got shape {g.shape}")
    parts = []
    for group in np.unique(g):
        m = g == group
        part = _one_curve(y[m], s[m], v[m], float(offer_cost), float(save_rate))
        part.insert(0, "group", group)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


@dataclass(frozen=True)
class TargetingPlan:
    """The profit-maximizing point of a profit curve.

    Attributes
    ----------
    n_targeted : int
        Customers to contact.
    depth : float
        Their share of the customers (or of the segment).
    threshold : float
        Score of the last contacted customer (contact scores >= threshold).
    profit : float
        Realized profit at that depth.
    profit_all : float
        Profit of contacting everyone, for comparison.
    """

    n_targeted: int
    depth: float
    threshold: float
    profit: float
    profit_all: float


def best_targeting(curve: pd.DataFrame) -> TargetingPlan | dict[Any, TargetingPlan]:
    """Read the profit-maximizing depth off a :func:`profit_curve` result.

    Returns one :class:`TargetingPlan`, or a dict of plans by segment when
    the curve has a ``group`` column. Ties go to the smallest campaign.

    Examples
    --------
    >>> curve = profit_curve([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1],
    ...                      value=100.0, offer_cost=10.0, save_rate=0.5)
    >>> plan = best_targeting(curve)
    >>> plan.n_targeted, plan.profit, plan.profit_all
    (3, 70.0, 60.0)
    """
    required = {"n_targeted", "depth", "threshold", "profit"}
    if not isinstance(curve, pd.DataFrame) or not required <= set(curve.columns):
        raise ValueError(f"curve must be a profit_curve DataFrame with columns {sorted(required)}")
    if curve.empty:
        raise ValueError("curve must not be empty")
    if "group" in curve.columns:
        return {
            group: best_targeting(part.drop(columns="group"))
            for group, part in curve.groupby("group", sort=True)
        }
    best = curve.loc[curve["profit"].idxmax()]
    return TargetingPlan(
        n_targeted=int(best["n_targeted"]),
        depth=float(best["depth"]),
        threshold=float(best["threshold"]),
        profit=float(best["profit"]),
        profit_all=float(curve["profit"].iloc[-1]),
    )


def uplift_by_group(y: Any, treated: Any, groups: Any, *, confidence: float = 0.95) -> pd.DataFrame:
    """Measured uplift of a randomized offer, per group: churn without it minus churn with it.

    Risk is not uplift. A churn model ranks customers by how likely they are
    to leave; a campaign pays only where the offer *changes* that, which a
    randomized pilot (offer drawn at random) measures: within each group,
    the churn rate of the control customers minus that of the treated ones.
    Group by deciles of a risk score to get an uplift-by-decile table, or by
    segments to see where the offer works.

    Parameters
    ----------
    y : array-like of shape (n,)
        Outcome, 1 = churned.
    treated : array-like of shape (n,)
        1 = received the offer in the pilot, 0 = control.
    groups : array-like of shape (n,)
        Group label of each customer.
    confidence : float, default=0.95
        Level of the normal (Wald) interval of each group's uplift.

    Returns
    -------
    pandas.DataFrame
        Indexed by group (sorted): ``n_treated``, ``n_control``,
        ``churn_treated``, ``churn_control``, ``uplift`` (control minus treated:
        churn prevented per contacted customer; negative = the offer drives
        customers away), ``low`` and ``high``. A group without treated or
        without control customers has NaN rates and uplift.

    Examples
    --------
    >>> y = [1, 0, 0, 0, 1, 1, 1, 0]
    >>> treated = [0, 0, 1, 1, 0, 0, 1, 1]
    >>> table = uplift_by_group(y, treated, ["a"] * 4 + ["b"] * 4)
    >>> table["uplift"].tolist()
    [0.5, 0.5]
    """
    y01 = check_01(y, name="y")
    t01 = check_01(treated, name="treated")
    g = check_no_na(np.asarray(groups), name="groups")
    if g.ndim != 1:
        raise ValueError(f"groups must be one-dimensional, got shape {g.shape}")
    if not len(y01) == len(t01) == len(g):
        raise ValueError(
            "y, treated and groups must have the same length, got "
            f"{len(y01)}, {len(t01)} and {len(g)}"
        )
    if len(y01) == 0:
        raise ValueError("y must not be empty")
    if not isinstance(confidence, (int, float, np.integer, np.floating)) or not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence!r}")
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    rows = {}
    for group in np.unique(g):
        m = g == group
        yt, yc = y01[m & (t01 == 1)], y01[m & (t01 == 0)]
        rt = float(yt.mean()) if len(yt) else np.nan
        rc = float(yc.mean()) if len(yc) else np.nan
        se = (
            np.sqrt(rt * (1 - rt) / len(yt) + rc * (1 - rc) / len(yc))
            if len(yt) and len(yc)
            else np.nan
        )
        rows[group] = {
            "n_treated": len(yt),
            "n_control": len(yc),
            "churn_treated": rt,
            "churn_control": rc,
            "uplift": rc - rt,
            "low": rc - rt - z * se,
            "high": rc - rt + z * se,
        }
    return pd.DataFrame.from_dict(rows, orient="index")
