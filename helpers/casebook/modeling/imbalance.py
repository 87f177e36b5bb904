"""Evaluate a classifier when positives are rare.

* :func:`recall_at_precision` and :func:`ranking_scores` summarise a score
  the way a fraud team reads it; :func:`net_savings` turns a threshold into
  money when each positive has its own amount at stake.
* :func:`subsample_majority` keeps every positive and a share of negatives,
  with the weights that restore the true prevalence.

Every metric takes ``sample_weight``, so a test set whose majority class was
subsampled can be scored at its true prevalence (weight each kept majority
row by the inverse of its sampling fraction).

The remedies for imbalance (resampling, class weights, balanced ensembles)
and the resampling leak live in :mod:`casebook.modeling.resampling`; judging
generated minority examples in :mod:`casebook.modeling.minority_synthesis`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score

from casebook._validation.arrays import check_01, check_number
from casebook._validation.binary import as_float_array, check_no_na, check_same_length, check_scores

__all__ = [
    "MoneyOutcome",
    "OperatingPoint",
    "RankingScores",
    "net_savings",
    "ranking_scores",
    "recall_at_precision",
    "subsample_majority",
]


def _check_scores(
    y_true: Any, y_score: Any, sample_weight: Any = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    y_true = check_01(y_true, name="y_true")
    y_score = check_scores(y_score)
    check_same_length(y_true=y_true, y_score=y_score)
    if not (y_true == 1).any():
        raise ValueError("y_true must contain at least one positive, got none")
    if sample_weight is not None:
        w = as_float_array(sample_weight, name="sample_weight")
        if w.shape != y_true.shape or not np.isfinite(w).all() or (w < 0).any():
            raise ValueError(
                f"sample_weight must be non-negative and finite with shape {y_true.shape}, "
                f"got shape {w.shape} and values such as {w.ravel()[:5].tolist()}"
            )
        sample_weight = w
    return y_true, y_score, sample_weight


def subsample_majority(y: Any, *, keep: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Keep every positive and a random share ``keep`` of negatives, with weights.

    Negatives are redundant under heavy imbalance; a subsample makes models fit
    fast. Give the returned weights to every metric (``sample_weight``) so that
    precision, PR-AUC and money are reported at the original prevalence.

    Returns
    -------
    (index, weight) : tuple of numpy.ndarray
        Sorted positions of the kept rows, and their weights (1 for positives,
        ``1 / keep`` for negatives).

    Examples
    --------
    >>> idx, w = subsample_majority([0, 0, 0, 0, 1, 0, 0, 0], keep=0.5, seed=0)
    >>> bool(4 in idx), sorted(set(w.tolist()))
    (True, [1.0, 2.0])
    """
    y = check_no_na(np.asarray(y), name="y")
    if not 0 < keep <= 1:
        raise ValueError(f"keep must be in (0, 1], got {keep!r}")
    if not np.isin(y, [0, 1]).all():
        raise ValueError(f"y must contain only 0 and 1, got {np.unique(y)[:5]!r}")
    rng = np.random.default_rng(seed)
    idx = np.flatnonzero((y == 1) | (rng.random(len(y)) < keep))
    return idx, np.where(y[idx] == 1, 1.0, 1.0 / keep)


@dataclass(frozen=True)
class OperatingPoint:
    """A threshold and what it achieves: flag when ``score >= threshold``.

    ``threshold`` is ``inf`` (flag nothing, ``precision`` NaN, ``recall`` 0)
    when no threshold reaches the requested precision.
    """

    threshold: float
    precision: float
    recall: float


