"""One feature definition, two paths: the batch (training) path and the per-request (serving) path.

Training-serving skew is a feature computed one way for training and another for serving;
a feature store prevents it with one definition read by both paths. This module has

* :class:`WindowFeature`, the definition: which events (a category or all), which
  trailing window, which aggregate;
* :func:`batch_features`, the offline path: every request at once, vectorized;
* :func:`online_features`, the serving path: one request at a time, from the event
  log as of the request time, through :func:`window_value`; its ``skew`` option
  reproduces three classic serving bugs;
* :func:`compare_feature_tables`, the check a team puts in CI: the two paths on the
  same requests must agree, column by column.

Shared conventions (both paths, ``skew="none"``):

* a window of ``days`` covers ``[T - days, T)``: an event exactly at the request time
  ``T`` is excluded, one exactly at ``T - days`` is included;
* times are compared as UTC instants: timezone-aware columns are converted to UTC,
  naive ones are read as UTC; mixing aware and naive columns is an error;
* ``count`` and ``sum`` of an empty window are 0; ``days_since_last`` of an empty
  window is NaN (no event is not the same as an event just now).

The skewed serving variants:

* ``"inclusive_cutoff"``: the window is ``(T - days, T]`` (``<=`` at the request);
* ``"utc_vs_local"``: the request time is a local wall-clock reading used as if it
  were UTC, i.e. shifted by ``utc_offset_hours``;
* ``"missing_as_zero"``: an empty window's NaN is served as 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Literal

import numpy as np
import pandas as pd

from casebook.modeling._feature_path_checks import _amounts, _check_frame, _codes, _times

__all__ = [
    "WindowFeature",
    "batch_features",
    "compare_feature_tables",
    "online_features",
    "window_value",
]

_DAY_NS = 86_400 * 10**9
_AGGS = ("count", "sum", "days_since_last")
_SKEWS = ("none", "inclusive_cutoff", "utc_vs_local", "missing_as_zero")
Skew = Literal["none", "inclusive_cutoff", "utc_vs_local", "missing_as_zero"]


@dataclass(frozen=True)
class WindowFeature:
    """One feature: an aggregate of a customer's events in a trailing window.

    Parameters
    ----------
    name : str
        Column name of the feature.
    days : int
        Window length in whole days, positive.
    agg : {"count", "sum", "days_since_last"}, default="count"
        Aggregate of the window's events (``sum`` adds their amounts).
    category : str or None, default=None
        Only events of this category; None = every event.

    Examples
    --------
    >>> WindowFeature("count_gambling_365d", days=365, category="gambling")
    WindowFeature(name='count_gambling_365d', days=365, agg='count', category='gambling')
    """

    name: str
    days: int
    agg: Literal["count", "sum", "days_since_last"] = "count"
    category: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise TypeError(f"name must be a non-empty str, got {self.name!r}")
        if isinstance(self.days, bool) or not isinstance(self.days, Integral):
            raise TypeError(f"days must be a whole number of days, got {self.days!r}")
        if self.days <= 0:
            raise ValueError(f"days must be positive, got {self.days}")
        if self.agg not in _AGGS:
            raise ValueError(f"agg must be one of {_AGGS}, got {self.agg!r}")
        if self.category is not None and not isinstance(self.category, str):
            raise TypeError(f"category must be a str or None, got {self.category!r}")


def _check_features(features: Sequence[WindowFeature]) -> list[WindowFeature]:
    if isinstance(features, WindowFeature) or not isinstance(features, Sequence):
        raise TypeError(
            f"features must be a sequence of WindowFeature, got {type(features).__name__}"
        )
    out = list(features)
    if not out:
        raise ValueError("features must hold at least one WindowFeature, got none")
    bad = [f for f in out if not isinstance(f, WindowFeature)]
    if bad:
        raise TypeError(f"features must hold only WindowFeature, got {type(bad[0]).__name__}")
    names = [f.name for f in out]
    if len(set(names)) != len(names):
        raise ValueError(f"features must have distinct names, got {names}")
    return out


def _prepare(requests, events, features, customer_col, time_col, event_time_col, amount_col,
             category_col):  # fmt: skip
    """Checked definitions, UTC times, amounts and customer codes of both tables."""
    feats = _check_features(features)
    _check_frame(requests, "requests", [customer_col, time_col])
    _check_frame(events, "events", [customer_col, event_time_col, amount_col, category_col])
    t_req, t_ev = _times(requests, events, time_col, event_time_col)
    amounts = _amounts(events, amount_col)
    return feats, t_req, t_ev, amounts, *_codes(requests, events, customer_col)


def window_value(
    times: np.ndarray, amounts: np.ndarray, *, as_of: int, feature: WindowFeature,
    inclusive: bool = False,
) -> float:  # fmt: skip
    """One feature of one request: the definition applied to one customer's events.

    Parameters
    ----------
    times : numpy.ndarray of int64
        The customer's event times (UTC nanoseconds), sorted, already filtered to the
        feature's category.
    amounts : numpy.ndarray of float
        The events' amounts, aligned with ``times``.
    as_of : int
        Request time in UTC nanoseconds.
    feature : WindowFeature
        The definition.
    inclusive : bool, default=False
        Window ``(T - days, T]`` instead of ``[T - days, T)`` (the boundary bug).

    Returns
    -------
    float

    Examples
    --------
    >>> day = 86_400 * 10**9
    >>> t = np.array([0, 5, 10]) * day
    >>> window_value(t, np.ones(3), as_of=10 * day, feature=WindowFeature("n", days=5))
    1.0
    >>> window_value(t, np.ones(3), as_of=10 * day, feature=WindowFeature("n", days=5), inclusive=True)
    1.0
    """
    if not isinstance(feature, WindowFeature):
        raise TypeError(f"feature must be a WindowFeature, got {type(feature).__name__}")
    t = np.asarray(times)
    if t.ndim != 1 or t.dtype.kind not in "iu":
        raise TypeError(
            f"times must be a 1-D array of integer nanoseconds, got {t.dtype} {t.shape}"
        )
    a = np.asarray(amounts)
    if a.shape != t.shape or a.dtype.kind not in "iuf":
        raise ValueError(f"amounts must be numbers aligned with times, got {a.dtype} {a.shape}")
    if not np.isfinite(a).all():
        raise ValueError("amounts must be finite, got NaN or infinite values")
    if (np.diff(t) < 0).any():
        raise ValueError("times must be sorted in increasing order")
    if isinstance(as_of, bool) or not isinstance(as_of, Integral):
        raise TypeError(f"as_of must be an integer number of nanoseconds, got {as_of!r}")
    return _window_value(t.astype(np.int64), a.astype(float), int(as_of), feature, inclusive)


def _window_value(
    times: np.ndarray, amounts: np.ndarray, as_of: int, feature: WindowFeature, inclusive: bool
) -> float:
    """:func:`window_value` without the checks: the core both paths' definitions share."""
    side = "right" if inclusive else "left"
    lo = int(np.searchsorted(times, as_of - feature.days * _DAY_NS, side=side))
    hi = int(np.searchsorted(times, as_of, side=side))
    if feature.agg == "count":
        return float(hi - lo)
    if feature.agg == "sum":
        return float(np.add.reduceat(amounts[lo:hi], [0])[0]) if hi > lo else 0.0
    return (as_of - int(times[hi - 1])) / _DAY_NS if hi > lo else math.nan


