"""Confusion analysis for binary and multi-class classifiers, always with explicit labels.

Every function takes ``labels``, the full, ordered list of classes, so that a
batch in which a class never occurs (a *one-class batch*, e.g. a day with no
spam) still yields a full-sized table instead of a silently smaller one.
Rates that are undefined for such a batch (the recall of a class with no
true members, the precision of a class never predicted) are NaN and raise an
:class:`UndefinedRateWarning`, never a misleading 0.

* :func:`confusion_table` -- counts and row-normalised rates as labelled frames.
* :func:`rates_table` -- precision, recall, F1 and support per class.
* :func:`binary_rates` -- TP/FP/TN/FN with TPR, FPR, TNR, FNR, precision, NPV.
* :func:`top_confused_pairs` -- the off-diagonal cells, largest first.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "ConfusionTable",
    "UndefinedRateWarning",
    "binary_rates",
    "confusion_table",
    "rates_table",
    "top_confused_pairs",
]


class UndefinedRateWarning(UserWarning):
    """A rate has a zero denominator in this batch and is reported as NaN."""


def _show(values: Any, limit: int = 5) -> str:
    return repr(list(values)[:limit])


def _check_labels(labels: Any) -> list[Any]:
    if labels is None or isinstance(labels, str):
        raise ValueError(f"labels must be a sequence of class labels, got {labels!r}")
    labels = list(labels)
    if len(labels) < 2:
        raise ValueError(f"labels must list at least two classes, got {labels!r}")
    if len(set(labels)) != len(labels):
        dupes = sorted({str(x) for x in labels if labels.count(x) > 1})
        raise ValueError(f"labels must be unique, got duplicates {dupes}")
    return labels


def _check_vector(y: Any, *, name: str, labels: list[Any]) -> np.ndarray:
    arr = np.asarray(y, dtype=object)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-dimensional, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty, got 0 elements")
    known = set(labels)
    bad = [v for v in pd.unique(arr) if v not in known]
    if bad:
        raise ValueError(f"{name} has values not in labels {labels!r}: {_show(bad)}")
    return arr


def _validate(y_true: Any, y_pred: Any, labels: Any) -> tuple[np.ndarray, np.ndarray, list]:
    labels = _check_labels(labels)
    yt = _check_vector(y_true, name="y_true", labels=labels)
    yp = _check_vector(y_pred, name="y_pred", labels=labels)
    if len(yt) != len(yp):
        raise ValueError(
            f"y_true and y_pred must have the same length, got {len(yt)} and {len(yp)}"
        )
    return yt, yp, labels


def _counts(yt: np.ndarray, yp: np.ndarray, labels: list[Any]) -> np.ndarray:
    index = {label: i for i, label in enumerate(labels)}
    ti = np.fromiter((index[v] for v in yt), dtype=np.intp, count=len(yt))
    pi = np.fromiter((index[v] for v in yp), dtype=np.intp, count=len(yp))
    k = len(labels)
    return np.bincount(ti * k + pi, minlength=k * k).reshape(k, k)


def _ratio(num: Any, den: Any) -> np.ndarray:
    """num / den elementwise, NaN where den == 0."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    out = np.full(num.shape, np.nan)
    ok = den > 0
    out[ok] = num[ok] / den[ok]
    return out


def _warn_undefined(undefined: list[str]) -> None:
    """Emit one warning listing every undefined rate of a call."""
    if undefined:
        warnings.warn(
            f"undefined (zero denominator) in this batch, reported as NaN: {', '.join(undefined)}",
            UndefinedRateWarning,
            stacklevel=3,
        )


@dataclass(frozen=True)
class ConfusionTable:
    """A confusion matrix with its labels, in counts and in row-normalised rates.

    Attributes
    ----------
    counts : pandas.DataFrame
        Rows are true classes, columns predicted classes, both in ``labels`` order.
    rates : pandas.DataFrame
        ``counts`` divided by each row's total: row ``i`` is the distribution
        of predictions for true class ``i`` (its diagonal cell is the recall).
        A row with no true members is all NaN.
    labels : tuple
        The classes, in order.
    """

    counts: pd.DataFrame
    rates: pd.DataFrame
    labels: tuple

    @property
    def n(self) -> int:
        """Number of examples in the table."""
        return int(self.counts.to_numpy().sum())

    @property
    def accuracy(self) -> float:
        """Share of examples on the diagonal."""
        return float(np.trace(self.counts.to_numpy()) / self.n)

    @property
    def n_errors(self) -> int:
        """Number of off-diagonal examples."""
        return self.n - int(np.trace(self.counts.to_numpy()))


