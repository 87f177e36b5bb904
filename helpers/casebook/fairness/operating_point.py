"""Weigh bias mitigations against each other and choose an operating point.

:func:`mitigation_table` scores every set of decisions (from
:mod:`casebook.fairness.mitigation` or anywhere else) against the labels you
train on (possibly biased) *and* against a reference truth when you have one;
:func:`pareto_front` keeps the candidates no other beats on both disparity and
accuracy, :func:`accuracy_cost_per_disparity` prices fairness in accuracy
points, and :func:`choose_operating_point` applies a policy stated in advance
("most accurate candidate within a disparity tolerance"), optionally as a
hard legal filter first: candidates that need the protected attribute at
decision time (see :mod:`casebook.fairness.attribute_use`) are excluded
before accuracy is compared.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd

from casebook._validation.binary import check_no_na
from casebook.fairness._checks import check_frame, finite_array, finite_scalar
from casebook.fairness.attribute_use import AttributeStage
from casebook.fairness.metrics import disparity

_STAGES = ("none", "training", "decision_time")

__all__ = [
    "accuracy_cost_per_disparity",
    "choose_operating_point",
    "mitigation_table",
    "pareto_front",
]


def mitigation_table(
    predictions: Mapping[str, Any],
    *,
    y_historical: Any,
    sensitive_features: Any,
    y_truth: Any = None,
    baseline: str = "baseline",
    families: Mapping[str, str] | None = None,
    needs_attribute_at: Mapping[str, AttributeStage] | None = None,
) -> pd.DataFrame:
    """Score sets of decisions against historical labels and, if known, the truth.

    Parameters
    ----------
    predictions : mapping of str to array-like of {0, 1}
        Decisions of each method on the same evaluation rows.
    y_historical : array-like of {0, 1}
        The labels the models were trained to reproduce (possibly biased).
    sensitive_features : array-like
        Group of each evaluation row.
    y_truth : array-like of {0, 1}, optional
        An unbiased reference (known in a simulation, or from an audit).
    baseline : str, default="baseline"
        Key of the unmitigated model in ``predictions``.
    families : mapping of str to str, optional
        Label for each method, e.g. ``"pre"``, ``"in"``, ``"post"``.
    needs_attribute_at : mapping of str to {"none", "training", "decision_time"}, optional
        The latest stage at which each method reads the protected attribute
        (the values of :func:`casebook.fairness.attribute_use.attribute_use_table`);
        when given, every method in ``predictions`` must be a key, and the
        table gets a ``needs_attribute_at`` column for
        :func:`choose_operating_point`.

    Returns
    -------
    pandas.DataFrame
        One row per method with ``family``, ``accuracy_historical``,
        ``selection_rate_<group>`` for each group, ``dp_difference``,
        ``dp_ratio``, ``disparity_removed`` (share of the baseline's
        demographic-parity difference removed), ``accuracy_points_lost``
        (100 x accuracy drop against the historical labels) and
        ``points_per_disparity_point`` (:func:`accuracy_cost_per_disparity`);
        with ``y_truth`` also ``accuracy_truth``, ``tpr_gap_truth`` (equal
        opportunity difference measured on the truth) and
        ``accuracy_points_lost_truth``.

    Examples
    --------
    >>> g = ["f"] * 4 + ["m"] * 4
    >>> hist = [0, 0, 1, 0, 1, 1, 0, 0]
    >>> preds = {"baseline": [0, 0, 1, 0, 1, 1, 0, 0], "fair": [1, 0, 1, 0, 1, 1, 0, 0]}
    >>> t = mitigation_table(preds, y_historical=hist, sensitive_features=g)
    >>> t[["accuracy_historical", "dp_difference"]]
              accuracy_historical  dp_difference
    method
    baseline                1.000           0.25
    fair                    0.875           0.00
    >>> t.loc["fair", ["disparity_removed", "accuracy_points_lost"]].tolist()
    [1.0, 12.5]
    """
    if baseline not in predictions:
        raise ValueError(
            f"baseline must be a key of predictions {list(predictions)!r}, got {baseline!r}"
        )
    hist = check_no_na(np.asarray(y_historical), name="y_historical")
    s = np.asarray(sensitive_features)
    truth = None if y_truth is None else np.asarray(y_truth)
    if len(s) != len(hist) or (truth is not None and len(truth) != len(hist)):
        raise ValueError(
            "y_historical, sensitive_features and y_truth must have the same length, got "
            f"{len(hist)}, {len(s)} and {None if truth is None else len(truth)}"
        )
    for label_name, labels in (("y_historical", hist), ("y_truth", truth)):
        if labels is not None and not np.isin(labels, [0, 1]).all():
            raise ValueError(
                f"{label_name} must be binary 0/1, got values "
                f"{np.unique(labels.astype(str))[:5].tolist()!r}"
            )
    if pd.isna(s).any():
        raise ValueError("sensitive_features must not contain missing values (NaN/None)")
    if needs_attribute_at is not None:
        missing = [k for k in predictions if k not in needs_attribute_at]
        bad = {k: v for k, v in needs_attribute_at.items() if v not in _STAGES}
        if missing or bad:
            raise ValueError(
                f"needs_attribute_at must map every method to one of {list(_STAGES)}; "
                f"missing {missing!r}, invalid {bad!r}"
            )
    groups = np.unique(s)
    rows = {}
    for name, pred in predictions.items():
        p = np.asarray(pred)
        if len(p) != len(hist):
            raise ValueError(f"predictions[{name!r}] must have {len(hist)} decisions, got {len(p)}")
        if not np.isin(p, [0, 1]).all():
            raise ValueError(
                f"predictions[{name!r}] must be binary 0/1 decisions, got values "
                f"{np.unique(p.astype(str))[:5].tolist()!r}"
            )
        row: dict[str, Any] = {"family": (families or {}).get(name, "")}
        if needs_attribute_at is not None:
            row["needs_attribute_at"] = needs_attribute_at[name]
        row["accuracy_historical"] = float(np.mean(p == hist))
        for g in groups:
            row[f"selection_rate_{g}"] = float(np.mean(p[s == g]))
        row["dp_difference"] = disparity(hist, p, sensitive_features=s, method="difference")
        row["dp_ratio"] = disparity(hist, p, sensitive_features=s, method="ratio")
        if truth is not None:
            row["accuracy_truth"] = float(np.mean(p == truth))
            row["tpr_gap_truth"] = disparity(
                truth, p, sensitive_features=s, metric="tpr", method="difference"
            )
        rows[name] = row
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "method"
    base = table.loc[baseline]
    removed = base["dp_difference"] - table["dp_difference"]
    table["disparity_removed"] = (
        removed / base["dp_difference"] if base["dp_difference"] > 0 else np.nan
    )
    table["accuracy_points_lost"] = 100 * (
        base["accuracy_historical"] - table["accuracy_historical"]
    )
    table["points_per_disparity_point"] = [
        (lost / (100 * rem)) if rem > 0 else np.nan
        for lost, rem in zip(table["accuracy_points_lost"], removed, strict=True)
    ]
    if truth is not None:
        table["accuracy_points_lost_truth"] = 100 * (
            base["accuracy_truth"] - table["accuracy_truth"]
        )
    return table


def pareto_front(disparity: Any, accuracy: Any) -> np.ndarray:
    """Mask of the points no other point beats on both disparity and accuracy.

    A point is dominated when another has lower-or-equal disparity and
    higher-or-equal accuracy, strictly better on at least one. Lower disparity
    and higher accuracy are better.

    Parameters
    ----------
    disparity, accuracy : array-like of float
        One finite entry per candidate (NaN or inf raises ``ValueError``).

    Returns
    -------
    numpy.ndarray of bool

    Examples
    --------
    >>> pareto_front([0.10, 0.05, 0.02, 0.06], [0.80, 0.79, 0.75, 0.70]).tolist()
    [True, True, True, False]
    """
    d = finite_array(disparity, name="disparity")
    a = finite_array(accuracy, name="accuracy")
    if np.ndim(disparity) != 1 or np.ndim(accuracy) != 1 or d.shape != a.shape:
        raise ValueError(
            f"disparity and accuracy must be 1-D of the same length, got {d.shape} and {a.shape}"
        )
    ok = ~(np.isnan(d) | np.isnan(a))
    le = d[None, :] <= d[:, None]  # [i, j]: j's disparity <= i's
    ge = a[None, :] >= a[:, None]
    strict = (d[None, :] < d[:, None]) | (a[None, :] > a[:, None])
    dominated = (le & ge & strict & ok[None, :]).any(axis=1)
    return ok & ~dominated


def accuracy_cost_per_disparity(
    accuracy_baseline: float,
    accuracy_mitigated: float,
    disparity_baseline: float,
    disparity_mitigated: float,
) -> float:
    """Accuracy given up per unit of disparity removed.

    ``(accuracy_baseline - accuracy_mitigated) / (disparity_baseline -
    disparity_mitigated)``. Both in the same units (fractions, or points), so
    0.1 reads "a tenth of an accuracy point per point of disparity removed";
    negative means accuracy was gained. Undefined (NaN, with a warning) when
    the mitigation removed no disparity.

    Examples
    --------
    >>> round(accuracy_cost_per_disparity(0.80, 0.79, 0.10, 0.02), 3)
    0.125
    """
    accuracy_baseline = finite_scalar(accuracy_baseline, name="accuracy_baseline")
    accuracy_mitigated = finite_scalar(accuracy_mitigated, name="accuracy_mitigated")
    disparity_baseline = finite_scalar(
        disparity_baseline, name="disparity_baseline", nonnegative=True
    )
    disparity_mitigated = finite_scalar(
        disparity_mitigated, name="disparity_mitigated", nonnegative=True
    )
    removed = disparity_baseline - disparity_mitigated
    if not removed > 0:
        warnings.warn(
            f"disparity_mitigated ({disparity_mitigated}) is not below disparity_baseline "
            f"({disparity_baseline}): no disparity removed, cost per unit is undefined (NaN)",
            RuntimeWarning,
            stacklevel=2,
        )
        return float("nan")
    return (float(accuracy_baseline) - float(accuracy_mitigated)) / removed


def choose_operating_point(
    table: pd.DataFrame,
    *,
    max_disparity: float,
    disparity: str = "dp_difference",
    accuracy: str = "accuracy_historical",
    exclude_decision_time_attribute: bool = False,
    if_none: Literal["raise", "fairest"] = "raise",
) -> str:
    """Apply the policy "most accurate candidate whose disparity is within tolerance".

    Ties on accuracy go to the lower disparity. With
    ``exclude_decision_time_attribute=True`` the legal constraint comes
    first, as a hard filter: candidates whose ``needs_attribute_at`` is
    ``"decision_time"`` are removed before tolerance and accuracy are
    compared (in US hiring, for example, cutoffs that differ by sex are
    prohibited, 42 U.S.C. 2000e-2(l)), however much parity or accuracy they
    would buy.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per candidate, e.g. from :func:`mitigation_table`.
    max_disparity : float
        Tolerance on the ``disparity`` column.
    disparity, accuracy : str
        Column names.
    exclude_decision_time_attribute : bool, default=False
        Exclude the candidates that need the protected attribute at decision
        time; requires a ``needs_attribute_at`` column (see
        :func:`mitigation_table`).
    if_none : {"raise", "fairest"}, default="raise"
        What to do when no (remaining) candidate meets ``max_disparity``:
        raise, or take the candidate with the smallest disparity (state this
        fallback in the policy before looking at the results). The legal
        filter is never relaxed.

    Returns
    -------
    str
        Index label of the chosen row.

    Raises
    ------
    ValueError
        If a column is missing, no candidate meets the tolerance (with
        ``if_none="raise"``), or
        ``exclude_decision_time_attribute`` is set and the table has no
        ``needs_attribute_at`` column or no candidate is left.

    Examples
    --------
    >>> t = pd.DataFrame({"dp_difference": [0.10, 0.04, 0.01],
    ...                   "accuracy_historical": [0.80, 0.78, 0.74]}, index=["a", "b", "c"])
    >>> choose_operating_point(t, max_disparity=0.05)
    'b'
    >>> t["needs_attribute_at"] = ["none", "decision_time", "training"]
    >>> choose_operating_point(t, max_disparity=0.05, exclude_decision_time_attribute=True)
    'c'
    >>> choose_operating_point(t, max_disparity=0.001, if_none="fairest")
    'c'
    """
    check_frame(table, name="table", nonempty=False)
    for col in (disparity, accuracy):
        if col not in table.columns:
            raise ValueError(f"table must have a column {col!r}; columns: {list(table.columns)}")
    check_frame(table, name="table", numeric=(disparity, accuracy))
    max_disparity = finite_scalar(max_disparity, name="max_disparity")
    if not isinstance(exclude_decision_time_attribute, (bool, np.bool_)):
        raise TypeError(
            "exclude_decision_time_attribute must be a bool, got "
            f"{type(exclude_decision_time_attribute).__name__}"
        )
    if exclude_decision_time_attribute:
        if "needs_attribute_at" not in table.columns:
            raise ValueError(
                "exclude_decision_time_attribute=True needs a 'needs_attribute_at' column in "
                "table (mitigation_table(..., needs_attribute_at=...)); columns: "
                f"{list(table.columns)}"
            )
        table = table[table["needs_attribute_at"] != "decision_time"]
        if table.empty:
            raise ValueError(
                "exclude_decision_time_attribute=True leaves no candidate: every one needs "
                "the protected attribute at decision time"
            )
    if if_none not in ("raise", "fairest"):
        raise ValueError(f"if_none must be 'raise' or 'fairest', got {if_none!r}")
    ok = table[table[disparity] <= max_disparity]
    if ok.empty and if_none == "fairest":
        ok = table[table[disparity] == table[disparity].min()]
    if ok.empty:
        raise ValueError(
            f"max_disparity={max_disparity} is met by no candidate; smallest {disparity} is "
            f"{table[disparity].min():.4g}"
        )
    best = ok.sort_values([accuracy, disparity], ascending=[False, True])
    return str(best.index[0])
