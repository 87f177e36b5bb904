"""Calibration summaries for binary probabilities: reliability table, Brier decomposition, ECE.

A model is *calibrated* when, among the cases it gives probability ``p``,
a share ``p`` is positive. Cost-based thresholds assume exactly that: the
Bayes threshold ``fp_cost / (fp_cost + fn_cost)`` is only optimal for
calibrated probabilities.

Binning (shared by every function here): ``strategy="uniform"`` cuts [0, 1]
into ``n_bins`` equal-width bins; ``strategy="quantile"`` uses quantiles of
``y_prob`` so every bin holds about the same number of cases (duplicate edges
from tied probabilities are merged, so there can be fewer bins). Bins are
left-closed, the last one also holds 1.0. Empty bins are kept in
:func:`reliability_table` with ``count=0`` and NaN means, and contribute
nothing to the ECE and the Brier decomposition.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.calibration import CalibratedClassifierCV
from sklearn.frozen import FrozenEstimator

from casebook._validation.binary import _show, as_1d, check_same_length, check_scores, encode_binary

__all__ = [
    "BrierDecomposition",
    "brier_decomposition",
    "expected_calibration_error",
    "recalibrate",
    "reliability_table",
]

Strategy = Literal["uniform", "quantile"]


def _validate(
    y_true: Any, y_prob: Any, labels: tuple[Any, Any], n_bins: int, strategy: str
) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(n_bins, bool) or not isinstance(n_bins, (int, np.integer)) or n_bins < 1:
        raise ValueError(f"n_bins must be a positive integer, got {n_bins!r}")
    if strategy not in ("uniform", "quantile"):
        raise ValueError(f"strategy must be 'uniform' or 'quantile', got {strategy!r}")
    y = encode_binary(y_true, labels=labels, name="y_true")
    p = check_scores(y_prob, name="y_prob", probability=True)
    check_same_length(y_true=y, y_prob=p)
    return y, p


def _bin_ids(p: np.ndarray, n_bins: int, strategy: str) -> tuple[np.ndarray, np.ndarray]:
    if strategy == "uniform":
        edges = np.linspace(0.0, 1.0, n_bins + 1)
    else:
        edges = np.unique(np.quantile(p, np.linspace(0.0, 1.0, n_bins + 1)))
        edges[0], edges[-1] = 0.0, 1.0
        if edges.size < 2:
            edges = np.array([0.0, 1.0])
    ids = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, edges.size - 2)
    return ids, edges


def reliability_table(
    y_true: Any,
    y_prob: Any,
    *,
    n_bins: int = 10,
    strategy: Strategy = "uniform",
    labels: tuple[Any, Any] = (0, 1),
) -> pd.DataFrame:
    """Observed positive rate against mean predicted probability, per bin.

    Returns
    -------
    pandas.DataFrame
        One row per bin: ``lower``, ``upper``, ``count``, ``mean_predicted``,
        ``observed_rate`` and ``gap`` (observed minus predicted).

    Examples
    --------
    >>> t = reliability_table([0, 0, 1, 1], [0.1, 0.2, 0.7, 0.9], n_bins=2)
    >>> t[["count", "mean_predicted", "observed_rate"]].round(2)
       count  mean_predicted  observed_rate
    0      2            0.15            0.0
    1      2            0.80            1.0
    """
    y, p = _validate(y_true, y_prob, labels, n_bins, strategy)
    ids, edges = _bin_ids(p, n_bins, strategy)
    k = edges.size - 1
    count = np.bincount(ids, minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_pred = np.bincount(ids, weights=p, minlength=k) / count
        observed = np.bincount(ids, weights=y.astype(float), minlength=k) / count
    return pd.DataFrame(
        {
            "lower": edges[:-1],
            "upper": edges[1:],
            "count": count,
            "mean_predicted": mean_pred,
            "observed_rate": observed,
            "gap": observed - mean_pred,
        }
    )


def expected_calibration_error(
    y_true: Any,
    y_prob: Any,
    *,
    n_bins: int = 10,
    strategy: Strategy = "uniform",
    labels: tuple[Any, Any] = (0, 1),
) -> float:
    """Count-weighted mean absolute gap between observed rate and mean prediction.

    Examples
    --------
    >>> round(expected_calibration_error([0, 0, 1, 1], [0.1, 0.2, 0.7, 0.9], n_bins=2), 3)
    0.175
    """
    table = reliability_table(y_true, y_prob, n_bins=n_bins, strategy=strategy, labels=labels)
    used = table["count"] > 0
    w = table.loc[used, "count"] / table["count"].sum()
    return float((w * table.loc[used, "gap"].abs()).sum())


@dataclass(frozen=True)
class BrierDecomposition:
    """Murphy's decomposition ``brier ~= reliability - resolution + uncertainty``.

    Attributes
    ----------
    brier : float
        Mean squared error of the probabilities (exact, lower is better).
    reliability : float
        Calibration error part (lower is better; 0 = calibrated per bin).
    resolution : float
        How far bin rates move away from the base rate (higher is better).
    uncertainty : float
        ``prevalence * (1 - prevalence)``, fixed by the data.
    residual : float
        ``brier - (reliability - resolution + uncertainty)``: the spread of
        probabilities inside bins; 0 when every bin holds one distinct value.
    """

    brier: float
    reliability: float
    resolution: float
    uncertainty: float
    residual: float


def brier_decomposition(
    y_true: Any,
    y_prob: Any,
    *,
    n_bins: int = 10,
    strategy: Strategy = "uniform",
    labels: tuple[Any, Any] = (0, 1),
) -> BrierDecomposition:
    """Brier score and its reliability / resolution / uncertainty parts.

    Examples
    --------
    >>> d = brier_decomposition([0, 0, 1, 1], [0.0, 0.0, 1.0, 1.0], n_bins=2)
    >>> d.brier, d.reliability, d.resolution, d.uncertainty
    (0.0, 0.0, 0.25, 0.25)
    """
    y, p = _validate(y_true, y_prob, labels, n_bins, strategy)
    table = reliability_table(
        y, p.astype(float), n_bins=n_bins, strategy=strategy, labels=(False, True)
    )
    used = table[table["count"] > 0]
    n = y.size
    base = float(y.mean())
    w = used["count"] / n
    brier = float(np.mean((p - y) ** 2))
    rel = float((w * (used["mean_predicted"] - used["observed_rate"]) ** 2).sum())
    res = float((w * (used["observed_rate"] - base) ** 2).sum())
    unc = base * (1.0 - base)
    return BrierDecomposition(brier, rel, res, unc, brier - (rel - res + unc))


def recalibrate(
    estimator: BaseEstimator,
    X_calib: Any,
    y_calib: Any,
    *,
    method: Literal["sigmoid", "isotonic"] = "sigmoid",
) -> CalibratedClassifierCV:
    """Recalibrate an already fitted classifier on a held-out calibration set.

    The estimator is frozen (not refitted); only the mapping from its scores
    to probabilities is learned from ``(X_calib, y_calib)``: Platt scaling
    (``"sigmoid"``, two parameters, safe on small sets) or isotonic regression
    (``"isotonic"``, flexible, needs more data). Use data the model was not
    trained on, and evaluate on yet another split.

    Returns
    -------
    sklearn.calibration.CalibratedClassifierCV
        Fitted; call ``predict_proba`` on new data.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.naive_bayes import GaussianNB
    >>> X, y = make_classification(n_samples=400, random_state=0)
    >>> model = GaussianNB().fit(X[:200], y[:200])
    >>> calibrated = recalibrate(model, X[200:], y[200:], method="isotonic")
    >>> calibrated.predict_proba(X[:2]).shape
    (2, 2)
    """
    if method not in ("sigmoid", "isotonic"):
        raise ValueError(f"method must be 'sigmoid' or 'isotonic', got {method!r}")
    if not hasattr(estimator, "classes_"):
        raise ValueError(
            f"estimator must be fitted before recalibration, got an unfitted "
            f"{type(estimator).__name__}"
        )
    y = as_1d(y_calib, name="y_calib")
    if y.dtype.kind == "f" and not np.isfinite(y).all():
        raise ValueError(
            f"y_calib must not contain NaN or infinity, got {_show(y[~np.isfinite(y)])}"
        )
    n_rows = len(X_calib) if hasattr(X_calib, "__len__") else np.shape(X_calib)[0]
    if n_rows != len(y):
        raise ValueError(
            f"X_calib and y_calib must have the same number of rows, got {n_rows} and {len(y)}"
        )
    _check_finite_features(X_calib)
    if len(np.unique(y)) < 2:
        raise ValueError(f"y_calib must contain both classes, got only {np.unique(y).tolist()!r}")
    calibrator = CalibratedClassifierCV(FrozenEstimator(estimator), method=method)
    try:
        return calibrator.fit(X_calib, y)
    except (
        ValueError
    ) as exc:  # the estimator rejected the features (e.g. strings for a numeric model)
        raise ValueError(f"X_calib was rejected by the estimator: {exc}") from exc


def _check_finite_features(X: Any) -> None:
    """Raise naming ``X_calib`` (and the column) if a numeric feature is infinite.

    NaN is left to the estimator: a pipeline with an imputer accepts it, a bare
    model rejects it (and ``recalibrate`` re-raises naming ``X_calib``).
    """
    if isinstance(X, pd.DataFrame):
        for col in X.columns:
            values = X[col]
            if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
                arr = values.to_numpy(dtype=np.float64, na_value=np.nan)
                if np.isinf(arr).any():
                    raise ValueError(
                        f"X_calib column {col!r} must not contain infinity, got {_show(arr[np.isinf(arr)])}"
                    )
        return
    arr = np.asarray(X)
    if arr.dtype.kind in "iuf" and np.isinf(arr).any():
        raise ValueError(f"X_calib must not contain infinity, got {_show(arr[np.isinf(arr)])}")
