"""Input checks of :mod:`casebook.modeling.feature_paths` (private).

Every check raises a ``ValueError`` or ``TypeError`` naming the parameter, what was
expected and what was received.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__: list[str] = []  # private: used by casebook.modeling.feature_paths


def _check_frame(df: object, name: str, columns: Sequence[str]) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{name} must have columns {list(columns)}, missing {missing}")
    return df


def _utc_ns(s: pd.Series, name: str) -> tuple[np.ndarray, bool]:
    """Int64 UTC nanoseconds of a datetime column, and whether it was timezone-aware."""
    if not (pd.api.types.is_datetime64_any_dtype(s.dtype)):
        raise TypeError(f"{name} must hold datetimes, got dtype {s.dtype}")
    if s.isna().any():
        raise ValueError(f"{name} must not contain missing times, got {int(s.isna().sum())}")
    aware = isinstance(s.dtype, pd.DatetimeTZDtype)
    values = s.dt.tz_convert("UTC").dt.tz_localize(None) if aware else s
    return values.astype("datetime64[ns]").to_numpy().view("int64"), aware


def _times(requests, events, time_col, event_time_col):
    t_req, a_req = _utc_ns(requests[time_col], f"requests[{time_col!r}]")
    t_ev, a_ev = _utc_ns(events[event_time_col], f"events[{event_time_col!r}]")
    if len(requests) and len(events) and a_req != a_ev:
        raise ValueError(
            f"requests[{time_col!r}] and events[{event_time_col!r}] must both be timezone-aware "
            f"or both naive, got aware={a_req} and aware={a_ev}: localize the naive one"
        )
    return t_req, t_ev


def _amounts(events: pd.DataFrame, amount_col: str) -> np.ndarray:
    s = events[amount_col]
    if not pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
        raise TypeError(f"events[{amount_col!r}] must be numeric, got dtype {s.dtype}")
    a = s.to_numpy(dtype=float)
    if not np.isfinite(a).all():
        raise ValueError(f"events[{amount_col!r}] must be finite, got NaN or infinite values")
    return a


def _codes(requests, events, customer_col):
    both = pd.concat([requests[customer_col], events[customer_col]], ignore_index=True)
    if both.isna().any():
        raise ValueError(f"{customer_col} must not contain missing values")
    codes = pd.factorize(both)[0]
    return codes[: len(requests)], codes[len(requests) :]
