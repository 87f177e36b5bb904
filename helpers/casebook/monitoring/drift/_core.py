"""Shared pieces of the drift statistics: the result type, input checks, binning, counts.

Kept apart from :mod:`casebook.monitoring.drift.stats` (the public statistics) so that
:mod:`casebook.monitoring.drift.summaries` computes PSI and chi-square from merged counts
with exactly the same code as the row-level functions. The binning and
empty-bin rules are documented in :mod:`casebook.monitoring.drift.stats`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import special as _sp
from scipy import stats as _st

__all__ = ["DriftResult", "category_key", "quantile_edges"]


_KS_EXACT_MAX_N = 10_000  # scipy's limit for method="auto" choosing the exact test


@dataclass(frozen=True)
class DriftResult:
    """Outcome of one drift statistic on one feature (or on the joint data).

    Attributes
    ----------
    name : str
        The statistic, e.g. ``"psi"`` or ``"ks"``.
    statistic : float
        Its value.
    p_value : float or None
        The p-value, or None for a distance without a test.
    threshold : float
        A significance level when ``p_value`` is set, else a distance cut-off.
    drifted : bool
        ``p_value < threshold`` for tests, ``statistic >= threshold`` otherwise.
    detail : str
        Anything a reader must know, e.g. categories unseen in the reference.
    """

    name: str
    statistic: float
    p_value: float | None
    threshold: float
    drifted: bool
    detail: str = ""


def _result(
    name: str, statistic: float, p_value: float | None, threshold: float, detail: str = ""
) -> DriftResult:
    statistic = float(statistic)
    if p_value is None:
        drifted = bool(statistic >= threshold)
    else:
        p_value = float(p_value)
        drifted = bool(p_value < threshold)
    return DriftResult(name, statistic, p_value, float(threshold), drifted, detail)


def _as_float_array(values: object, *, name: str) -> np.ndarray:
    """``np.asarray(values, dtype=float)``, with a TypeError naming ``name`` if not numeric."""
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be numeric, got {type(values).__name__}: {exc}") from None


def _check_finite(values: np.ndarray, *, name: str) -> None:
    """ValueError naming ``name`` if ``values`` (NaN already dropped) holds +-inf."""
    if np.isinf(values).any():
        raise ValueError(
            f"{name} must be finite, got {int(np.isinf(values).sum())} infinite value(s)"
        )


def _check_instance(value: object, kind: type | tuple[type, ...], *, name: str) -> None:
    """TypeError naming ``name`` unless ``value`` is an instance of ``kind``."""
    if not isinstance(value, kind):
        expected = (
            " or ".join(k.__name__ for k in kind) if isinstance(kind, tuple) else kind.__name__
        )
        raise TypeError(f"{name} must be a {expected}, got {type(value).__name__}")


def _check_integer(value: object, *, name: str, minimum: int | None = None) -> None:
    """TypeError naming ``name`` unless ``value`` is an int (not bool); ValueError if < minimum."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}: {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")


def _check_nonnegative(value: object, *, name: str) -> None:
    """ValueError naming ``name`` unless ``value`` is a finite real number >= 0."""
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float, np.integer, np.floating))
        or not np.isfinite(value)
        or value < 0
    ):
        raise ValueError(f"{name} must be a number >= 0, got {value!r}")


def _check_issues(issues: object, issue_type: type, *, name: str = "issues") -> list:
    """TypeError naming ``name`` unless ``issues`` is a list/tuple of ``issue_type``."""
    if isinstance(issues, (str, bytes)) or not isinstance(issues, (list, tuple)):
        raise TypeError(
            f"{name} must be a list of {issue_type.__name__}, got {type(issues).__name__}"
        )
    bad = [type(i).__name__ for i in issues if not isinstance(i, issue_type)]
    if bad:
        raise TypeError(
            f"{name} must be a list of {issue_type.__name__}, got items of type {sorted(set(bad))}"
        )
    return list(issues)