def confusion_table(y_true: Any, y_pred: Any, *, labels: Sequence[Any]) -> ConfusionTable:
    """Count true-versus-predicted pairs for an explicit, ordered list of classes.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n,)
        True and predicted classes; every value must be in ``labels``.
    labels : sequence
        All classes in display order (at least two, unique). Classes absent
        from this batch still get their row and column.

    Returns
    -------
    ConfusionTable
        ``counts`` and row-normalised ``rates`` frames (rows = true class).

    Raises
    ------
    ValueError
        If the lengths differ, an input is empty, a value is not in ``labels``
        or ``labels`` has fewer than two or duplicate entries.

    Examples
    --------
    >>> t = confusion_table(["ham", "ham", "spam", "ham"], ["ham", "spam", "spam", "ham"],
    ...                     labels=["ham", "spam"])
    >>> t.counts
    predicted  ham  spam
    true
    ham          2     1
    spam         0     1
    >>> t.rates.round(3)
    predicted    ham   spam
    true
    ham        0.667  0.333
    spam       0.000  1.000
    >>> t.accuracy
    0.75
    """
    yt, yp, labels = _validate(y_true, y_pred, labels)
    counts = _counts(yt, yp, labels)
    index = pd.Index(labels, name="true")
    columns = pd.Index(labels, name="predicted")
    row = counts.sum(axis=1, keepdims=True).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        rates = np.where(row > 0, counts / np.where(row > 0, row, 1.0), np.nan)
    return ConfusionTable(
        counts=pd.DataFrame(counts, index=index, columns=columns),
        rates=pd.DataFrame(rates, index=index, columns=columns),
        labels=tuple(labels),
    )


