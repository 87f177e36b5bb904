"""Mergeable per-partition summaries: histograms on fixed edges and category counts.

A drift job over a large or distributed table never needs the raw rows in one
place. Each partition is summarised on its own (a histogram on edges fixed
from the reference, or category counts), the summaries are merged, and PSI,
chi-square or Jensen-Shannon are computed from the merged counts. The merge
adds integer counts and takes minima / maxima, so it is exactly associative
and commutative: any partitioning and any merge order (a Dask tree reduction
included) gives the same summary, and the statistic equals the one computed
on the full data with :mod:`casebook.monitoring.drift.stats` bit for bit.

Examples
--------
>>> import numpy as np
>>> from casebook.monitoring.drift.stats import psi, quantile_edges
>>> rng = np.random.default_rng(0)
>>> ref, cur = rng.normal(size=1000), rng.normal(0.3, 1, size=1000)
>>> edges = quantile_edges(ref, bins=10)
>>> parts = [summarize_numeric(p, edges=edges) for p in np.array_split(cur, 7)]
>>> merged = merge_all(parts)
>>> psi_from_summaries(summarize_numeric(ref, edges=edges), merged) == psi(ref, cur)
True
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy.spatial.distance import jensenshannon as _js

from casebook.monitoring.drift._core import (
    DriftResult,
    _as_float_array,
    _bin_counts,
    _check_eps,
    _check_threshold,
    _chi_square_from_counts,
    _psi_from_counts,
    _result,
    _value_counts,
    category_key,
)

__all__ = [
    "CategorySummary",
    "HistogramSummary",
    "chi_square_from_summaries",
    "jensen_shannon_from_summaries",
    "merge",
    "merge_all",
    "psi_from_summaries",
    "summarize_categories",
    "summarize_numeric",
]


@dataclass(frozen=True)
class HistogramSummary:
    """Counts of a numeric column on fixed bin edges.

    Attributes
    ----------
    edges : tuple of float
        Bin edges, first -inf and last +inf (see :func:`~casebook.monitoring.drift.stats.quantile_edges`).
    counts : tuple of int
        Non-missing values per bin ``[e_i, e_{i+1})``.
    n_missing : int
        Missing values (NaN) seen.
    minimum, maximum : float or None
        Range of the non-missing values (None when there were none, so that
        summaries compare equal with ``==``).
    """

    edges: tuple[float, ...]
    counts: tuple[int, ...]
    n_missing: int
    minimum: float | None
    maximum: float | None

    @property
    def n(self) -> int:
        """Number of non-missing values summarised."""
        return int(sum(self.counts))


@dataclass(frozen=True)
class CategorySummary:
    """Counts per category of a categorical column.

    Attributes
    ----------
    counts : tuple of (category, int)
        Non-zero counts, sorted by :func:`~casebook.monitoring.drift.stats.category_key`.
    n_missing : int
        Missing values seen.
    """

    counts: tuple[tuple[object, int], ...]
    n_missing: int

    @property
    def n(self) -> int:
        """Number of non-missing values summarised."""
        return int(sum(c for _, c in self.counts))

    def as_dict(self) -> dict[object, int]:
        """Counts as a plain dict."""
        return dict(self.counts)


def _check_edges(edges: ArrayLike) -> np.ndarray:
    e = _as_float_array(edges, name="edges")
    if e.ndim == 1 and np.isnan(e).any():
        raise ValueError(f"edges must not contain NaN, got {edges!r}")
    if e.ndim != 1 or e.size < 2 or e[0] != -np.inf or e[-1] != np.inf:
        raise ValueError(f"edges must be 1-d, start at -inf and end at +inf, got {edges!r}")
    if np.any(np.diff(e) <= 0):
        raise ValueError(f"edges must be strictly increasing, got {edges!r}")
    return e


@functools.lru_cache(maxsize=1024)
def _checked_edge_tuple(edges: tuple) -> tuple[np.ndarray, tuple[float, ...]]:
    """Validated edges for a hashable tuple, cached: every partition reuses the reference's."""
    e = _check_edges(edges)
    e.flags.writeable = False
    return e, tuple(e.tolist())


