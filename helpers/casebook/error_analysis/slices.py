"""Slice discovery: where do a model's errors concentrate?

A *slice* is a subset of rows defined by the value of one feature (``brand ==
"Nova"``) or of two (``brand == "Nova" and n_words in (0, 5]``). For each
slice we report its size, its error rate and its **lift**: error rate divided
by the overall error rate (lift 3 = errors are three times as common there).

Binning of numeric features (:func:`bin_feature`): ``"quantile"`` cuts at
quantiles (``bins`` groups of roughly equal size; duplicate edges are merged,
so a heavily tied feature may get fewer bins), ``"uniform"`` cuts the range
into equal widths. Bins of an integer feature are labelled by the integers
they hold (``"1-5"``), bins of a float feature by their interval. Missing values get their own ``"missing"`` slice instead
of being dropped. Non-numeric features (strings, categories, booleans) are
used as they are, one slice per value.

Minimum support: slices with fewer than ``min_support`` rows are left out of
the result, because a rate on a handful of rows is mostly noise.

* :func:`bin_feature` -- numeric -> interval labels, categorical unchanged.
* :func:`slice_error_rates` -- error rate and lift per slice of one or two features.
* :func:`find_error_slices` -- scan features and pairs, return the top slices by lift.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import Any, Literal

import numpy as np
import pandas as pd

__all__ = ["bin_feature", "find_error_slices", "slice_error_rates"]

MISSING = "missing"


def bin_feature(
    values: pd.Series,
    *,
    bins: int = 4,
    strategy: Literal["quantile", "uniform"] = "quantile",
) -> pd.Series:
    """Turn a feature into slice labels (strings), binning numeric values.

    Parameters
    ----------
    values : pandas.Series
        One feature.
    bins : int, default=4
        Number of bins for a numeric feature with more than ``bins`` distinct
        values (a numeric feature with few distinct values is kept as is).
    strategy : {"quantile", "uniform"}, default="quantile"
        Quantile or equal-width edges.

    Returns
    -------
    pandas.Series of str
        Same index as ``values``; missing values become ``"missing"``.

    Raises
    ------
    TypeError
        If ``values`` is not a pandas Series.
    ValueError
        If ``bins`` or ``strategy`` is invalid, or a numeric ``values``
        holds infinite values (they have no quantile or width bin).

    Examples
    --------
    >>> bin_feature(pd.Series([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]), bins=2).tolist()
    ['(0.999, 3.5]', '(0.999, 3.5]', '(0.999, 3.5]', '(3.5, 6.0]', '(3.5, 6.0]', '(3.5, 6.0]']
    >>> bin_feature(pd.Series([1, 3, 5, 7, 9, 11]), bins=2, strategy="uniform").tolist()
    ['1-6', '1-6', '1-6', '7-11', '7-11', '7-11']
    >>> bin_feature(pd.Series(["a", None, "b"])).tolist()
    ['a', 'missing', 'b']
    """
    if not isinstance(values, pd.Series):
        raise TypeError(f"values must be a pandas Series, got {type(values).__name__}")
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or bins < 2:
        raise ValueError(f"bins must be an integer >= 2, got {bins!r}")
    if strategy not in ("quantile", "uniform"):
        raise ValueError(f"strategy must be 'quantile' or 'uniform', got {strategy!r}")
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    if numeric:
        n_inf = int(np.isinf(values.to_numpy(dtype=float, na_value=np.nan)).sum())
        if n_inf:
            raise ValueError(
                f"values must be finite or missing (feature {values.name!r}), "
                f"got {n_inf} infinite value(s); replace them with NaN or a finite cap"
            )
    if numeric and values.nunique(dropna=True) > bins:
        if strategy == "quantile":
            binned = pd.qcut(values, q=bins, duplicates="drop")
        else:
            binned = pd.cut(values, bins=bins)
        labels = _integer_labels(binned) if _is_integer(values) else binned.astype(str)
    else:
        labels = values.astype(object).map(str)
    return labels.where(values.notna(), MISSING).astype(object).rename(values.name)


def _is_integer(values: pd.Series) -> bool:
    return pd.api.types.is_integer_dtype(values)


def _integer_labels(binned: pd.Series) -> pd.Series:
    """Interval bins of an integer feature as readable integer ranges: (0.98, 5.25] -> "1-5"."""

    def label(interval: Any) -> Any:
        if not isinstance(interval, pd.Interval):
            return interval
        lo, hi = int(np.floor(interval.left)) + 1, int(np.floor(interval.right))
        return str(lo) if lo == hi else f"{lo}-{hi}"

    return binned.astype(object).map(label)


def _check_errors(errors: Any, n: int) -> np.ndarray:
    arr = np.asarray(errors)
    if arr.ndim != 1 or len(arr) != n:
        raise ValueError(f"errors must be 1-D with one value per row ({n}), got shape {arr.shape}")
    if arr.dtype != bool:
        raise ValueError(f"errors must be booleans (True = the model erred), got dtype {arr.dtype}")
    return arr


def _check_support(min_support: Any) -> int:
    if (
        isinstance(min_support, bool)
        or not isinstance(min_support, (int, np.integer))
        or min_support < 1
    ):
        raise ValueError(f"min_support must be a positive integer, got {min_support!r}")
    return min_support


def slice_error_rates(
    frame: pd.DataFrame,
    errors: Any,
    *,
    by: str | Sequence[str],
    bins: int = 4,
    strategy: Literal["quantile", "uniform"] = "quantile",
    min_support: int = 20,
) -> pd.DataFrame:
    """Error rate, size and lift of every slice of one or two features.

    Parameters
    ----------
    frame : pandas.DataFrame
        Features, one row per example.
    errors : array-like of bool
        True where the model was wrong (any kind of error you study).
    by : str or sequence of one or two str
        Feature(s) defining the slices.
    bins, strategy
        Binning of numeric features, see :func:`bin_feature`.
    min_support : int, default=20
        Slices with fewer rows are left out.

    Returns
    -------
    pandas.DataFrame
        Columns ``feature`` (e.g. ``"brand & n_words"``), ``slice`` (e.g.
        ``"Nova & (0.99, 5.0]"``), ``n``, ``n_errors``, ``error_rate``,
        ``lift`` and ``share_of_errors``, sorted by lift (highest first).

    Examples
    --------
    >>> frame = pd.DataFrame({"brand": ["A"] * 50 + ["B"] * 50})
    >>> errors = np.array([True] * 20 + [False] * 30 + [True] * 5 + [False] * 45)
    >>> slice_error_rates(frame, errors, by="brand")[["slice", "n", "error_rate", "lift"]]
      slice   n  error_rate  lift
    0     A  50         0.4   1.6
    1     B  50         0.1   0.4
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    by = [by] if isinstance(by, str) else list(by)
    if not 1 <= len(by) <= 2 or len(set(by)) != len(by):
        raise ValueError(f"by must name one or two distinct features, got {by!r}")
    missing = [c for c in by if c not in frame.columns]
    if missing:
        raise ValueError(f"by has features not in frame: {missing}")
    min_support = _check_support(min_support)
    err = _check_errors(errors, len(frame))
    if len(frame) == 0:
        raise ValueError("frame must have at least one row, got 0")
    overall = err.mean()
    keys = [bin_feature(frame[c], bins=bins, strategy=strategy).to_numpy() for c in by]
    slice_label = (
        keys[0]
        if len(keys) == 1
        else np.char.add(np.char.add(keys[0].astype(str), " & "), keys[1].astype(str))
    )
    grouped = pd.DataFrame({"slice": slice_label, "err": err}).groupby("slice", sort=True)["err"]
    table = grouped.agg(n="size", n_errors="sum").reset_index()
    table["n_errors"] = table["n_errors"].astype(int)
    table["error_rate"] = table["n_errors"] / table["n"]
    table["lift"] = table["error_rate"] / overall if overall > 0 else np.nan
    table["share_of_errors"] = table["n_errors"] / max(int(err.sum()), 1)
    table.insert(0, "feature", " & ".join(by))
    table = table[table["n"] >= min_support]
    table = table.sort_values(["lift", "n"], ascending=[False, False], kind="stable")
    return table.reset_index(drop=True)