def _check_columns(frame: pd.DataFrame, columns: object, *, name: str) -> None:
    """ValueError naming ``name`` and the missing columns if ``frame`` lacks any of ``columns``."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{name} is missing column(s) {missing}; it has {list(map(str, frame.columns))}"
        )


def _check_threshold(threshold: float, *, test: bool, name: str = "threshold") -> None:
    if not isinstance(threshold, (int, float, np.integer, np.floating)) or isinstance(
        threshold, bool
    ):
        raise TypeError(f"{name} must be a number, got {type(threshold).__name__}")
    if test and not 0 < threshold < 1:
        raise ValueError(f"{name} must be a significance level in (0, 1), got {threshold}")
    if not test and not threshold > 0:
        raise ValueError(f"{name} must be a positive distance, got {threshold}")


def _numeric(values: ArrayLike, *, name: str) -> np.ndarray:
    """Return a 1-d float array without NaN; TypeError if not numeric, ValueError if empty."""
    if isinstance(values, pd.Series):
        if not (pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)):
            raise TypeError(f"{name} must be numeric, got dtype {values.dtype}")
        arr = values.to_numpy(dtype=float, na_value=np.nan)
    else:
        arr = np.asarray(values)
        if arr.dtype.kind not in "iuf":
            raise TypeError(f"{name} must be numeric, got dtype {arr.dtype}")
        arr = arr.astype(float, copy=False)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-dimensional, got shape {arr.shape}")
    arr = arr[~np.isnan(arr)]
    if arr.size == 0:
        raise ValueError(f"{name} must hold at least one non-missing value, got none")
    return arr


def _categories(values: ArrayLike, *, name: str) -> pd.Series:
    s = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values, dtype=object))
    s = s.dropna()
    if s.size == 0:
        raise ValueError(f"{name} must hold at least one non-missing value, got none")
    return s.astype(object)


def quantile_edges(reference: ArrayLike, *, bins: int = 10) -> np.ndarray:
    """Bin edges from the reference's quantiles, with open outer bins.

    Parameters
    ----------
    reference : array-like of float
        The reference sample (NaN dropped).
    bins : int, default=10
        Number of quantile bins requested; tied quantiles collapse.

    Returns
    -------
    numpy.ndarray
        ``[-inf, q_1, ..., q_{bins-1}, +inf]`` with unique interior edges.

    Examples
    --------
    >>> quantile_edges([1, 2, 3, 4], bins=2)
    array([-inf,  2.5,  inf])
    >>> quantile_edges([0] * 9 + [1], bins=4)  # tied quantiles collapse
    array([-inf,  0.,  inf])
    """
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or bins < 2:
        raise ValueError(f"bins must be an integer >= 2, got {bins!r}")
    ref = _numeric(reference, name="reference")
    interior = np.unique(np.quantile(ref, np.linspace(0, 1, bins + 1)[1:-1]))
    return np.concatenate([[-np.inf], interior, [np.inf]])


def _edges(reference: np.ndarray, bins: int | ArrayLike) -> np.ndarray:
    if isinstance(bins, (int, np.integer)) and not isinstance(bins, bool):
        return quantile_edges(reference, bins=bins)
    edges = np.asarray(bins, dtype=float)
    if edges.ndim != 1 or edges.size < 2 or np.any(np.diff(edges) <= 0):
        raise ValueError(
            f"bins must be an integer or a strictly increasing array of >= 2 edges, got {bins!r}"
        )
    return np.concatenate([[-np.inf], edges[1:-1], [np.inf]])


def _bin_counts(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Counts per bin ``[e_i, e_{i+1})``; ``edges`` start at -inf and end at +inf."""
    idx = np.searchsorted(edges[1:-1], values, side="right")
    return np.bincount(idx, minlength=edges.size - 1)


def _psi_from_counts(ref_counts: np.ndarray, cur_counts: np.ndarray, *, eps: float) -> float:
    ref = np.asarray(ref_counts, dtype=float) / np.sum(ref_counts)
    cur = np.asarray(cur_counts, dtype=float) / np.sum(cur_counts)
    ref = np.where(ref == 0, eps, ref)
    cur = np.where(cur == 0, eps, cur)
    return float(np.sum((cur - ref) * np.log(cur / ref)))


def _check_eps(eps: float) -> None:
    if (
        not isinstance(eps, (int, float, np.integer, np.floating))
        or isinstance(eps, bool)
        or not 0 < eps < 1
    ):
        raise ValueError(f"eps must be a number in (0, 1), got {eps!r}")


