"""Evaluate and train classifiers when positives are rare.

* :func:`recall_at_precision` and :func:`ranking_scores` summarise a score
  the way a fraud team reads it; :func:`net_savings` turns a threshold into
  money when each positive has its own amount at stake.
* :func:`imbalance_strategies` builds the usual remedies (resampling inside an
  imbalanced-learn pipeline, class weights, balanced ensembles) for one base
  model, so they are compared on equal terms.
* :func:`resampling_leak` shows what resampling *before* the split does to
  cross-validated PR-AUC.
* :func:`synthesize_minority` and :func:`train_synthetic_test_real` judge
  generated minority examples (SMOTE family or a Gaussian mixture) by
  training on them and testing on real data.

Every function takes ``sample_weight`` where a metric is computed, so a test
set whose majority class was subsampled can be scored at its true prevalence
(weight each kept majority row by the inverse of its sampling fraction).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from imblearn.base import BaseSampler
from imblearn.ensemble import BalancedRandomForestClassifier, EasyEnsembleClassifier
from imblearn.over_sampling import ADASYN, SMOTE, BorderlineSMOTE
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.pipeline import make_pipeline
from imblearn.under_sampling import RandomUnderSampler
from sklearn.base import clone
from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score
from sklearn.mixture import GaussianMixture
from sklearn.model_selection import StratifiedKFold

from casebook._array_inputs import check_01, check_features_labels, check_number
from casebook._binary_inputs import as_float_array, check_same_length, check_scores

__all__ = [
    "MoneyOutcome",
    "OperatingPoint",
    "RankingScores",
    "ResamplingLeak",
    "SyntheticMinorityScore",
    "imbalance_strategies",
    "net_savings",
    "ranking_scores",
    "recall_at_precision",
    "resampling_leak",
    "subsample_majority",
    "synthesize_minority",
    "train_synthetic_test_real",
]

SynthesisMethod = Literal["smote", "borderline_smote", "adasyn", "gaussian_mixture"]


def _check_scores(
    y_true: Any, y_score: Any, sample_weight: Any = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    y_true = check_01(y_true, name="y_true")
    y_score = check_scores(y_score)
    check_same_length(y_true=y_true, y_score=y_score)
    if not (y_true == 1).any():
        raise ValueError("y_true must contain at least one positive, got none")
    if sample_weight is not None:
        w = as_float_array(sample_weight, name="sample_weight")
        if w.shape != y_true.shape or not np.isfinite(w).all() or (w < 0).any():
            raise ValueError(
                f"sample_weight must be non-negative and finite with shape {y_true.shape}, "
                f"got shape {w.shape} and values such as {w.ravel()[:5].tolist()}"
            )
        sample_weight = w
    return y_true, y_score, sample_weight


def subsample_majority(y: Any, *, keep: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Keep every positive and a random share ``keep`` of negatives, with weights.

    Negatives are redundant under heavy imbalance; a subsample makes models fit
    fast. Give the returned weights to every metric (``sample_weight``) so that
    precision, PR-AUC and money are reported at the original prevalence.

    Returns
    -------
    (index, weight) : tuple of numpy.ndarray
        Sorted positions of the kept rows, and their weights (1 for positives,
        ``1 / keep`` for negatives).

    Examples
    --------
    >>> idx, w = subsample_majority([0, 0, 0, 0, 1, 0, 0, 0], keep=0.5, seed=0)
    >>> bool(4 in idx), sorted(set(w.tolist()))
    (True, [1.0, 2.0])
    """
    y = np.asarray(y)
    if not 0 < keep <= 1:
        raise ValueError(f"keep must be in (0, 1], got {keep!r}")
    if not np.isin(y, [0, 1]).all():
        raise ValueError(f"y must contain only 0 and 1, got {np.unique(y)[:5]!r}")
    rng = np.random.default_rng(seed)
    idx = np.flatnonzero((y == 1) | (rng.random(len(y)) < keep))
    return idx, np.where(y[idx] == 1, 1.0, 1.0 / keep)


@dataclass(frozen=True)
class OperatingPoint:
    """A threshold and what it achieves: flag when ``score >= threshold``.

    ``threshold`` is ``inf`` (flag nothing, ``precision`` NaN, ``recall`` 0)
    when no threshold reaches the requested precision.
    """

    threshold: float
    precision: float
    recall: float