def _grouped(customers: np.ndarray, times: np.ndarray, amounts: np.ndarray):
    """Events sorted by (customer, time), stably; per customer a (start, stop) slice."""
    order = np.lexsort((times, customers))
    c, t, a = customers[order], times[order], amounts[order]
    keys, starts = np.unique(c, return_index=True)
    stops = np.append(starts[1:], len(c))[: len(starts)]  # no events: no slices
    slices = zip(starts.tolist(), stops.tolist(), strict=True)
    return t, a, dict(zip(keys.tolist(), slices, strict=True))


def _category_mask(events, category_col, category):
    if category is None:
        return np.ones(len(events), bool)
    return (events[category_col] == category).fillna(False).to_numpy(dtype=bool)


def online_features(
    requests: pd.DataFrame,
    events: pd.DataFrame,
    *,
    features: Sequence[WindowFeature],
    skew: Skew = "none",
    utc_offset_hours: float = -5.0,
    customer_col: str = "customer_id",
    time_col: str = "application_date",
    event_time_col: str = "timestamp",
    amount_col: str = "amount",
    category_col: str = "category",
) -> pd.DataFrame:
    """The serving path: each request on its own, from the event log as of its time.

    Parameters
    ----------
    requests : pandas.DataFrame
        One row per request, with ``customer_col`` and ``time_col``.
    events : pandas.DataFrame
        The event log, any order, with ``customer_col``, ``event_time_col``,
        ``amount_col`` and ``category_col``.
    features : sequence of WindowFeature
        The definitions, shared with :func:`batch_features`.
    skew : {"none", "inclusive_cutoff", "utc_vs_local", "missing_as_zero"}
        ``"none"`` follows the shared conventions; the others are the serving bugs of
        the module notes.
    utc_offset_hours : float, default=-5.0
        Offset of the serving clock from UTC, used by ``skew="utc_vs_local"``.
    customer_col, time_col, event_time_col, amount_col, category_col : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        One column per feature, indexed like ``requests``.

    Examples
    --------
    >>> req = pd.DataFrame({"customer_id": [1, 2], "application_date": pd.to_datetime(
    ...     ["2024-03-01", "2024-03-01"])})
    >>> ev = pd.DataFrame({"customer_id": [1, 1], "timestamp": pd.to_datetime(
    ...     ["2024-02-20", "2024-03-01"]), "amount": [10.0, 5.0], "category": ["cash", "cash"]})
    >>> f = [WindowFeature("n_30d", days=30), WindowFeature("since", days=30, agg="days_since_last")]
    >>> online_features(req, ev, features=f)
       n_30d  since
    0    1.0   10.0
    1    0.0    NaN
    >>> online_features(req, ev, features=f, skew="inclusive_cutoff")["n_30d"].tolist()
    [2.0, 0.0]
    """
    if skew not in _SKEWS:
        raise ValueError(f"skew must be one of {_SKEWS}, got {skew!r}")
    if isinstance(utc_offset_hours, bool) or not isinstance(utc_offset_hours, Real):
        raise TypeError(f"utc_offset_hours must be a number, got {utc_offset_hours!r}")
    if not math.isfinite(utc_offset_hours):
        raise ValueError(f"utc_offset_hours must be finite, got {utc_offset_hours!r}")
    cols = (customer_col, time_col, event_time_col, amount_col, category_col)
    feats, t_req, t_ev, amounts, c_req, c_ev = _prepare(requests, events, features, *cols)
    if skew == "utc_vs_local":
        t_req = t_req + int(round(utc_offset_hours * 3600)) * 10**9
    out = {}
    for f in feats:
        keep = _category_mask(events, category_col, f.category)
        t, a, where = _grouped(c_ev[keep], t_ev[keep], amounts[keep])
        col = np.empty(len(requests))
        for i, (c, as_of) in enumerate(zip(c_req.tolist(), t_req.tolist(), strict=True)):
            lo, hi = where.get(c, (0, 0))
            col[i] = _window_value(t[lo:hi], a[lo:hi], as_of, f, skew == "inclusive_cutoff")
        if skew == "missing_as_zero":
            col = np.nan_to_num(col, nan=0.0)
        out[f.name] = col
    return pd.DataFrame(out, index=requests.index, columns=[f.name for f in feats])


