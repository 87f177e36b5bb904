"""Decision-curve analysis: the net benefit of acting on a model, against treat-all and treat-none.

At a threshold probability ``pt`` a clinician is indifferent between treating
and not treating; ``pt / (1 - pt)`` is then the number of unnecessary
treatments (false positives) worth one necessary treatment (true positive).
The *net benefit* of a policy counts true positives and charges false
positives at that exchange rate, per patient::

    net_benefit = TP / n - FP / n * pt / (1 - pt)

"Treat none" has net benefit 0; "treat all" has ``prevalence - (1 - prevalence)
* pt / (1 - pt)``. A model is worth using at ``pt`` only where its curve lies
above both (Vickers & Elkin, Medical Decision Making, 2006).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from casebook._validation.binary import (
    _show,
    as_float_array,
    check_same_length,
    check_scores,
    encode_binary,
)

__all__ = ["decision_curve", "net_benefit"]


def _check_thresholds(thresholds: Any, *, name: str = "thresholds") -> np.ndarray:
    t = np.atleast_1d(as_float_array(thresholds, name=name))
    if t.ndim != 1 or t.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence, got shape {t.shape}")
    bad = ~np.isfinite(t) | (t <= 0.0) | (t >= 1.0)
    if bad.any():
        raise ValueError(
            f"{name} must be threshold probabilities strictly between 0 and 1, got {_show(t[bad])}"
        )
    return t


def _net_benefit(y: np.ndarray, p: np.ndarray, t: np.ndarray) -> np.ndarray:
    n = y.size
    order = np.sort(p)
    pos_sorted = np.sort(p[y])
    # number flagged (p >= t) and true positives flagged, for every t at once
    flagged = n - np.searchsorted(order, t, side="left")
    tp = pos_sorted.size - np.searchsorted(pos_sorted, t, side="left")
    fp = flagged - tp
    return tp / n - fp / n * t / (1.0 - t)


def net_benefit(
    y_true: Any, y_prob: Any, *, threshold: float, labels: tuple[Any, Any] = (0, 1)
) -> float:
    """Net benefit of treating everyone with ``y_prob >= threshold``.

    Examples
    --------
    >>> net_benefit([1, 1, 0, 0], [0.9, 0.4, 0.6, 0.1], threshold=0.5)
    0.0
    """
    y = encode_binary(y_true, labels=labels, name="y_true")
    p = check_scores(y_prob, name="y_prob", probability=True)
    check_same_length(y_true=y, y_prob=p)
    t = _check_thresholds(threshold, name="threshold")
    return float(_net_benefit(y, p, t)[0])


def decision_curve(
    y_true: Any,
    y_prob: Any,
    *,
    thresholds: Any = None,
    labels: tuple[Any, Any] = (0, 1),
) -> pd.DataFrame:
    """Net benefit of the model, treat-all and treat-none over threshold probabilities.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        True labels in ``labels``.
    y_prob : array-like of shape (n,)
        Predicted probabilities of the positive class, in [0, 1] (ideally
        calibrated: net benefit reads them as risks).
    thresholds : array-like, optional
        Threshold probabilities strictly inside (0, 1); default 0.01 to 0.99.
    labels : pair, default=(0, 1)
        ``(negative, positive)``.

    Returns
    -------
    pandas.DataFrame
        Columns ``threshold``, ``model``, ``treat_all``, ``treat_none`` and
        ``model_is_best`` (model above both references).

    Examples
    --------
    >>> dc = decision_curve([1, 1, 0, 0], [0.9, 0.4, 0.6, 0.1], thresholds=[0.2, 0.5])
    >>> dc.round(3)
       threshold  model  treat_all  treat_none  model_is_best
    0        0.2  0.438      0.375         0.0           True
    1        0.5  0.000      0.000         0.0          False
    """
    y = encode_binary(y_true, labels=labels, name="y_true")
    p = check_scores(y_prob, name="y_prob", probability=True)
    check_same_length(y_true=y, y_prob=p)
    t = _check_thresholds(np.linspace(0.01, 0.99, 99) if thresholds is None else thresholds)
    prevalence = float(y.mean())
    model = _net_benefit(y, p, t)
    treat_all = prevalence - (1.0 - prevalence) * t / (1.0 - t)
    eps = 1e-12
    return pd.DataFrame(
        {
            "threshold": t,
            "model": model,
            "treat_all": treat_all,
            "treat_none": 0.0,
            "model_is_best": (model > treat_all + eps) & (model > eps),
        }
    )
