"""Group metrics and the generic disparity for binary decisions, vectorized.

All per-group numbers come from one ``numpy.bincount`` over the encoded cell
``(group, y_true, y_pred)``: the confusion counts of every group (or every
intersection of several sensitive features) at once, in milliseconds for a
million rows. Rates follow from the counts:

============== ============================== ==============================
column         definition                     undefined when
============== ============================== ==============================
selection_rate (tp + fp) / n                  never (groups are non-empty)
base_rate      (tp + fn) / n                  never
tpr            tp / (tp + fn)                 the group has no actual positives
fpr            fp / (fp + tn)                 the group has no actual negatives
fnr            fn / (tp + fn)                 no actual positives
tnr            tn / (fp + tn)                 no actual negatives
ppv            tp / (tp + fp)                 nobody in the group is selected
npv            tn / (tn + fn)                 everybody in the group is selected
accuracy       (tp + tn) / n                  never
============== ============================== ==============================

An undefined rate is NaN and an :class:`UndefinedMetricWarning` names the
groups; it is never reported as 0. A disparity over groups is NaN as soon as
one group's rate is undefined.

The named criteria (``demographic_parity_difference`` and friends, and the
all-criteria table ``disparities``) live in :mod:`casebook.fairness.criteria`;
this module holds the counts, the rates and the generic :func:`disparity`.

Disparities are *between groups*: the difference is ``max - min`` over groups
(0 = parity) and the ratio is ``min / max`` (1 = parity, in [0, 1]), as in
fairlearn's ``method="between_groups"``. Equalized odds takes the worse of the
TPR and FPR disparities (fairlearn's ``agg="worst_case"``).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from casebook._validation.binary import check_same_length, encode_binary
from casebook.fairness._checks import check_counts
from casebook.fairness.groups import encode_groups

__all__ = [
    "CRITERIA",
    "RATES",
    "UndefinedMetricWarning",
    "criterion_from_counts",
    "disparity",
    "group_metrics",
    "rates_from_counts",
]

Rate = Literal["selection_rate", "base_rate", "tpr", "fpr", "fnr", "tnr", "ppv", "npv", "accuracy"]
Method = Literal["difference", "ratio"]

#: rate -> (numerator cells, denominator cells, what makes it undefined);
#: cells are indices into (tn, fp, fn, tp).
_RATE_CELLS: dict[str, tuple[tuple[int, ...], tuple[int, ...], str]] = {
    "selection_rate": ((1, 3), (0, 1, 2, 3), "the group is empty"),
    "base_rate": ((2, 3), (0, 1, 2, 3), "the group is empty"),
    "tpr": ((3,), (2, 3), "no actual positives"),
    "fpr": ((1,), (0, 1), "no actual negatives"),
    "fnr": ((2,), (2, 3), "no actual positives"),
    "tnr": ((0,), (0, 1), "no actual negatives"),
    "ppv": ((3,), (1, 3), "nobody selected"),
    "npv": ((0,), (0, 2), "everybody selected"),
    "accuracy": ((0, 3), (0, 1, 2, 3), "the group is empty"),
}
RATES: tuple[str, ...] = tuple(_RATE_CELLS)

#: fairness criterion -> the rates it asks to be equal across groups.
CRITERIA: dict[str, tuple[str, ...]] = {
    "demographic_parity": ("selection_rate",),
    "equal_opportunity": ("tpr",),
    "equalized_odds": ("tpr", "fpr"),
    "predictive_parity": ("ppv",),
}


class UndefinedMetricWarning(UserWarning):
    """A rate is undefined for some group (zero denominator) and was set to NaN."""


def _confusion_cells(
    y_true: Any, y_pred: Any, sensitive_features: Any, groups: Any
) -> tuple[np.ndarray, pd.Index]:
    """Return counts of shape (n_groups, 4) in the order (tn, fp, fn, tp)."""
    t = encode_binary(y_true, name="y_true")
    p = encode_binary(y_pred, name="y_pred")
    n = check_same_length(y_true=t, y_pred=p)
    codes, index = encode_groups(sensitive_features, n=n, groups=groups)
    cell = codes * 4 + t.astype(np.int64) * 2 + p.astype(np.int64)
    counts = np.bincount(cell, minlength=4 * len(index)).reshape(len(index), 4)
    return counts, index


def rates_from_counts(counts: np.ndarray, rate: str) -> np.ndarray:
    """Return ``rate`` for counts shaped ``(..., 4)`` as (tn, fp, fn, tp); NaN if undefined.

    Vectorized over leading axes (e.g. bootstrap resamples); silent.

    Examples
    --------
    >>> rates_from_counts(np.array([[5, 0, 0, 0], [1, 1, 1, 1]]), "tpr").tolist()
    [nan, 0.5]
    """
    if rate not in _RATE_CELLS:
        raise ValueError(f"rate must be one of {list(RATES)}, got {rate!r}")
    counts = check_counts(counts)
    num_idx, den_idx, _ = _RATE_CELLS[rate]
    num = counts[..., list(num_idx)].sum(axis=-1).astype(np.float64)
    den = counts[..., list(den_idx)].sum(axis=-1).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def group_metrics(
    y_true: Any,
    y_pred: Any,
    *,
    sensitive_features: Any,
    groups: Sequence[Any] | Mapping[str, Sequence[Any]] | None = None,
) -> pd.DataFrame:
    """Confusion counts and rates of every group, from one ``bincount``.

    Parameters
    ----------
    y_true, y_pred : array-like of {0, 1} or bool
        Actual outcomes and decisions (1 = the favourable / positive class).
    sensitive_features : array-like, Series or DataFrame
        Group of each row; a DataFrame of several columns gives intersections.
    groups : sequence or mapping, optional
        Allowed group values (see :func:`encode_groups`).

    Returns
    -------
    pandas.DataFrame
        One row per group with ``n``, ``n_positive`` (actual), ``n_selected``,
        ``tn``, ``fp``, ``fn``, ``tp`` and the rates in :data:`RATES`.

    Warns
    -----
    UndefinedMetricWarning
        When a rate has a zero denominator in some group; it is NaN there.

    Examples
    --------
    >>> y_true = [1, 0, 1, 0, 1, 1, 0, 0]
    >>> y_pred = [1, 0, 0, 1, 1, 1, 0, 0]
    >>> sex = ["f", "f", "f", "f", "m", "m", "m", "m"]
    >>> group_metrics(y_true, y_pred, sensitive_features=sex)[["n", "selection_rate", "tpr", "fpr"]]
           n  selection_rate  tpr  fpr
    group
    f      4             0.5  0.5  0.5
    m      4             0.5  1.0  0.0
    """
    counts, index = _confusion_cells(y_true, y_pred, sensitive_features, groups)
    table = pd.DataFrame(
        {
            "n": counts.sum(axis=1),
            "n_positive": counts[:, 2] + counts[:, 3],
            "n_selected": counts[:, 1] + counts[:, 3],
            "tn": counts[:, 0],
            "fp": counts[:, 1],
            "fn": counts[:, 2],
            "tp": counts[:, 3],
        },
        index=index,
    )
    problems = []
    for rate, (_, _, why) in _RATE_CELLS.items():
        values = rates_from_counts(counts, rate)
        table[rate] = values
        if np.isnan(values).any():
            problems.append(f"{rate} ({why}) for group(s) {index[np.isnan(values)].tolist()!r}")
    if problems:
        warnings.warn(
            "undefined rates reported as NaN, not 0: " + "; ".join(problems),
            UndefinedMetricWarning,
            stacklevel=2,
        )
    return table


def _disparity_of(values: np.ndarray, method: str) -> np.ndarray:
    """Between-group disparity over the last axis; NaN if any group is NaN."""
    if method not in ("difference", "ratio"):
        raise ValueError(f"method must be 'difference' or 'ratio', got {method!r}")
    hi = np.max(values, axis=-1)
    lo = np.min(values, axis=-1)
    if method == "difference":
        return hi - lo
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(hi > 0, lo / np.where(hi > 0, hi, 1.0), np.nan)


def criterion_from_counts(counts: np.ndarray, criterion: str, method: str) -> np.ndarray:
    """Disparity of ``criterion`` for counts shaped ``(..., n_groups, 4)``; vectorized.

    Examples
    --------
    >>> counts = np.array([[10, 0, 0, 10], [15, 5, 0, 0]])  # (tn, fp, fn, tp) per group
    >>> float(criterion_from_counts(counts, "demographic_parity", "ratio"))
    0.5
    """
    if criterion in CRITERIA:
        rates = CRITERIA[criterion]
    elif criterion in _RATE_CELLS:
        rates = (criterion,)
    else:
        raise ValueError(
            f"criterion must be one of {list(CRITERIA)} or a rate in {list(RATES)}, "
            f"got {criterion!r}"
        )
    counts = check_counts(counts)
    parts = [_disparity_of(rates_from_counts(counts, r), method) for r in rates]
    if len(parts) == 1:
        return parts[0]
    stacked = np.stack(parts)
    return stacked.max(axis=0) if method == "difference" else stacked.min(axis=0)


def disparity(
    y_true: Any,
    y_pred: Any,
    *,
    sensitive_features: Any,
    metric: str = "selection_rate",
    method: Method = "difference",
) -> float:
    """Between-group disparity of one rate or criterion.

    Parameters
    ----------
    y_true, y_pred : array-like of {0, 1} or bool
    sensitive_features : array-like, Series or DataFrame
    metric : str, default="selection_rate"
        A rate from :data:`RATES` or a criterion from :data:`CRITERIA`.
    method : {"difference", "ratio"}, default="difference"
        ``max - min`` (0 = parity) or ``min / max`` (1 = parity).

    Returns
    -------
    float
        NaN (with an :class:`UndefinedMetricWarning`) when a group's rate is
        undefined.

    Examples
    --------
    >>> disparity([1, 0, 1, 0], [1, 1, 0, 0], sensitive_features=["a", "a", "b", "b"],
    ...           metric="fpr")
    1.0
    """
    counts, index = _confusion_cells(y_true, y_pred, sensitive_features, None)
    value = float(criterion_from_counts(counts, metric, method))
    if np.isnan(value):
        warnings.warn(
            f"{metric} {method} is undefined (a rate has a zero denominator in some group, "
            "or a ratio's largest rate is 0; see group_metrics); reported as NaN",
            UndefinedMetricWarning,
            stacklevel=2,
        )
    return value
