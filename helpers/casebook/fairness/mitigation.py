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

Weighing what the decisions cost and choosing among them (the mitigation
table, the Pareto front, the policy) is :mod:`casebook.fairness.operating_point`.
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.base import clone

from casebook._validation.binary import check_no_na
from casebook.fairness._checks import finite_scalar

__all__ = [
    "exponentiated_gradient_predictions",
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
    y = check_no_na(np.asarray(y), name=name)
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
    y = check_no_na(np.asarray(y), name=y_name)
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
    y = check_no_na(np.asarray(y), name="y")
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
