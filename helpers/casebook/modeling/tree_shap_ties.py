"""Where shap's interventional TreeSHAP and the model route a value differently.

shap 0.51's interventional TreeSHAP behaves exactly as if every split threshold
were rounded to single precision (float32): on :func:`float32_threshold_copy`
of a model, brute-force baseline Shapley values equal TreeSHAP's (the tests
check it). The rounding matters only for a value between a threshold and its
float32 rounding, in practice a value exactly *on* a threshold, which
:func:`threshold_ties` marks. scikit-learn's histogram gradient boosting puts
thresholds at quantiles of the training data when a feature has more than 255
distinct values, so for rounded data (prices in cents) they often sit on
observed values; LightGBM's thresholds lie between observed values.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from casebook.modeling.tree_shap import TreeShapExplainer, _check_rows, _n_inputs

__all__ = ["float32_threshold_copy", "threshold_ties"]


def float32_threshold_copy(model: Any) -> Any:
    """A copy of a fitted histogram gradient boosting model with float32-rounded thresholds.

    shap 0.51's interventional TreeSHAP gives exactly the brute-force Shapley
    values of *this* copy (the tests check it); they differ from the original
    model's only where a value lies between a threshold and its float32
    rounding, in practice a value exactly on a threshold. A diagnostic, not a
    model to serve.

    Parameters
    ----------
    model : HistGradientBoostingClassifier
        Fitted, without categorical splits.

    Returns
    -------
    HistGradientBoostingClassifier
        A deep copy; ``model`` is not changed.

    Examples
    --------
    >>> from sklearn.ensemble import HistGradientBoostingClassifier
    >>> X, y = np.array([[0.1], [0.2], [0.3], [0.4]] * 10), [0, 0, 1, 1] * 10
    >>> model = HistGradientBoostingClassifier(max_iter=2, min_samples_leaf=2).fit(X, y)
    >>> float(model._predictors[0][0].nodes["num_threshold"][0])
    0.25
    >>> copy = float32_threshold_copy(model)
    >>> float(copy._predictors[0][0].nodes["num_threshold"][0]) == float(np.float32(0.25))
    True
    """
    import copy

    from sklearn.ensemble import HistGradientBoostingClassifier

    if not isinstance(model, HistGradientBoostingClassifier) or not hasattr(model, "_predictors"):
        raise TypeError(
            f"model must be a fitted HistGradientBoostingClassifier, got {type(model).__name__}"
        )
    if getattr(model, "is_categorical_", None) is not None and np.any(model.is_categorical_):
        raise ValueError("model must have no categorical features (their splits use bitsets)")
    out = copy.deepcopy(model)
    for stage in out._predictors:
        for predictor in stage:
            nodes = predictor.nodes
            nodes["num_threshold"] = nodes["num_threshold"].astype(np.float32).astype(np.float64)
    return out


def threshold_ties(explainer: TreeShapExplainer, X: pd.DataFrame) -> pd.DataFrame:
    """Which feature values sit exactly on one of the model's split thresholds.

    A tree sends a value equal to its threshold left (``x <= t``, in
    scikit-learn and LightGBM); a copy of the threshold rounded to float32
    may send it right. Histogram-based boosting places thresholds on observed
    values when a feature has many repeated, rounded values, so exact ties are
    common in real data.

    Parameters
    ----------
    explainer : TreeShapExplainer
        Its parsed trees are read; only bare models (no preprocessing).
    X : pandas.DataFrame
        Rows, with the model's columns.

    Returns
    -------
    pandas.DataFrame of bool
        Same shape and labels as ``X``: True where the value equals a
        threshold used by some split on that feature.

    Examples
    --------
    >>> from sklearn.ensemble import HistGradientBoostingClassifier
    >>> X = pd.DataFrame({"a": [0.0, 1, 2, 3] * 10, "b": [1.0, 0, 1, 0] * 10})
    >>> model = HistGradientBoostingClassifier(max_iter=3, min_samples_leaf=2)
    >>> from casebook.modeling.tree_shap import tree_shap_explainer
    >>> expl = tree_shap_explainer(model.fit(X, [0, 0, 1, 1] * 10))
    >>> threshold_ties(expl, pd.DataFrame({"a": [1.5, 1.0], "b": [0.5, 0.0]}))["a"].tolist()
    [True, False]
    """
    if not isinstance(explainer, TreeShapExplainer):
        raise TypeError(
            f"explainer must be a TreeShapExplainer from tree_shap_explainer, got "
            f"{type(explainer).__name__}"
        )
    if explainer.preprocess is not None:
        raise ValueError("explainer must wrap a bare model (no preprocessing) to mark ties in X")
    X = _check_rows(X, _n_inputs(explainer.model))
    A = X.to_numpy(dtype=float)
    thresholds: list[set[float]] = [set() for _ in range(A.shape[1])]
    for tree in explainer.explainer.model.trees:
        split = tree.children_left >= 0
        for f, t in zip(tree.features[split], tree.thresholds[split], strict=True):
            thresholds[int(f)].add(float(t))
    ties = np.column_stack(
        [np.isin(A[:, j], np.fromiter(thresholds[j], float)) for j in range(A.shape[1])]
    )
    return pd.DataFrame(ties, columns=X.columns, index=X.index)
