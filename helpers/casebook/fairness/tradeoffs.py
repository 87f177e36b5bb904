"""Why fairness criteria conflict: the arithmetic and a threshold experiment.

For any classifier, in each group (Chouldechova, 2017)::

    FPR = p / (1 - p) * (1 - PPV) / PPV * TPR

where ``p`` is the group's base rate. If two groups have different base rates
and the classifier is not perfect, equal precision (predictive parity) and
equal TPR force *unequal* FPRs: equalized odds and predictive parity cannot
both hold. :func:`implied_fpr` evaluates the identity; :func:`group_thresholds`
builds per-group thresholds that equalize one rate, so a notebook can show
that fixing one criterion moves the others.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import numpy as np

from casebook._validation.binary import check_same_length, check_scores, encode_binary
from casebook.fairness.groups import encode_groups

__all__ = ["group_thresholds", "implied_fpr"]


def implied_fpr(base_rate: float, *, ppv: float, tpr: float) -> float:
    """The FPR a group must have, given its base rate, precision and TPR.

    Examples
    --------
    >>> round(implied_fpr(0.1, ppv=0.75, tpr=0.6), 4)
    0.0222
    """
    for name, v in (("base_rate", base_rate), ("ppv", ppv), ("tpr", tpr)):
        if not 0 < v < 1:
            raise ValueError(f"{name} must be strictly between 0 and 1, got {v!r}")
    return base_rate / (1 - base_rate) * (1 - ppv) / ppv * tpr


def group_thresholds(
    y_score: Any,
    *,
    sensitive_features: Any,
    rate: Literal["selection_rate", "tpr"],
    target: float,
    y_true: Any = None,
) -> dict[Any, float]:
    """Per-group score thresholds giving every group (about) the same ``rate``.

    ``"selection_rate"``: each group's threshold is its ``k``-th highest
    score, ``k = ceil(target * group size)``, so a share ``target`` of every
    group scores at or above it.
    ``"tpr"``: the same quantile of the scores of each group's actual
    positives (needs ``y_true``). Ties can make the realised rate slightly
    higher than ``target``.

    Returns
    -------
    dict
        Group label -> threshold; select a row when ``score >= threshold``.

    Examples
    --------
    >>> s = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]
    >>> group_thresholds(s, sensitive_features=list("aaaabbbb"), rate="selection_rate", target=0.5)
    {'a': 0.3, 'b': 0.7}
    """
    s = check_scores(y_score, name="y_score")
    if not 0 < target <= 1:
        raise ValueError(f"target must be in (0, 1], got {target!r}")
    if rate == "tpr":
        if y_true is None:
            raise ValueError("y_true is required when rate='tpr'")
        t = encode_binary(y_true, name="y_true")
        check_same_length(y_score=s, y_true=t)
    elif rate == "selection_rate":
        t = np.ones(len(s), dtype=bool)
    else:
        raise ValueError(f"rate must be 'selection_rate' or 'tpr', got {rate!r}")
    codes, index = encode_groups(sensitive_features, n=len(s))
    out = {}
    for g, label in enumerate(index):
        pool = s[(codes == g) & t]
        if len(pool) == 0:
            raise ValueError(f"group {label!r} has no rows to set a {rate} threshold on")
        k = max(math.ceil(target * len(pool)), 1)  # select the k highest scores
        out[label] = float(np.sort(pool)[::-1][k - 1])
    return out
