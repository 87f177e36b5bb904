"""Thin adapters to aif360 and fairlearn, returning numbers in this package's format.

aif360 0.6.1 on the locked stack: ``StandardDataset`` breaks on pandas 3 string
columns and ``aif360.sklearn.postprocessing.PostProcessingMeta`` on
scikit-learn >= 1.6, so neither is used. A ``BinaryLabelDataset`` built from an
*all-numeric* frame works, and so does ``ClassificationMetric`` on it;
:func:`to_binary_label_dataset` builds one and refuses anything else with a
clear error.

The ``*_group_metrics`` and ``*_disparities`` functions return the same tables
as :func:`casebook.fairness.metrics.group_metrics` and
:func:`casebook.fairness.criteria.disparities`, computed by the other library,
so a test or a notebook can assert both agree. aif360 compares a privileged
group with the rest and reports signed values (unprivileged minus or over
privileged); they are turned into between-group form (``|difference|``,
``min / max`` ratio), which is identical for two groups.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd

from casebook._validation.binary import check_same_length, encode_binary
from casebook.fairness.groups import encode_groups

__all__ = [
    "aif360_classification_metric",
    "aif360_disparities",
    "aif360_group_metrics",
    "fairlearn_disparities",
    "fairlearn_group_metrics",
    "fairlearn_metric_frame",
    "to_binary_label_dataset",
]

_COMPARED = ("selection_rate", "base_rate", "tpr", "fpr", "fnr", "tnr", "ppv", "npv", "accuracy")


@contextmanager
def _quiet_aif360():
    """Silence aif360's import-time noise: notices about optional extras on the
    root logger, and "invalid escape sequence" warnings from its docstrings
    when its modules are first compiled (a DeprecationWarning on Python 3.11,
    a SyntaxWarning later), which ``-W error`` turns into a SyntaxError."""
    previous = logging.root.manager.disable
    logging.disable(logging.WARNING)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SyntaxWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            yield
    finally:
        logging.disable(previous)


def to_binary_label_dataset(
    frame: pd.DataFrame,
    *,
    label: str,
    protected: str | Sequence[str],
    favorable_label: float = 1.0,
    unfavorable_label: float = 0.0,
    instance_weights: str | None = None,
) -> Any:
    """Build an aif360 ``BinaryLabelDataset`` from an all-numeric DataFrame.

    Parameters
    ----------
    frame : pandas.DataFrame
        Numeric columns only (encode categories first, e.g. 0/1 for sex).
    label : str
        The label column, with values ``favorable_label`` / ``unfavorable_label``.
    protected : str or sequence of str
        Protected attribute column(s).
    favorable_label, unfavorable_label : float, default=1.0, 0.0
    instance_weights : str, optional
        A column of instance weights.

    Returns
    -------
    aif360.datasets.BinaryLabelDataset

    Raises
    ------
    TypeError
        If ``frame`` is not a DataFrame or has non-numeric columns.
    ValueError
        On missing columns, missing values or labels outside the two given.

    Examples
    --------
    >>> df = pd.DataFrame({"sex": [0, 1, 1, 0], "x": [0.5, 1.0, 2.0, 3.0], "y": [1, 0, 1, 0]})
    >>> ds = to_binary_label_dataset(df, label="y", protected="sex")
    >>> ds.labels.ravel().tolist(), ds.protected_attribute_names
    ([1.0, 0.0, 1.0, 0.0], ['sex'])
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    protected = [protected] if isinstance(protected, str) else list(protected)
    needed = [label, *protected] + ([instance_weights] if instance_weights else [])
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ValueError(f"frame has no column(s) {missing!r}; columns are {list(frame.columns)!r}")
    bad = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    if bad or any(pd.api.types.is_bool_dtype(frame[c]) for c in frame.columns):
        bad = bad or [c for c in frame.columns if pd.api.types.is_bool_dtype(frame[c])]
        raise TypeError(
            f"frame must be all numeric for aif360 (StandardDataset breaks on pandas 3 "
            f"strings), got non-numeric column(s) {bad!r}; encode them as numbers first"
        )
    if frame.isna().any().any():
        cols = frame.columns[frame.isna().any()].tolist()
        raise ValueError(f"frame must have no missing values, got NaN in {cols!r}")
    labels = frame[label].to_numpy()
    outside = ~np.isin(labels, [favorable_label, unfavorable_label])
    if outside.any():
        raise ValueError(
            f"label column {label!r} must hold only {favorable_label!r} and "
            f"{unfavorable_label!r}, got {np.unique(labels[outside])[:5].tolist()!r}"
        )
    with _quiet_aif360():
        from aif360.datasets import BinaryLabelDataset

        return BinaryLabelDataset(
            df=frame.astype(np.float64),
            label_names=[label],
            protected_attribute_names=protected,
            favorable_label=float(favorable_label),
            unfavorable_label=float(unfavorable_label),
            instance_weights_name=instance_weights,
        )


