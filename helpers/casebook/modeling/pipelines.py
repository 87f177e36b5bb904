"""Leakage-safe modeling pipelines and cross-validated model comparison.

Preprocessing that learns from data (imputation medians, scaling means,
category lists) must be fitted on the training folds only. The builders here
put a :class:`~sklearn.compose.ColumnTransformer` *inside* the estimator's
pipeline, so cross-validation refits it on every training fold and no
statistic of a test fold leaks into the model.

:func:`compare_models` runs every model on the same (optionally repeated)
stratified folds and returns per-fold scores, a summary with mean and a
corrected t-interval across folds, and the out-of-fold probabilities (for
ROC/PR curves, calibration and profit curves without a second round of
fitting). :func:`casebook.decisions.auc.corrected_resampled_ttest` is the interval behind it: the
Nadeau-Bengio correction for training sets that overlap between folds.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.impute import SimpleImputer
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler
from threadpoolctl import threadpool_limits

from casebook._validation.binary import check_no_missing
from casebook.decisions.auc import ResampledTTest, corrected_resampled_ttest

__all__ = [
    "ModelComparison",
    "compare_models",
    "make_preprocessor",
    "make_model_pipeline",
]

Encoding = Literal["onehot", "ordinal"]
Metric = Literal["roc_auc", "pr_auc", "brier", "log_loss"]

_NUMERIC = make_column_selector(dtype_include="number")
_CATEGORICAL = make_column_selector(dtype_exclude="number")


def make_preprocessor(*, encoding: Encoding = "onehot", scale: bool = True) -> ColumnTransformer:
    """Build a column transformer that selects numeric and categorical columns by dtype.

    Numeric columns get median imputation (and standard scaling when
    ``scale``); every other column is treated as categorical and gets
    most-frequent imputation followed by one-hot or ordinal encoding. Unknown
    categories at prediction time are encoded as all zeros (one-hot) or as
    ``-1`` (ordinal) instead of raising.

    Parameters
    ----------
    encoding : {"onehot", "ordinal"}, default="onehot"
        One-hot for linear models, ordinal for tree ensembles.
    scale : bool, default=True
        Standardize numeric columns (needed for regularized linear models,
        harmless but useless for trees).

    Returns
    -------
    sklearn.compose.ColumnTransformer
        Unfitted; put it inside a pipeline so cross-validation refits it.

    Examples
    --------
    >>> frame = pd.DataFrame({"x": [1.0, np.nan, 3.0], "c": ["a", "b", "a"]})
    >>> pre = make_preprocessor().fit(frame)
    >>> list(pre.get_feature_names_out())
    ['num__x', 'cat__c_a', 'cat__c_b']
    """
    if encoding not in ("onehot", "ordinal"):
        raise ValueError(f"encoding must be 'onehot' or 'ordinal', got {encoding!r}")
    num_steps: list[tuple[str, Any]] = [("impute", SimpleImputer(strategy="median"))]
    if scale:
        num_steps.append(("scale", StandardScaler()))
    if encoding == "onehot":
        encoder: Any = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
    else:
        encoder = OrdinalEncoder(
            handle_unknown="use_encoded_value", unknown_value=-1, encoded_missing_value=-1
        )
    cat_steps = [("impute", SimpleImputer(strategy="most_frequent")), ("encode", encoder)]
    return ColumnTransformer(
        [
            ("num", Pipeline(num_steps), _NUMERIC),
            ("cat", Pipeline(cat_steps), _CATEGORICAL),
        ],
        verbose_feature_names_out=True,
    )


def make_model_pipeline(
    estimator: BaseEstimator, *, encoding: Encoding = "onehot", scale: bool = True
) -> Pipeline:
    """Wrap ``estimator`` in a pipeline whose first step is :func:`make_preprocessor`.

    Parameters
    ----------
    estimator : scikit-learn estimator
        The model, e.g. ``LogisticRegression()``; it is cloned.
    encoding, scale
        Passed to :func:`make_preprocessor`.

    Returns
    -------
    sklearn.pipeline.Pipeline
        Steps ``("preprocess", ...)`` and ``("model", estimator)``.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> pipe = make_model_pipeline(LogisticRegression())
    >>> [name for name, _ in pipe.steps]
    ['preprocess', 'model']
    """
    if not hasattr(estimator, "fit"):
        raise TypeError(
            f"estimator must be a scikit-learn estimator with fit, got {type(estimator).__name__}"
        )
    return Pipeline(
        [
            ("preprocess", make_preprocessor(encoding=encoding, scale=scale)),
            ("model", clone(estimator)),
        ]
    )


def _score(metric: str, y: np.ndarray, p: np.ndarray) -> float:
    if metric == "roc_auc":
        return float(roc_auc_score(y, p))
    if metric == "pr_auc":
        return float(average_precision_score(y, p))
    if metric == "brier":
        return float(brier_score_loss(y, p))
    eps = 1e-15
    q = np.clip(p, eps, 1 - eps)
    return float(-np.mean(y * np.log(q) + (1 - y) * np.log(1 - q)))


@dataclass(frozen=True)
class ModelComparison:
    """What :func:`compare_models` measured.

    Attributes
    ----------
    per_fold : pandas.DataFrame
        One row per (model, repeat, fold): the metrics and ``fit_seconds``.
    summary : pandas.DataFrame
        One row per model: ``<metric>_mean``, ``<metric>_low``, ``<metric>_high``
        (the corrected t-interval over all folds of all repeats, see Notes) and
        ``fit_seconds``.
    oof_proba : pandas.DataFrame
        Out-of-fold probability of the positive class from the first repeat,
        one column per model, indexed like ``X``: each row scored by the model
        that did not see it.
    y : numpy.ndarray
        The 0/1 labels aligned with ``oof_proba``.
    confidence : float
        Level of the intervals.
    test_train_ratio : float
        ``n_test / n_train`` of one fold, the correction term of the intervals.

    Notes
    -----
    Training folds share rows, so fold scores are positively correlated and
    a plain t-interval over folds is too narrow. Every interval here uses the
    Nadeau-Bengio corrected variance
    (:func:`casebook.decisions.auc.corrected_resampled_ttest`).
    """

    per_fold: pd.DataFrame
    summary: pd.DataFrame
    oof_proba: pd.DataFrame
    y: np.ndarray
    confidence: float
    test_train_ratio: float = 0.0

    def difference(self, metric: Metric, model_a: str, model_b: str) -> tuple[float, float, float]:
        """Paired fold-wise difference ``a - b`` of ``metric``: (mean, low, high).

        Both models saw the same folds, so the paired differences cancel the
        fold-to-fold luck; the interval is the corrected resampled t-interval
        (:func:`casebook.decisions.auc.corrected_resampled_ttest`), wider than the naive one because
        training folds overlap. ``ttest`` gives the full test.
        """
        t = self.ttest(metric, model_a, model_b)
        return t.mean, t.low, t.high

    def ttest(self, metric: Metric, model_a: str, model_b: str) -> ResampledTTest:
        """Corrected resampled t-test of the fold-wise differences ``a - b``."""
        for name in (model_a, model_b):
            if name not in self.oof_proba.columns:
                raise ValueError(
                    f"model must be one of {list(self.oof_proba.columns)}, got {name!r}"
                )
        if metric not in self.per_fold.columns:
            raise ValueError(f"metric must be one of the compared metrics, got {metric!r}")
        a = self.per_fold.loc[self.per_fold["model"] == model_a, metric].to_numpy()
        b = self.per_fold.loc[self.per_fold["model"] == model_b, metric].to_numpy()
        return corrected_resampled_ttest(
            a - b, test_train_ratio=self.test_train_ratio, confidence=self.confidence
        )


def compare_models(
    models: Mapping[str, BaseEstimator],
    X: pd.DataFrame,
    y: Sequence[Any] | np.ndarray | pd.Series,
    *,
    positive: Any = 1,
    n_splits: int = 5,
    n_repeats: int = 1,
    metrics: Sequence[Metric] = ("roc_auc", "pr_auc", "brier"),
    confidence: float = 0.95,
    seed: int = 0,
    max_threads: int | None = 1,
) -> ModelComparison:
    """Cross-validate several models on the same (repeated) stratified folds.

    Every model is cloned and refitted on each training fold (so any
    preprocessing inside it is leakage-safe) and scored on the held-out fold.
    Intervals are corrected resampled t-intervals over all ``n_splits x
    n_repeats`` folds (:func:`casebook.decisions.auc.corrected_resampled_ttest`).

    Parameters
    ----------
    models : mapping of str to estimator
        Name to unfitted estimator with ``predict_proba``.
    X : pandas.DataFrame
        Features.
    y : array-like
        Labels; ``positive`` marks the positive class.
    positive : object, default=1
        The positive label (e.g. ``"Yes"``).
    n_splits : int, default=5
        Number of stratified folds, at least 2.
    n_repeats : int, default=1
        Repetitions of the k-fold split, repeat ``r`` shuffled with seed
        ``seed + r``. More repeats steady the mean; the correction keeps the
        interval honest however many there are.
    metrics : sequence of {"roc_auc", "pr_auc", "brier", "log_loss"}
        Scores to compute per fold; PR-AUC is average precision.
    confidence : float, default=0.95
        Level of the corrected t-intervals.
    seed : int, default=0
        Seed of the fold shuffling.
    max_threads : int or None, default=1
        Cap on native thread pools (OpenMP, BLAS) while fitting. One thread is
        the robust choice on a small shared machine: an oversubscribed OpenMP
        pool can make gradient boosting tens of times slower. ``None`` leaves
        the pools alone.

    Returns
    -------
    ModelComparison

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> X, y = make_classification(n_samples=300, random_state=0)
    >>> X = pd.DataFrame(X).add_prefix("f")
    >>> cmp = compare_models({"logreg": make_model_pipeline(LogisticRegression())},
    ...                      X, y, n_splits=3)
    >>> list(cmp.summary.index)
    ['logreg']
    >>> bool(cmp.summary.loc["logreg", "roc_auc_mean"] > 0.8)
    True
    """
    if not isinstance(models, Mapping) or not models:
        raise ValueError(f"models must be a non-empty mapping of name to estimator, got {models!r}")
    if not isinstance(X, pd.DataFrame):
        raise TypeError(f"X must be a pandas DataFrame, got {type(X).__name__}")
    y_arr = check_no_missing(np.asarray(y), name="y")
    if len(y_arr) != len(X):
        raise ValueError(f"y must have one label per row of X ({len(X)}), got {len(y_arr)}")
    y01 = (y_arr == positive).astype(int)
    if y01.sum() == 0 or y01.sum() == len(y01):
        raise ValueError(
            f"y must contain both the positive label {positive!r} and another label, "
            f"got {int(y01.sum())} positives out of {len(y01)}"
        )
    if not isinstance(n_splits, (int, np.integer)) or n_splits < 2:
        raise ValueError(f"n_splits must be an integer >= 2, got {n_splits!r}")
    if not isinstance(n_repeats, (int, np.integer)) or n_repeats < 1:
        raise ValueError(f"n_repeats must be an integer >= 1, got {n_repeats!r}")
    allowed = ("roc_auc", "pr_auc", "brier", "log_loss")
    bad = [m for m in metrics if m not in allowed]
    if bad or not metrics:
        raise ValueError(f"metrics must be a non-empty subset of {allowed}, got {list(metrics)}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence!r}")

    if max_threads is not None and (
        not isinstance(max_threads, (int, np.integer)) or max_threads < 1
    ):
        raise ValueError(f"max_threads must be a positive integer or None, got {max_threads!r}")

    folds = [
        (r, k, train, test)
        for r in range(n_repeats)
        for k, (train, test) in enumerate(
            StratifiedKFold(n_splits, shuffle=True, random_state=seed + r).split(X, y01)
        )
    ]
    rows: list[dict[str, Any]] = []
    oof = pd.DataFrame(index=X.index, columns=list(models), dtype=float)
    for name, model in models.items():
        proba = np.empty(len(X))
        for r, k, train, test in folds:
            fitted = clone(model)
            with threadpool_limits(limits=max_threads):
                start = time.perf_counter()
                fitted.fit(X.iloc[train], y01[train])
                seconds = time.perf_counter() - start
                classes = list(fitted.classes_)
                p = fitted.predict_proba(X.iloc[test])[:, classes.index(1)]
            if r == 0:
                proba[test] = p
            row: dict[str, Any] = {"model": name, "repeat": r, "fold": k, "fit_seconds": seconds}
            row.update({m: _score(m, y01[test], p) for m in metrics})
            rows.append(row)
        oof[name] = proba
    per_fold = pd.DataFrame(rows)
    ratio = 1 / (n_splits - 1)  # n_test / n_train of one stratified fold
    summary_rows = {}
    for name, group in per_fold.groupby("model", sort=False):
        entry: dict[str, float] = {}
        for m in metrics:
            t = corrected_resampled_ttest(
                group[m].to_numpy(), test_train_ratio=ratio, confidence=confidence
            )
            entry.update({f"{m}_mean": t.mean, f"{m}_low": t.low, f"{m}_high": t.high})
        entry["fit_seconds"] = float(group["fit_seconds"].mean())
        summary_rows[name] = entry
    summary = pd.DataFrame.from_dict(summary_rows, orient="index")
    return ModelComparison(
        per_fold=per_fold,
        summary=summary,
        oof_proba=oof,
        y=y01,
        confidence=confidence,
        test_train_ratio=ratio,
    )
