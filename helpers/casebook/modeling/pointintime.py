"""Point-in-time features: aggregate each customer's transactions *before* a cut-off.

A model scoring a loan application may only use what was known when the
application arrived. :func:`window_features` aggregates a raw transactions
table over trailing windows (e.g. 30/90/365 days) ending at each
application's date, using only transactions **strictly before** it.

Method (vectorized, no Python loop over applications): the transactions are
sorted once by ``(customer, time)``. For every window start ``T - w`` and
every cut-off ``T`` a zero-valued *marker* is sorted into the same order,
markers before transactions at equal times; the number of transactions
sorted before a marker is its position in the transaction array. A window is
then a contiguous slice ``[p_start, p_cut)`` of that array: counts are
differences of integer prefix sums, and sums and maxima are
``np.add.reduceat`` / ``np.maximum.reduceat`` over the slices (sorted by
start), so floating-point rounding of a feature depends only on the rows in
its window and rows at or after the cut-off cannot change a feature even in
the last bit.
Cost: one ``O((n_tx + n_app * n_windows) log)`` sort plus ``O(n_tx)`` per
aggregated column.

Conventions:

* a window of ``w`` days covers ``[T - w days, T)``: a transaction exactly at
  the cut-off ``T`` is excluded, one exactly at ``T - w`` is included;
* an application with no earlier transaction gets counts and sums ``0`` and
  ``NaN`` for ``mean``, ``max``, ``days_since_last`` and ``history_days``;
* a window longer than the customer's history covers the history there is:
  nothing is rescaled, and ``full_history_<w>d`` (0/1) says whether the
  customer's first transaction is at least ``w`` days before the cut-off;
* categories: pass the categories seen at training time so prediction-time
  columns match; a transaction whose category is not in the list is counted
  under ``other`` (``unknown="other"``; the ``other`` columns then always
  exist, zero when nothing is unknown, so training and prediction frames
  have the same columns), dropped from category columns (``"ignore"``), or
  rejected (``"error"``). Missing categories count as unknown. Totals always
  include every transaction.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from numbers import Integral
from typing import Any, Literal

import numpy as np
import pandas as pd

from casebook._validation.arrays import numeric_column

__all__ = ["out_of_time_split", "window_features"]

_DAY_NS = 86_400 * 10**9


def _check_frame(df: pd.DataFrame, name: str, columns: Sequence[str]) -> None:
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{name} must have columns {list(columns)}, missing {missing}")


def _as_ns(s: pd.Series, name: str) -> np.ndarray:
    if not pd.api.types.is_datetime64_any_dtype(s):
        raise TypeError(f"{name} must be a datetime64 column, got dtype {s.dtype}")
    if s.isna().any():
        raise ValueError(f"{name} must not contain missing times, got {int(s.isna().sum())} NaT")
    return (
        s.dt.as_unit("ns").to_numpy().view("int64")
        if s.dt.tz is None
        else (s.dt.tz_convert("UTC").dt.as_unit("ns").dt.tz_localize(None).to_numpy().view("int64"))
    )


def _as_dates(dates: pd.Series | Sequence) -> pd.Series:
    """``dates`` as a datetime Series: datetime values or date strings, never numbers."""
    s = pd.Series(dates).reset_index(drop=True)
    if len(s) == 0:
        raise ValueError("dates must not be empty, got 0 dates")
    if pd.api.types.is_datetime64_any_dtype(s):
        return s
    if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
        raise TypeError(f"dates must be datetimes or date strings, got dtype {s.dtype}")
    try:
        with warnings.catch_warnings():  # "could not infer format": parsed element-wise
            warnings.simplefilter("ignore", UserWarning)
            return pd.Series(pd.to_datetime(s))
    except (TypeError, ValueError, OverflowError) as exc:
        raise TypeError(
            f"dates must be datetimes or date strings, got values such as "
            f"{s.head(3).tolist()!r} ({exc})"
        ) from None


def _check_windows(windows: Any) -> list[int]:
    if isinstance(windows, (str, bytes)) or not isinstance(windows, Iterable):
        raise TypeError(f"windows must be a sequence of day counts, got {windows!r}")
    windows = list(windows)
    bad = [w for w in windows if isinstance(w, (bool, np.bool_)) or not isinstance(w, Integral)]
    if bad:
        raise TypeError(
            f"windows must be whole day counts (integers), got {bad!r} "
            f"({', '.join(sorted({type(w).__name__ for w in bad}))})"
        )
    windows = [int(w) for w in windows]
    if not windows or min(windows) <= 0 or len(set(windows)) != len(windows):
        raise ValueError(f"windows must be distinct positive day counts, got {windows}")
    return windows


def _key_kind(s: pd.Series) -> str:
    """``"number"``, ``"string"`` or another kind of a key column's non-missing values."""
    values = s.cat.categories if isinstance(s.dtype, pd.CategoricalDtype) else s
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind in ("integer", "floating", "mixed-integer-float", "decimal"):
        return "number"
    if kind in ("string", "unicode", "bytes"):
        return "string"
    return kind


