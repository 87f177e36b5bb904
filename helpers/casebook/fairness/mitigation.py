"""Run bias mitigations on one split and weigh what they cost.

Three families, one function each, all returning ``{0, 1}`` decisions for the
evaluation rows so they can be compared in one table:

* pre-processing -- :func:`reweighing_predictions`: aif360 ``Reweighing``
  weights (through :mod:`casebook.fairness.adapters`), optionally softened or
  strengthened, then the same estimator refitted with those sample weights;
* in-processing -- :func:`exponentiated_gradient_predictions` (fairlearn's
  reduction approach). aif360's ``PrejudiceRemover`` is deliberately not
  wrapped: it runs Kamishima's script in a ``python`` subprocess and took
  over a minute for 300 rows on the reference machine, too slow for a
  lesson; ExponentiatedGradient covers the same family;
* post-processing -- :func:`threshold_optimizer_predictions` (fairlearn
  group-specific thresholds, optionally with a relaxed tolerance).

:func:`mitigation_table` scores every set of decisions against the labels
you train on (possibly biased) *and* against a reference truth when you have
one; :func:`pareto_front`, :func:`accuracy_cost_per_disparity` and
:func:`choose_operating_point` turn the table into a decision.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator, Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.base import clone

from casebook.fairness._checks import check_frame, finite_array, finite_scalar
from casebook.fairness.metrics import disparity

__all__ = [
    "accuracy_cost_per_disparity",
    "choose_operating_point",
    "exponentiated_gradient_predictions",
    "mitigation_table",
    "pareto_front",
    "reweighing_predictions",
    "reweighing_weights",
    "threshold_optimizer_predictions",
]

Constraint = Literal["demographic_parity", "equalized_odds", "true_positive_rate_parity"]


@contextlib.contextmanager
def _no_compile_warnings() -> Iterator[None]:
    """Ignore aif360's "invalid escape sequence" compile warnings (a
    DeprecationWarning on Python 3.11, a SyntaxWarning from 3.12)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", SyntaxWarning)
        yield


def _binary_groups(sensitive_features: Any, *, n: int) -> np.ndarray:
    """Return a 0/1 array (1 = the first group in sorted order) for two groups."""
    s = np.asarray(sensitive_features)
    if s.ndim != 1 or len(s) != n:
        raise ValueError(
            f"sensitive_features must be 1-D with {n} rows (as X), got shape {s.shape}"
        )
    if pd.isna(s).any():
        raise ValueError("sensitive_features must not contain missing values")
    values = np.unique(s)
    if len(values) != 2:
        raise ValueError(
            f"sensitive_features must have exactly 2 groups for this method, got {values.tolist()!r}"
        )
    return (s == values[0]).astype(int)


