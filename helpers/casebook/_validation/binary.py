"""Input checks shared by the binary decision modules (costs, calibration, screening).

Private: every public function validates through these helpers so that bad
input always produces the same kind of message, a ``ValueError`` naming the
parameter, what was expected and what was received.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__: list[str] = []


def _show(values: Any, limit: int = 5) -> str:
    """Short, readable rendering of offending values for an error message."""
    values = list(np.asarray(values).ravel()[:limit].tolist())
    return repr(values)


def as_float_array(x: Any, *, name: str) -> np.ndarray:
    """Return ``x`` as a float array, or raise a ``TypeError`` naming ``name`` if not numeric.

    Missing values of nullable or Arrow-backed input (``pd.NA``) become NaN,
    exactly like ``None``, so the caller's NaN rule applies to them.
    """
    if isinstance(x, (bool, np.bool_)):
        raise TypeError(f"{name} must be numeric, got a bool {x!r}")
    arr = np.asarray(x)
    if arr.dtype.kind == "O":  # e.g. a list mixing ints and floats, or strings
        flat = [np.nan if v is pd.NA else v for v in arr.ravel()]
        try:
            return np.asarray(flat, dtype=np.float64).reshape(arr.shape)
        except (TypeError, ValueError):
            pass
    elif arr.dtype.kind in "biuf":
        return arr.astype(np.float64, copy=False)
    raise TypeError(f"{name} must be numeric, got {arr.dtype} values such as {_show(arr)}")


def check_no_na(arr: np.ndarray, *, name: str) -> np.ndarray:
    """Raise naming ``name`` if an object array holds ``pd.NA`` or ``None``.

    Nullable and Arrow-backed pandas arrays become object arrays holding
    ``pd.NA`` where values are missing; comparing those raises pandas'
    "boolean value of NA is ambiguous" deep inside a computation. Float NaN is
    left to the caller's own check (it may be documented as dropped).
    """
    if arr.dtype.kind == "O" and arr.size:
        missing = np.fromiter((v is None or v is pd.NA for v in arr.ravel()), bool, arr.size)
        if missing.any():
            where = np.flatnonzero(missing)
            raise ValueError(
                f"{name} must not contain missing values (pd.NA or None), got {where.size} "
                f"at position(s) {where[:5].tolist()}"
            )
    return arr


def check_no_missing(arr: np.ndarray, *, name: str) -> np.ndarray:
    """Raise naming ``name`` if ``arr`` holds any missing value (NaN, None, ``pd.NA``, NaT)."""
    missing = np.asarray(pd.isna(arr), dtype=bool)
    if missing.any():
        where = np.flatnonzero(missing.ravel())
        raise ValueError(
            f"{name} must not contain missing values, got {where.size} at position(s) "
            f"{where[:5].tolist()}"
        )
    return arr


def as_1d(x: Any, *, name: str) -> np.ndarray:
    """Return ``x`` as a 1-D array without ``pd.NA``/``None``, or raise naming ``name``."""
    arr = check_no_na(np.asarray(x), name=name)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-dimensional, got an array of shape {arr.shape}")
    if arr.shape[0] == 0:
        raise ValueError(f"{name} must not be empty, got 0 elements")
    return arr


def check_same_length(**arrays: np.ndarray) -> int:
    """Raise if the named arrays differ in length; return the common length."""
    lengths = {name: len(a) for name, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        detail = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise ValueError(f"inputs must have the same length, got {detail}")
    return next(iter(lengths.values()))


def check_scores(y_score: Any, *, name: str = "y_score", probability: bool = False) -> np.ndarray:
    """Return finite float scores; with ``probability=True`` also within [0, 1]."""
    arr = as_1d(y_score, name=name)
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be numeric, got dtype {arr.dtype}")
    arr = arr.astype(np.float64, copy=False)
    finite = np.isfinite(arr)
    if not finite.all():
        bad = arr[~finite]
        raise ValueError(
            f"{name} must be finite, got {int(bad.size)} non-finite value(s) such as {_show(bad)}"
        )
    if probability:
        lo, hi = float(arr.min()), float(arr.max())
        if lo < 0.0 or hi > 1.0:
            raise ValueError(
                f"{name} must be probabilities in [0, 1], got min={lo:.6g}, max={hi:.6g}"
            )
    return arr


def check_binary_labels(labels: Sequence[Any]) -> tuple[Any, Any]:
    """Return ``(negative, positive)`` from a two-element ``labels``."""
    try:
        labels = tuple(labels)
    except TypeError:
        raise ValueError(f"labels must be a pair (negative, positive), got {labels!r}") from None
    if len(labels) != 2:
        raise ValueError(f"labels must be a pair (negative, positive), got {labels!r}")
    if labels[0] == labels[1]:
        raise ValueError(f"labels must be two different values, got {labels!r}")
    return labels


def encode_binary(
    y: Any,
    *,
    labels: Sequence[Any] = (0, 1),
    name: str = "y_true",
    require_both: bool = False,
) -> np.ndarray:
    """Return ``y`` as a boolean array (True = ``labels[1]``).

    Raises if a value is not one of ``labels`` or, with ``require_both``, if
    only one class is present.
    """
    neg, pos = check_binary_labels(labels)
    arr = as_1d(y, name=name)
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        bad = arr[~np.isfinite(arr)]
        raise ValueError(f"{name} must not contain NaN or infinity, got {_show(bad)}")
    is_pos = arr == pos
    is_neg = arr == neg
    if not isinstance(is_pos, np.ndarray):  # comparison of incompatible types
        is_pos = np.zeros(arr.shape, dtype=bool)
        is_neg = np.zeros(arr.shape, dtype=bool)
    unknown = ~(is_pos | is_neg)
    if unknown.any():
        bad = np.unique(arr[unknown].astype(str))
        raise ValueError(
            f"{name} contains values not in labels={(neg, pos)!r}: {_show(bad)}; "
            f"pass labels=(negative, positive) matching your data"
        )
    if require_both:
        n_pos = int(is_pos.sum())
        if n_pos == 0 or n_pos == arr.size:
            only = pos if n_pos else neg
            raise ValueError(
                f"{name} must contain both classes {(neg, pos)!r}, got only {only!r} "
                f"({arr.size} samples); a threshold cannot be chosen from one class"
            )
    return is_pos


def check_cost(value: Any, *, name: str, n: int) -> np.ndarray | float:
    """Return a non-negative finite scalar, or a 1-D array of length ``n``."""
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a non-negative number or array, got {value!r}")
    arr = np.asarray(value)
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be numeric, got {value!r}")
    if arr.ndim == 0:
        v = float(arr)
        if not np.isfinite(v) or v < 0:
            raise ValueError(f"{name} must be finite and non-negative, got {v!r}")
        return v
    if arr.ndim != 1 or arr.shape[0] != n:
        raise ValueError(
            f"{name} must be a scalar or a 1-D array with one cost per example "
            f"(length {n}), got shape {arr.shape}"
        )
    arr = arr.astype(np.float64, copy=False)
    bad = ~np.isfinite(arr) | (arr < 0)
    if bad.any():
        raise ValueError(
            f"{name} must be finite and non-negative, got {int(bad.sum())} bad value(s) "
            f"such as {_show(arr[bad])}"
        )
    return arr