def _check_same_key_kind(app: pd.Series, tx: pd.Series, col: str) -> None:
    """Ids ``"17"`` and ``17`` never match: refuse instead of treating every applicant as new."""
    a, t = _key_kind(app), _key_kind(tx)
    if "empty" not in (a, t) and a != t:
        raise ValueError(
            f"applications[{col!r}] (dtype {app.dtype}, {a} values such as "
            f"{app.dropna().head(2).tolist()!r}) and transactions[{col!r}] (dtype {tx.dtype}, "
            f"{t} values such as {tx.dropna().head(2).tolist()!r}) must hold customer ids of "
            "the same type: no application would match its transactions; convert one column, "
            "e.g. .astype(str) on both"
        )


def window_features(
    applications: pd.DataFrame,
    transactions: pd.DataFrame,
    *,
    windows: Sequence[int] = (30, 90, 365),
    categories: Sequence[str] | None = None,
    unknown: Literal["other", "ignore", "error"] = "other",
    customer_col: str = "customer_id",
    cutoff_col: str = "application_date",
    time_col: str = "timestamp",
    amount_col: str = "amount",
    category_col: str | None = "category",
) -> pd.DataFrame:
    """Aggregate transactions over trailing windows ending at each application's cut-off.

    Parameters
    ----------
    applications : pandas.DataFrame
        One row per application, with ``customer_col`` and ``cutoff_col``.
    transactions : pandas.DataFrame
        Raw rows with ``customer_col``, ``time_col``, ``amount_col`` (and
        ``category_col`` unless it is None), in any order.
    windows : sequence of int, default=(30, 90, 365)
        Window lengths in whole days, positive (Python or numpy integers;
        ``30.5`` is an error, not 30).
    categories : sequence of str, optional
        Categories to aggregate separately; None = those present in
        ``transactions`` (sorted). Pass the training categories when scoring.
    unknown : {"other", "ignore", "error"}, default="other"
        What to do with a category not in ``categories`` (see module notes).
    customer_col, cutoff_col, time_col, amount_col, category_col : str
        Column names; ``category_col=None`` skips per-category columns. The
        customer ids must be of the same kind in both tables (both numbers
        or both strings): ``"17"`` never matches ``17``, so a mismatch is an
        error rather than every applicant looking new.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``applications``. Per window ``w``: ``count_<w>d``,
        ``sum_<w>d``, ``mean_<w>d``, ``max_<w>d``, ``full_history_<w>d`` and per
        category ``count_<cat>_<w>d`` and ``sum_<cat>_<w>d``; then
        ``days_since_last`` and ``history_days`` (days from the first
        transaction to the cut-off).

    Examples
    --------
    >>> apps = pd.DataFrame({"customer_id": [1, 2],
    ...                      "application_date": pd.to_datetime(["2024-03-01", "2024-03-01"])})
    >>> tx = pd.DataFrame({"customer_id": [1, 1, 1],
    ...     "timestamp": pd.to_datetime(["2024-01-15", "2024-02-20", "2024-03-05"]),
    ...     "amount": [10.0, 30.0, 999.0], "category": ["food", "cash", "cash"]})
    >>> f = window_features(apps, tx, windows=[30])
    >>> f[["count_30d", "sum_30d", "count_cash_30d", "days_since_last"]]
       count_30d  sum_30d  count_cash_30d  days_since_last
    0          1     30.0               1             10.0
    1          0      0.0               0              NaN
    """
    _check_frame(applications, "applications", [customer_col, cutoff_col])
    tx_cols = [customer_col, time_col, amount_col] + ([category_col] if category_col else [])
    _check_frame(transactions, "transactions", tx_cols)
    windows = _check_windows(windows)
    if unknown not in ("other", "ignore", "error"):
        raise ValueError(f"unknown must be 'other', 'ignore' or 'error', got {unknown!r}")
    t_tx = _as_ns(transactions[time_col], f"transactions[{time_col!r}]")
    t_app = _as_ns(applications[cutoff_col], f"applications[{cutoff_col!r}]")
    amount = numeric_column(transactions, amount_col, name="transactions")

    _check_same_key_kind(applications[customer_col], transactions[customer_col], customer_col)
    # Encode customers of both tables on one scale.
    codes, uniques = pd.factorize(
        pd.concat([transactions[customer_col], applications[customer_col]], ignore_index=True)
    )
    if (codes < 0).any():
        raise ValueError(f"{customer_col} must not contain missing values")
    c_tx, c_app = codes[: len(transactions)], codes[len(transactions) :]

    order = np.lexsort((t_tx, c_tx))
    c_tx, t_tx, amount = c_tx[order], t_tx[order], amount[order]
    n_tx, n_app = len(t_tx), len(t_app)

    # Markers: cut-off first, then one window start per window; sorted with the
    # transactions (markers before transactions at equal time).
    m_time = np.concatenate([t_app] + [t_app - w * _DAY_NS for w in windows])
    m_cust = np.tile(c_app, 1 + len(windows))
    all_c = np.concatenate([c_tx, m_cust])
    all_t = np.concatenate([t_tx, m_time])
    kind = np.r_[np.ones(n_tx, dtype=np.int8), np.zeros(len(m_time), dtype=np.int8)]
    merged = np.lexsort((kind, all_t, all_c))
    is_tx = kind[merged] == 1
    tx_before = np.cumsum(is_tx) - is_tx  # transactions sorted before each merged position
    pos = np.empty(len(m_time), dtype=np.int64)
    pos[merged[~is_tx] - n_tx] = tx_before[~is_tx]
    p_cut = pos[:n_app]
    p_start = {w: pos[n_app * (k + 1) : n_app * (k + 2)] for k, w in enumerate(windows)}
    first = np.searchsorted(c_tx, c_app, side="left")  # customer's first transaction
    has_any = p_cut > first

    out: dict[str, np.ndarray] = {}
    safe_t = t_tx if n_tx else np.zeros(1, dtype=np.int64)  # index safely when empty
    history_ns = np.where(has_any, t_app - safe_t[np.minimum(first, len(safe_t) - 1)], 0)
    # Float sums use reduceat over each window's own rows (not differences of a global
    # prefix sum), so a feature's rounding depends on nothing outside its window. The
    # (lo, hi) pairs are sorted by lo, so the in-between segments reduceat also
    # reduces stay short: total work O(n_tx + sum of window sizes) per column.
    reducers = {}
    for w in windows:
        lo, hi = p_start[w], p_cut
        by_lo = np.argsort(lo, kind="stable")
        reducers[w] = (by_lo, np.column_stack([lo[by_lo], hi[by_lo]]).ravel(), hi - lo)

    def window_reduce(ufunc: np.ufunc, values: np.ndarray, w: int, empty: float) -> np.ndarray:
        by_lo, idx, count = reducers[w]
        res = np.empty(n_app)
        res[by_lo] = ufunc.reduceat(np.r_[values, empty], idx)[::2] if n_tx else empty
        return np.where(count > 0, res, empty)

    for w in windows:
        count = reducers[w][2]
        total = window_reduce(np.add, amount, w, 0.0)
        out[f"count_{w}d"] = count
        out[f"sum_{w}d"] = total
        with np.errstate(invalid="ignore", divide="ignore"):
            out[f"mean_{w}d"] = np.where(count > 0, total / np.maximum(count, 1), np.nan)
        out[f"max_{w}d"] = np.where(
            count > 0, window_reduce(np.maximum, amount, w, -np.inf), np.nan
        )
        out[f"full_history_{w}d"] = (has_any & (history_ns >= w * _DAY_NS)).astype(int)

    if category_col is not None:
        raw = transactions[category_col].astype("string")
        present = sorted(raw.dropna().unique().tolist())
        cats = present if categories is None else [str(c) for c in categories]
        code = pd.Index(cats, dtype=object).get_indexer(raw.astype(object))[order]  # -1 = unknown
        if unknown == "error" and (code < 0).any():
            bad = sorted(set(present) - set(cats))[:5]
            raise ValueError(
                f"transactions[{category_col!r}] has categories not in categories: {bad}"
            )
        if unknown == "other" and "other" not in cats:
            # always present, so training and prediction frames have the same columns
            cats = [*cats, "other"]
            code = np.where(code < 0, len(cats) - 1, code)
        for k, name in enumerate(cats):
            hit = code == k
            ccount = np.r_[0, np.cumsum(hit)]  # integer prefix sums are exact
            camount = np.where(hit, amount, 0.0)
            for w in windows:
                out[f"count_{name}_{w}d"] = ccount[p_cut] - ccount[p_start[w]]
                out[f"sum_{name}_{w}d"] = window_reduce(np.add, camount, w, 0.0)

    last = safe_t[np.maximum(p_cut - 1, 0)]
    out["days_since_last"] = np.where(has_any, (t_app - last) / _DAY_NS, np.nan)
    out["history_days"] = np.where(has_any, history_ns / _DAY_NS, np.nan)
    return pd.DataFrame(out, index=applications.index)