def batch_features(
    requests: pd.DataFrame,
    events: pd.DataFrame,
    *,
    features: Sequence[WindowFeature],
    customer_col: str = "customer_id",
    time_col: str = "application_date",
    event_time_col: str = "timestamp",
    amount_col: str = "amount",
    category_col: str = "category",
) -> pd.DataFrame:
    """The offline path: every request at once, with one sort and binary searches.

    Same parameters and result as :func:`online_features` with ``skew="none"``.

    Examples
    --------
    >>> req = pd.DataFrame({"customer_id": [1, 2], "application_date": pd.to_datetime(
    ...     ["2024-03-01", "2024-03-01"])})
    >>> ev = pd.DataFrame({"customer_id": [1, 1], "timestamp": pd.to_datetime(
    ...     ["2024-02-20", "2024-03-01"]), "amount": [10.0, 5.0], "category": ["cash", "cash"]})
    >>> f = [WindowFeature("n_30d", days=30), WindowFeature("cash", days=30, agg="sum",
    ...                                                      category="cash")]
    >>> batch_features(req, ev, features=f)
       n_30d  cash
    0    1.0  10.0
    1    0.0   0.0
    """
    cols = (customer_col, time_col, event_time_col, amount_col, category_col)
    feats, t_req, t_ev, amounts, c_req, c_ev = _prepare(requests, events, features, *cols)
    out = {}
    for f in feats:
        keep = _category_mask(events, category_col, f.category)
        order = np.lexsort((t_ev[keep], c_ev[keep]))
        c, t, a = c_ev[keep][order], t_ev[keep][order], amounts[keep][order]
        # (customer, time) as one sortable int64 key: a time's rank among all times (equal
        # times share the rank of their first copy) keeps the key small
        grid = np.sort(np.concatenate([t, t_req, t_req - f.days * _DAY_NS]))
        width = len(grid) + 1
        key = c.astype(np.int64) * width + np.searchsorted(grid, t)
        hi = np.searchsorted(key, c_req * width + np.searchsorted(grid, t_req), side="left")
        start = t_req - f.days * _DAY_NS
        lo = np.searchsorted(key, c_req * width + np.searchsorted(grid, start), side="left")
        n = hi - lo
        if f.agg == "count":
            col = n.astype(float)
        elif f.agg == "sum":
            col = np.zeros(len(requests))
            for i in np.flatnonzero(
                n > 0
            ):  # reduceat per window: the same additions, in the same order, as online
                col[i] = np.add.reduceat(a[lo[i] : hi[i]], [0])[0]
        else:
            last = t[np.maximum(hi - 1, 0)] if len(t) else np.zeros(len(requests), np.int64)
            col = np.where(n > 0, (t_req - last) / _DAY_NS, np.nan)
        out[f.name] = col
    return pd.DataFrame(out, index=requests.index, columns=[f.name for f in feats])


