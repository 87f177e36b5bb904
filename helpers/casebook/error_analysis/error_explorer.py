"""Per-slice confusion counts, rates and costs of one or two decision rules (the error explorer).

A stakeholder asks *where* a model fails and *what would change* with another
threshold or another model. :func:`slice_confusion` answers the first question
for one decision rule: it cuts the rows into slices (the values of one feature,
or any labels you pass) and gives, per slice and for all rows, the confusion
counts, the usual rates and the cost of the errors. :func:`error_explorer_state`
does it for one or two *views* (a view is a name, a score array and a threshold)
on one column of a feature frame, and adds their difference, view B minus view
A, slice by slice. It is the pure function behind
:func:`casebook.plots.error_explorer.error_explorer`.

Rates and their denominators (a rate whose denominator is 0 in a slice is NaN,
never 0: "no negatives in this slice" is not "no false alarms"):

========================  =========================  ==================
rate                      numerator                  denominator
========================  =========================  ==================
``error_rate``            FP + FN                    n
``fpr``                   FP                         FP + TN (negatives)
``fnr`` / ``tpr``         FN / TP                    TP + FN (positives)
``precision``             TP                         TP + FP (selected)
``selection_rate``        TP + FP                    n
========================  =========================  ==================

With ``intervals=True`` each rate gets a Wilson score interval (``<rate>_low``,
``<rate>_high``): a slice of 12 rows should not look as certain as one of 2,000.
Slice labels are strings; a missing value (NaN, None, ``pd.NA``) is its own
``"missing"`` slice. Numeric features are binned by
:func:`casebook.error_analysis.slices.bin_feature`.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from casebook._validation.binary import (
    check_cost,
    check_same_length,
    check_scores,
    encode_binary,
)
from casebook.error_analysis.slices import MISSING, _check_support, bin_feature

__all__ = ["RATES", "ErrorExplorerState", "error_explorer_state", "slice_confusion"]

Rate = Literal["error_rate", "fpr", "fnr", "tpr", "precision", "selection_rate"]
RATES: tuple[str, ...] = ("error_rate", "fpr", "fnr", "tpr", "precision", "selection_rate")
ALL = "all"


def _check_threshold(threshold: Any, n: int) -> float | np.ndarray:
    """A finite number, or one finite number per row (per-row thresholds, e.g. per group)."""
    if isinstance(threshold, (bool, np.bool_)):
        raise ValueError(f"threshold must be a number or one number per row, got {threshold!r}")
    if np.ndim(threshold) == 0:
        if not isinstance(threshold, (int, float, np.number)):
            raise ValueError(f"threshold must be a number, got {threshold!r}")
        if not np.isfinite(float(threshold)):
            raise ValueError(f"threshold must be finite (not NaN), got {threshold!r}")
        return float(threshold)
    arr = check_scores(threshold, name="threshold")
    if arr.shape[0] != n:
        raise ValueError(
            f"threshold must be a number or one number per row ({n}), got {arr.shape[0]} values"
        )
    return arr


def _slice_codes(slices: Any, n: int) -> tuple[np.ndarray, list[str]]:
    """Integer code per row and the ordered slice names (categories keep their order)."""
    if isinstance(slices, (str, bytes)) or np.ndim(slices) != 1:
        raise ValueError(f"slices must be 1-D with one label per row, got {slices!r:.60}")
    series = (
        pd.Series(slices) if not isinstance(slices, pd.Series) else slices.reset_index(drop=True)
    )
    if len(series) != n:
        check_same_length(y_true=np.empty(n), slices=series.to_numpy())
    missing = series.isna().to_numpy()
    if isinstance(series.dtype, pd.CategoricalDtype):
        order = [str(c) for c in series.cat.categories if (series == c).any()]
    else:
        order = sorted({str(v) for v in series[~missing]})
    labels = series.astype(object).where(~missing, MISSING).map(str).to_numpy()
    if missing.any() and MISSING not in order:
        order.append(MISSING)
    if ALL in order:
        raise ValueError(f"slices must not use the label {ALL!r}: it names the row for all rows")
    if len(set(order)) != len(order):
        raise ValueError(f"slices must have distinct labels as strings, got {order}")
    codes = pd.Categorical(labels, categories=order).codes
    return codes.astype(np.intp), order


def _wilson(k: np.ndarray, n: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of k successes in n trials (NaN where n == 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    low = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
    high = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return np.minimum(low, p), np.maximum(high, p)


def _rate_parts(t: pd.DataFrame) -> dict[str, tuple[pd.Series, pd.Series]]:
    pos, neg, sel = t["tp"] + t["fn"], t["fp"] + t["tn"], t["tp"] + t["fp"]
    return {
        "error_rate": (t["fp"] + t["fn"], t["n"]),
        "fpr": (t["fp"], neg),
        "fnr": (t["fn"], pos),
        "tpr": (t["tp"], pos),
        "precision": (t["tp"], sel),
        "selection_rate": (sel, t["n"]),
    }


def slice_confusion(
    y_true: Any,
    y_score: Any,
    slices: Any,
    *,
    threshold: Any,
    fp_cost: Any = 1.0,
    fn_cost: Any = 1.0,
    labels: Sequence[Hashable] = (0, 1),
    intervals: bool = False,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Confusion counts, rates and cost of ``score >= threshold``, per slice and for all rows.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        True labels, values in ``labels``.
    y_score : array-like of shape (n,)
        Scores; a row is flagged (predicted positive) when ``score >= threshold``.
    slices : array-like of shape (n,)
        The slice of each row (any labels; compared as strings). Missing values
        form a ``"missing"`` slice. A pandas Categorical keeps its category
        order; other labels are sorted.
    threshold : float or array-like of shape (n,)
        One threshold, or one per row (e.g. a threshold per group).
    fp_cost, fn_cost : float or array-like of shape (n,), default=1.0
        Cost of a false positive / false negative (per row if an array).
    labels : pair, default=(0, 1)
        ``(negative, positive)`` values of ``y_true``.
    intervals : bool, default=False
        Add Wilson score intervals ``<rate>_low`` and ``<rate>_high`` for every rate.
    confidence : float, default=0.95
        Coverage of the intervals.

    Returns
    -------
    pandas.DataFrame
        Indexed by slice (``"slice"``), with a last row ``"all"``. Columns ``n``,
        ``tp``, ``fp``, ``tn``, ``fn`` (int), the rates ``error_rate``, ``fpr``,
        ``fnr``, ``tpr``, ``precision``, ``selection_rate`` (NaN on an empty
        denominator), ``cost`` (FP and FN costs added up) and ``cost_per_row``.

    Examples
    --------
    >>> t = slice_confusion([0, 0, 1, 1, 0, 1], [0.9, 0.2, 0.8, 0.3, 0.1, 0.7],
    ...                     ["a", "a", "a", "b", "b", "b"], threshold=0.5, fp_cost=5)
    >>> t[["n", "tp", "fp", "tn", "fn", "error_rate", "fpr", "cost"]]
           n  tp  fp  tn  fn  error_rate       fpr  cost
    slice
    a      3   1   1   1   0    0.333333  0.500000   5.0
    b      3   1   0   1   1    0.333333  0.000000   1.0
    all    6   2   1   2   1    0.333333  0.333333   6.0
    """
    if not isinstance(intervals, bool):
        raise TypeError(f"intervals must be a bool, got {type(intervals).__name__}")
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float, np.number)):
        raise ValueError(f"confidence must be a number in (0, 1), got {confidence!r}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence!r}")
    y = encode_binary(y_true, labels=labels, name="y_true")
    score = check_scores(y_score, name="y_score")
    n = check_same_length(y_true=y, y_score=score)
    codes, order = _slice_codes(slices, n)
    thr = _check_threshold(threshold, n)
    fp_c = check_cost(fp_cost, name="fp_cost", n=n)
    fn_c = check_cost(fn_cost, name="fn_cost", n=n)
    pred = score >= thr
    cells = {"tp": y & pred, "fp": ~y & pred, "tn": ~y & ~pred, "fn": y & ~pred}
    k = len(order)
    counts = {
        c: np.bincount(codes, weights=m, minlength=k).astype(np.int64) for c, m in cells.items()
    }
    row_cost = fp_c * cells["fp"] + fn_c * cells["fn"]
    table = pd.DataFrame(counts, index=pd.Index(order, name="slice"))
    table.insert(0, "n", np.bincount(codes, minlength=k).astype(np.int64))
    table["cost"] = np.bincount(codes, weights=np.broadcast_to(row_cost, (n,)), minlength=k)
    table.loc[ALL] = table.sum(axis=0)
    table = table.astype({c: np.int64 for c in ("n", "tp", "fp", "tn", "fn")})
    table["cost"] = table["cost"].astype(float)
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    parts = _rate_parts(table)
    for rate, (num, den) in parts.items():
        with np.errstate(divide="ignore", invalid="ignore"):
            table[rate] = np.where(den > 0, num / den.where(den > 0, 1), np.nan)
    table["cost_per_row"] = table["cost"] / table["n"]
    columns = ["n", "tp", "fp", "tn", "fn", *RATES, "cost", "cost_per_row"]
    table = table[columns]
    if intervals:
        for rate, (num, den) in parts.items():
            low, high = _wilson(num.to_numpy(float), den.to_numpy(float), z)
            table[f"{rate}_low"], table[f"{rate}_high"] = low, high
    return table