def summarize_numeric(values: ArrayLike, *, edges: ArrayLike) -> HistogramSummary:
    """Histogram of one partition of a numeric column on fixed edges.

    An empty partition is allowed (all counts zero): it is the merge identity.

    Parameters
    ----------
    values : array-like of float
        The partition's values; NaN counts as missing.
    edges : array-like of float
        Fixed edges from the reference, ``[-inf, ..., +inf]``.

    Returns
    -------
    HistogramSummary

    Examples
    --------
    >>> s = summarize_numeric([1.0, 2.0, np.nan, 5.0], edges=[-np.inf, 2.0, np.inf])
    >>> s.counts, s.n_missing, s.maximum
    ((1, 2), 1, 5.0)
    """
    if isinstance(edges, tuple):  # e.g. HistogramSummary.edges: validate once, then reuse
        try:
            e, edge_tuple = _checked_edge_tuple(edges)
        except TypeError:  # unhashable items: validate below (and raise the usual error)
            e = _check_edges(edges)
            edge_tuple = tuple(e.tolist())
    else:
        e = _check_edges(edges)
        edge_tuple = tuple(e.tolist())
    if isinstance(values, pd.Series):
        if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            raise TypeError(f"values must be numeric, got dtype {values.dtype}")
        arr = values.to_numpy(dtype=float, na_value=np.nan)
    else:
        arr = np.asarray(values)
        if arr.dtype.kind not in "iuf":
            raise TypeError(f"values must be numeric, got dtype {arr.dtype}")
        arr = arr.astype(float, copy=False).ravel()
    missing = np.isnan(arr)
    n_missing = int(missing.sum())
    if n_missing:
        arr = arr[~missing]
    counts = _bin_counts(arr, e)
    lo, hi = (float(arr.min()), float(arr.max())) if arr.size else (None, None)
    return HistogramSummary(edge_tuple, tuple(counts.tolist()), n_missing, lo, hi)


def summarize_categories(values: ArrayLike) -> CategorySummary:
    """Category counts of one partition of a categorical column.

    Examples
    --------
    >>> summarize_categories(["b", "a", None, "b"])
    CategorySummary(counts=(('a', 1), ('b', 2)), n_missing=1)
    """
    if isinstance(values, pd.Series):
        s = values
    else:
        arr = np.asarray(values, dtype=object)
        if arr.ndim != 1:
            raise ValueError(f"values must be 1-dimensional, got shape {arr.shape}")
        s = pd.Series(arr)
    missing = int(s.isna().sum())
    counts = _value_counts(s.dropna().astype(object))
    return CategorySummary(
        tuple(sorted(counts.items(), key=lambda kv: category_key(kv[0]))), missing
    )


S = TypeVar("S", HistogramSummary, CategorySummary)


def _extreme(pick, x: float | None, y: float | None) -> float | None:
    if x is None or y is None:
        return y if x is None else x
    return pick(x, y)


def merge(a: S, b: S) -> S:
    """Merge two summaries of the same column (associative and commutative).

    Raises
    ------
    TypeError
        If the summaries are of different kinds.
    ValueError
        If two histograms were built on different edges.

    Examples
    --------
    >>> merge(summarize_categories(["a"]), summarize_categories(["a", "b"])).as_dict()
    {'a': 2, 'b': 1}
    """
    if type(a) is not type(b) or not isinstance(a, (HistogramSummary, CategorySummary)):
        raise TypeError(
            f"a and b must be summaries of the same kind, got {type(a).__name__} "
            f"and {type(b).__name__}"
        )
    if isinstance(a, HistogramSummary):
        if a.edges != b.edges:
            raise ValueError("a and b must share the same edges; summarise with the reference's")
        return HistogramSummary(
            a.edges,
            tuple(x + y for x, y in zip(a.counts, b.counts, strict=True)),
            a.n_missing + b.n_missing,
            _extreme(min, a.minimum, b.minimum),
            _extreme(max, a.maximum, b.maximum),
        )
    counts = a.as_dict()
    for k, v in b.counts:
        counts[k] = counts.get(k, 0) + v
    return CategorySummary(
        tuple(sorted(counts.items(), key=lambda kv: category_key(kv[0]))),
        a.n_missing + b.n_missing,
    )