def find_error_slices(
    frame: pd.DataFrame,
    errors: Any,
    *,
    features: Sequence[str] | None = None,
    pairs: bool = True,
    bins: int = 4,
    strategy: Literal["quantile", "uniform"] = "quantile",
    min_support: int = 20,
    top: int = 10,
) -> pd.DataFrame:
    """Scan single features (and pairs) for the slices with the highest error lift.

    Parameters
    ----------
    frame : pandas.DataFrame
        Features, one row per example.
    errors : array-like of bool
        True where the model was wrong.
    features : sequence of str, optional
        Features to scan; default all columns of ``frame``.
    pairs : bool, default=True
        Also scan every pair of features.
    bins, strategy, min_support
        See :func:`slice_error_rates`.
    top : int, default=10
        Number of slices returned.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`slice_error_rates`, the ``top`` slices by lift.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> frame = pd.DataFrame({"x": rng.normal(size=400), "g": rng.choice(["a", "b"], 400)})
    >>> errors = (frame["g"] == "a").to_numpy() & (frame["x"] > 0).to_numpy()
    >>> find_error_slices(frame, errors, top=1)[["feature", "error_rate"]]
        feature  error_rate
    0  x & g...         1.0
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    features = list(frame.columns) if features is None else list(features)
    if not features:
        raise ValueError("features must name at least one feature, got none")
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1:
        raise ValueError(f"top must be a positive integer, got {top!r}")
    groups: list[list[str]] = [[f] for f in features]
    if pairs:
        groups += [list(p) for p in combinations(features, 2)]
    tables = [
        slice_error_rates(
            frame, errors, by=g, bins=bins, strategy=strategy, min_support=min_support
        )
        for g in groups
    ]
    result = pd.concat(tables, ignore_index=True)
    result = result.sort_values(["lift", "n"], ascending=[False, False], kind="stable")
    return result.head(top).reset_index(drop=True)