@dataclass(frozen=True, eq=False)
class ErrorExplorerState:
    """What the error explorer shows for one setting of its controls.

    Attributes
    ----------
    by : str
        The column the rows are sliced by.
    names : tuple of str
        The views, in order (view A first).
    thresholds : dict
        View name -> its threshold (a float), or None for per-row thresholds.
    tables : dict of pandas.DataFrame
        View name -> :func:`slice_confusion` table with Wilson intervals.
    comparison : pandas.DataFrame or None
        View B minus view A per slice (``n`` kept, counts, rates and costs
        differenced); None with one view.
    min_support : int
        Slices with fewer rows are marked as too small to read.
    """

    by: str
    names: tuple[str, ...]
    thresholds: dict[str, float | None]
    tables: dict[str, pd.DataFrame]
    comparison: pd.DataFrame | None
    min_support: int

    @property
    def slices(self) -> list[str]:
        """Slice names in display order, without the ``"all"`` row."""
        return [s for s in self.tables[self.names[0]].index if s != ALL]

    def summary(self) -> str:
        """One plain-language line per view for a stakeholder."""
        lines = []
        for name in self.names:
            t = self.tables[name]
            a = t.loc[ALL]
            thr = self.thresholds[name]
            at = f"threshold {thr:.3f}" if thr is not None else "per-row thresholds"
            readable = t.drop(index=ALL)
            readable = readable[readable["n"] >= self.min_support].dropna(subset=["error_rate"])
            worst = ""
            if len(readable):
                s = readable["error_rate"].idxmax()
                worst = (f"; most errors where {self.by} = {s} "
                         f"({readable.loc[s, 'error_rate']:.1%} of {int(readable.loc[s, 'n']):,})")  # fmt: skip
            lines.append(
                f"{name} ({at}): {int(a['tp']):,} caught, {int(a['fn']):,} missed, "
                f"{int(a['fp']):,} false alarm(s) in {int(a['n']):,} rows; error rate "
                f"{a['error_rate']:.1%}, cost {a['cost']:,.2f} ({a['cost_per_row']:.3f} per row)"
                f"{worst}."
            )
        return "\n".join(lines)


