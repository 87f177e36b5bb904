"""Input checks for feature matrices, 0/1 labels and numeric frame columns.

Private companion of :mod:`casebook._validation.binary`, used by the imbalance,
point-in-time, synthetic-data and plotting modules. Every check raises a
``ValueError`` or ``TypeError`` naming the parameter, what was expected and
what was received.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from casebook._validation.binary import _show, as_1d, as_float_array

__all__: list[str] = []


def check_matrix(X: Any, *, name: str = "X") -> np.ndarray:
    """Return ``X`` as a non-empty, finite 2-D float array, or raise naming ``name``."""
    arr = as_float_array(X, name=name)
    if arr.ndim != 2:
        raise ValueError(f"{name} must be 2-dimensional (rows, features), got shape {arr.shape}")
    if arr.shape[0] == 0:
        raise ValueError(f"{name} must have at least one row, got shape {arr.shape}")
    finite = np.isfinite(arr)
    if not finite.all():
        raise ValueError(
            f"{name} must be finite, got {int((~finite).sum())} NaN or infinite value(s) "
            f"such as {_show(arr[~finite])}"
        )
    return arr


def check_01(y: Any, *, name: str = "y", require_both: bool = False) -> np.ndarray:
    """Return 0/1 labels as an int array; with ``require_both`` both classes must occur."""
    arr = as_1d(y, name=name)
    ok = np.isin(arr, [0, 1]) if arr.dtype.kind in "biufO" else np.zeros(arr.shape, bool)
    if not ok.all():
        bad = np.unique(arr[~ok].astype(str))
        raise ValueError(f"{name} must contain only 0 and 1, got values such as {_show(bad)}")
    out = arr.astype(int)
    if require_both and out.min() == out.max():
        raise ValueError(
            f"{name} must contain both classes 0 and 1, got only {int(out[0])} ({out.size} rows)"
        )
    return out


def check_features_labels(
    X: Any, y: Any, *, x_name: str = "X", y_name: str = "y", require_both: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Return a checked ``(X, y)`` pair: finite 2-D features, 0/1 labels, one label per row."""
    X = check_matrix(X, name=x_name)
    y = check_01(y, name=y_name, require_both=require_both)
    if len(y) != len(X):
        raise ValueError(
            f"{x_name} and {y_name} must have the same number of rows, got {len(X)} and {len(y)}"
        )
    return X, y


def check_number(
    value: Any, *, name: str, low: float | None = None, allow_inf: bool = False
) -> float:
    """Return ``value`` as a float: a real number, not NaN, at least ``low`` if given."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    v = float(value)
    if np.isnan(v) or (np.isinf(v) and not allow_inf):
        raise ValueError(f"{name} must be a finite number, got {v!r}")
    if low is not None and v < low:
        bound = "non-negative" if low == 0 else f"at least {low}"
        raise ValueError(f"{name} must be {bound}, got {v!r}")
    return v


def check_frame(frame: Any, *, name: str, columns: Sequence[str]) -> pd.DataFrame:
    """Return ``frame`` if it is a DataFrame holding every one of ``columns``."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} must have columns {list(columns)}, missing {missing}")
    return frame


def numeric_column(
    frame: pd.DataFrame,
    column: str,
    *,
    name: str,
    non_negative: bool = False,
    allow_nan: bool = False,
) -> np.ndarray:
    """Return ``frame[column]`` as finite floats, naming ``name[column]`` in errors.

    ``allow_nan`` lets missing values (NaN) through but still rejects infinity;
    ``non_negative`` rejects values below zero.
    """
    where = f"{name}[{column!r}]"
    s = frame[column]
    if pd.api.types.is_bool_dtype(s) or not (pd.api.types.is_numeric_dtype(s) or s.dtype == object):
        raise TypeError(f"{where} must be numeric, got dtype {s.dtype}")
    values = as_float_array(s.to_numpy(), name=where)
    finite = np.isfinite(values) | (allow_nan & np.isnan(values))
    if not finite.all():
        raise ValueError(
            f"{where} must be finite, got {int((~finite).sum())} NaN or infinite value(s)"
        )
    if non_negative and (values < 0).any():
        raise ValueError(
            f"{where} must be non-negative, got values such as {_show(values[values < 0])}"
        )
    return values


def min_resamples(confidence: float) -> int:
    """Fewest bootstrap resamples for a percentile interval at ``confidence``.

    Each tail of the interval holds ``(1 - confidence) / 2`` of the resamples;
    with fewer than one resample per tail the bounds are just the extremes
    (``n_resamples=1`` gives a zero-width "interval"). So at least
    ``ceil(2 / (1 - confidence))`` resamples: 40 for 95%, 200 for 99%.
    """
    return math.ceil(round(2 / (1 - confidence), 9))


def check_n_resamples(n_resamples: Any, *, confidence: float | None = None) -> int:
    """Return ``n_resamples`` as an int >= 1, and >= :func:`min_resamples` for ``confidence``."""
    if isinstance(n_resamples, (bool, np.bool_)) or not isinstance(n_resamples, (int, np.integer)):
        raise TypeError(
            f"n_resamples must be an int, got {type(n_resamples).__name__} {n_resamples!r}"
        )
    n = int(n_resamples)
    if n < 1:
        raise ValueError(f"n_resamples must be >= 1, got {n}")
    if confidence is not None and n < (need := min_resamples(confidence)):
        raise ValueError(
            f"n_resamples must be at least {need} for a {confidence:.4g} interval (one resample "
            f"beyond each bound), got {n}"
        )
    return n


def plain_frame(frame: Any) -> Any:
    """``frame`` with nullable and Arrow-backed columns turned into NumPy columns.

    ``pd.NA`` then behaves exactly like NaN does in a frame built from NumPy
    data: numbers (and booleans with a missing value) become float columns
    with NaN, strings become object columns with NaN; categorical columns and
    anything that is not a DataFrame are returned unchanged, so the caller's
    own checks still apply.
    """
    if isinstance(frame, pd.Series):
        return _plain_series(frame)
    if not isinstance(frame, pd.DataFrame):
        return frame
    out = None
    for col in frame.columns:
        column = frame[col]
        plain = _plain_series(column)
        if plain is not column:
            if out is None:
                out = frame.copy()
            out[col] = plain
    return frame if out is None else out


def _plain_series(s: pd.Series) -> pd.Series:
    dtype = s.dtype
    if isinstance(dtype, (np.dtype, pd.CategoricalDtype, pd.DatetimeTZDtype)):
        return s
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return s
    if pd.api.types.is_bool_dtype(dtype):
        values = s.to_numpy(dtype=float, na_value=np.nan) if s.isna().any() else s.to_numpy(bool)
    elif pd.api.types.is_integer_dtype(dtype) and not s.isna().any():
        values = s.to_numpy(dtype=np.int64)
    elif pd.api.types.is_numeric_dtype(dtype):
        values = s.to_numpy(dtype=float, na_value=np.nan)
    else:
        values = s.to_numpy(dtype=object, na_value=np.nan)
    return pd.Series(values, index=s.index, name=s.name)


def check_columns_present(frame: pd.DataFrame, columns: Sequence[Any] | None, *, name: str) -> None:
    """Raise naming ``name[column]`` if any of ``columns`` has a missing value.

    ``columns=None`` checks every non-numeric column (labels, groups, names):
    a missing label cannot be placed on a plot or matched to anything, while
    missing numbers keep each function's own documented rule.
    """
    if columns is None:
        columns = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c].dtype)]
    for col in columns:
        n = int(frame[col].isna().sum())
        if n:
            raise ValueError(f"{name}[{col!r}] must not contain missing values, got {n}")
