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


def _customer_codes(tx_ids: pd.Series, app_ids: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Customer ids of both tables as codes on one scale (-1 = missing).

    Small non-negative integer ids are their own codes; anything else is factorized.
    """
    a, b = tx_ids.to_numpy(), app_ids.to_numpy()
    if a.dtype.kind in "iu" and b.dtype.kind in "iu" and (len(a) + len(b)):
        low = min(a.min(initial=0), b.min(initial=0))
        high = max(a.max(initial=0), b.max(initial=0))
        if low >= 0 and high < 4 * (len(a) + len(b)):
            return a.astype(np.int64), b.astype(np.int64)
    codes = pd.factorize(pd.concat([tx_ids, app_ids], ignore_index=True))[0]
    return codes[: len(a)], codes[len(a) :]


def _sorted_positions(
    c_tx: np.ndarray, t_tx: np.ndarray, c_m: np.ndarray, t_m: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Order transactions by (customer, time); count those strictly before each marker.

    Times are put on their common grid (or ranked, when that is too wide) so that
    (customer, time) is one int64 key: one sort and one ``searchsorted`` instead of
    lexsorts over several keys. Equal keys keep the input order, so sums add the same rows
    in the same order as any stable sort. When the key leaves room for the row number in
    its low bits, one plain ``np.sort`` of the packed keys replaces the ``argsort``.
    """
    n = len(t_tx)
    times = np.concatenate([t_tx, t_m]).astype(np.int64)
    customers = int(max(c_tx.max(initial=0), c_m.max(initial=0))) + 1
    if len(times):
        # times on their own grid (e.g. whole seconds) usually fit one key with the customer
        steps = times - times.min()
        steps //= max(int(np.gcd.reduce(steps)), 1)
        width = int(steps.max()) + 1
        if customers * width >= 2**62:  # too wide: rank the times instead
            steps = np.unique(times, return_inverse=True)[1].astype(np.int64)
            width = int(steps.max()) + 1
    else:
        steps, width = times, 1
    key_tx = c_tx.astype(np.int64) * width + steps[:n]
    key_m = c_m.astype(np.int64) * width + steps[n:]
    bits = max(n - 1, 1).bit_length()
    if customers * width <= 2 ** (63 - bits):
        # the row number in the low bits: a plain sort (SIMD, about twice as fast as
        # argsort) returns the order too, and ties keep the input order (stable)
        packed = np.sort((key_tx << bits) | np.arange(n, dtype=np.int64))
        order, sorted_key = packed & ((1 << bits) - 1), packed >> bits
    else:
        order = np.argsort(key_tx)  # the fast sort; it is stable unless two keys are equal
        sorted_key = key_tx[order]
        if n > 1 and (sorted_key[1:] == sorted_key[:-1]).any():
            order = np.argsort(key_tx, kind="stable")  # ties keep the input order
            sorted_key = key_tx[order]
    return order, np.searchsorted(sorted_key, key_m, side="left")


def _segment_reduce(
    ufunc: np.ufunc, values: np.ndarray, lo: np.ndarray, hi: np.ndarray, empty: float,
    *, padded_with: float | None = None,
) -> np.ndarray:  # fmt: skip
    """``ufunc`` over ``values[lo[i]:hi[i]]`` for every i; ``empty`` where the slice is empty.

    ``padded_with``: ``values`` already ends with one extra element (the value given), so
    it is not copied again.

    One ``reduceat`` over the (lo, hi) pairs sorted by lo, so the in-between segments stay
    short: O(len(values) + len(lo)). Each result adds only its own slice's values, in order.
    """
    res = np.full(len(lo), empty)
    if len(values) == 0 or len(lo) == 0:
        return res
    padded = values if padded_with is not None else np.append(values, empty)
    if (lo[1:] >= lo[:-1]).all():  # already sorted by start (the usual case): no sort
        res[:] = ufunc.reduceat(padded, np.column_stack([lo, hi]).ravel())[::2]
    else:
        by_lo = np.argsort(lo, kind="stable")
        idx = np.column_stack([lo[by_lo], hi[by_lo]]).ravel()
        res[by_lo] = ufunc.reduceat(padded, idx)[::2]
    res[hi <= lo] = empty
    return res


def _category_columns(
    code: np.ndarray, amount: np.ndarray, cats: Sequence[str], windows: Sequence[int],
    p_cut: np.ndarray, p_start: dict[int, np.ndarray],
) -> dict[str, np.ndarray]:  # fmt: skip
    """Per-category counts and sums, one category at a time over that category's rows only.

    A prefix count of a category's rows over the sorted transactions locates each window
    inside them (one ``cumsum`` per category, cheaper in practice than a binary search
    per window boundary); sums run over that category's rows only.
    """
    out: dict[str, np.ndarray] = {}
    small = code.astype(np.int16) if len(cats) < 2**15 - 1 else code  # radix sort: fast, stable
    by_code = np.argsort(small, kind="stable")  # rows grouped by category, in sorted order
    bounds = np.searchsorted(small[by_code], np.arange(len(cats) + 1))
    for c, name in enumerate(cats):
        rows = by_code[bounds[c] : bounds[c + 1]]
        values = np.append(amount[rows], 0.0)  # padded once for every window's reduceat
        # this category's rows before each position: a prefix count instead of a search
        before = np.zeros(len(code) + 1, dtype=np.int64)
        before[rows + 1] = 1
        np.cumsum(before, out=before)
        end = before[p_cut]
        for w in windows:
            begin = before[p_start[w]]
            out[f"count_{name}_{w}d"] = end - begin
            out[f"sum_{name}_{w}d"] = _segment_reduce(
                np.add, values, begin, end, 0.0, padded_with=0.0
            )
    return out


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
    c_tx, c_app = _customer_codes(transactions[customer_col], applications[customer_col])
    if (c_tx < 0).any() or (c_app < 0).any():
        raise ValueError(f"{customer_col} must not contain missing values")
    # Work on applications sorted by (customer, cut-off): every window boundary then comes
    # out sorted, which keeps the binary searches and segment sorts below cache-friendly.
    app_order = np.lexsort((t_app, c_app))
    c_app, t_app = c_app[app_order], t_app[app_order]

    # Markers: the cut-off, then one window start per window. A marker's position is the
    # number of transactions sorted strictly before it by (customer, time).
    m_time = np.concatenate([t_app] + [t_app - w * _DAY_NS for w in windows])
    m_cust = np.tile(c_app, 1 + len(windows))
    order, pos = _sorted_positions(c_tx, t_tx, m_cust, m_time)
    amount = amount[order]  # only the amounts are needed in sorted order, in full
    n_tx, n_app = len(t_tx), len(t_app)
    p_cut = pos[:n_app]
    p_start = {w: pos[n_app * (k + 1) : n_app * (k + 2)] for k, w in enumerate(windows)}
    # customer's first transaction: the number of transactions of lower customer codes
    customers = int(max(c_tx.max(initial=0), c_app.max(initial=0))) + 1
    per_customer = np.bincount(c_tx, minlength=customers)
    first = (np.cumsum(per_customer) - per_customer)[c_app]
    has_any = p_cut > first

    out: dict[str, np.ndarray] = {}
    # the time of the i-th sorted transaction, looked up for a few positions only
    safe_t = t_tx if n_tx else np.zeros(1, dtype=np.int64)  # index safely when empty
    safe_order = order if n_tx else np.zeros(1, dtype=np.int64)

    def sorted_time(i: np.ndarray) -> np.ndarray:
        return safe_t[safe_order[i]]

    history_ns = np.where(has_any, t_app - sorted_time(np.minimum(first, len(safe_t) - 1)), 0)
    # Float sums use reduceat over each window's own rows (not differences of a global
    # prefix sum), so a feature's rounding depends on nothing outside its window.
    amount_0, amount_nan = np.append(amount, 0.0), np.append(amount, np.nan)
    for w in windows:
        count = p_cut - p_start[w]
        total = _segment_reduce(np.add, amount_0, p_start[w], p_cut, 0.0, padded_with=0.0)
        out[f"count_{w}d"] = count
        out[f"sum_{w}d"] = total
        with np.errstate(invalid="ignore", divide="ignore"):
            out[f"mean_{w}d"] = np.where(count > 0, total / np.maximum(count, 1), np.nan)
        out[f"max_{w}d"] = _segment_reduce(
            np.maximum, amount_nan, p_start[w], p_cut, np.nan, padded_with=np.nan
        )
        out[f"full_history_{w}d"] = (has_any & (history_ns >= w * _DAY_NS)).astype(int)

    if category_col is not None:
        raw_codes, raw_uniques = pd.factorize(transactions[category_col])  # NA -> -1
        names = [str(u) for u in raw_uniques]
        present = sorted(set(names))
        cats = present if categories is None else [str(c) for c in categories]
        lookup = np.r_[pd.Index(cats, dtype=object).get_indexer(names), -1].astype(np.int64)
        code = lookup[raw_codes][order]  # -1 = unknown or missing
        if unknown == "error" and (code < 0).any():
            bad = sorted(set(present) - set(cats))[:5]
            raise ValueError(
                f"transactions[{category_col!r}] has categories not in categories: {bad}"
            )
        if unknown == "other" and "other" not in cats:
            # always present, so training and prediction frames have the same columns
            cats = [*cats, "other"]
            code = np.where(code < 0, len(cats) - 1, code)
        out.update(_category_columns(code, amount, cats, windows, p_cut, p_start))

    last = sorted_time(np.maximum(p_cut - 1, 0))
    out["days_since_last"] = np.where(has_any, (t_app - last) / _DAY_NS, np.nan)
    out["history_days"] = np.where(has_any, history_ns / _DAY_NS, np.nan)
    undo = np.empty_like(app_order)
    undo[app_order] = np.arange(len(app_order))
    return pd.DataFrame({k: v[undo] for k, v in out.items()}, index=applications.index)


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