def _check_matrix(X: Any, *, name: str) -> np.ndarray:
    """Return ``X`` as a finite 2-D float array, naming ``name`` on failure."""
    try:
        arr = np.asarray(X, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must hold numbers, got a value that is not ({exc})") from None
    if arr.ndim != 2:
        raise ValueError(f"{name} must be 2-D (rows, features), got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must be finite, got NaN or inf")
    return arr


def _check_labels(y: Any, *, name: str) -> np.ndarray:
    """Return ``y`` as int after checking it is binary 0/1 with both classes."""
    y = np.asarray(y)
    if len(y) == 0:
        raise ValueError(f"{name} must have at least one row, got 0")
    if not np.isin(y, [0, 1]).all():
        raise ValueError(
            f"{name} must be binary 0/1, got values {np.unique(y.astype(str))[:5].tolist()!r}"
        )
    if len(np.unique(y)) < 2:
        raise ValueError(
            f"{name} must contain both classes 0 and 1, got only {np.unique(y).tolist()!r}"
        )
    return y.astype(int)


def _check_xy(
    X: Any, y: Any, *, x_name: str = "X_train", y_name: str = "y_train"
) -> tuple[np.ndarray, np.ndarray]:
    X = _check_matrix(X, name=x_name)
    y = np.asarray(y)
    if y.ndim != 1 or len(y) != len(X):
        raise ValueError(
            f"{y_name} must have one label per row of {x_name} ({len(X)}), got shape {y.shape}"
        )
    return X, _check_labels(y, name=y_name)


def _check_groups_length(sensitive_features: Any, *, n: int, name: str) -> np.ndarray:
    s = np.asarray(sensitive_features)
    if s.ndim != 1 or len(s) != n:
        raise ValueError(f"{name} must be 1-D with one group per row ({n}), got shape {s.shape}")
    if pd.isna(s).any():
        raise ValueError(f"{name} must not contain missing values")
    return s


def reweighing_weights(y: Any, *, sensitive_features: Any, strength: float = 1.0) -> np.ndarray:
    """Sample weights of aif360 ``Reweighing``, raised to the power ``strength``.

    Reweighing gives each (group, label) cell the weight
    ``P(group) P(label) / P(group, label)``, so that in the weighted data the
    label is independent of the group. ``strength`` interpolates
    geometrically: 0 gives all ones (no mitigation), 1 the aif360 weights, and
    above 1 over-corrects; it traces a path for a Pareto front.

    Parameters
    ----------
    y : array-like of {0, 1}
        Training labels (1 = favourable).
    sensitive_features : array-like
        Group of each row; exactly two groups.
    strength : float, default=1.0
        Exponent applied to the weights, >= 0.

    Returns
    -------
    numpy.ndarray
        One positive weight per row.

    Examples
    --------
    >>> y = [1, 1, 1, 0, 1, 0, 0, 0]
    >>> g = ["m", "m", "m", "m", "f", "f", "f", "f"]
    >>> reweighing_weights(y, sensitive_features=g).round(3).tolist()
    [0.667, 0.667, 0.667, 2.0, 2.0, 0.667, 0.667, 0.667]
    """
    from casebook.fairness.adapters import _quiet_aif360, to_binary_label_dataset

    with _quiet_aif360(), _no_compile_warnings():
        from aif360.algorithms.preprocessing import Reweighing

    strength = finite_scalar(strength, name="strength", nonnegative=True)
    y = np.asarray(y)
    s = _binary_groups(sensitive_features, n=len(y))
    y = _check_labels(y, name="y")
    frame = pd.DataFrame({"group": s, "label": y})
    data = to_binary_label_dataset(frame, label="label", protected="group")
    rw = Reweighing(unprivileged_groups=[{"group": 1}], privileged_groups=[{"group": 0}])
    weights = rw.fit_transform(data).instance_weights
    return np.asarray(weights, dtype=float) ** float(strength)


def reweighing_predictions(
    estimator: Any,
    X_train: Any,
    y_train: Any,
    X_eval: Any,
    *,
    sensitive_features: Any,
    strength: float = 1.0,
) -> np.ndarray:
    """Refit ``estimator`` with :func:`reweighing_weights` and predict ``X_eval``.

    Parameters
    ----------
    estimator : scikit-learn classifier accepting ``sample_weight``
        Cloned, never modified.
    X_train, y_train : array-like
        Training data and binary labels.
    X_eval : array-like
        Rows to decide on; the group is not needed at prediction time.
    sensitive_features : array-like
        Group of each *training* row (two groups).
    strength : float, default=1.0
        See :func:`reweighing_weights`.

    Returns
    -------
    numpy.ndarray of int
        Decisions for ``X_eval``.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from casebook.synthetic.applicants import make_applicants
    >>> df = make_applicants(600, seed=0)
    >>> X, y, g = df[["skills_score", "gap_years"]].to_numpy(), df["hired"], df["gender"]
    >>> pred = reweighing_predictions(LogisticRegression(), X[:400], y[:400], X[400:],
    ...                               sensitive_features=g[:400])
    >>> pred.shape, set(pred.tolist()) <= {0, 1}
    ((200,), True)
    """
    X, y = _check_xy(X_train, y_train)
    X_eval = _check_matrix(X_eval, name="X_eval")
    w = reweighing_weights(y, sensitive_features=sensitive_features, strength=strength)
    model = clone(estimator).fit(X, y, sample_weight=w)
    return np.asarray(model.predict(X_eval)).astype(int)


def exponentiated_gradient_predictions(
    estimator: Any,
    X_train: Any,
    y_train: Any,
    X_eval: Any,
    *,
    sensitive_features: Any,
    constraint: Constraint = "demographic_parity",
    eps: float = 0.01,
    max_iter: int = 50,
    seed: int = 0,
) -> np.ndarray:
    """Fit fairlearn ``ExponentiatedGradient`` and predict ``X_eval``.

    The reduction re-fits ``estimator`` on reweighted data until the
    randomized mixture meets ``constraint`` on the training data within
    ``eps``; predictions are drawn with ``seed``, so they are reproducible.
    The group is used for training only.

    Parameters
    ----------
    estimator : scikit-learn classifier accepting ``sample_weight``
    X_train, y_train, X_eval : array-like
    sensitive_features : array-like
        Group of each training row.
    constraint : {"demographic_parity", "equalized_odds", "true_positive_rate_parity"}
    eps : float, default=0.01
        Allowed constraint violation.
    max_iter : int, default=50
    seed : int, default=0

    Returns
    -------
    numpy.ndarray of int

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from casebook.synthetic.applicants import make_applicants
    >>> df = make_applicants(600, seed=0)
    >>> X, y, g = df[["skills_score", "gap_years"]].to_numpy(), df["hired"], df["gender"]
    >>> pred = exponentiated_gradient_predictions(
    ...     LogisticRegression(), X[:400], y[:400], X[400:], sensitive_features=g[:400], seed=0)
    >>> pred.shape
    (200,)
    """
    from fairlearn.reductions import DemographicParity, EqualizedOdds, TruePositiveRateParity

    moments = {
        "demographic_parity": DemographicParity,
        "equalized_odds": EqualizedOdds,
        "true_positive_rate_parity": TruePositiveRateParity,
    }
    if constraint not in moments:
        raise ValueError(f"constraint must be one of {list(moments)}, got {constraint!r}")
    from fairlearn.reductions import ExponentiatedGradient

    X, y = _check_xy(X_train, y_train)
    X_eval = _check_matrix(X_eval, name="X_eval")
    s = _check_groups_length(sensitive_features, n=len(y), name="sensitive_features")
    eg = ExponentiatedGradient(clone(estimator), moments[constraint](), eps=eps, max_iter=max_iter)
    with warnings.catch_warnings():
        # fairlearn 0.15's moments set Series values in ways pandas 3 deprecates
        # (Pandas4Warning: .at on a new key, bool into a float Series); harmless
        # on the locked stack and not ours to fix
        warnings.simplefilter("ignore", pd.errors.Pandas4Warning)
        eg.fit(X, y, sensitive_features=s)
        pred = eg.predict(X_eval, random_state=seed)
    return np.asarray(pred).astype(int)


def threshold_optimizer_predictions(
    fitted_estimator: Any,
    X_train: Any,
    y_train: Any,
    X_eval: Any,
    *,
    sensitive_features: Any,
    sensitive_features_eval: Any,
    constraint: Constraint = "demographic_parity",
    tol: float | None = None,
    seed: int = 0,
) -> np.ndarray:
    """Group-specific thresholds on a fitted model's scores (fairlearn ``ThresholdOptimizer``).

    Post-processing leaves the model alone and picks one (randomized)
    threshold per group; it therefore needs the group **at decision time**,
    which some jurisdictions forbid for some decisions (disparate treatment).

    Parameters
    ----------
    fitted_estimator : fitted classifier with ``predict_proba``
    X_train, y_train : array-like
        Rows on which the thresholds are chosen.
    X_eval : array-like
    sensitive_features, sensitive_features_eval : array-like
        Groups of the training and evaluation rows.
    constraint : {"demographic_parity", "equalized_odds", "true_positive_rate_parity"}
    tol : float or None, default=None
        Allowed constraint violation (None = exact parity); larger values
        trade less parity for more accuracy.
    seed : int, default=0

    Returns
    -------
    numpy.ndarray of int

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from casebook.synthetic.applicants import make_applicants
    >>> df = make_applicants(600, seed=0)
    >>> X, y, g = df[["skills_score", "gap_years"]].to_numpy(), df["hired"], df["gender"]
    >>> model = LogisticRegression().fit(X[:400], y[:400])
    >>> pred = threshold_optimizer_predictions(
    ...     model, X[:400], y[:400], X[400:], sensitive_features=g[:400],
    ...     sensitive_features_eval=g[400:], seed=0)
    >>> pred.shape
    (200,)
    """
    from fairlearn.postprocessing import ThresholdOptimizer

    X, y = _check_xy(X_train, y_train)
    X_eval = _check_matrix(X_eval, name="X_eval")
    s = _check_groups_length(sensitive_features, n=len(y), name="sensitive_features")
    s_eval = _check_groups_length(
        sensitive_features_eval, n=len(X_eval), name="sensitive_features_eval"
    )
    to = ThresholdOptimizer(
        estimator=fitted_estimator,
        constraints=constraint,
        prefit=True,
        predict_method="predict_proba",
        tol=tol,
    )
    to.fit(X, y, sensitive_features=s)
    out = to.predict(
        X_eval,
        sensitive_features=s_eval,
        random_state=seed,
    )
    return np.asarray(out).astype(int)


def mitigation_table(
    predictions: Mapping[str, Any],
    *,
    y_historical: Any,
    sensitive_features: Any,
    y_truth: Any = None,
    baseline: str = "baseline",
    families: Mapping[str, str] | None = None,
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
    hist = np.asarray(y_historical)
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
) -> str:
    """Apply the policy "most accurate candidate whose disparity is within tolerance".

    Ties on accuracy go to the lower disparity.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per candidate, e.g. from :func:`mitigation_table`.
    max_disparity : float
        Tolerance on the ``disparity`` column.
    disparity, accuracy : str
        Column names.

    Returns
    -------
    str
        Index label of the chosen row.

    Raises
    ------
    ValueError
        If a column is missing or no candidate meets the tolerance.

    Examples
    --------
    >>> t = pd.DataFrame({"dp_difference": [0.10, 0.04, 0.01],
    ...                   "accuracy_historical": [0.80, 0.78, 0.74]}, index=["a", "b", "c"])
    >>> choose_operating_point(t, max_disparity=0.05)
    'b'
    """
    check_frame(table, name="table", nonempty=False)
    for col in (disparity, accuracy):
        if col not in table.columns:
            raise ValueError(f"table must have a column {col!r}; columns: {list(table.columns)}")
    check_frame(table, name="table", numeric=(disparity, accuracy))
    max_disparity = finite_scalar(max_disparity, name="max_disparity")
    ok = table[table[disparity] <= max_disparity]
    if ok.empty:
        raise ValueError(
            f"max_disparity={max_disparity} is met by no candidate; smallest {disparity} is "
            f"{table[disparity].min():.4g}"
        )
    best = ok.sort_values([accuracy, disparity], ascending=[False, True])
    return str(best.index[0])