def _slice_labels(column: pd.Series, *, bins: int, strategy: str) -> pd.Categorical:
    """Binned labels of one feature, ordered by value for numbers, by label otherwise."""
    values = column.reset_index(drop=True)
    labels = bin_feature(values, bins=bins, strategy=strategy)
    present = labels[labels != MISSING]
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    if numeric:
        lowest = values[labels != MISSING].astype(float).groupby(present.to_numpy()).min()
        order = list(lowest.sort_values(kind="stable").index)
    else:
        order = sorted(set(present))
    if (labels == MISSING).any():
        order.append(MISSING)
    return pd.Categorical(labels.to_numpy(), categories=order)


def _check_views(views: Any) -> dict[str, tuple[Any, Any]]:
    if not isinstance(views, Mapping):
        raise TypeError(
            f"views must be a mapping name -> (scores, threshold), got {type(views).__name__}"
        )
    if not 1 <= len(views) <= 2:
        raise ValueError(f"views must hold one or two views, got {len(views)}")
    out = {}
    for name, view in views.items():
        if not isinstance(name, str) or not name:
            raise TypeError(f"views must be keyed by non-empty names (str), got {name!r}")
        if not isinstance(view, (tuple, list)) or len(view) != 2:
            raise TypeError(f"views[{name!r}] must be a pair (scores, threshold), got {view!r:.60}")
        out[name] = (view[0], view[1])
    return out


