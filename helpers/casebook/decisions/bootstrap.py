"""Bootstrap confidence intervals for any statistic of paired arrays.

Rows of all arrays are resampled together (paired bootstrap), optionally
within strata so that rare classes keep their count in every resample.
The percentile interval is used: simple, transformation-respecting, and good
enough for the sample sizes in the casebook. Resamples on which the
statistic is undefined (NaN, e.g. a recall with no positives drawn) are
dropped and counted, never silently turned into numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from casebook._validation.arrays import check_n_resamples, min_resamples

__all__ = ["ConfidenceInterval", "bootstrap_ci", "bootstrap_distribution"]


@dataclass(frozen=True)
class ConfidenceInterval:
    """A point estimate with its bootstrap percentile interval.

    Attributes
    ----------
    estimate : float
        The statistic on the original data.
    low, high : float
        Interval bounds.
    confidence : float
        Nominal coverage, e.g. 0.95.
    n_resamples : int
        Resamples on which the statistic was defined.
    """

    estimate: float
    low: float
    high: float
    confidence: float
    n_resamples: int

    def __str__(self) -> str:
        pct = round(100 * self.confidence)
        return f"{self.estimate:.3g} ({pct}% CI {self.low:.3g} to {self.high:.3g})"

    @property
    def width(self) -> float:
        """Width of the interval, ``high - low``."""
        return self.high - self.low


def _validate(
    statistic: object, arrays: tuple, stratify, n_resamples: int, confidence: float | None = None
) -> tuple[list[np.ndarray], int]:
    if not callable(statistic):
        raise TypeError(f"statistic must be callable, got {type(statistic).__name__}")
    if not arrays:
        raise ValueError("arrays must contain at least one array, got none")
    arrs = [np.asarray(a) for a in arrays]
    for i, a in enumerate(arrs):
        if a.ndim == 0:
            raise ValueError(f"arrays[{i}] must be array-like with a length, got a scalar")
    n = len(arrs[0])
    for i, a in enumerate(arrs):
        if len(a) != n:
            raise ValueError(
                f"arrays must have the same length, got {n} for arrays[0] and {len(a)} for arrays[{i}]"
            )
    if n < 2:
        raise ValueError(f"arrays must have at least 2 rows to resample, got {n}")
    check_n_resamples(n_resamples, confidence=confidence)
    if stratify is not None and len(np.asarray(stratify)) != n:
        raise ValueError(
            f"stratify must have the same length as the arrays ({n}), got {len(np.asarray(stratify))}"
        )
    return arrs, n


def bootstrap_distribution(
    statistic: Callable[..., float],
    *arrays: object,
    n_resamples: int = 1000,
    seed: int = 0,
    stratify: object | None = None,
) -> np.ndarray:
    """Return the statistic on ``n_resamples`` paired bootstrap resamples.

    Parameters
    ----------
    statistic : callable
        ``statistic(*resampled_arrays) -> float``.
    *arrays : array-like
        Arrays of equal length; rows are resampled together.
    n_resamples : int, default=1000
        Number of resamples.
    seed : int, default=0
        Seed of the generator.
    stratify : array-like, optional
        Resample within each level, keeping each level's count fixed.

    Returns
    -------
    numpy.ndarray
        The statistic on each resample, NaN where it was undefined.

    Examples
    --------
    >>> dist = bootstrap_distribution(np.mean, np.arange(10), n_resamples=200, seed=1)
    >>> dist.shape
    (200,)
    >>> bool(3.0 < dist.mean() < 6.0)
    True
    """
    arrs, n = _validate(statistic, arrays, stratify, n_resamples)
    rng = np.random.default_rng(seed)
    if stratify is None:
        strata = [np.arange(n)]
    else:
        _, codes = np.unique(np.asarray(stratify), return_inverse=True)
        strata = [np.flatnonzero(codes == k) for k in range(codes.max() + 1)]
    out = np.empty(n_resamples, dtype=float)
    for b in range(n_resamples):
        idx = np.concatenate([s[rng.integers(0, len(s), len(s))] for s in strata])
        out[b] = float(statistic(*(a[idx] for a in arrs)))
    return out


def bootstrap_ci(
    statistic: Callable[..., float],
    *arrays: object,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
    stratify: object | None = None,
) -> ConfidenceInterval:
    """Percentile bootstrap confidence interval of ``statistic(*arrays)``.

    Parameters
    ----------
    statistic : callable
        ``statistic(*resampled_arrays) -> float``; may return NaN when it is
        undefined on a resample (such resamples are dropped).
    *arrays : array-like
        Arrays of equal length; rows are resampled together.
    n_resamples : int, default=1000
        Number of resamples; at least ``ceil(2 / (1 - confidence))`` (40 for
        95%), so that each tail of the interval holds at least one resample.
    confidence : float, default=0.95
        Coverage of the interval, strictly between 0 and 1.
    seed : int, default=0
        Seed of the generator.
    stratify : array-like, optional
        Resample within each level (e.g. ``y_true``), keeping its count.

    Returns
    -------
    ConfidenceInterval

    Raises
    ------
    ValueError
        If the arrays differ in length, ``confidence`` is outside (0, 1),
        ``n_resamples`` is too small for ``confidence``, the statistic is
        undefined on the original data, or on more than half of the resamples
        (or on so many that fewer than the minimum remain).

    Examples
    --------
    >>> from sklearn.metrics import recall_score
    >>> y_true = np.array([0, 0, 1, 1, 1, 0, 1, 0, 1, 1])
    >>> y_pred = np.array([0, 1, 1, 1, 0, 0, 1, 0, 1, 1])
    >>> ci = bootstrap_ci(recall_score, y_true, y_pred, n_resamples=300, seed=0)
    >>> round(ci.estimate, 3)
    0.833
    >>> bool(ci.low <= ci.estimate <= ci.high)
    True
    """
    if isinstance(confidence, (bool, np.bool_)) or not (
        isinstance(confidence, (int, float, np.integer, np.floating)) and 0 < confidence < 1
    ):
        raise ValueError(f"confidence must be strictly between 0 and 1, got {confidence!r}")
    confidence = float(confidence)
    arrs, _ = _validate(statistic, arrays, stratify, n_resamples, confidence)
    estimate = float(statistic(*arrs))
    if math.isnan(estimate):
        raise ValueError("statistic is undefined (NaN) on the original arrays; nothing to bound")
    dist = bootstrap_distribution(
        statistic, *arrs, n_resamples=n_resamples, seed=seed, stratify=stratify
    )
    valid = dist[~np.isnan(dist)]
    if len(valid) < max(n_resamples / 2, min_resamples(confidence)):
        raise ValueError(
            f"statistic was undefined on {n_resamples - len(valid)} of {n_resamples} resamples; "
            "use stratify= to keep rare classes in every resample (the interval needs half of "
            f"them defined, and a {confidence:.4g} interval at least "
            f"{min_resamples(confidence)} defined ones)"
        )
    alpha = (1 - confidence) / 2
    low, high = np.quantile(valid, [alpha, 1 - alpha])
    return ConfidenceInterval(estimate, float(low), float(high), float(confidence), len(valid))