def rates_table(y_true: Any, y_pred: Any, *, labels: Sequence[Any]) -> pd.DataFrame:
    """Precision, recall, F1 and support of every class (one-vs-rest).

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n,)
        True and predicted classes.
    labels : sequence
        All classes, in order.

    Returns
    -------
    pandas.DataFrame
        Indexed by class, columns ``support`` (true members), ``predicted``
        (times predicted), ``precision``, ``recall`` and ``f1``. Undefined
        values (a class absent from ``y_true`` or never predicted) are NaN
        and trigger an :class:`UndefinedRateWarning`.

    Examples
    --------
    >>> rates_table(["a", "a", "b", "c"], ["a", "b", "b", "c"], labels=["a", "b", "c"])
           support  predicted  precision  recall        f1
    class
    a            2          1        1.0     0.5  0.666667
    b            1          2        0.5     1.0  0.666667
    c            1          1        1.0     1.0  1.000000
    """
    yt, yp, labels = _validate(y_true, y_pred, labels)
    counts = _counts(yt, yp, labels)
    tp = np.diag(counts)
    support = counts.sum(axis=1)
    predicted = counts.sum(axis=0)
    precision = _ratio(tp, predicted)
    recall = _ratio(tp, support)
    _warn_undefined(
        [f"precision of {labels[i]!r}" for i in np.flatnonzero(predicted == 0)]
        + [f"recall of {labels[i]!r}" for i in np.flatnonzero(support == 0)]
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        denom = precision + recall
        f1 = np.where(denom > 0, 2 * precision * recall / np.where(denom > 0, denom, 1), 0.0)
    f1 = np.where(np.isnan(precision) | np.isnan(recall), np.nan, f1)
    return pd.DataFrame(
        {
            "support": support,
            "predicted": predicted,
            "precision": precision,
            "recall": recall,
            "f1": f1,
        },
        index=pd.Index(labels, name="class"),
    )


def binary_rates(y_true: Any, y_pred: Any, *, labels: Sequence[Any], pos_label: Any) -> pd.Series:
    """The four cells of a binary confusion matrix and the rates built from them.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n,)
        True and predicted classes.
    labels : sequence of two
        Both classes.
    pos_label : object
        The class treated as positive (e.g. ``"spam"``); must be in ``labels``.

    Returns
    -------
    pandas.Series
        ``tp, fp, tn, fn`` (counts), ``tpr`` (recall, sensitivity), ``fpr``,
        ``tnr`` (specificity), ``fnr``, ``precision`` (PPV), ``npv`` and
        ``accuracy``. In a one-class batch the rates whose denominator is
        zero are NaN and an :class:`UndefinedRateWarning` is raised.

    Raises
    ------
    ValueError
        If ``labels`` does not hold exactly two classes or ``pos_label`` is
        not one of them, plus the checks of :func:`confusion_table`.

    Examples
    --------
    >>> r = binary_rates([0, 0, 0, 1, 1], [0, 1, 0, 1, 0], labels=[0, 1], pos_label=1)
    >>> r[["tp", "fp", "tn", "fn"]].astype(int).tolist()
    [1, 1, 2, 1]
    >>> float(r["fpr"]), float(r["tpr"])
    (0.333..., 0.5)
    """
    labels = _check_labels(labels)
    if len(labels) != 2:
        raise ValueError(f"labels must hold exactly two classes, got {labels!r}")
    if pos_label not in labels:
        raise ValueError(f"pos_label must be one of labels {labels!r}, got {pos_label!r}")
    neg_label = labels[0] if labels[1] == pos_label else labels[1]
    yt, yp, labels = _validate(y_true, y_pred, [neg_label, pos_label])
    (tn, fp), (fn, tp) = _counts(yt, yp, labels)
    num = np.array([tp, fp, tn, fn, tp, tn])
    den = np.array([tp + fn, fp + tn, fp + tn, tp + fn, tp + fp, tn + fn])
    names = ["tpr", "fpr", "tnr", "fnr", "precision", "npv"]
    rates = _ratio(num, den)
    _warn_undefined([name for name, d in zip(names, den, strict=True) if d == 0])
    values = {"tp": tp, "fp": fp, "tn": tn, "fn": fn}
    values.update(dict(zip(names, rates, strict=True)))
    values["accuracy"] = (tp + tn) / len(yt)
    return pd.Series(values, dtype=float, name=f"positive={pos_label}")


def top_confused_pairs(
    y_true: Any, y_pred: Any, *, labels: Sequence[Any], k: int = 5
) -> pd.DataFrame:
    """The ``k`` most frequent (true, predicted) errors.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n,)
        True and predicted classes.
    labels : sequence
        All classes.
    k : int, default=5
        How many pairs to return (fewer if there are fewer distinct errors).

    Returns
    -------
    pandas.DataFrame
        Columns ``true``, ``predicted``, ``count``, ``rate`` (share of the
        true class sent to ``predicted``) and ``share_of_errors``, sorted by
        count (ties by rate, then label order). Empty when there is no error.

    Examples
    --------
    >>> top_confused_pairs(list("aaabbc"), list("abbaac"), labels=list("abc"), k=2).round(2)
      true predicted  count  rate  share_of_errors
    0    b         a      2  1.00              0.5
    1    a         b      2  0.67              0.5
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}")
    table = confusion_table(y_true, y_pred, labels=labels)
    counts = table.counts.to_numpy()
    n_errors = table.n_errors
    rows = []
    for i, t in enumerate(table.labels):
        for j, p in enumerate(table.labels):
            if i != j and counts[i, j] > 0:
                rows.append((t, p, int(counts[i, j]), float(table.rates.iat[i, j]), i, j))
    rows.sort(key=lambda r: (-r[2], -r[3], r[4], r[5]))
    frame = pd.DataFrame([r[:4] for r in rows[:k]], columns=["true", "predicted", "count", "rate"])
    frame["count"] = frame["count"].astype(int)
    frame["rate"] = frame["rate"].astype(float)
    frame["share_of_errors"] = frame["count"] / max(n_errors, 1)
    return frame