def recall_at_precision(
    y_true: Any, y_score: Any, *, min_precision: float, sample_weight: Any = None
) -> OperatingPoint:
    """Return the largest recall reachable with precision at least ``min_precision``.

    Parameters
    ----------
    y_true : array-like of 0/1
        True labels; at least one positive.
    y_score : array-like of float
        Scores, higher means more likely positive.
    min_precision : float
        Required precision, in (0, 1].
    sample_weight : array-like, optional
        Row weights, e.g. to restore the true prevalence of a subsampled set.

    Returns
    -------
    OperatingPoint
        The highest-recall threshold meeting the precision; if several give the
        same recall, the highest threshold (fewest alerts).

    Examples
    --------
    >>> op = recall_at_precision([0, 0, 1, 0, 1, 1], [.1, .2, .3, .4, .8, .9],
    ...                          min_precision=0.75)
    >>> op.threshold, op.precision, round(op.recall, 3)
    (0.3, 0.75, 1.0)
    >>> recall_at_precision([0, 1], [0.9, 0.1], min_precision=0.9).recall
    0.0
    """
    y_true, y_score, sample_weight = _check_scores(y_true, y_score, sample_weight)
    if not 0 < min_precision <= 1:
        raise ValueError(f"min_precision must be in (0, 1], got {min_precision!r}")
    precision, recall, thresholds = precision_recall_curve(
        y_true, y_score, sample_weight=sample_weight
    )
    precision, recall = precision[:-1], recall[:-1]
    ok = np.flatnonzero(precision >= min_precision - 1e-12)
    if ok.size == 0:
        return OperatingPoint(threshold=float("inf"), precision=float("nan"), recall=0.0)
    best = ok[recall[ok] == recall[ok].max()]
    i = best[-1]
    return OperatingPoint(
        threshold=float(thresholds[i]), precision=float(precision[i]), recall=float(recall[i])
    )


@dataclass(frozen=True)
class RankingScores:
    """Threshold-free summaries of a score under imbalance.

    ``prevalence`` is the PR-AUC of a random score, the baseline PR-AUC must
    be read against; a random score's ROC-AUC is always 0.5.
    """

    pr_auc: float
    roc_auc: float
    prevalence: float


def ranking_scores(y_true: Any, y_score: Any, *, sample_weight: Any = None) -> RankingScores:
    """Return PR-AUC (average precision), ROC-AUC and the prevalence.

    Examples
    --------
    >>> s = ranking_scores([0, 0, 0, 1], [0.1, 0.2, 0.9, 0.8])
    >>> round(s.pr_auc, 3), round(s.roc_auc, 3), s.prevalence
    (0.5, 0.667, 0.25)
    """
    y_true, y_score, sample_weight = _check_scores(y_true, y_score, sample_weight)
    if (y_true == 1).all():
        raise ValueError("y_true must contain at least one negative, got only positives")
    w = np.ones_like(y_score) if sample_weight is None else sample_weight
    return RankingScores(
        pr_auc=float(average_precision_score(y_true, y_score, sample_weight=sample_weight)),
        roc_auc=float(roc_auc_score(y_true, y_score, sample_weight=sample_weight)),
        prevalence=float(w[y_true == 1].sum() / w.sum()),
    )


@dataclass(frozen=True)
class MoneyOutcome:
    """Money at one threshold: what is caught, missed and spent on reviews."""

    threshold: float
    alerts: float
    caught_amount: float
    missed_amount: float
    review_cost: float
    net_savings: float


def net_savings(
    y_true: Any,
    y_score: Any,
    *,
    amount: Any,
    threshold: float,
    review_cost: float,
    sample_weight: Any = None,
) -> MoneyOutcome:
    """Money saved by reviewing every transaction with ``score >= threshold``.

    Each alert costs ``review_cost``; a reviewed fraud saves its ``amount``;
    a missed fraud loses it. ``net_savings = caught_amount - review_cost *
    alerts``, measured against having no model (every fraud lost).

    Examples
    --------
    >>> m = net_savings([0, 1, 1, 0], [0.9, 0.8, 0.1, 0.2], amount=[5, 100, 40, 7],
    ...                 threshold=0.5, review_cost=3)
    >>> m.alerts, m.caught_amount, m.missed_amount, m.net_savings
    (2.0, 100.0, 40.0, 94.0)
    """
    y_true, y_score, sample_weight = _check_scores(y_true, y_score, sample_weight)
    amount = np.asarray(amount, dtype=float)
    if amount.shape != y_true.shape or not np.isfinite(amount).all() or (amount < 0).any():
        raise ValueError(
            f"amount must be finite, non-negative, with shape {y_true.shape}, got shape "
            f"{amount.shape}"
        )
    review_cost = check_number(review_cost, name="review_cost", low=0)
    threshold = check_number(threshold, name="threshold", allow_inf=True)  # inf: flag nothing
    w = np.ones_like(y_score) if sample_weight is None else sample_weight
    flagged = y_score >= threshold
    fraud = y_true == 1
    alerts = float(w[flagged].sum())
    caught = float((w * amount)[flagged & fraud].sum())
    missed = float((w * amount)[~flagged & fraud].sum())
    spent = float(review_cost * alerts)
    return MoneyOutcome(float(threshold), alerts, caught, missed, spent, caught - spent)
