"""TreeSHAP: Shapley values of tree ensembles in polynomial time, and where they differ.

:func:`casebook.modeling.explain.baseline_shapley` is the exact reference: it
scores every one of the ``2**d`` coalitions with the model itself, so its cost
doubles with each feature. TreeSHAP (Lundberg et al., 2020) gets Shapley values
from the trees' structure instead: its cost grows with the number of trees,
leaves and the depth, not with ``2**d``. Two variants answer two questions:

* ``"interventional"`` (a background sample given): the same game as
  ``baseline_shapley`` - features missing from a coalition take the background
  rows' values - computed in ``O(trees x leaves x background)``. It should
  equal the exact values;
* ``"tree_path_dependent"`` (no background): missing features are integrated
  out with the training cover stored in the trees, ``O(trees x leaves x
  depth**2)``. A different game, so different numbers (and a different base
  value: the training-weighted mean output).

:func:`tree_shap_explainer` builds the explainer once (offline);
:func:`tree_shap` explains rows with it (per request). :func:`lightgbm_contributions`
is LightGBM's built-in path-dependent TreeSHAP (``pred_contrib``), with no shap
call on the request path.

shap 0.51's interventional TreeSHAP routes values as if the split thresholds were
rounded to single precision: for scikit-learn's histogram gradient boosting,
whose thresholds often sit exactly on observed (rounded) values, a value equal
to a threshold can go the other way than in the model, and the values then
differ from the exact ones. :mod:`casebook.modeling.tree_shap_ties` marks such
values and builds the model TreeSHAP effectively explains.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline

from casebook._validation.arrays import plain_frame
from casebook.modeling.explain import Contributions, source_features

__all__ = [
    "TreeShapExplainer",
    "lightgbm_contributions",
    "tree_shap",
    "tree_shap_explainer",
]

FeaturePerturbation = Literal["interventional", "tree_path_dependent"]


def _import_shap() -> Any:
    # shap 0.51 calls matplotlib colormap setters that matplotlib 3.10+ flags as pending
    # deprecations at import time; nothing in the casebook uses those colormaps
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=PendingDeprecationWarning, module="shap")
        warnings.filterwarnings("ignore", message="The set_", category=PendingDeprecationWarning)
        import shap
    return shap


def _is_lightgbm(model: Any) -> bool:
    return type(model).__module__.split(".")[0] == "lightgbm"


def _raw_output(model: Any, Z: np.ndarray) -> np.ndarray:
    """The model's own log-odds (raw score) for the model-space rows ``Z``."""
    if _is_lightgbm(model):
        booster = getattr(model, "booster_", model)
        return np.asarray(booster.predict(Z, raw_score=True), dtype=float)
    names = getattr(model, "feature_names_in_", None)
    rows = Z if names is None else pd.DataFrame(Z, columns=names)
    return np.asarray(model.decision_function(rows), dtype=float).reshape(len(Z))


@dataclass(frozen=True)
class TreeShapExplainer:
    """A ``shap.TreeExplainer`` with the preprocessing that feeds its model.

    Attributes
    ----------
    explainer : shap.TreeExplainer
        Built on the pipeline's last step (or the bare model).
    model : object
        That tree model.
    preprocess : Pipeline or None
        The pipeline's steps before the model; ``None`` for a bare model.
    sources : list of str or None
        Original column behind each model input column (one-hot columns map
        back to their feature); ``None`` for a bare model (columns of ``X``).
    feature_perturbation : {"interventional", "tree_path_dependent"}
    """

    explainer: Any
    model: Any
    preprocess: Any
    sources: list[str] | None
    feature_perturbation: FeaturePerturbation


def _to_model_space(expl: TreeShapExplainer, X: pd.DataFrame) -> np.ndarray:
    if expl.preprocess is None:
        return X.to_numpy(dtype=float)
    return np.asarray(expl.preprocess.transform(X), dtype=float)


