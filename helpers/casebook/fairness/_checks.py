"""Small shared input validators for the fairness package (private).

Each raises ``ValueError`` or ``TypeError`` naming the parameter, what was
expected and what was received.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd


def finite_scalar(value: Any, *, name: str, nonnegative: bool = False) -> float:
    """Return ``value`` as a float; reject non-numbers, NaN, inf and (optionally) negatives.

    Examples
    --------
    >>> finite_scalar(0.1, name="tolerance")
    0.1
    """
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a number, got {value!r}")
    out = float(value)
    if not math.isfinite(out):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if nonnegative and out < 0:
        raise ValueError(f"{name} must be >= 0, got {value!r}")
    return out


def finite_array(values: Any, *, name: str) -> np.ndarray:
    """Return ``values`` as a 1-d float array; reject strings, NaN and inf.

    Examples
    --------
    >>> finite_array([0.1, 0.2], name="disparity").tolist()
    [0.1, 0.2]
    """
    arr = np.asarray(values)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be numeric, got dtype {arr.dtype}")
    arr = arr.astype(np.float64).ravel()
    bad = ~np.isfinite(arr)
    if bad.any():
        raise ValueError(
            f"{name} must be finite, got {int(bad.sum())} NaN/inf value(s) "
            f"(first at position {int(np.flatnonzero(bad)[0])})"
        )
    return arr


def check_counts(counts: Any, *, name: str = "counts") -> np.ndarray:
    """Validate confusion counts shaped ``(..., 4)``: numeric, finite, non-negative.

    Examples
    --------
    >>> check_counts([[1, 0, 2, 3]]).shape
    (1, 4)
    """
    arr = np.asarray(counts)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold numeric counts, got dtype {arr.dtype}")
    if arr.ndim < 1 or arr.shape[-1] != 4:
        raise ValueError(
            f"{name} must have shape (..., 4) as (tn, fp, fn, tp), got shape {arr.shape}"
        )
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        raise ValueError(f"{name} must be finite, got NaN or inf")
    if arr.size and arr.min() < 0:
        raise ValueError(f"{name} must be non-negative, got minimum {arr.min()}")
    return arr


def check_frame(
    frame: Any,
    *,
    name: str,
    columns: Sequence[str] = (),
    nonempty: bool = True,
    numeric: Sequence[str] = (),
) -> pd.DataFrame:
    """Check that ``frame`` is a DataFrame with ``columns``, rows, and finite ``numeric`` columns.

    Examples
    --------
    >>> check_frame(pd.DataFrame({"a": [1.0]}), name="table", columns=["a"]).shape
    (1, 1)
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} is missing column(s) {missing}; it has {list(frame.columns)}")
    if nonempty and len(frame) == 0:
        raise ValueError(f"{name} must have at least one row, got an empty frame")
    for col in numeric:
        finite_array(frame[col].to_numpy(), name=f"{name}[{col!r}]")
    return frame