def recall_at_precision(
    y_true: Any, y_score: Any, *, min_precision: float, sample_weight: Any = None
) -> OperatingPoint:
    """Return the largest recall reachable with precision at least ``min_precision``.

    Parameters
    ----------
    y_true : array-like of 0/1
        True labels; at least one positive.
    y_score : array-like of float
        Scores, higher means more likely positive.
    min_precision : float
        Required precision, in (0, 1].
    sample_weight : array-like, optional
        Row weights, e.g. to restore the true prevalence of a subsampled set.

    Returns
    -------
    OperatingPoint
        The highest-recall threshold meeting the precision; if several give the
        same recall, the highest threshold (fewest alerts).

    Examples
    --------
    >>> op = recall_at_precision([0, 0, 1, 0, 1, 1], [.1, .2, .3, .4, .8, .9],
    ...                          min_precision=0.75)
    >>> op.threshold, op.precision, round(op.recall, 3)
    (0.3, 0.75, 1.0)
    >>> recall_at_precision([0, 1], [0.9, 0.1], min_precision=0.9).recall
    0.0
    """
    y_true, y_score, sample_weight = _check_scores(y_true, y_score, sample_weight)
    if not 0 < min_precision <= 1:
        raise ValueError(f"min_precision must be in (0, 1], got {min_precision!r}")
    precision, recall, thresholds = precision_recall_curve(
        y_true, y_score, sample_weight=sample_weight
    )
    precision, recall = precision[:-1], recall[:-1]
    ok = np.flatnonzero(precision >= min_precision - 1e-12)
    if ok.size == 0:
        return OperatingPoint(threshold=float("inf"), precision=float("nan"), recall=0.0)
    best = ok[recall[ok] == recall[ok].max()]
    i = best[-1]
    return OperatingPoint(
        threshold=float(thresholds[i]), precision=float(precision[i]), recall=float(recall[i])
    )


@dataclass(frozen=True)
class RankingScores:
    """Threshold-free summaries of a score under imbalance.

    ``prevalence`` is the PR-AUC of a random score, the baseline PR-AUC must
    be read against; a random score's ROC-AUC is always 0.5.
    """

    pr_auc: float
    roc_auc: float
    prevalence: float


def ranking_scores(y_true: Any, y_score: Any, *, sample_weight: Any = None) -> RankingScores:
    """Return PR-AUC (average precision), ROC-AUC and the prevalence.

    Examples
    --------
    >>> s = ranking_scores([0, 0, 0, 1], [0.1, 0.2, 0.9, 0.8])
    >>> round(s.pr_auc, 3), round(s.roc_auc, 3), s.prevalence
    (0.5, 0.667, 0.25)
    """
    y_true, y_score, sample_weight = _check_scores(y_true, y_score, sample_weight)
    if (y_true == 1).all():
        raise ValueError("y_true must contain at least one negative, got only positives")
    w = np.ones_like(y_score) if sample_weight is None else sample_weight
    return RankingScores(
        pr_auc=float(average_precision_score(y_true, y_score, sample_weight=sample_weight)),
        roc_auc=float(roc_auc_score(y_true, y_score, sample_weight=sample_weight)),
        prevalence=float(w[y_true == 1].sum() / w.sum()),
    )


@dataclass(frozen=True)
class MoneyOutcome:
    """Money at one threshold: what is caught, missed and spent on reviews."""

    threshold: float
    alerts: float
    caught_amount: float
    missed_amount: float
    review_cost: float
    net_savings: float


def net_savings(
    y_true: Any,
    y_score: Any,
    *,
    amount: Any,
    threshold: float,
    review_cost: float,
    sample_weight: Any = None,
) -> MoneyOutcome:
    """Money saved by reviewing every transaction with ``score >= threshold``.

    Each alert costs ``review_cost``; a reviewed fraud saves its ``amount``;
    a missed fraud loses it. ``net_savings = caught_amount - review_cost *
    alerts``, measured against having no model (every fraud lost).

    Examples
    --------
    >>> m = net_savings([0, 1, 1, 0], [0.9, 0.8, 0.1, 0.2], amount=[5, 100, 40, 7],
    ...                 threshold=0.5, review_cost=3)
    >>> m.alerts, m.caught_amount, m.missed_amount, m.net_savings
    (2.0, 100.0, 40.0, 94.0)
    """
    y_true, y_score, sample_weight = _check_scores(y_true, y_score, sample_weight)
    amount = np.asarray(amount, dtype=float)
    if amount.shape != y_true.shape or not np.isfinite(amount).all() or (amount < 0).any():
        raise ValueError(
            f"amount must be finite, non-negative, with shape {y_true.shape}, got shape "
            f"{amount.shape}"
        )
    review_cost = check_number(review_cost, name="review_cost", low=0)
    threshold = check_number(threshold, name="threshold", allow_inf=True)  # inf: flag nothing
    w = np.ones_like(y_score) if sample_weight is None else sample_weight
    flagged = y_score >= threshold
    fraud = y_true == 1
    alerts = float(w[flagged].sum())
    caught = float((w * amount)[flagged & fraud].sum())
    missed = float((w * amount)[~flagged & fraud].sum())
    spent = float(review_cost * alerts)
    return MoneyOutcome(float(threshold), alerts, caught, missed, spent, caught - spent)


