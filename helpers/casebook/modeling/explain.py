"""Per-prediction explanations and global importance, with their cost.

Two kinds of per-prediction explanation, both *additive*: the contributions
of a row's features plus a base value add up exactly to the model's output
(log-odds) for that row.

* :func:`linear_contributions` - exact and almost free for a linear model:
  ``coef * (z - z_baseline)`` in the transformed space (scaled numbers,
  one-hot columns), summed back onto the original features.
* :func:`baseline_shapley` - model-agnostic (used here for gradient
  boosting): the exact Shapley values of the game "replace the baseline's
  value of each feature by the row's value". It needs ``2**d`` model
  evaluations per row (one batched call), so it is cheap for a handful of
  features and impossible for hundreds. For a linear model it coincides
  with :func:`linear_contributions` using the same baseline row.

:func:`explanation_text` turns one row of contributions into a sentence for a
user. Global permutation importance lives in :mod:`casebook.modeling.importance`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

from casebook._validation.arrays import plain_frame

__all__ = [
    "Contributions",
    "baseline_shapley",
    "explanation_text",
    "linear_contributions",
    "source_features",
]


@dataclass(frozen=True)
class Contributions:
    """Additive per-row explanations.

    Attributes
    ----------
    values : pandas.DataFrame
        One row per explained row, one column per original feature, in the
        model's output units (log-odds).
    base_value : float
        Model output at the baseline.
    prediction : numpy.ndarray
        Model output for each row; equals ``base_value + values.sum(axis=1)``.
    seconds : float
        Wall time spent computing the explanations (all rows).
    """

    values: pd.DataFrame
    base_value: float
    prediction: np.ndarray
    seconds: float

    def additivity_error(self) -> float:
        """Largest ``|base + sum(contributions) - prediction|`` over rows."""
        total = self.base_value + self.values.to_numpy().sum(axis=1)
        return float(np.max(np.abs(total - self.prediction)))


def source_features(preprocessor: ColumnTransformer) -> list[str]:
    """Original column behind each output column of a fitted ColumnTransformer.

    Supports transformers that map each input column to one output column
    (imputers, scalers, ordinal encoders), one-hot encoders (several outputs
    per input) as the last step of a pipeline, and ``"passthrough"``.

    Examples
    --------
    >>> from casebook.modeling.pipelines import make_preprocessor
    >>> frame = pd.DataFrame({"x": [1.0, 2.0], "c": ["a", "b"]})
    >>> source_features(make_preprocessor().fit(frame))
    ['x', 'c', 'c']
    """
    if not isinstance(preprocessor, ColumnTransformer) or not hasattr(
        preprocessor, "transformers_"
    ):
        raise TypeError(
            f"preprocessor must be a fitted ColumnTransformer, got {type(preprocessor).__name__}"
        )
    out: list[str] = []
    for name, trans, cols in preprocessor.transformers_:
        cols = [cols] if isinstance(cols, str) else list(cols)
        if trans == "drop" or not cols:
            continue
        if trans == "passthrough":
            out.extend(cols)
            continue
        last = trans.steps[-1][1] if isinstance(trans, Pipeline) else trans
        if isinstance(last, OneHotEncoder):
            if last.min_frequency is not None or last.max_categories is not None:
                raise ValueError(f"transformer {name!r}: infrequent categories are not supported")
            drop = last.drop_idx_
            for i, (col, cats) in enumerate(zip(cols, last.categories_, strict=True)):
                n = len(cats) - (0 if drop is None or drop[i] is None else 1)
                out.extend([col] * n)
            continue
        n_out = len(trans.get_feature_names_out(cols))
        if n_out != len(cols):
            raise ValueError(
                f"transformer {name!r} maps {len(cols)} columns to {n_out}; only one-to-one "
                "transformers and one-hot encoders can be mapped back to original features"
            )
        out.extend(cols)
    return out


def linear_contributions(
    pipeline: Pipeline, X: pd.DataFrame, *, baseline: pd.DataFrame
) -> Contributions:
    """Exact per-feature contributions of a fitted linear pipeline.

    For a model ``f(x) = b + w . z(x)`` with ``z`` the preprocessing, the
    contribution of original feature *j* is the sum of ``w_k (z_k(x) -
    z_k(baseline))`` over the transformed columns *k* built from *j*.

    Parameters
    ----------
    pipeline : Pipeline
        Fitted; a linear binary classifier (``coef_``, ``intercept_``) last.
        The preprocessing before it is either a ColumnTransformer (mapped
        back with :func:`source_features`) or steps that act column by
        column (e.g. a StandardScaler on numeric columns), possibly fitted
        on a plain array.
    X : pandas.DataFrame
        Rows to explain.
    baseline : pandas.DataFrame
        Reference rows; their *mean transformed vector* is the baseline.
        Pass the training rows and the contributions average zero over the
        training population ("compared with the average customer"); pass
        one row to compare with that row.

    Returns
    -------
    Contributions
        In log-odds; ``prediction`` is ``decision_function(X)``.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from casebook.modeling.pipelines import make_model_pipeline
    >>> X = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0], "c": ["a", "b", "a", "b"]})
    >>> pipe = make_model_pipeline(LogisticRegression()).fit(X, [0, 0, 1, 1])
    >>> expl = linear_contributions(pipe, X, baseline=X)
    >>> list(expl.values.columns), expl.additivity_error() < 1e-12
    (['x', 'c'], True)
    """
    X = plain_frame(X)  # nullable / Arrow columns: pd.NA behaves like NaN
    baseline = plain_frame(baseline)  # nullable / Arrow columns: pd.NA behaves like NaN
    if not isinstance(pipeline, Pipeline) or len(pipeline.steps) < 2:
        raise TypeError(
            f"pipeline must be a fitted Pipeline (preprocessing + model), got {type(pipeline).__name__}"
        )
    model = pipeline.steps[-1][1]
    coef = getattr(model, "coef_", None)
    if coef is None or np.ndim(coef) != 2 or coef.shape[0] != 1:
        raise ValueError("pipeline must end in a fitted binary linear classifier with coef_")
    if not isinstance(X, pd.DataFrame):
        raise TypeError(f"X must be a pandas DataFrame, got {type(X).__name__}")
    if len(X) == 0:
        raise ValueError("X must have at least one row to explain, got none")
    start = time.perf_counter()
    pre = pipeline[:-1]
    first = pre.steps[0][1]
    sources = source_features(first) if isinstance(first, ColumnTransformer) else list(X.columns)
    w = coef[0]
    if len(sources) != len(w):
        raise ValueError(
            f"preprocessing produced {len(sources)} columns but the model has {len(w)} coefficients"
        )
    named = hasattr(pre, "feature_names_in_")
    Z = np.asarray(pre.transform(X if named else X.to_numpy()), dtype=float)
    if not isinstance(baseline, pd.DataFrame) or len(baseline) == 0:
        raise ValueError(
            f"baseline must be a non-empty DataFrame of reference rows, got {baseline!r}"
        )
    z0 = np.asarray(pre.transform(baseline if named else baseline.to_numpy()), dtype=float)
    z0 = z0.mean(axis=0)
    per_column = (Z - z0) * w
    names = list(dict.fromkeys(sources))
    index = np.array([names.index(s) for s in sources])
    values = np.zeros((len(X), len(names)))
    np.add.at(values.T, index, per_column.T)
    base = float(model.intercept_[0] + z0 @ w)
    seconds = time.perf_counter() - start
    prediction = Z @ w + model.intercept_[0]
    return Contributions(
        values=pd.DataFrame(values, columns=names, index=X.index),
        base_value=base,
        prediction=prediction,
        seconds=seconds,
    )


def baseline_shapley(
    predict: Callable[[Any], Any],
    X: pd.DataFrame,
    baseline: pd.DataFrame,
    *,
    max_features: int = 12,
) -> Contributions:
    """Exact Shapley values of ``predict`` against baseline rows.

    The value of a coalition S of features is the model output on the row
    with the features in S taken from ``x`` and the others from the
    baseline (averaged over baseline rows when there are several). With
    ``d`` features that is ``2**d`` rows per baseline row, scored in one
    call; the Shapley formula then splits ``predict(x) - predict(baseline)``
    exactly among the features.

    Parameters
    ----------
    predict : callable
        Maps a DataFrame to one number per row, e.g. a fitted model's
        ``decision_function`` (log-odds, so contributions add up).
    X : pandas.DataFrame
        Rows to explain (each costs one batched call).
    baseline : pandas.DataFrame
        One reference row (e.g. a typical request) or a small background
        sample; same columns as ``X``.
    max_features : int, default=12
        Refuse more features than this (cost is exponential in ``d``).

    Returns
    -------
    Contributions

    Examples
    --------
    >>> f = lambda df: (2 * df["a"] + df["a"] * df["b"]).to_numpy(dtype=float)
    >>> X = pd.DataFrame({"a": [1.0], "b": [1.0]})
    >>> expl = baseline_shapley(f, X, pd.DataFrame({"a": [0.0], "b": [0.0]}))
    >>> expl.values.round(3).to_dict("records"), expl.prediction.tolist()
    ([{'a': 2.5, 'b': 0.5}], [3.0])
    """
    if not callable(predict):
        raise TypeError(f"predict must be callable, got {type(predict).__name__}")
    for name, frame in (("X", X), ("baseline", baseline)):
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    if list(baseline.columns) != list(X.columns) or len(baseline) == 0:
        raise ValueError(
            f"baseline must be non-empty with the columns of X {list(X.columns)}, "
            f"got {len(baseline)} rows with {list(baseline.columns)}"
        )
    d = X.shape[1]
    if d > max_features:
        raise ValueError(
            f"X must have at most max_features={max_features} columns (cost is 2**d rows), got {d}"
        )
    start = time.perf_counter()
    masks = np.arange(2**d)
    M = ((masks[:, None] >> np.arange(d)) & 1).astype(bool)
    size = M.sum(axis=1)
    weights = np.array(
        [math.factorial(s) * math.factorial(d - s - 1) / math.factorial(d) for s in range(d)]
    )
    m = len(baseline)
    M_rep = np.repeat(M, m, axis=0)
    b_rep = baseline.iloc[np.tile(np.arange(m), 2**d)].reset_index(drop=True)
    values = np.zeros((len(X), d))
    preds = np.zeros(len(X))
    v_base = None  # the empty coalition: read off the first batch, no extra call
    numeric = all(pd.api.types.is_numeric_dtype(t) for t in X.dtypes)
    b_arr = b_rep.to_numpy(dtype=float) if numeric else None
    for r in range(len(X)):
        if numeric:  # fast path: one array, one DataFrame
            arr = np.where(M_rep, X.iloc[r].to_numpy(dtype=float), b_arr)
            rows = pd.DataFrame(arr, columns=X.columns)
        else:
            rows = b_rep.copy()
            x = X.iloc[r]
            for j, col in enumerate(X.columns):
                rows.loc[M_rep[:, j], col] = x[col]
        v = np.asarray(predict(rows), dtype=float).reshape(2**d, m).mean(axis=1)
        for j in range(d):
            with_j = masks[M[:, j]]
            values[r, j] = np.sum(weights[size[with_j] - 1] * (v[with_j] - v[with_j ^ (1 << j)]))
        preds[r] = v[-1]
        v_base = float(v[0]) if v_base is None else v_base
    if v_base is None:  # nothing to explain: score the baseline alone
        v_base = float(np.mean(np.asarray(predict(baseline), dtype=float)))
    return Contributions(
        values=pd.DataFrame(values, columns=list(X.columns), index=X.index),
        base_value=v_base,
        prediction=preds,
        seconds=time.perf_counter() - start,
    )


def explanation_text(
    contributions: pd.Series, row: pd.Series, *, top: int = 3, unit: str = "log-odds"
) -> str:
    """A one-line, user-facing reading of one row's contributions.

    Examples
    --------
    >>> c = pd.Series({"position": -0.8, "relevance": 1.2, "hour": 0.05})
    >>> r = pd.Series({"position": 7, "relevance": 0.93, "hour": 14})
    >>> explanation_text(c, r, top=2)
    'relevance = 0.93 raises the score (+1.20 log-odds); position = 7 lowers it (-0.80 log-odds)'
    """
    contributions = plain_frame(contributions)  # nullable / Arrow columns: pd.NA behaves like NaN
    row = plain_frame(row)  # nullable / Arrow columns: pd.NA behaves like NaN
    if not isinstance(contributions, pd.Series) or not isinstance(row, pd.Series):
        raise TypeError("contributions and row must be pandas Series indexed by feature")
    if not isinstance(top, (int, np.integer)) or top < 1:
        raise ValueError(f"top must be a positive integer, got {top!r}")
    if contributions.empty or not pd.api.types.is_numeric_dtype(contributions):
        raise ValueError(
            f"contributions must be a non-empty numeric Series, got dtype {contributions.dtype}"
        )
    if not np.isfinite(contributions.to_numpy(dtype=float)).all():
        raise ValueError("contributions must be finite, got NaN or inf")
    missing = [f for f in contributions.index if f not in row.index]
    if missing:
        raise ValueError(f"row must have a value for every feature; missing {missing}")
    order = contributions.abs().sort_values(ascending=False).index[:top]
    parts = []
    for i, feat in enumerate(order):
        c = float(contributions[feat])
        value = row[feat]
        shown = f"{value:.3g}" if isinstance(value, (float, np.floating)) else f"{value}"
        verb = "raises the score" if c >= 0 else ("lowers it" if i else "lowers the score")
        parts.append(f"{feat} = {shown} {verb} ({c:+.2f} {unit})")
    return "; ".join(parts)