def error_explorer_state(
    X: pd.DataFrame,
    y_true: Any,
    views: Mapping[str, tuple[Any, Any]],
    *,
    by: str,
    fp_cost: Any = 1.0,
    fn_cost: Any = 1.0,
    bins: int = 4,
    strategy: Literal["quantile", "uniform"] = "quantile",
    labels: Sequence[Hashable] = (0, 1),
    min_support: int = 30,
    confidence: float = 0.95,
) -> ErrorExplorerState:
    """Per-slice confusion tables of one or two views on one column of ``X`` (pure, no plotting).

    Parameters
    ----------
    X : pandas.DataFrame
        Features (or any columns to slice by), one row per example, in the order of ``y_true``.
    y_true : array-like of shape (n,)
        True labels, values in ``labels``.
    views : mapping of str to (scores, threshold)
        One or two views: e.g. two thresholds on one model's scores, or two
        models' scores. ``threshold`` is a number or one number per row.
    by : str
        Column of ``X`` to slice by (numeric columns binned, see
        :func:`~casebook.error_analysis.slices.bin_feature`).
    fp_cost, fn_cost : float or array-like of shape (n,), default=1.0
        Costs of the two errors.
    bins, strategy
        Binning of a numeric ``by`` column.
    labels : pair, default=(0, 1)
        ``(negative, positive)`` values of ``y_true``.
    min_support : int, default=30
        Slices with fewer rows are marked too small to read (kept in the tables).
    confidence : float, default=0.95
        Coverage of the Wilson intervals.

    Returns
    -------
    ErrorExplorerState

    Examples
    --------
    >>> X = pd.DataFrame({"kind": ["a", "a", "b", "b", "b", "a"]})
    >>> s = [0.9, 0.2, 0.8, 0.3, 0.6, 0.7]
    >>> state = error_explorer_state(X, [0, 0, 1, 1, 0, 1], {"0.5": (s, 0.5), "0.75": (s, 0.75)},
    ...                              by="kind", min_support=1)
    >>> state.comparison[["fp", "fn", "cost"]]
           fp  fn  cost
    slice
    a       0   1   1.0
    b      -1   0  -1.0
    all    -1   1   0.0
    """
    if not isinstance(X, pd.DataFrame):
        raise TypeError(f"X must be a pandas DataFrame, got {type(X).__name__}")
    if not isinstance(by, str) or by not in X.columns:
        raise ValueError(f"by must name a column of X {list(X.columns)[:10]}, got {by!r}")
    min_support = _check_support(min_support)
    checked = _check_views(views)
    y = encode_binary(y_true, labels=labels, name="y_true")
    check_same_length(X=np.empty(len(X)), y_true=y)
    check_cost(fp_cost, name="fp_cost", n=len(y))  # costs first: their errors name no view
    check_cost(fn_cost, name="fn_cost", n=len(y))
    slices = _slice_labels(X[by], bins=bins, strategy=strategy)
    tables, thresholds = {}, {}
    for name, (scores, threshold) in checked.items():
        try:
            tables[name] = slice_confusion(y, scores, slices, threshold=threshold, fp_cost=fp_cost,
                                           fn_cost=fn_cost, labels=(False, True), intervals=True,
                                           confidence=confidence)  # fmt: skip
        except (TypeError, ValueError) as exc:  # name the view: which scores or threshold
            raise type(exc)(f"views[{name!r}]: {exc}") from None
        thresholds[name] = float(threshold) if np.ndim(threshold) == 0 else None
    names = tuple(tables)
    comparison = None
    if len(names) == 2:
        keep = ["tp", "fp", "tn", "fn", *RATES, "cost", "cost_per_row"]
        a, b = tables[names[0]], tables[names[1]]
        comparison = b[keep] - a[keep]
        comparison.insert(0, "n", a["n"])
    return ErrorExplorerState(by, names, thresholds, tables, comparison, min_support)