def imbalance_strategies(
    estimator: Any, *, preprocessor: Any = None, seed: int, n_estimators: int = 50
) -> dict[str, Any]:
    """Build the usual remedies for imbalance around one base classifier.

    Resamplers sit inside an imbalanced-learn pipeline, so they touch only the
    training folds; the test data keeps its true prevalence. *Threshold
    moving* needs no new model: pick the threshold of ``"none"`` on held-out
    data (e.g. with :func:`recall_at_precision`).

    Parameters
    ----------
    estimator : classifier
        Base model with a ``class_weight`` parameter (e.g. logistic
        regression, HistGradientBoostingClassifier).
    preprocessor : transformer, optional
        Put first in every pipeline (e.g. a scaler, so SMOTE's nearest
        neighbours are not dominated by one feature).
    seed : int
        Random state of every sampler and ensemble.
    n_estimators : int, default=50
        Trees of the balanced random forest.

    Returns
    -------
    dict
        ``none``, ``class_weight``, ``random_under``, ``smote``, ``adasyn``,
        ``balanced_rf`` and ``easy_ensemble``, each an unfitted estimator.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> sorted(imbalance_strategies(LogisticRegression(), seed=0))
    ['adasyn', 'balanced_rf', 'class_weight', 'easy_ensemble', 'none', 'random_under', 'smote']
    """
    if "class_weight" not in estimator.get_params():
        raise TypeError(
            f"estimator must have a class_weight parameter, got {type(estimator).__name__}"
        )

    def pipe(*steps: Any) -> Any:
        head = [] if preprocessor is None else [clone(preprocessor)]
        return make_pipeline(*head, *steps)

    return {
        "none": pipe(clone(estimator)),
        "class_weight": pipe(clone(estimator).set_params(class_weight="balanced")),
        "random_under": pipe(RandomUnderSampler(random_state=seed), clone(estimator)),
        "smote": pipe(SMOTE(random_state=seed), clone(estimator)),
        "adasyn": pipe(ADASYN(random_state=seed), clone(estimator)),
        "balanced_rf": pipe(
            BalancedRandomForestClassifier(
                n_estimators=n_estimators,
                sampling_strategy="all",
                replacement=True,
                bootstrap=False,
                min_samples_leaf=2,
                random_state=seed,
                n_jobs=1,
            )
        ),
        "easy_ensemble": pipe(EasyEnsembleClassifier(n_estimators=10, random_state=seed)),
    }


@dataclass(frozen=True)
class ResamplingLeak:
    """Mean cross-validated PR-AUC of the honest and the leaky protocol.

    ``leaky_original_pr_auc`` scores the leaky models on the original rows of
    each test fold only (true prevalence), isolating the copy leak from the
    change of prevalence.
    """

    honest_pr_auc: float
    leaky_pr_auc: float
    leaky_original_pr_auc: float


def resampling_leak(
    X: Any, y: Any, *, sampler: BaseSampler, estimator: Any, n_splits: int = 5, seed: int
) -> ResamplingLeak:
    """Compare over-sampling inside cross-validation with over-sampling before it.

    The honest protocol resamples each training fold only. The leaky one
    resamples the whole data set first, then splits, so copies or
    interpolations of a test fold's frauds sit in its training folds.

    Parameters
    ----------
    X, y : array-like
        Features and 0/1 labels.
    sampler : imbalanced-learn over-sampler
        E.g. ``SMOTE()`` or ``RandomOverSampler()``; it must append its new
        rows after the original ones (all imbalanced-learn over-samplers do).
    estimator : classifier
        Fitted on each training fold.
    n_splits : int, default=5
        Folds of the stratified split.
    seed : int
        Seeds the fold split and the sampler.

    Returns
    -------
    ResamplingLeak
    """
    if not isinstance(sampler, BaseOverSampler):
        raise TypeError(
            f"sampler must be an imbalanced-learn over-sampler, got {type(sampler).__name__}"
        )
    X, y = check_features_labels(X, y)
    sampler = clone(sampler).set_params(random_state=seed)
    cv = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    honest = []
    for train, test in cv.split(X, y):
        model = make_pipeline(clone(sampler), clone(estimator)).fit(X[train], y[train])
        honest.append(average_precision_score(y[test], model.predict_proba(X[test])[:, 1]))
    X_res, y_res = clone(sampler).fit_resample(X, y)
    leaky, leaky_orig = [], []
    for train, test in cv.split(X_res, y_res):
        model = clone(estimator).fit(X_res[train], y_res[train])
        score = model.predict_proba(X_res[test])[:, 1]
        leaky.append(average_precision_score(y_res[test], score))
        orig = test < len(X)
        leaky_orig.append(average_precision_score(y_res[test][orig], score[orig]))
    return ResamplingLeak(float(np.mean(honest)), float(np.mean(leaky)), float(np.mean(leaky_orig)))


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
    ``n_samples`` positives drawn with replacement from the real ones (random
    over-sampling), so every method hands the model the same number of
    positives.

    Returns
    -------
    SyntheticMinorityScore
        PR-AUC, ROC-AUC and recall at ``min_precision`` on the real test set
        (``sample_weight`` applies to the test rows).
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
        real = X_train[y_train == 1]
        pos = real[np.random.default_rng(seed).integers(0, len(real), n_samples)]
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
    return SyntheticMinorityScore(method, len(pos), rs.pr_auc, rs.roc_auc, op.recall)