def tree_shap_explainer(model: Any, *, background: pd.DataFrame | None = None) -> TreeShapExplainer:
    """Build a TreeSHAP explainer for a fitted binary tree classifier (offline step).

    Parameters
    ----------
    model : estimator or Pipeline
        A fitted binary tree ensemble that shap's ``TreeExplainer`` reads
        (scikit-learn's gradient boosting, LightGBM, ...), or a Pipeline
        ending in one; its preprocessing is applied before explaining and
        one-hot columns are summed back onto their original feature.
    background : pandas.DataFrame, optional
        Reference rows. Given: ``"interventional"`` TreeSHAP, the game of
        :func:`~casebook.modeling.explain.baseline_shapley` with the same
        rows. ``None``: ``"tree_path_dependent"`` TreeSHAP (the training
        cover stored in the trees plays the background).

    Returns
    -------
    TreeShapExplainer

    Examples
    --------
    >>> from sklearn.ensemble import HistGradientBoostingClassifier
    >>> X = pd.DataFrame({"a": [0.0, 1, 2, 3] * 10, "b": [1.0, 0, 1, 0] * 10})
    >>> y = [0, 0, 1, 1] * 10
    >>> model = HistGradientBoostingClassifier(max_iter=5, min_samples_leaf=2).fit(X, y)
    >>> tree_shap_explainer(model, background=X.head(4)).feature_perturbation
    'interventional'
    >>> tree_shap_explainer(model).feature_perturbation
    'tree_path_dependent'
    """
    from sklearn.utils.validation import check_is_fitted

    estimator, preprocess, sources = model, None, None
    if isinstance(model, Pipeline):
        if len(model.steps) < 2:
            raise TypeError(
                "model must be a tree model or a Pipeline of preprocessing + tree model"
            )
        estimator, preprocess = model.steps[-1][1], model[:-1]
        first = preprocess.steps[0][1]
        if isinstance(first, ColumnTransformer):
            sources = source_features(first)
    if type(estimator).__name__ != "Booster":
        try:
            check_is_fitted(estimator)
        except (TypeError, ValueError) as err:  # NotFittedError is a ValueError
            raise TypeError(
                f"model must be a fitted tree model, got {type(estimator).__name__}: {err}"
            ) from None
    classes = getattr(estimator, "classes_", [0, 1])
    if len(classes) != 2:
        raise ValueError(f"model must be a binary classifier, got {len(classes)} classes")
    data = None
    if background is not None:
        background = plain_frame(background)
        if not isinstance(background, pd.DataFrame) or len(background) == 0:
            raise ValueError(
                f"background must be a non-empty DataFrame of rows, got {background!r}"
            )
        if len(background) > 1000:
            raise ValueError(
                f"background must have at most 1000 rows (cost grows with it), got {len(background)}"
            )
        n_in = _n_inputs(estimator) if preprocess is None else None
        if n_in is not None and background.shape[1] != n_in:
            raise ValueError(
                f"background must have the model's {n_in} columns, got {background.shape[1]}"
            )
        stub = TreeShapExplainer(None, estimator, preprocess, sources, "interventional")
        try:
            data = _to_model_space(stub, background)
        except (TypeError, ValueError) as err:
            raise ValueError(f"background must hold the model's input columns: {err}") from None
        if not np.isfinite(data).all():
            raise ValueError("background must be finite after preprocessing, got NaN or inf")
    shap = _import_shap()
    perturbation: FeaturePerturbation = "tree_path_dependent" if data is None else "interventional"
    try:
        explainer = shap.TreeExplainer(
            estimator, data=data, feature_perturbation=perturbation, model_output="raw"
        )
    except Exception as err:  # shap raises its own InvalidModelError for unsupported models
        raise TypeError(
            f"model must be a tree ensemble shap's TreeExplainer supports, got "
            f"{type(estimator).__name__}: {err}"
        ) from None
    return TreeShapExplainer(explainer, estimator, preprocess, sources, perturbation)


def _check_rows(X: Any, n_features: int | None, *, numeric: bool = True) -> pd.DataFrame:
    X = plain_frame(X)
    if not isinstance(X, pd.DataFrame):
        raise TypeError(f"X must be a pandas DataFrame, got {type(X).__name__}")
    if len(X) == 0:
        raise ValueError("X must have at least one row to explain, got none")
    if n_features is not None and X.shape[1] != n_features:
        raise ValueError(f"X must have the model's {n_features} columns, got {X.shape[1]}")
    bad = [c for c in X.columns if not pd.api.types.is_numeric_dtype(X[c])]
    if numeric and bad:
        raise ValueError(
            f"X must have numeric columns for a model without preprocessing; got {bad}"
        )
    return X


def _n_inputs(model: Any) -> int | None:
    if _is_lightgbm(model):
        booster = getattr(model, "booster_", model)
        return int(booster.num_feature())
    return getattr(model, "n_features_in_", None)