def compare_feature_tables(
    offline: pd.DataFrame, online: pd.DataFrame, *, atol: float = 0.0
) -> pd.DataFrame:
    """Column-by-column agreement of two feature tables of the same requests.

    Parameters
    ----------
    offline, online : pandas.DataFrame
        Same index and same columns (numeric). NaN agrees only with NaN.
    atol : float, default=0.0
        Largest absolute difference still counted as agreement (0 = exact).

    Returns
    -------
    pandas.DataFrame
        One row per column: ``feature``, ``agreement`` (share of rows that agree),
        ``n_disagree``, ``missing_mismatch`` (rows where exactly one side is NaN),
        ``max_abs_diff`` (over rows where both are numbers) and ``agree`` (every row).

    Examples
    --------
    >>> a = pd.DataFrame({"x": [1.0, 2.0, np.nan], "y": [0.0, np.nan, 1.0]})
    >>> b = pd.DataFrame({"x": [1.0, 2.5, np.nan], "y": [0.0, 0.0, 1.0]})
    >>> compare_feature_tables(a, b)[["feature", "n_disagree", "missing_mismatch", "max_abs_diff"]]
      feature  n_disagree  missing_mismatch  max_abs_diff
    0       x           1                 0           0.5
    1       y           1                 1           0.0
    """
    _check_frame(offline, "offline", [])
    _check_frame(online, "online", [])
    if list(offline.columns) != list(online.columns):
        raise ValueError(
            f"online must have the columns of offline in the same order, got "
            f"{list(online.columns)} against {list(offline.columns)}"
        )
    if not offline.index.equals(online.index):
        raise ValueError("online must have the index of offline (the same requests, same order)")
    if isinstance(atol, bool) or not isinstance(atol, Real) or not 0 <= atol < math.inf:
        raise ValueError(f"atol must be a finite number >= 0, got {atol!r}")
    rows = []
    for col in offline.columns:
        a, b = offline[col], online[col]
        for name, s in (("offline", a), ("online", b)):
            if not pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
                raise TypeError(f"{name}[{col!r}] must be numeric, got dtype {s.dtype}")
        x, y = a.to_numpy(dtype=float), b.to_numpy(dtype=float)
        nx, ny = np.isnan(x), np.isnan(y)
        both = ~nx & ~ny
        diff = np.abs(x[both] - y[both])
        agree = (nx & ny).copy()
        agree[both] = diff <= atol
        n = len(x)
        rows.append((col, float(agree.mean()) if n else 1.0, int(n - agree.sum()),
                     int((nx ^ ny).sum()), float(diff.max()) if diff.size else 0.0,
                     bool(agree.all())))  # fmt: skip
    names = ["feature", "agreement", "n_disagree", "missing_mismatch", "max_abs_diff", "agree"]
    return pd.DataFrame(rows, columns=names)