def _inputs(y_true: Any, y_pred: Any, sensitive_features: Any):
    t = encode_binary(y_true, name="y_true")
    p = encode_binary(y_pred, name="y_pred")
    n = check_same_length(y_true=t, y_pred=p)
    codes, index = encode_groups(sensitive_features, n=n)
    return t, p, codes, index


def aif360_classification_metric(
    y_true: Any, y_pred: Any, *, sensitive_features: Any, privileged: Any
) -> Any:
    """aif360 ``ClassificationMetric`` of ``privileged`` vs every other group.

    Parameters
    ----------
    y_true, y_pred : array-like of {0, 1} or bool
    sensitive_features : array-like
        One sensitive feature.
    privileged : object
        The value of ``sensitive_features`` treated as privileged.

    Returns
    -------
    aif360.metrics.ClassificationMetric

    Examples
    --------
    >>> m = aif360_classification_metric([1, 0, 1, 0], [1, 1, 1, 0],
    ...                                  sensitive_features=["m", "m", "f", "f"], privileged="m")
    >>> float(m.selection_rate(privileged=True)), float(m.statistical_parity_difference())
    (1.0, -0.5)
    """
    t, p, codes, index = _inputs(y_true, y_pred, sensitive_features)
    if privileged not in index:
        raise ValueError(
            f"privileged must be one of the groups {index.tolist()!r}, got {privileged!r}"
        )
    return _classification_metric(t, p, codes, index.get_loc(privileged))


def _classification_metric(t: np.ndarray, p: np.ndarray, codes: np.ndarray, priv: int) -> Any:
    frame = pd.DataFrame({"group": codes.astype(np.float64), "label": t.astype(np.float64)})
    truth = to_binary_label_dataset(frame, label="label", protected="group")
    pred = truth.copy(deepcopy=True)
    pred.labels = p.astype(np.float64).reshape(-1, 1)
    others = [{"group": float(k)} for k in np.unique(codes) if k != priv]
    with _quiet_aif360():
        from aif360.metrics import ClassificationMetric

        return ClassificationMetric(
            truth, pred, unprivileged_groups=others, privileged_groups=[{"group": float(priv)}]
        )


def aif360_group_metrics(y_true: Any, y_pred: Any, *, sensitive_features: Any) -> pd.DataFrame:
    """Per-group rates computed by aif360 (each group in turn as "privileged").

    Returns
    -------
    pandas.DataFrame
        Same index and rate columns as
        :func:`~casebook.fairness.metrics.group_metrics` (rates only).

    Examples
    --------
    >>> aif360_group_metrics([1, 0, 1, 0], [1, 1, 1, 0],
    ...                      sensitive_features=["m", "m", "f", "f"])["tpr"].tolist()
    [1.0, 1.0]
    """
    t, p, codes, index = _inputs(y_true, y_pred, sensitive_features)
    methods = {
        "selection_rate": "selection_rate",
        "base_rate": "base_rate",
        "tpr": "true_positive_rate",
        "fpr": "false_positive_rate",
        "fnr": "false_negative_rate",
        "tnr": "true_negative_rate",
        "ppv": "positive_predictive_value",
        "npv": "negative_predictive_value",
        "accuracy": "accuracy",
    }
    rows = []
    for g in range(len(index)):
        metric = _classification_metric(t, p, codes, g)
        with np.errstate(invalid="ignore", divide="ignore"):
            rows.append({k: float(getattr(metric, m)(privileged=True)) for k, m in methods.items()})
    return pd.DataFrame(rows, index=index)


def aif360_disparities(
    y_true: Any, y_pred: Any, *, sensitive_features: Any, privileged: Any
) -> pd.DataFrame:
    """The package's four criteria computed by aif360's ``ClassificationMetric``, two groups.

    Demographic parity from ``statistical_parity_difference`` and
    ``disparate_impact``; equal opportunity from ``equal_opportunity_difference``
    and ``ratio(true_positive_rate)``; equalized odds from
    ``equalized_odds_difference`` and the smaller of the TPR and FPR ratios;
    predictive parity from ``difference``/``ratio`` of
    ``positive_predictive_value``.

    Examples
    --------
    >>> aif360_disparities([1, 0, 1, 0], [1, 1, 1, 0], sensitive_features=["m", "m", "f", "f"],
    ...                    privileged="m").loc["demographic_parity"].tolist()
    [0.5, 0.5]
    """
    _, _, _, index = _inputs(y_true, y_pred, sensitive_features)
    if len(index) != 2:
        raise ValueError(
            f"sensitive_features must have exactly two groups for aif360's privileged vs "
            f"unprivileged comparison, got {len(index)}: {index.tolist()!r}"
        )
    m = aif360_classification_metric(
        y_true, y_pred, sensitive_features=sensitive_features, privileged=privileged
    )

    def sym(ratio: float) -> float:
        return min(ratio, 1 / ratio) if ratio > 0 else ratio

    rows = {
        "demographic_parity": (abs(m.statistical_parity_difference()), sym(m.disparate_impact())),
        "equal_opportunity": (
            abs(m.equal_opportunity_difference()),
            sym(m.ratio(m.true_positive_rate)),
        ),
        "equalized_odds": (
            float(m.equalized_odds_difference()),
            min(sym(m.ratio(m.true_positive_rate)), sym(m.ratio(m.false_positive_rate))),
        ),
        "predictive_parity": (
            abs(m.difference(m.positive_predictive_value)),
            sym(m.ratio(m.positive_predictive_value)),
        ),
    }
    out = pd.DataFrame.from_dict(rows, orient="index", columns=["difference", "ratio"])
    out.index.name = "criterion"
    return out.astype(float)


