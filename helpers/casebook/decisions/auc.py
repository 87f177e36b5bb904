"""Bootstrap interval of an ROC-AUC difference between two models, in linear time per resample.

Comparing two rankers on one test set asks whether ``AUC(b) - AUC(a)`` is
more than noise. The paired, class-stratified percentile bootstrap answers
it, but calling :func:`sklearn.metrics.roc_auc_score` twice per resample sorts
the scores every time. A bootstrap resample is the original rows with
integer *weights* (how often each row was drawn), so the scores only need
sorting once: each resample's AUC is then a weighted Mann-Whitney count,
``sum over positives of (weight of negatives scored lower + half the weight
of negatives tied)``, computed with ``numpy.bincount`` and a cumulative sum.

:func:`roc_auc_difference_ci` draws exactly the resamples of
``casebook.decisions.bootstrap.bootstrap_ci(..., stratify=y_true)`` with the same seed,
so it returns the same interval (to floating-point rounding) as the direct
computation, tens of times faster on a large test set.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from casebook._validation.binary import check_same_length, check_scores, encode_binary
from casebook.decisions.bootstrap import ConfidenceInterval, bootstrap_ci

__all__ = ["roc_auc_difference_ci"]


def _weighted_auc(codes: np.ndarray, pos: np.ndarray, weight: np.ndarray, n_levels: int) -> float:
    """ROC-AUC of rows weighted by ``weight``; ``codes`` rank the distinct scores."""
    w_pos = np.bincount(codes[pos], weights=weight[pos], minlength=n_levels)
    w_neg = np.bincount(codes[~pos], weights=weight[~pos], minlength=n_levels)
    below = np.cumsum(w_neg) - w_neg
    total = w_pos.sum() * w_neg.sum()
    return float(w_pos @ (below + 0.5 * w_neg) / total) if total > 0 else float("nan")


def roc_auc_difference_ci(
    y_true: Any,
    score_a: Any,
    score_b: Any,
    *,
    labels: Sequence[Any] = (0, 1),
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> ConfidenceInterval:
    """Paired bootstrap interval of ``AUC(score_b) - AUC(score_a)``.

    Rows are resampled within each class (the positives' count is kept in
    every resample), and both models are scored on the same resample.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        True labels, two values given by ``labels``.
    score_a, score_b : array-like of shape (n,)
        Finite scores of the two models (higher = more likely positive).
    labels : pair, default=(0, 1)
        ``(negative, positive)``.
    n_resamples : int, default=1000
        Bootstrap resamples.
    confidence : float, default=0.95
        Coverage of the percentile interval.
    seed : int, default=0
        Seed of the resampling generator.

    Returns
    -------
    casebook.decisions.bootstrap.ConfidenceInterval
        ``estimate`` is the difference on the original rows; identical (to
        rounding) to ``bootstrap_ci(lambda t, a, b: roc_auc_score(t, b) -
        roc_auc_score(t, a), y_true, score_a, score_b, stratify=y_true)``.

    Raises
    ------
    ValueError
        If the arrays differ in length, are empty, contain a label outside
        ``labels`` or a non-finite score, or ``y_true`` holds one class.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 400)
    >>> weak, strong = y + rng.normal(0, 2, 400), y + rng.normal(0, 0.5, 400)
    >>> ci = roc_auc_difference_ci(y, weak, strong, n_resamples=200, seed=0)
    >>> bool(0 < ci.low < ci.estimate < ci.high)
    True
    """
    pos = encode_binary(y_true, labels=labels, name="y_true", require_both=True)
    a = check_scores(score_a, name="score_a")
    b = check_scores(score_b, name="score_b")
    check_same_length(y_true=pos, score_a=a, score_b=b)
    levels_a, codes_a = np.unique(a, return_inverse=True)
    levels_b, codes_b = np.unique(b, return_inverse=True)

    def gain(idx: np.ndarray) -> float:
        weight = np.bincount(idx, minlength=len(pos)).astype(float)
        auc_a = _weighted_auc(codes_a, pos, weight, len(levels_a))
        auc_b = _weighted_auc(codes_b, pos, weight, len(levels_b))
        return auc_b - auc_a

    return bootstrap_ci(
        gain,
        np.arange(len(pos)),
        n_resamples=n_resamples,
        confidence=confidence,
        seed=seed,
        stratify=np.asarray(y_true),
    )
