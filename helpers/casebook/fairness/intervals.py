"""Bootstrap intervals for group metrics and disparities, and minimum group sizes.

Every group metric is a function of the per-group confusion counts
``(tn, fp, fn, tp)``. Resampling the rows of a group with replacement is the
same, in distribution, as drawing that group's four counts from a multinomial
with the observed cell proportions, so a thousand resamples cost a thousand
multinomial draws per group instead of a thousand passes over the rows. The
result is the paired percentile bootstrap of :func:`casebook.decisions.bootstrap.bootstrap_ci`
(``stratify`` by group: each group keeps its size, as it does in an audit where
group sizes are a fact of the sample), computed in milliseconds; the tests
check both agree.

Resamples on which a disparity is undefined (a group drew no positives) are
dropped and counted in ``undefined_fraction``; if more than half are, the
interval is NaN and an :class:`~casebook.fairness.metrics.UndefinedMetricWarning`
says so. Small groups are the rule, not the exception, in fairness audits:
:func:`required_group_size` and :func:`detectable_difference` say how large a
group must be before a gap can be measured at all.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy.stats import norm

from casebook._validation.arrays import check_n_resamples
from casebook.decisions.bootstrap import ConfidenceInterval
from casebook.fairness._checks import check_counts
from casebook.fairness.metrics import (
    _RATE_CELLS,
    CRITERIA,
    UndefinedMetricWarning,
    _confusion_cells,
    criterion_from_counts,
    rates_from_counts,
)

__all__ = [
    "bootstrap_counts",
    "bootstrap_disparities",
    "bootstrap_group_metrics",
    "detectable_difference",
    "disparity_ci",
    "required_group_size",
]


def _check_resampling(n_resamples: Any, confidence: Any, *, interval: bool = True) -> None:
    if isinstance(confidence, (bool, np.bool_)) or not (
        isinstance(confidence, (int, float, np.integer, np.floating)) and 0 < confidence < 1
    ):
        raise ValueError(f"confidence must be strictly between 0 and 1, got {confidence!r}")
    # an interval needs at least one resample beyond each bound
    check_n_resamples(n_resamples, confidence=float(confidence) if interval else None)


def bootstrap_counts(
    counts: np.ndarray,
    *,
    n_resamples: int = 1000,
    seed: int = 0,
    stratify: Literal["group", "none"] = "group",
) -> np.ndarray:
    """Resample per-group confusion counts as the row bootstrap would.

    Parameters
    ----------
    counts : numpy.ndarray of shape (n_groups, 4)
        ``(tn, fp, fn, tp)`` of each group.
    n_resamples : int, default=1000
    seed : int, default=0
    stratify : {"group", "none"}, default="group"
        ``"group"`` keeps each group's size (rows resampled within groups);
        ``"none"`` resamples all rows together, so group sizes vary too.

    Returns
    -------
    numpy.ndarray of shape (n_resamples, n_groups, 4)

    Examples
    --------
    >>> boot = bootstrap_counts(np.array([[5, 1, 2, 2], [3, 3, 3, 1]]), n_resamples=3)
    >>> boot.shape, boot.sum(axis=2).tolist()
    ((3, 2, 4), [[10, 10], [10, 10], [10, 10]])
    """
    shape = np.shape(counts)
    if len(shape) != 2 or shape[1] != 4:
        raise ValueError(f"counts must have shape (n_groups, 4), got {shape}")
    counts = check_counts(counts)
    if counts.shape[0] == 0:
        raise ValueError("counts must have at least one group (row), got shape (0, 4)")
    if counts.dtype.kind == "f" and not np.array_equal(counts, np.round(counts)):
        raise ValueError("counts must hold whole numbers (confusion counts), got fractions")
    counts = counts.astype(np.int64)
    _check_resampling(n_resamples, 0.95, interval=False)
    rng = np.random.default_rng(seed)
    if stratify == "group":
        out = np.zeros((n_resamples, *counts.shape), dtype=np.int64)
        for g, row in enumerate(counts):
            n = int(row.sum())
            if n > 0:
                out[:, g, :] = rng.multinomial(n, row / n, size=n_resamples)
        return out
    if stratify == "none":
        total = int(counts.sum())
        flat = rng.multinomial(total, counts.ravel() / total, size=n_resamples)
        return flat.reshape(n_resamples, *counts.shape)
    raise ValueError(f"stratify must be 'group' or 'none', got {stratify!r}")


def _percentile_interval(
    estimate: float, dist: np.ndarray, confidence: float, what: str
) -> tuple[float, float, float]:
    """Return (low, high, undefined_fraction) of a bootstrap distribution."""
    valid = dist[~np.isnan(dist)]
    undefined = 1.0 - len(valid) / len(dist)
    if math.isnan(estimate) or len(valid) < len(dist) / 2:
        warnings.warn(
            f"{what}: undefined on the data or on {undefined:.0%} of resamples; "
            "interval reported as NaN (the groups are too small for this metric)",
            UndefinedMetricWarning,
            stacklevel=3,
        )
        return math.nan, math.nan, undefined
    alpha = (1 - confidence) / 2
    low, high = np.quantile(valid, [alpha, 1 - alpha])
    return float(low), float(high), undefined


def bootstrap_disparities(
    y_true: Any,
    y_pred: Any,
    *,
    sensitive_features: Any,
    criteria: Sequence[str] = tuple(CRITERIA),
    methods: Sequence[Literal["difference", "ratio"]] = ("difference", "ratio"),
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
    stratify: Literal["group", "none"] = "group",
) -> pd.DataFrame:
    """Percentile bootstrap interval of every disparity.

    Parameters
    ----------
    y_true, y_pred : array-like of {0, 1} or bool
    sensitive_features : array-like, Series or DataFrame
        Groups, or intersections for a DataFrame of several columns.
    criteria : sequence of str, default=all of :data:`~casebook.fairness.metrics.CRITERIA`
        Criteria, or single rates such as ``"fpr"``.
    methods : sequence of {"difference", "ratio"}
    n_resamples : int, default=1000
    confidence : float, default=0.95
    seed : int, default=0
    stratify : {"group", "none"}, default="group"
        See :func:`bootstrap_counts`.

    Returns
    -------
    pandas.DataFrame
        Index ``(criterion, method)``; columns ``estimate``, ``low``, ``high``,
        ``confidence``, ``n_resamples``, ``undefined_fraction``,
        ``min_group_n`` (smallest group) and ``min_denominator`` (the smallest
        count any of the criterion's rates is computed from, e.g. the fewest
        actual positives in a group for equal opportunity).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> g = rng.choice(["a", "b"], 400)
    >>> y = rng.integers(0, 2, 400)
    >>> p = (rng.random(400) < np.where(g == "a", 0.6, 0.3)).astype(int)
    >>> table = bootstrap_disparities(y, p, sensitive_features=g, n_resamples=200)
    >>> row = table.loc[("demographic_parity", "difference")]
    >>> bool(row.low < row.estimate < row.high), int(row.n_resamples)
    (True, 200)
    """
    _check_resampling(n_resamples, confidence)
    counts, _ = _confusion_cells(y_true, y_pred, sensitive_features, None)
    boot = bootstrap_counts(counts, n_resamples=n_resamples, seed=seed, stratify=stratify)
    rows = []
    for criterion in criteria:
        rates = CRITERIA.get(criterion, (criterion,))
        for method in methods:
            estimate = float(criterion_from_counts(counts, criterion, method))
            dist = criterion_from_counts(boot, criterion, method)
            low, high, undefined = _percentile_interval(
                estimate, dist, confidence, f"{criterion} {method}"
            )
            min_den = min(int(counts[:, list(_RATE_CELLS[r][1])].sum(axis=1).min()) for r in rates)
            rows.append(
                {
                    "criterion": criterion,
                    "method": method,
                    "estimate": estimate,
                    "low": low,
                    "high": high,
                    "confidence": float(confidence),
                    "n_resamples": int(np.sum(~np.isnan(dist))),
                    "undefined_fraction": undefined,
                    "min_group_n": int(counts.sum(axis=1).min()),
                    "min_denominator": min_den,
                }
            )
    return pd.DataFrame(rows).set_index(["criterion", "method"])


def disparity_ci(
    y_true: Any,
    y_pred: Any,
    *,
    sensitive_features: Any,
    metric: str = "demographic_parity",
    method: Literal["difference", "ratio"] = "difference",
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> ConfidenceInterval:
    """Bootstrap interval of one disparity, as a :class:`~casebook.decisions.bootstrap.ConfidenceInterval`.

    Examples
    --------
    >>> y_pred = [1] * 30 + [0] * 20 + [1] * 10 + [0] * 40
    >>> ci = disparity_ci([1, 0] * 50, y_pred, sensitive_features=["a"] * 50 + ["b"] * 50)
    >>> round(ci.estimate, 2), bool(0.2 < ci.low < 0.4 < ci.high < 0.6)
    (0.4, True)
    """
    row = bootstrap_disparities(
        y_true,
        y_pred,
        sensitive_features=sensitive_features,
        criteria=(metric,),
        methods=(method,),
        n_resamples=n_resamples,
        confidence=confidence,
        seed=seed,
    ).iloc[0]
    return ConfidenceInterval(
        float(row.estimate),
        float(row.low),
        float(row.high),
        float(confidence),
        int(row.n_resamples),
    )


def bootstrap_group_metrics(
    y_true: Any,
    y_pred: Any,
    *,
    sensitive_features: Any,
    rates: Sequence[str] = ("selection_rate", "tpr", "fpr", "ppv"),
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Each group's rates with percentile bootstrap intervals (rows resampled within groups).

    Returns
    -------
    pandas.DataFrame
        Long format: the group column(s), ``rate``, ``estimate``, ``low``,
        ``high``, ``n`` (group size) and ``denominator`` (count the rate is
        computed from). Undefined rates are NaN with a warning.

    Examples
    --------
    >>> t = bootstrap_group_metrics([1, 0] * 20, [1, 1, 0, 0] * 10,
    ...                             sensitive_features=["a"] * 20 + ["b"] * 20,
    ...                             rates=("selection_rate",), n_resamples=100)
    >>> t[["group", "rate", "estimate"]].to_dict("records")
    [{'group': 'a', 'rate': 'selection_rate', 'estimate': 0.5}, {'group': 'b', 'rate': 'selection_rate', 'estimate': 0.5}]
    """
    _check_resampling(n_resamples, confidence)
    for r in rates:
        if r not in _RATE_CELLS:
            raise ValueError(f"rates must be in {list(_RATE_CELLS)}, got {r!r}")
    counts, index = _confusion_cells(y_true, y_pred, sensitive_features, None)
    boot = bootstrap_counts(counts, n_resamples=n_resamples, seed=seed)
    parts = []
    for r in rates:
        estimate = rates_from_counts(counts, r)
        dist = rates_from_counts(boot, r)
        bounds = [
            _percentile_interval(float(estimate[g]), dist[:, g], confidence, f"{r} of {label!r}")
            for g, label in enumerate(index)
        ]
        part = index.to_frame(index=False)
        part["rate"] = r
        part["estimate"] = estimate
        part["low"] = [b[0] for b in bounds]
        part["high"] = [b[1] for b in bounds]
        part["n"] = counts.sum(axis=1)
        part["denominator"] = counts[:, list(_RATE_CELLS[r][1])].sum(axis=1)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def required_group_size(
    rate: float,
    *,
    margin: float,
    confidence: float = 0.95,
    other_size_ratio: float | None = None,
) -> int:
    """Group size needed to pin a rate, or a gap between two rates, to ``± margin``.

    Normal approximation. For one rate ``n = z**2 * rate * (1 - rate) / margin**2``:
    about 385 people to know a 50% selection rate to within 5 points. With
    ``other_size_ratio=r`` the margin applies to the *difference* between this
    group and another group ``r`` times as large (both with rates near
    ``rate``): ``n = z**2 * rate * (1 - rate) * (1 + 1 / r) / margin**2``.

    Examples
    --------
    >>> required_group_size(0.5, margin=0.05)
    385
    >>> required_group_size(0.5, margin=0.05, other_size_ratio=1.0)
    769
    """
    if not 0 < rate < 1:
        raise ValueError(f"rate must be strictly between 0 and 1, got {rate!r}")
    if not 0 < margin < 1:
        raise ValueError(f"margin must be strictly between 0 and 1, got {margin!r}")
    _check_resampling(1, confidence, interval=False)  # checks confidence only
    factor = 1.0
    if other_size_ratio is not None:
        if not other_size_ratio > 0:
            raise ValueError(f"other_size_ratio must be > 0, got {other_size_ratio!r}")
        factor = 1 + 1 / other_size_ratio
    z = norm.ppf(0.5 + confidence / 2)
    return math.ceil(z**2 * rate * (1 - rate) * factor / margin**2)


def detectable_difference(
    n_a: int, n_b: int, *, rate: float, alpha: float = 0.05, power: float = 0.8
) -> float:
    """Smallest gap between two groups' rates a two-sided test would detect.

    Two-sample z-test for proportions around a common ``rate``:
    ``(z_{1-alpha/2} + z_power) * sqrt(rate (1 - rate) (1/n_a + 1/n_b))``.
    A real gap smaller than this is likely to be missed: absence of evidence.

    Examples
    --------
    >>> round(detectable_difference(190, 810, rate=0.7), 3)
    0.103
    """
    for name, n in (("n_a", n_a), ("n_b", n_b)):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"{name} must be a positive int (a group size), got {n!r}")
    if not 0 < rate < 1:
        raise ValueError(f"rate must be strictly between 0 and 1, got {rate!r}")
    if not (0 < alpha < 1 and 0 < power < 1):
        raise ValueError(f"alpha and power must be in (0, 1), got {alpha!r}, {power!r}")
    z = norm.ppf(1 - alpha / 2) + norm.ppf(power)
    return float(z * math.sqrt(rate * (1 - rate) * (1 / n_a + 1 / n_b)))
