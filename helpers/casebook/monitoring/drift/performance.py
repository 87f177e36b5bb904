"""Model performance in production: realized once labels arrive, estimated before.

Labels (did the customer churn?) arrive weeks after the scores. Until then the
monitor has two signals: *prediction drift* (did the score distribution move?)
and a *label-free estimate* of performance in the spirit of NannyML's CBPE
(confidence-based performance estimation): if the model is calibrated, a
score ``p`` means "positive with probability ``p``", so the expected number of
true and false positives at any threshold follows from the scores alone.

The estimate is only as good as the calibration (check it on the reference
with :func:`casebook.decisions.calibration.expected_calibration_error`): it tracks a covariate shift
(the population moves, ``P(y | x)`` stays) but misses a change of concept or
a pipeline bug that feeds the model wrong inputs; that is why realized
performance is still computed when the labels land.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from sklearn.metrics import accuracy_score, roc_auc_score

from casebook._validation.binary import check_no_na
from casebook.monitoring.drift._core import _check_instance, _check_integer
from casebook.monitoring.drift.stats import DriftResult, ks, psi

__all__ = [
    "Performance",
    "PredictionDrift",
    "expected_accuracy",
    "expected_roc_auc",
    "labels_arrived",
    "performance_table",
    "prediction_drift",
    "realized_performance",
]


def _proba(y_proba: ArrayLike, *, name: str = "y_proba") -> np.ndarray:
    p = np.asarray(y_proba)
    if p.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be numeric probabilities, got dtype {p.dtype}")
    p = p.astype(float)
    if p.ndim != 1 or p.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-d array, got shape {p.shape}")
    if np.any(np.isnan(p)) or p.min() < 0 or p.max() > 1:
        raise ValueError(
            f"{name} must be in [0, 1] without NaN, got min={np.nanmin(p)}, max={np.nanmax(p)}"
        )
    return p


def _labels(
    y_true: ArrayLike, p: np.ndarray, *, name: str = "y_true", proba_name: str = "y_proba"
) -> np.ndarray:
    y = check_no_na(np.asarray(y_true), name=name)
    if y.shape != p.shape or not np.isin(y, [0, 1]).all():
        raise ValueError(
            f"{name} must be 0/1 labels of the same length as {proba_name} ({p.size}), "
            f"got shape {y.shape} with values {np.unique(y).tolist()[:5]}"
        )
    return y.astype(int)


def _check_threshold(threshold: float) -> None:
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, (int, float, np.integer, np.floating))
        or not (0 < threshold < 1)
    ):
        raise ValueError(f"threshold must be in (0, 1), got {threshold!r}")


def expected_accuracy(y_proba: ArrayLike, *, threshold: float = 0.5) -> float:
    """Accuracy expected from calibrated probabilities, without labels.

    A row predicted positive (``p >= threshold``) is right with probability
    ``p``, a row predicted negative with probability ``1 - p``.

    Examples
    --------
    >>> round(expected_accuracy([0.9, 0.2, 0.6]), 4)
    0.7667
    """
    _check_threshold(threshold)
    p = _proba(y_proba)
    return float(np.mean(np.where(p >= threshold, p, 1 - p)))


def expected_roc_auc(y_proba: ArrayLike) -> float:
    """ROC AUC expected from calibrated probabilities (CBPE), without labels.

    At each score threshold the expected true positives are the sum of the
    scores above it and the expected false positives the sum of ``1 - p``;
    dividing by the expected positives ``sum(p)`` and negatives
    ``sum(1 - p)`` gives an expected ROC curve, integrated by trapezoids
    (tied scores form one step). NaN when all scores are 0 or all are 1.

    Examples
    --------
    >>> expected_roc_auc([1.0, 0.0, 1.0, 0.0])  # certain scores: a perfect ranking
    1.0
    >>> round(expected_roc_auc([0.5, 0.5]), 3)  # coin flips: no ranking at all
    0.5
    """
    p = _proba(y_proba)
    pos, neg = p.sum(), (1 - p).sum()
    if pos == 0 or neg == 0:
        return float("nan")
    order = np.argsort(-p, kind="stable")
    ps = p[order]
    last_of_tie = np.r_[np.nonzero(np.diff(ps))[0], ps.size - 1]
    tpr = np.r_[0.0, np.cumsum(ps)[last_of_tie] / pos]
    fpr = np.r_[0.0, np.cumsum(1 - ps)[last_of_tie] / neg]
    return float(np.trapezoid(tpr, fpr))


@dataclass(frozen=True)
class Performance:
    """Realized performance of one batch once its labels arrived.

    Attributes
    ----------
    n : int
        Rows.
    accuracy : float
        At the given threshold.
    roc_auc : float
        NaN when the batch holds one class only (see ``note``).
    positive_rate : float
        Share of positive labels.
    note : str
        Why a metric is undefined, else "".
    """

    n: int
    accuracy: float
    roc_auc: float
    positive_rate: float
    note: str = ""


def realized_performance(
    y_true: ArrayLike, y_proba: ArrayLike, *, threshold: float = 0.5
) -> Performance:
    """Accuracy and ROC AUC of a labelled batch (labels 0/1).

    Examples
    --------
    >>> realized_performance([0, 1, 1], [0.2, 0.7, 0.4])
    Performance(n=3, accuracy=0.666..., roc_auc=1.0, positive_rate=0.666..., note='')
    >>> realized_performance([1, 1], [0.2, 0.7]).note
    'one class only: ROC AUC undefined'
    """
    _check_threshold(threshold)
    p = _proba(y_proba)
    y = _labels(y_true, p)
    acc = float(accuracy_score(y, (p >= threshold).astype(int)))
    if np.unique(y).size < 2:
        return Performance(int(y.size), acc, float("nan"), float(y.mean()),
                           "one class only: ROC AUC undefined")  # fmt: skip
    return Performance(int(y.size), acc, float(roc_auc_score(y, p)), float(y.mean()))


@dataclass(frozen=True)
class PredictionDrift:
    """Did the distribution of the model's scores move?

    Attributes
    ----------
    ks, psi : DriftResult
        Kolmogorov-Smirnov test and PSI of current vs reference scores.
    mean_shift : float
        Mean current score minus mean reference score.
    drifted : bool
        ``ks.drifted and psi.drifted``: significant *and* large enough to matter.
    """

    ks: DriftResult
    psi: DriftResult
    mean_shift: float
    drifted: bool


def prediction_drift(
    reference_proba: ArrayLike,
    current_proba: ArrayLike,
    *,
    alpha: float = 0.01,
    psi_threshold: float = 0.1,
) -> PredictionDrift:
    """Compare current scores with the reference scores (KS and PSI).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> ref = rng.beta(2, 5, 2000)
    >>> prediction_drift(ref, rng.beta(2, 5, 500)).drifted
    False
    >>> prediction_drift(ref, rng.beta(4, 3, 500)).drifted
    True
    """
    ref = _proba(reference_proba, name="reference_proba")
    cur = _proba(current_proba, name="current_proba")
    k = ks(ref, cur, threshold=alpha)
    p = psi(ref, cur, threshold=psi_threshold)
    return PredictionDrift(k, p, float(cur.mean() - ref.mean()), k.drifted and p.drifted)


def labels_arrived(week: int, *, as_of_week: int, delay: int) -> bool:
    """Whether the labels of ``week`` are in by ``as_of_week`` given a delay in weeks.

    Examples
    --------
    >>> labels_arrived(3, as_of_week=6, delay=3), labels_arrived(4, as_of_week=6, delay=3)
    (True, False)
    """
    _check_integer(week, name="week")
    _check_integer(as_of_week, name="as_of_week")
    if isinstance(delay, bool) or not isinstance(delay, (int, np.integer)) or delay < 0:
        raise ValueError(f"delay must be an integer >= 0, got {delay!r}")
    return week + delay <= as_of_week


def performance_table(
    y_proba_by_week: dict[int, ArrayLike],
    y_true_by_week: dict[int, ArrayLike],
    *,
    as_of_week: int,
    delay: int,
    threshold: float = 0.5,
) -> pd.DataFrame:
    """Estimated (label-free) and realized performance per week, as of a given week.

    Realized metrics are NaN (``labels`` = "pending") for weeks whose labels
    have not arrived ``delay`` weeks after scoring.

    Returns
    -------
    pandas.DataFrame
        Columns ``week``, ``labels`` ("arrived"/"pending"), ``expected_accuracy``,
        ``expected_roc_auc``, ``accuracy``, ``roc_auc``, ``note``.

    Examples
    --------
    >>> t = performance_table({1: [0.9, 0.1], 2: [0.8, 0.3]}, {1: [1, 0], 2: [1, 1]},
    ...                       as_of_week=2, delay=1)
    >>> t[["week", "labels", "accuracy"]].to_numpy().tolist()
    [[1, 'arrived', 1.0], [2, 'pending', nan]]
    """
    _check_instance(y_proba_by_week, Mapping, name="y_proba_by_week")
    _check_instance(y_true_by_week, Mapping, name="y_true_by_week")
    _check_threshold(threshold)
    rows = []
    for week in sorted(y_proba_by_week):
        p = _proba(y_proba_by_week[week], name=f"y_proba_by_week[{week!r}]")
        row = {"week": week, "expected_accuracy": expected_accuracy(p, threshold=threshold),
               "expected_roc_auc": expected_roc_auc(p), "accuracy": np.nan, "roc_auc": np.nan,
               "labels": "pending", "note": ""}  # fmt: skip
        if labels_arrived(week, as_of_week=as_of_week, delay=delay) and week in y_true_by_week:
            y = _labels(y_true_by_week[week], p, name=f"y_true_by_week[{week!r}]",
                        proba_name=f"y_proba_by_week[{week!r}]")  # fmt: skip
            perf = realized_performance(y, p, threshold=threshold)
            row.update(labels="arrived", accuracy=perf.accuracy, roc_auc=perf.roc_auc,
                       note=perf.note)  # fmt: skip
        rows.append(row)
    cols = ["week", "labels", "expected_accuracy", "expected_roc_auc", "accuracy", "roc_auc",
            "note"]  # fmt: skip
    return pd.DataFrame(rows, columns=cols)
