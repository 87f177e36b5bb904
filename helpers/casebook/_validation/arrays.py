"""Input checks for feature matrices, 0/1 labels and numeric frame columns.

Private companion of :mod:`casebook._validation.binary`, used by the imbalance,
point-in-time, synthetic-data and plotting modules. Every check raises a
``ValueError`` or ``TypeError`` naming the parameter, what was expected and
what was received.
"""

from __future__ import annotations

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