def _smirnov_sf(n: int, d: float) -> float:
    """One-sided Smirnov survival function, Birnbaum-Tingey sum in log space.

    Equals ``scipy.special.smirnov(n, d)`` to ~1e-9 relative but runs in
    O(n) vectorised numpy instead of a scalar loop (15x faster at n = 5e5).
    """
    j = np.arange(0, int(np.floor(n * (1 - d))) + 1, dtype=float)
    a = 1 - d - j / n
    j, a = j[a > 0], a[a > 0]
    log_terms = (
        _sp.gammaln(n + 1) - _sp.gammaln(j + 1) - _sp.gammaln(n - j + 1)
        + (n - j) * np.log(a) + (j - 1) * np.log(d + j / n)
    )  # fmt: skip
    top = log_terms.max()
    return float(d * np.exp(top) * np.sum(np.exp(log_terms - top)))


def _kstwo_sf(d: float, n: float) -> float:
    """``scipy.stats.kstwo.sf(d, n)``, with scipy's slow 2 * smirnov branch vectorised."""
    t = n * d
    if n > 140 and 1 < t < n - 1 and d < 0.5 and 2.2 <= t * d < 370:
        return min(1.0, 2 * _smirnov_sf(int(n), d))  # the branch scipy takes here
    return float(_st.kstwo.sf(d, n))


def _value_counts(values: pd.Series) -> dict:
    """Non-zero counts per category, keys as plain Python scalars."""
    vc = values.value_counts(sort=False)
    return {(k.item() if isinstance(k, np.generic) else k): int(v) for k, v in vc.items() if v > 0}


def category_key(category: object) -> tuple[str, str]:
    """Sort key that orders categories of mixed types deterministically.

    Examples
    --------
    >>> sorted(["b", 1, "a"], key=category_key)
    [1, 'a', 'b']
    """
    return (type(category).__name__, str(category))


def _category_counts(ref: pd.Series, cur: pd.Series) -> tuple[list, np.ndarray, np.ndarray]:
    rc, cc = _value_counts(ref), _value_counts(cur)
    cats = sorted(set(rc) | set(cc), key=category_key)
    return (
        cats,
        np.array([rc.get(c, 0) for c in cats], dtype=np.int64),
        np.array([cc.get(c, 0) for c in cats], dtype=np.int64),
    )


def _chi_square_from_counts(
    cats: list, ref_counts: np.ndarray, cur_counts: np.ndarray, *, threshold: float, unseen: str
) -> DriftResult:
    new = [c for c, r, k in zip(cats, ref_counts, cur_counts, strict=True) if r == 0 and k > 0]
    if new and unseen == "error":
        raise ValueError(
            f"current holds categories unseen in the reference: {new}; "
            "pass unseen='include' to test them as extra categories"
        )
    keep = (ref_counts + cur_counts) > 0
    table = np.vstack([ref_counts[keep], cur_counts[keep]])
    res = _st.chi2_contingency(table)
    detail = f"{table.shape[1]} categories"
    if new:
        detail += f"; unseen in reference: {new}"
    return _result("chi_square", res.statistic, res.pvalue, threshold, detail)


def _is_numeric(values: ArrayLike) -> bool:
    if isinstance(values, pd.Series):
        return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    return np.asarray(values).dtype.kind in "iuf"


def _matrix(values: ArrayLike, *, name: str) -> np.ndarray:
    if isinstance(values, pd.DataFrame):
        bad = [c for c in values.columns if not _is_numeric(values[c])]
        if bad:
            raise TypeError(f"{name} must have numeric columns only, got non-numeric {bad}")
        arr = values.to_numpy(dtype=float, na_value=np.nan)
    else:
        arr = np.asarray(values)
        if arr.dtype.kind not in "iuf":
            raise TypeError(f"{name} must be numeric, got dtype {arr.dtype}")
        arr = arr.astype(float)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise ValueError(f"{name} must be 1- or 2-dimensional, got shape {arr.shape}")
    arr = arr[~np.isnan(arr).any(axis=1)]
    if arr.shape[0] < 2:
        raise ValueError(f"{name} must hold at least 2 complete rows, got {arr.shape[0]}")
    return arr