def out_of_time_split(
    dates: pd.Series | Sequence,
    *,
    test_fraction: float = 0.25,
    gap_days: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Split rows by time: the latest ``test_fraction`` of dates form the test set.

    Parameters
    ----------
    dates : datetime-like sequence
        One date per row (e.g. application dates), no missing values.
    test_fraction : float, default=0.25
        Share of rows, by date quantile, in the test period, in (0, 1).
    gap_days : int, default=0
        Rows within ``gap_days`` before the test start are left out of
        training, e.g. when a label needs that long to mature, so no training
        outcome is observed inside the test period.

    Returns
    -------
    (train_idx, test_idx) : tuple of numpy.ndarray
        Integer positions; every training date is before every test date.

    Examples
    --------
    >>> d = pd.Series(pd.date_range("2024-01-01", periods=8, freq="7D"))
    >>> out_of_time_split(d, test_fraction=0.25)
    (array([0, 1, 2, 3, 4, 5]), array([6, 7]))
    >>> out_of_time_split(d, test_fraction=0.25, gap_days=14)[0]
    array([0, 1, 2, 3])
    """
    s = _as_dates(dates)
    if s.isna().any():
        raise ValueError(f"dates must not contain missing values, got {int(s.isna().sum())}")
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction!r}")
    if gap_days < 0:
        raise ValueError(f"gap_days must be non-negative, got {gap_days!r}")
    order = np.sort(s.to_numpy())
    start = order[min(len(order) - 1, int(np.floor(len(order) * (1 - test_fraction))))]
    test = np.flatnonzero(s.to_numpy() >= start)
    train = np.flatnonzero(s.to_numpy() < start - np.timedelta64(gap_days, "D"))
    if len(train) == 0 or len(test) == 0:
        raise ValueError(
            f"the split left {len(train)} training and {len(test)} test rows; "
            f"lower gap_days ({gap_days}) or change test_fraction ({test_fraction})"
        )
    return train, test