def merge_all(summaries: Iterable[S]) -> S:
    """Merge any number of summaries (at least one).

    Examples
    --------
    >>> merge_all([summarize_categories(["a"])] * 3).as_dict()
    {'a': 3}
    """
    items = list(summaries)
    if not items:
        raise ValueError("summaries must hold at least one summary, got none")
    return functools.reduce(merge, items)


def _histograms(reference: HistogramSummary, current: HistogramSummary) -> tuple:
    if not isinstance(reference, HistogramSummary) or not isinstance(current, HistogramSummary):
        raise TypeError(
            "reference and current must be HistogramSummary, got "
            f"{type(reference).__name__} and {type(current).__name__}"
        )
    if reference.edges != current.edges:
        raise ValueError("reference and current must share the same edges")
    for name, s in (("reference", reference), ("current", current)):
        if s.n == 0:
            raise ValueError(f"{name} must summarise at least one non-missing value, got none")
    return np.asarray(reference.counts), np.asarray(current.counts)


def psi_from_summaries(
    reference: HistogramSummary,
    current: HistogramSummary,
    *,
    threshold: float = 0.1,
    eps: float = 1e-4,
) -> DriftResult:
    """PSI from two histograms, identical to :func:`~casebook.monitoring.drift.stats.psi` on the rows.

    Examples
    --------
    >>> e = [-np.inf, 2.5, np.inf]
    >>> r = psi_from_summaries(summarize_numeric([1, 2, 3, 4], edges=e),
    ...                        summarize_numeric([1, 3, 4, 4], edges=e))
    >>> round(r.statistic, 4)
    0.2747
    """
    _check_threshold(threshold, test=False)
    _check_eps(eps)
    rc, cc = _histograms(reference, current)
    value = _psi_from_counts(rc, cc, eps=eps)
    return _result("psi", value, None, threshold, f"{rc.size} bins")


def jensen_shannon_from_summaries(
    reference: HistogramSummary | CategorySummary,
    current: HistogramSummary | CategorySummary,
    *,
    threshold: float = 0.1,
) -> DriftResult:
    """Jensen-Shannon distance from two summaries, identical to the row-level function.

    Examples
    --------
    >>> jensen_shannon_from_summaries(summarize_categories(["a"]),
    ...                               summarize_categories(["b"])).statistic
    1.0
    """
    _check_threshold(threshold, test=False)
    if isinstance(reference, CategorySummary) and isinstance(current, CategorySummary):
        cats, p, q = _aligned_categories(reference, current)
    else:
        p, q = _histograms(reference, current)
    value = float(_js(p / p.sum(), q / q.sum(), base=2))
    return _result("jensen_shannon", max(value, 0.0), None, threshold)


def _aligned_categories(reference: CategorySummary, current: CategorySummary) -> tuple:
    for name, s in (("reference", reference), ("current", current)):
        if not isinstance(s, CategorySummary):
            raise TypeError(f"{name} must be a CategorySummary, got {type(s).__name__}")
        if s.n == 0:
            raise ValueError(f"{name} must summarise at least one non-missing value, got none")
    rd, cd = reference.as_dict(), current.as_dict()
    cats = sorted(set(rd) | set(cd), key=category_key)
    return (
        cats,
        np.array([rd.get(c, 0) for c in cats], dtype=np.int64),
        np.array([cd.get(c, 0) for c in cats], dtype=np.int64),
    )


def chi_square_from_summaries(
    reference: CategorySummary,
    current: CategorySummary,
    *,
    threshold: float = 0.05,
    unseen: str = "include",
) -> DriftResult:
    """Chi-square test from two category summaries, identical to the row-level function.

    Examples
    --------
    >>> r = chi_square_from_summaries(summarize_categories(["a"] * 50 + ["b"] * 50),
    ...                               summarize_categories(["a"] * 80 + ["b"] * 20))
    >>> r.drifted
    True
    """
    _check_threshold(threshold, test=True)
    if unseen not in ("include", "error"):
        raise ValueError(f"unseen must be 'include' or 'error', got {unseen!r}")
    cats, rc, cc = _aligned_categories(reference, current)
    return _chi_square_from_counts(cats, rc, cc, threshold=threshold, unseen=unseen)
