"""Compare two sets of decisions on the same people, with paired bootstrap intervals.

"Model B is fairer and costs a point of accuracy" is a claim about a
*difference* measured on one sample. Both models decided the same rows, so
the honest interval resamples rows once and scores both models on each
resample (a paired bootstrap): the noise the two share cancels out of the
difference. Rows are resampled within each group (each group keeps its size),
as in :mod:`casebook.fairness.intervals`. Each row falls in one of eight cells
per group (label x decision A x decision B), so a resample is one multinomial
draw per group and a thousand resamples cost milliseconds.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from casebook._validation.arrays import plain_frame
from casebook._validation.binary import check_same_length, encode_binary
from casebook.fairness.groups import encode_groups
from casebook.fairness.intervals import _check_resampling

__all__ = ["compare_decisions", "describe_difference", "describe_interval"]


def _metrics(cells: np.ndarray, index: pd.Index) -> dict[str, np.ndarray]:
    """Metrics of decisions A and B from cells shaped (..., n_groups, 2, 2, 2) = (y, a, b)."""
    out: dict[str, np.ndarray] = {}
    n_total = cells.sum(axis=(-4, -3, -2, -1))
    group_n = cells.sum(axis=(-3, -2, -1))
    with np.errstate(divide="ignore", invalid="ignore"):
        for side in ("a", "b"):
            # cells summed over the other decision: (..., groups, y, decision)
            two = cells.sum(axis=-1 if side == "a" else -2)
            correct = two[..., 0, 0].sum(axis=-1) + two[..., 1, 1].sum(axis=-1)
            out[f"accuracy|{side}"] = correct / n_total
            selected = two[..., :, 1].sum(axis=-1)
            sel = selected / group_n
            positives = two[..., 1, :].sum(axis=-1)
            tpr = two[..., 1, 1] / positives
            for j, g in enumerate(index):
                out[f"selection_rate_{g}|{side}"] = sel[..., j]
                out[f"tpr_{g}|{side}"] = tpr[..., j]
            if len(index) == 2:  # signed: its interval is not pushed away from zero
                out[f"selection_rate_gap|{side}"] = sel[..., 1] - sel[..., 0]
            out[f"dp_difference|{side}"] = sel.max(axis=-1) - sel.min(axis=-1)
            out[f"dp_ratio|{side}"] = sel.min(axis=-1) / sel.max(axis=-1)
            out[f"tpr_difference|{side}"] = tpr.max(axis=-1) - tpr.min(axis=-1)
    return out


def compare_decisions(
    y_true: Any,
    y_pred_a: Any,
    y_pred_b: Any,
    *,
    sensitive_features: Any,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Accuracy and group rates of two decision sets, and their difference, with intervals.

    Parameters
    ----------
    y_true : array-like of {0, 1}
        Labels of the rows both decision sets decided.
    y_pred_a, y_pred_b : array-like of {0, 1}
        Decisions of model A (e.g. the baseline) and model B (e.g. the mitigated one).
    sensitive_features : array-like
        Group of each row (two or more groups).
    n_resamples : int, default=1000
        Paired bootstrap resamples (rows resampled within groups).
    confidence : float, default=0.95
    seed : int, default=0

    Returns
    -------
    pandas.DataFrame
        One row per metric: ``accuracy``, ``selection_rate_<group>`` and
        ``tpr_<group>`` for each group, ``dp_difference`` (max - min selection
        rate), ``dp_ratio`` (min / max) and ``tpr_difference``; with exactly
        two groups also ``selection_rate_gap``, the *signed* gap (second group
        in sorted order minus the first), whose interval is the one to read
        near parity (``dp_difference`` is a distance, so its bootstrap
        distribution cannot cross zero and is biased upwards there). Columns ``a``,
        ``a_low``, ``a_high``, ``b``, ``b_low``, ``b_high``, ``difference``
        (``b - a``), ``low``, ``high`` (percentile interval of the paired
        difference) and ``excludes_zero`` (the interval of the difference
        lies entirely above or below zero). A metric undefined on the data
        (a group without positives) is NaN, with ``excludes_zero`` False.

    Raises
    ------
    ValueError
        If the labels or decisions are not binary, lengths differ, there are
        fewer than two groups, or ``n_resamples`` / ``confidence`` are invalid.

    Examples
    --------
    >>> y = [1, 0, 1, 0, 1, 0, 1, 0]
    >>> a = [1, 0, 1, 0, 0, 0, 0, 0]
    >>> b = [1, 0, 1, 0, 1, 0, 0, 0]
    >>> g = ["m"] * 4 + ["f"] * 4
    >>> t = compare_decisions(y, a, b, sensitive_features=g, n_resamples=50)
    >>> t.loc["dp_difference", ["a", "b", "difference"]].tolist()
    [0.5, 0.25, -0.25]
    """
    _check_resampling(n_resamples, confidence)
    t = encode_binary(y_true, name="y_true")
    a = encode_binary(y_pred_a, name="y_pred_a")
    b = encode_binary(y_pred_b, name="y_pred_b")
    n = check_same_length(y_true=t, y_pred_a=a, y_pred_b=b)
    codes, index = encode_groups(sensitive_features, n=n)
    cell = codes * 8 + t.astype(np.int64) * 4 + a.astype(np.int64) * 2 + b.astype(np.int64)
    counts = np.bincount(cell, minlength=8 * len(index)).reshape(len(index), 8)
    rng = np.random.default_rng(seed)
    boot = np.zeros((n_resamples, len(index), 8), dtype=np.int64)
    for j, row in enumerate(counts):
        size = int(row.sum())
        if size > 0:
            boot[:, j, :] = rng.multinomial(size, row / size, size=n_resamples)
    point = _metrics(counts.reshape(len(index), 2, 2, 2), index)
    dist = _metrics(boot.reshape(n_resamples, len(index), 2, 2, 2), index)
    alpha = (1 - confidence) / 2

    def interval(values: np.ndarray) -> tuple[float, float]:
        valid = values[~np.isnan(values)]
        if len(valid) < len(values) / 2:
            return math.nan, math.nan
        low, high = np.quantile(valid, [alpha, 1 - alpha])
        return float(low), float(high)

    rows = {}
    for key in [k.split("|")[0] for k in point if k.endswith("|a")]:
        pa, pb = float(point[f"{key}|a"]), float(point[f"{key}|b"])
        diff = dist[f"{key}|b"] - dist[f"{key}|a"]
        low, high = interval(diff)
        defined = not (math.isnan(pa) or math.isnan(pb))
        rows[key] = {
            "a": pa,
            "a_low": interval(dist[f"{key}|a"])[0],
            "a_high": interval(dist[f"{key}|a"])[1],
            "b": pb,
            "b_low": interval(dist[f"{key}|b"])[0],
            "b_high": interval(dist[f"{key}|b"])[1],
            "difference": pb - pa if defined else math.nan,
            "low": low if defined else math.nan,
            "high": high if defined else math.nan,
            "excludes_zero": bool(defined and (low > 0 or high < 0)),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    order = sorted(
        table.index,
        key=lambda k: (k.startswith("tpr"), k.startswith(("dp_", "selection_rate_gap"))),
    )
    table = table.loc[sorted(order, key=lambda k: k != "accuracy")]
    table.index.name = "metric"
    return table


def describe_difference(
    table: pd.DataFrame,
    metric: str,
    *,
    scale: float = 100.0,
    unit: str = "points",
    decimals: int = 1,
) -> str:
    """One phrase reading a paired difference and its interval, for prose rendered from results.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`compare_decisions`.
    metric : str
        A row of ``table``.
    scale : float, default=100
        Multiplies the numbers (100: rates as points).
    unit : str, default="points"
        Written after the estimate; ``""`` for none.
    decimals : int, default=1
        Decimal places of the numbers.

    Returns
    -------
    str
        ``"+2.1 points (95% CI +0.8 to +3.4; excludes zero)"`` or ``"...;
        not distinguishable from zero)"``; the sign is read from the data.

    Examples
    --------
    >>> t = pd.DataFrame({"difference": [0.021], "low": [0.008], "high": [0.034],
    ...                   "excludes_zero": [True]}, index=["accuracy"])
    >>> describe_difference(t, "accuracy")
    '+2.1 points (95% CI +0.8 to +3.4; excludes zero)'
    >>> describe_difference(t, "accuracy", scale=1, unit="", decimals=3)
    '+0.021 (95% CI +0.008 to +0.034; excludes zero)'
    """
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table must be a pandas DataFrame, got {type(table).__name__}")
    table = plain_frame(table)  # nullable / Arrow columns: pd.NA behaves like NaN
    missing = [c for c in ("difference", "low", "high", "excludes_zero") if c not in table.columns]
    if missing:
        raise ValueError(f"table is missing column(s) {missing}; it has {list(table.columns)}")
    if metric not in table.index:
        raise ValueError(f"metric must be a row of table {list(table.index)}, got {metric!r}")
    row = table.loc[metric]
    values = [float(row[c]) for c in ("difference", "low", "high")]
    return describe_interval(values, scale=scale, unit=unit, decimals=decimals)


def describe_interval(
    values: Any, *, scale: float = 100.0, unit: str = "points", decimals: int = 1
) -> str:
    """Read ``[estimate, low, high]`` of a difference aloud, saying whether it excludes zero.

    The same phrase as :func:`describe_difference`, from a recorded list (e.g. a
    ``lesson.result`` holding estimate and 95% interval).

    Parameters
    ----------
    values : sequence of three floats
        Estimate, lower and upper end of the interval.
    scale, unit, decimals
        As in :func:`describe_difference`.

    Returns
    -------
    str

    Examples
    --------
    >>> describe_interval([-0.012, -0.03, 0.004])
    '-1.2 points (95% CI -3.0 to +0.4; not distinguishable from zero)'
    """
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__") or len(values) != 3:
        raise ValueError(f"values must be [estimate, low, high], got {values!r}")
    try:
        d, low, high = (float(v) for v in values)
    except (TypeError, ValueError):
        raise TypeError(f"values must be three numbers, got {values!r}") from None
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not math.isfinite(scale):
        raise ValueError(f"scale must be a finite number, got {scale!r}")
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 6:
        raise ValueError(f"decimals must be an int in [0, 6], got {decimals!r}")
    if math.isnan(d) or math.isnan(low) or math.isnan(high):
        return "undefined (a group has too few rows)"
    if low > high:
        raise ValueError(f"values must have low <= high, got low={low} and high={high}")
    verdict = "excludes zero" if low > 0 or high < 0 else "not distinguishable from zero"
    d, low, high = d * scale, low * scale, high * scale
    f = f"+.{decimals}f"
    estimate = f"{d:{f}} {unit}".rstrip()
    return f"{estimate} (95% CI {low:{f}} to {high:{f}}; {verdict})"