def _fairlearn_metrics(names: Sequence[str]) -> dict[str, Any]:
    import fairlearn.metrics as fm
    from sklearn.metrics import accuracy_score, precision_score

    available = {
        "selection_rate": fm.selection_rate,
        "base_rate": lambda y_true, y_pred: float(np.mean(y_true)),
        "tpr": fm.true_positive_rate,
        "fpr": fm.false_positive_rate,
        "fnr": fm.false_negative_rate,
        "tnr": fm.true_negative_rate,
        "ppv": lambda y_true, y_pred: precision_score(y_true, y_pred, zero_division=np.nan),
        "npv": lambda y_true, y_pred: precision_score(
            y_true, y_pred, pos_label=0, zero_division=np.nan
        ),
        "accuracy": accuracy_score,
    }
    unknown = [n for n in names if n not in available]
    if unknown:
        raise ValueError(f"metrics must be in {list(available)!r}, got {unknown!r}")
    return {n: available[n] for n in names}


def fairlearn_metric_frame(
    y_true: Any,
    y_pred: Any,
    *,
    sensitive_features: Any,
    metrics: Sequence[str] = ("selection_rate", "tpr", "fpr", "ppv"),
) -> Any:
    """A fairlearn ``MetricFrame`` of the named rates (this package's names).

    Examples
    --------
    >>> mf = fairlearn_metric_frame([1, 0, 1, 0], [1, 1, 1, 0],
    ...                             sensitive_features=["m", "m", "f", "f"])
    >>> mf.by_group["selection_rate"].tolist()
    [0.5, 1.0]
    """
    from fairlearn.metrics import MetricFrame

    _inputs(y_true, y_pred, sensitive_features)  # same validation as the package
    return MetricFrame(
        metrics=_fairlearn_metrics(metrics),
        y_true=np.asarray(y_true),
        y_pred=np.asarray(y_pred),
        sensitive_features=sensitive_features,
    )


def fairlearn_group_metrics(
    y_true: Any,
    y_pred: Any,
    *,
    sensitive_features: Any,
    metrics: Sequence[str] = _COMPARED,
) -> pd.DataFrame:
    """Per-group rates computed by fairlearn's ``MetricFrame``, package column names.

    Examples
    --------
    >>> fairlearn_group_metrics([1, 0, 1, 0], [1, 1, 1, 0], sensitive_features=["m", "m", "f", "f"],
    ...                         metrics=("tpr", "fpr"))["fpr"].tolist()
    [0.0, 1.0]
    """
    frame = fairlearn_metric_frame(
        y_true, y_pred, sensitive_features=sensitive_features, metrics=metrics
    )
    return frame.by_group.astype(float)


def fairlearn_disparities(y_true: Any, y_pred: Any, *, sensitive_features: Any) -> pd.DataFrame:
    """The package's four criteria computed by fairlearn's own functions.

    ``demographic_parity_*``, ``equal_opportunity_*`` and ``equalized_odds_*``
    (between groups, worst case) and, for predictive parity, the
    ``difference()`` / ``ratio()`` of a precision ``MetricFrame``.

    Examples
    --------
    >>> fairlearn_disparities([1, 0, 1, 0], [1, 1, 1, 0],
    ...                       sensitive_features=["m", "m", "f", "f"]).loc["equalized_odds"].tolist()
    [1.0, 0.0]
    """
    import fairlearn.metrics as fm

    args = (np.asarray(y_true), np.asarray(y_pred))
    kw = {"sensitive_features": sensitive_features}
    ppv = fairlearn_metric_frame(*args, metrics=("ppv",), **kw)
    rows = {
        "demographic_parity": (
            fm.demographic_parity_difference(*args, **kw),
            fm.demographic_parity_ratio(*args, **kw),
        ),
        "equal_opportunity": (
            fm.equal_opportunity_difference(*args, **kw),
            fm.equal_opportunity_ratio(*args, **kw),
        ),
        "equalized_odds": (
            fm.equalized_odds_difference(*args, **kw),
            fm.equalized_odds_ratio(*args, **kw),
        ),
        "predictive_parity": (
            float(ppv.difference().iloc[0]),
            float(ppv.ratio().iloc[0]),
        ),
    }
    out = pd.DataFrame.from_dict(rows, orient="index", columns=["difference", "ratio"])
    out.index.name = "criterion"
    return out.astype(float)
