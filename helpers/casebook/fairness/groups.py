"""Encode one or several sensitive features as integer group codes.

Missing values and values outside the declared groups are errors, never a
silent extra group; several columns give intersectional groups.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["encode_groups"]


def _factorize_unicode(arr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted factorization of a numpy unicode array without converting it to objects.

    Code points are folded in column by column through int64 hash factorizations,
    several times faster than ``pd.factorize`` on the object conversion.
    """
    chars = np.ascontiguousarray(arr).view(np.uint32).reshape(len(arr), -1)
    codes = np.zeros(len(arr), dtype=np.int64)
    for j in range(chars.shape[1]):
        codes, _ = pd.factorize(codes * 0x110000 + chars[:, j])
    # factorize numbers values in order of first appearance, so the running maximum
    # of the codes steps up exactly at each value's first occurrence
    first = np.flatnonzero(np.diff(np.maximum.accumulate(codes), prepend=-1) > 0)
    labels = arr[first]
    order = np.argsort(labels, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[codes].astype(np.int64), labels[order]


def _column_codes(
    values: Any, *, name: str, allowed: Sequence[Any] | None
) -> tuple[np.ndarray, pd.Index]:
    col = values if isinstance(values, pd.Series) else np.asarray(values)
    if isinstance(col, np.ndarray) and col.dtype.kind == "U":
        missing = col == "nan"  # np.array(["a", np.nan]) stores NaN as the text "nan"
    else:
        missing = np.asarray(pd.isna(col))
    if missing.any():
        raise ValueError(
            f"sensitive_features column {name!r} has {int(missing.sum())} missing value(s); "
            "map them to an explicit group (e.g. 'unknown') or drop those rows first"
        )
    if allowed is None and isinstance(col, np.ndarray) and col.dtype.kind == "U":
        codes, uniques = _factorize_unicode(col)
        return codes, pd.Index(uniques.astype(object), name=name)
    if allowed is None:
        codes, uniques = pd.factorize(col, sort=True)
        return codes.astype(np.int64), pd.Index(np.asarray(uniques), name=name)
    index = pd.Index(list(allowed), name=name)
    if not index.is_unique:
        raise ValueError(f"groups for {name!r} must be unique values, got {list(allowed)!r}")
    raw = np.asarray(col)
    codes = index.get_indexer(raw)
    if (codes < 0).any():
        unknown = sorted({str(v) for v in raw[codes < 0]})[:5]
        raise ValueError(
            f"sensitive_features column {name!r} has values not in groups {list(index)!r}: "
            f"{unknown!r}"
        )
    return codes.astype(np.int64), index


def encode_groups(
    sensitive_features: Any,
    *,
    n: int,
    groups: Sequence[Any] | Mapping[str, Sequence[Any]] | None = None,
) -> tuple[np.ndarray, pd.Index]:
    """Encode one or several sensitive features as integer group codes.

    Parameters
    ----------
    sensitive_features : array-like, Series or DataFrame
        One value per row; a DataFrame with several columns defines
        intersectional groups (every observed combination).
    n : int
        The expected number of rows.
    groups : sequence or mapping, optional
        The allowed values (a mapping column -> values for a DataFrame). A
        value outside them raises; listed groups with no rows are kept (their
        rates are then NaN). Default: the observed values.

    Returns
    -------
    codes : numpy.ndarray of int64
        Group code of each row, in ``range(len(index))``.
    index : pandas.Index or pandas.MultiIndex
        The group labels, sorted; a MultiIndex for several columns.

    Raises
    ------
    ValueError
        On missing values, values outside ``groups``, a length other than
        ``n`` or fewer than two groups.

    Examples
    --------
    >>> codes, index = encode_groups(["b", "a", "b"], n=3)
    >>> codes.tolist(), index.tolist()
    ([1, 0, 1], ['a', 'b'])
    """
    if isinstance(sensitive_features, pd.DataFrame):
        columns = {str(c): sensitive_features[c] for c in sensitive_features.columns}
    elif isinstance(sensitive_features, pd.Series):
        columns = {str(sensitive_features.name or "group"): sensitive_features}
    else:
        arr = np.asarray(sensitive_features)
        if arr.ndim == 0:
            raise ValueError(
                "sensitive_features must be array-like with one value per row, "
                f"got {sensitive_features!r}"
            )
        if arr.ndim == 2:
            columns = {f"feature_{j}": arr[:, j] for j in range(arr.shape[1])}
        else:
            columns = {"group": arr.ravel()}
    if not columns:
        raise ValueError("sensitive_features must have at least one column, got none")
    length = len(next(iter(columns.values())))
    if length != n:
        raise ValueError(
            f"sensitive_features must have the same length as y_true ({n}), got {length}"
        )
    cols = list(columns)
    if groups is not None and len(cols) == 1 and not isinstance(groups, Mapping):
        groups = {cols[0]: groups}
    if groups is not None and not isinstance(groups, Mapping):
        raise TypeError(
            f"groups must be a mapping column -> values for {len(cols)} columns, "
            f"got {type(groups).__name__}"
        )
    allowed = dict(groups or {})
    unknown_cols = set(allowed) - set(cols)
    if unknown_cols:
        raise ValueError(f"groups names columns {sorted(unknown_cols)!r} not in {cols!r}")
    parts = [_column_codes(columns[c], name=c, allowed=allowed.get(c)) for c in cols]
    if len(parts) == 1:
        codes, index = parts[0]
    else:
        sizes = [len(ix) for _, ix in parts]
        combined = np.zeros(n, dtype=np.int64)
        for (c, _), size in zip(parts, sizes, strict=True):
            combined = combined * size + c
        if all(c in allowed for c in cols):
            observed = np.arange(int(np.prod(sizes)), dtype=np.int64)
            codes = combined
        else:
            observed, codes = np.unique(combined, return_inverse=True)
        digits = np.unravel_index(observed, sizes)
        index = pd.MultiIndex.from_arrays(
            [ix.to_numpy()[d] for (_, ix), d in zip(parts, digits, strict=True)], names=cols
        )
    if len(index) < 2:
        raise ValueError(
            "sensitive_features must define at least two groups to compare, got one: "
            f"{index.tolist()!r}"
        )
    return codes, index