def tree_shap(explainer: TreeShapExplainer, X: pd.DataFrame) -> Contributions:
    """TreeSHAP values of rows, in log-odds, on the original features (per request).

    ``prediction`` is the model's own log-odds, not shap's, so
    :meth:`~casebook.modeling.explain.Contributions.additivity_error` shows
    any row where the contributions fail to add up to the model's output.

    Parameters
    ----------
    explainer : TreeShapExplainer
        From :func:`tree_shap_explainer`.
    X : pandas.DataFrame
        Rows to explain, with the columns the model (or pipeline) was fitted on.

    Returns
    -------
    Contributions

    Examples
    --------
    >>> from sklearn.ensemble import HistGradientBoostingClassifier
    >>> X = pd.DataFrame({"a": [0.0, 1, 2, 3] * 10, "b": [1.0, 0, 1, 0] * 10})
    >>> y = [0, 0, 1, 1] * 10
    >>> model = HistGradientBoostingClassifier(max_iter=5, min_samples_leaf=2).fit(X, y)
    >>> expl = tree_shap(tree_shap_explainer(model), X.head(2))
    >>> list(expl.values.columns), expl.additivity_error() < 1e-9
    (['a', 'b'], True)
    """
    if not isinstance(explainer, TreeShapExplainer):
        raise TypeError(
            f"explainer must be a TreeShapExplainer from tree_shap_explainer, got "
            f"{type(explainer).__name__}"
        )
    bare = explainer.preprocess is None
    X = _check_rows(X, _n_inputs(explainer.model) if bare else None, numeric=bare)
    start = time.perf_counter()
    try:
        Z = _to_model_space(explainer, X)
    except (TypeError, ValueError) as err:  # e.g. a column the pipeline needs is missing
        raise ValueError(f"X must hold the columns the model was fitted on: {err}") from None
    with warnings.catch_warnings():
        # LightGBM binary models: shap reports that it returns one column of log-odds
        warnings.filterwarnings(
            "ignore", message="LightGBM binary classifier", category=UserWarning
        )
        phi = explainer.explainer.shap_values(Z, check_additivity=False)
    phi = np.asarray(phi, dtype=float)
    if phi.ndim == 3:  # (rows, features, classes): keep the positive class
        phi = phi[..., -1]
    base = np.ravel(explainer.explainer.expected_value)[-1]
    columns = list(X.columns) if explainer.sources is None else explainer.sources
    values = pd.DataFrame(phi, columns=columns, index=X.index)
    if explainer.sources is not None:  # one-hot columns back onto their feature
        values = values.T.groupby(level=0, sort=False).sum().T
    prediction = _raw_output(explainer.model, Z)
    return Contributions(
        values=values,
        base_value=float(base),
        prediction=prediction,
        seconds=time.perf_counter() - start,
    )


def lightgbm_contributions(model: Any, X: pd.DataFrame) -> Contributions:
    """LightGBM's built-in path-dependent TreeSHAP (``pred_contrib=True``), in log-odds.

    The same numbers as ``tree_shap`` with a path-dependent explainer, computed
    inside LightGBM: nothing but the booster on the request path.

    Parameters
    ----------
    model : lightgbm.LGBMClassifier or lightgbm.Booster
        Fitted, binary, on the columns of ``X`` (as an array).
    X : pandas.DataFrame
        Rows to explain.

    Returns
    -------
    Contributions

    Examples
    --------
    >>> import lightgbm
    >>> X = pd.DataFrame({"a": [0.0, 1, 2, 3] * 10, "b": [1.0, 0, 1, 0] * 10})
    >>> model = lightgbm.LGBMClassifier(n_estimators=5, min_child_samples=2, verbose=-1)
    >>> expl = lightgbm_contributions(model.fit(X.to_numpy(), [0, 0, 1, 1] * 10), X.head(2))
    >>> list(expl.values.columns), expl.additivity_error() < 1e-9
    (['a', 'b'], True)
    """
    if not _is_lightgbm(model):
        raise TypeError(
            f"model must be a LightGBM LGBMClassifier or Booster, got {type(model).__name__}"
        )
    booster = getattr(model, "booster_", None) if type(model).__name__ != "Booster" else model
    if booster is None:
        raise TypeError("model must be a fitted LightGBM model, got an unfitted LGBMClassifier")
    classes = getattr(model, "classes_", [0, 1])
    if len(classes) != 2:
        raise ValueError(f"model must be a binary classifier, got {len(classes)} classes")
    X = _check_rows(X, int(booster.num_feature()))
    start = time.perf_counter()
    Z = X.to_numpy(dtype=float)
    out = np.asarray(booster.predict(Z, pred_contrib=True), dtype=float)
    values = pd.DataFrame(out[:, :-1], columns=list(X.columns), index=X.index)
    return Contributions(
        values=values,
        base_value=float(out[0, -1]),
        prediction=out.sum(axis=1),
        seconds=time.perf_counter() - start,
    )
