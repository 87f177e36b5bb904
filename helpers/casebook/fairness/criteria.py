"""Named fairness criteria, fairlearn style: one function per criterion and form.

Each function is :func:`casebook.fairness.metrics.disparity` with the
criterion and the form fixed, so ``demographic_parity_ratio(y_true, y_pred,
sensitive_features=sex)`` reads like the policy it checks. :func:`disparities`
computes every criterion in :data:`~casebook.fairness.metrics.CRITERIA` as a
difference (``max - min``, 0 = parity) and a ratio (``min / max``, 1 =
parity) from one set of confusion counts. Undefined values are NaN with an
:class:`~casebook.fairness.metrics.UndefinedMetricWarning`, never 0.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from casebook.fairness.metrics import CRITERIA, _confusion_cells, criterion_from_counts, disparity

__all__ = [
    "demographic_parity_difference",
    "demographic_parity_ratio",
    "disparities",
    "equal_opportunity_difference",
    "equal_opportunity_ratio",
    "equalized_odds_difference",
    "equalized_odds_ratio",
    "predictive_parity_difference",
    "predictive_parity_ratio",
]


def demographic_parity_difference(y_true: Any, y_pred: Any, *, sensitive_features: Any) -> float:
    """Demographic parity difference: ``max - min`` over groups (0 = parity) of the selection rate.

    See :func:`disparity` for parameters; NaN with a warning when undefined.

    Examples
    --------
    >>> y_true, y_pred = [1, 0, 1, 0, 1, 1, 0, 0], [1, 0, 0, 1, 1, 1, 0, 0]
    >>> sex = ['f'] * 4 + ['m'] * 4
    >>> round(demographic_parity_difference(y_true, y_pred, sensitive_features=sex), 3)
    0.0
    """
    return disparity(
        y_true,
        y_pred,
        sensitive_features=sensitive_features,
        metric="demographic_parity",
        method="difference",
    )


def demographic_parity_ratio(y_true: Any, y_pred: Any, *, sensitive_features: Any) -> float:
    """Demographic parity ratio: ``min / max`` over groups (1 = parity, in [0, 1]) of the selection rate.

    See :func:`disparity` for parameters; NaN with a warning when undefined.

    Examples
    --------
    >>> y_true, y_pred = [1, 0, 1, 0, 1, 1, 0, 0], [1, 0, 0, 1, 1, 1, 0, 0]
    >>> sex = ['f'] * 4 + ['m'] * 4
    >>> round(demographic_parity_ratio(y_true, y_pred, sensitive_features=sex), 3)
    1.0
    """
    return disparity(
        y_true,
        y_pred,
        sensitive_features=sensitive_features,
        metric="demographic_parity",
        method="ratio",
    )


def equal_opportunity_difference(y_true: Any, y_pred: Any, *, sensitive_features: Any) -> float:
    """Equal opportunity difference: ``max - min`` over groups (0 = parity) of the true positive rate (recall).

    See :func:`disparity` for parameters; NaN with a warning when undefined.

    Examples
    --------
    >>> y_true, y_pred = [1, 0, 1, 0, 1, 1, 0, 0], [1, 0, 0, 1, 1, 1, 0, 0]
    >>> sex = ['f'] * 4 + ['m'] * 4
    >>> round(equal_opportunity_difference(y_true, y_pred, sensitive_features=sex), 3)
    0.5
    """
    return disparity(
        y_true,
        y_pred,
        sensitive_features=sensitive_features,
        metric="equal_opportunity",
        method="difference",
    )


def equal_opportunity_ratio(y_true: Any, y_pred: Any, *, sensitive_features: Any) -> float:
    """Equal opportunity ratio: ``min / max`` over groups (1 = parity, in [0, 1]) of the true positive rate (recall).

    See :func:`disparity` for parameters; NaN with a warning when undefined.

    Examples
    --------
    >>> y_true, y_pred = [1, 0, 1, 0, 1, 1, 0, 0], [1, 0, 0, 1, 1, 1, 0, 0]
    >>> sex = ['f'] * 4 + ['m'] * 4
    >>> round(equal_opportunity_ratio(y_true, y_pred, sensitive_features=sex), 3)
    0.5
    """
    return disparity(
        y_true,
        y_pred,
        sensitive_features=sensitive_features,
        metric="equal_opportunity",
        method="ratio",
    )


def equalized_odds_difference(y_true: Any, y_pred: Any, *, sensitive_features: Any) -> float:
    """Equalized odds difference: ``max - min`` over groups (0 = parity) of the TPR and FPR (the worse of the two).

    See :func:`disparity` for parameters; NaN with a warning when undefined.

    Examples
    --------
    >>> y_true, y_pred = [1, 0, 1, 0, 1, 1, 0, 0], [1, 0, 0, 1, 1, 1, 0, 0]
    >>> sex = ['f'] * 4 + ['m'] * 4
    >>> round(equalized_odds_difference(y_true, y_pred, sensitive_features=sex), 3)
    0.5
    """
    return disparity(
        y_true,
        y_pred,
        sensitive_features=sensitive_features,
        metric="equalized_odds",
        method="difference",
    )


def equalized_odds_ratio(y_true: Any, y_pred: Any, *, sensitive_features: Any) -> float:
    """Equalized odds ratio: ``min / max`` over groups (1 = parity, in [0, 1]) of the TPR and FPR (the worse of the two).

    See :func:`disparity` for parameters; NaN with a warning when undefined.

    Examples
    --------
    >>> y_true, y_pred = [1, 0, 1, 0, 1, 1, 0, 0], [1, 0, 0, 1, 1, 1, 0, 0]
    >>> sex = ['f'] * 4 + ['m'] * 4
    >>> round(equalized_odds_ratio(y_true, y_pred, sensitive_features=sex), 3)
    0.0
    """
    return disparity(
        y_true,
        y_pred,
        sensitive_features=sensitive_features,
        metric="equalized_odds",
        method="ratio",
    )


def predictive_parity_difference(y_true: Any, y_pred: Any, *, sensitive_features: Any) -> float:
    """Predictive parity difference: ``max - min`` over groups (0 = parity) of the precision (PPV).

    See :func:`disparity` for parameters; NaN with a warning when undefined.

    Examples
    --------
    >>> y_true, y_pred = [1, 0, 1, 0, 1, 1, 0, 0], [1, 0, 0, 1, 1, 1, 0, 0]
    >>> sex = ['f'] * 4 + ['m'] * 4
    >>> round(predictive_parity_difference(y_true, y_pred, sensitive_features=sex), 3)
    0.5
    """
    return disparity(
        y_true,
        y_pred,
        sensitive_features=sensitive_features,
        metric="predictive_parity",
        method="difference",
    )


def predictive_parity_ratio(y_true: Any, y_pred: Any, *, sensitive_features: Any) -> float:
    """Predictive parity ratio: ``min / max`` over groups (1 = parity, in [0, 1]) of the precision (PPV).

    See :func:`disparity` for parameters; NaN with a warning when undefined.

    Examples
    --------
    >>> y_true, y_pred = [1, 0, 1, 0, 1, 1, 0, 0], [1, 0, 0, 1, 1, 1, 0, 0]
    >>> sex = ['f'] * 4 + ['m'] * 4
    >>> round(predictive_parity_ratio(y_true, y_pred, sensitive_features=sex), 3)
    0.5
    """
    return disparity(
        y_true,
        y_pred,
        sensitive_features=sensitive_features,
        metric="predictive_parity",
        method="ratio",
    )


def disparities(y_true: Any, y_pred: Any, *, sensitive_features: Any) -> pd.DataFrame:
    """Every criterion in :data:`CRITERIA` as a difference and a ratio.

    Returns
    -------
    pandas.DataFrame
        Index: criterion; columns ``difference`` and ``ratio``.

    Examples
    --------
    >>> d = disparities([1, 0, 1, 0, 1, 0], [1, 0, 1, 1, 0, 0],
    ...                 sensitive_features=["a", "a", "a", "b", "b", "b"])
    >>> d.loc["demographic_parity"].round(3).tolist()
    [0.333, 0.5]
    """
    counts, _ = _confusion_cells(y_true, y_pred, sensitive_features, None)
    rows = {
        c: {m: float(criterion_from_counts(counts, c, m)) for m in ("difference", "ratio")}
        for c in CRITERIA
    }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "criterion"
    return out
