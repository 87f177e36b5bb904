"""Synthetic minority examples, judged by train-on-synthetic, test-on-real.

:func:`synthesize_minority` generates positives (SMOTE family or a Gaussian
mixture); :func:`train_synthetic_test_real` trains a model on real negatives
plus synthetic positives only and scores it on real data, the fair test of a
generator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from imblearn.over_sampling import ADASYN, SMOTE, BorderlineSMOTE
from sklearn.base import clone
from sklearn.mixture import GaussianMixture

from casebook._validation.arrays import check_features_labels
from casebook.modeling.imbalance import ranking_scores, recall_at_precision

__all__ = ["SyntheticMinorityScore", "synthesize_minority", "train_synthetic_test_real"]

SynthesisMethod = Literal["smote", "borderline_smote", "adasyn", "gaussian_mixture"]


def synthesize_minority(
    X: Any, y: Any, *, method: SynthesisMethod, n_samples: int, seed: int, max_components: int = 4
) -> np.ndarray:
    """Generate ``n_samples`` synthetic positives from the positives of ``X``.

    ``"smote"``, ``"borderline_smote"`` and ``"adasyn"`` interpolate between
    a positive and one of its 5 positive neighbours (imbalanced-learn; ADASYN
    creates about, not exactly, ``n_samples``). ``"gaussian_mixture"`` fits a
    full-covariance Gaussian mixture to the positives, choosing 1 to
    ``max_components`` components by BIC, and samples from it.

    Returns
    -------
    numpy.ndarray
        Synthetic rows, shape ``(about n_samples, n_features)``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 2)); y = (np.arange(300) < 30).astype(int)
    >>> synthesize_minority(X, y, method="gaussian_mixture", n_samples=50, seed=0).shape
    (50, 2)
    """
    X, y = check_features_labels(X, y)
    if n_samples < 1:
        raise ValueError(f"n_samples must be at least 1, got {n_samples!r}")
    n_pos = int((y == 1).sum())
    if n_pos < 6:
        raise ValueError(f"y must contain at least 6 positives to synthesize, got {n_pos}")
    if method == "gaussian_mixture":
        pos = X[y == 1]
        fits = [
            GaussianMixture(k, covariance_type="full", reg_covar=1e-3, random_state=seed).fit(pos)
            for k in range(1, min(max_components, n_pos // 5) + 1)
        ]
        best = min(fits, key=lambda g: g.bic(pos))
        sample, _ = best.sample(n_samples)
        return sample[np.random.default_rng(seed).permutation(n_samples)]
    samplers = {"smote": SMOTE, "borderline_smote": BorderlineSMOTE, "adasyn": ADASYN}
    if method not in samplers:
        raise ValueError(f"method must be one of {[*samplers, 'gaussian_mixture']}, got {method!r}")
    n_neg = int((y == 0).sum())
    target = n_pos + n_samples
    if method == "adasyn":
        target = min(target, n_neg)  # ADASYN cannot oversample past the majority
    sampler = samplers[method](sampling_strategy={1: target}, random_state=seed)
    X_res, _ = sampler.fit_resample(X, y)
    return X_res[len(X) :]


@dataclass(frozen=True)
class SyntheticMinorityScore:
    """Test scores of a model trained on real negatives and given positives."""

    method: str
    n_positives_trained: int
    pr_auc: float
    roc_auc: float
    recall_at_precision: float
    scores: np.ndarray = field(repr=False, default_factory=lambda: np.empty(0))
    """Test-set scores of the model, for paired comparisons between methods."""


def train_synthetic_test_real(
    X_train: Any,
    y_train: Any,
    X_test: Any,
    y_test: Any,
    *,
    method: SynthesisMethod | Literal["real"],
    estimator: Any,
    n_samples: int,
    min_precision: float,
    seed: int,
    sample_weight: Any = None,
) -> SyntheticMinorityScore:
    """Train on real negatives plus *synthetic* positives only, test on real data.

    The real positives of ``X_train`` only feed the generator; the model never
    sees them. ``method="real"`` is the reference a generator should approach:
    the model trained on the real positives themselves, each used once, and
    ``n_samples`` is ignored. (Drawing ``n_samples`` of them with replacement
    would be random over-sampling, a remedy of its own, not the reference.)
    For a like-for-like comparison, generate as many synthetic positives as
    there are real ones.

    Returns
    -------
    SyntheticMinorityScore
        PR-AUC, ROC-AUC and recall at ``min_precision`` on the real test set
        (``sample_weight`` applies to the test rows), and the test scores.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> rng = np.random.default_rng(0)
    >>> y = (np.arange(600) < 60).astype(int)
    >>> X = rng.normal(size=(600, 2)) + 1.5 * y[:, None]
    >>> ref = train_synthetic_test_real(X[::2], y[::2], X[1::2], y[1::2], method="real",
    ...                                 estimator=LogisticRegression(), n_samples=500,
    ...                                 min_precision=0.5, seed=0)
    >>> ref.n_positives_trained  # the 30 real positives, not 500 draws
    30
    """
    X_train, y_train = check_features_labels(X_train, y_train, x_name="X_train", y_name="y_train")
    X_test, y_test = check_features_labels(X_test, y_test, x_name="X_test", y_name="y_test")
    if X_test.shape[1] != X_train.shape[1]:
        raise ValueError(
            f"X_test must have the {X_train.shape[1]} columns of X_train, got {X_test.shape[1]}"
        )
    if not 0 < min_precision <= 1:
        raise ValueError(f"min_precision must be in (0, 1], got {min_precision!r}")
    neg = X_train[y_train == 0]
    if method == "real":
        pos = X_train[y_train == 1]
    else:
        pos = synthesize_minority(X_train, y_train, method=method, n_samples=n_samples, seed=seed)
    X_fit = np.vstack([neg, pos])
    y_fit = np.r_[np.zeros(len(neg), dtype=int), np.ones(len(pos), dtype=int)]
    model = clone(estimator).fit(X_fit, y_fit)
    score = model.predict_proba(X_test)[:, 1]
    rs = ranking_scores(y_test, score, sample_weight=sample_weight)
    op = recall_at_precision(
        y_test, score, min_precision=min_precision, sample_weight=sample_weight
    )
    return SyntheticMinorityScore(method, len(pos), rs.pr_auc, rs.roc_auc, op.recall, score)
