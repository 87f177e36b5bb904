"""Permutation importance as a tidy table, with the preprocessing done once.

Permutation importance shuffles one column of held-out data at a time and
measures how much the score drops. For a model pipeline whose first step is
a ``ColumnTransformer`` (as built by :func:`casebook.modeling.pipelines.make_model_pipeline`),
scikit-learn re-runs the whole preprocessing (pandas column selection,
imputation, encoding) for every shuffled copy, which costs far more than
the model itself.

Every step of that preprocessing acts column by column (imputers, scalers,
one-hot and ordinal encoders), so shuffling raw column *j* and transforming
equals transforming once and shuffling the output columns built from *j*.
:func:`permutation_importance_table` uses that: it transforms ``X`` once
and lets scikit-learn's :func:`~sklearn.inspection.permutation_importance`
shuffle a frame of *row indices* (one column per raw feature); a thin
wrapper turns each shuffled index frame into the matching transformed rows.
The shuffles, the scorer and therefore the numbers are exactly
scikit-learn's; only the repeated preprocessing is gone. Any other model
(no pipeline, other preprocessing steps) takes the direct path.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, is_classifier
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.inspection import permutation_importance
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import (
    MaxAbsScaler,
    MinMaxScaler,
    OneHotEncoder,
    OrdinalEncoder,
    RobustScaler,
    StandardScaler,
)
from sklearn.utils.metaestimators import available_if
from threadpoolctl import threadpool_limits

from casebook._validation.binary import check_no_na
from casebook.modeling.explain import source_features

__all__ = ["permutation_importance_table"]

# column-wise transformers: output row i depends only on input row i of the same column
_COLUMNWISE = (
    SimpleImputer,
    StandardScaler,
    MinMaxScaler,
    MaxAbsScaler,
    RobustScaler,
    OneHotEncoder,
    OrdinalEncoder,
)


def _has(method: str):
    return lambda self: hasattr(self.model, method)


class _PretransformedModel(ClassifierMixin, BaseEstimator):
    """Score a frame of row indices as the matching rows of a pre-transformed matrix."""

    def __init__(self, model: Any, Z: np.ndarray, source: np.ndarray) -> None:
        self.model = model
        self.Z = Z
        self.source = source  # for each column of Z, the raw column it comes from
        self.classes_ = model.classes_

    def fit(self, X: Any, y: Any = None) -> _PretransformedModel:  # pragma: no cover
        raise NotImplementedError("already fitted: wraps a fitted model for scoring only")

    def _rows(self, codes: pd.DataFrame) -> np.ndarray:
        idx = codes.to_numpy()[:, self.source]
        return self.Z[idx, np.arange(self.Z.shape[1])]

    @available_if(_has("predict"))
    def predict(self, codes: pd.DataFrame) -> np.ndarray:
        return self.model.predict(self._rows(codes))

    @available_if(_has("predict_proba"))
    def predict_proba(self, codes: pd.DataFrame) -> np.ndarray:
        return self.model.predict_proba(self._rows(codes))

    @available_if(_has("decision_function"))
    def decision_function(self, codes: pd.DataFrame) -> np.ndarray:
        return self.model.decision_function(self._rows(codes))


def _columnwise(pre: ColumnTransformer) -> bool:
    for _, trans, _ in pre.transformers_:
        if isinstance(trans, str):
            if trans not in ("drop", "passthrough"):
                return False
            continue
        steps = [s for _, s in trans.steps] if isinstance(trans, Pipeline) else [trans]
        if not all(isinstance(s, _COLUMNWISE) for s in steps):
            return False
    return True


def _pretransformed(model: Any, X: pd.DataFrame) -> tuple[Any, pd.DataFrame] | None:
    """The fast-path wrapper and index frame, or None when the shortcut does not apply."""
    if not (isinstance(model, Pipeline) and len(model.steps) == 2 and is_classifier(model)):
        return None
    pre, final = model.steps[0][1], model.steps[1][1]
    if not isinstance(pre, ColumnTransformer) or not hasattr(pre, "transformers_"):
        return None
    if not _columnwise(pre):
        return None
    try:
        sources = source_features(pre)
    except ValueError:
        return None
    Z = pre.transform(X)
    if sparse.issparse(Z) or Z.shape[1] != len(sources) or not set(sources) <= set(X.columns):
        return None
    source = np.array([X.columns.get_loc(s) for s in sources], dtype=int)
    codes = pd.DataFrame(np.tile(np.arange(len(X))[:, None], (1, X.shape[1])), columns=X.columns)
    return _PretransformedModel(final, np.asarray(Z), source), codes


def permutation_importance_table(
    model: Any,
    X: pd.DataFrame,
    y: Any,
    *,
    scoring: str = "roc_auc",
    n_repeats: int = 5,
    seed: int = 0,
    max_threads: int | None = 1,
) -> pd.DataFrame:
    """Permutation importance as a table sorted by mean drop in ``scoring``.

    Compute it on held-out rows: on training rows it rewards memorization.
    A two-step classifier pipeline with column-wise preprocessing is scored
    on data transformed once (see the module docstring); the result is the
    same as scikit-learn's.

    Returns
    -------
    pandas.DataFrame
        Indexed by feature: ``importance`` (mean drop), ``std``, ``low`` and
        ``high`` (mean -/+ 2 std over repeats).

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"signal": rng.normal(size=300), "noise": rng.normal(size=300)})
    >>> y = (X["signal"] + 0.3 * rng.normal(size=300) > 0).astype(int)
    >>> table = permutation_importance_table(LogisticRegression().fit(X, y), X, y)
    >>> table.index[0]
    'signal'
    """
    if not isinstance(X, pd.DataFrame):
        raise TypeError(f"X must be a pandas DataFrame, got {type(X).__name__}")
    if not isinstance(n_repeats, (int, np.integer)) or n_repeats < 2:
        raise ValueError(f"n_repeats must be an integer >= 2, got {n_repeats!r}")
    y_arr = check_no_na(np.asarray(y), name="y")
    if y_arr.shape != (len(X),):
        raise ValueError(f"y must have one label per row of X ({len(X)}), got shape {y_arr.shape}")
    classes = getattr(model, "classes_", None)
    if classes is not None and not np.isin(y_arr, classes).all():
        raise ValueError(f"y must only contain the model's classes {list(classes)}")
    if len(np.unique(y_arr)) < 2:
        raise ValueError("y must contain at least two classes to score importance, got one")
    with threadpool_limits(limits=max_threads):
        fast = _pretransformed(model, X)
        estimator, data = fast if fast is not None else (model, X)
        result = permutation_importance(
            estimator, data, y, scoring=scoring, n_repeats=n_repeats, random_state=seed
        )
    table = pd.DataFrame(
        {"importance": result.importances_mean, "std": result.importances_std},
        index=X.columns,
    )
    table["low"] = table["importance"] - 2 * table["std"]
    table["high"] = table["importance"] + 2 * table["std"]
    return table.sort_values("importance", ascending=False)
