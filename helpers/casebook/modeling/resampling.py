"""Remedies for imbalance, compared on equal terms, and the resampling leak.

* :func:`imbalance_strategies` builds the usual remedies (resampling inside an
  imbalanced-learn pipeline, class weights, balanced ensembles) for one base
  model, so they are compared on equal terms.
* :func:`resampling_leak` shows what resampling *before* the split does to
  cross-validated PR-AUC.

Score the fitted remedies with :mod:`casebook.modeling.imbalance`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from imblearn.base import BaseSampler
from imblearn.ensemble import BalancedRandomForestClassifier, EasyEnsembleClassifier
from imblearn.over_sampling import ADASYN, SMOTE
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.pipeline import make_pipeline
from imblearn.under_sampling import RandomUnderSampler
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import average_precision_score
from sklearn.model_selection import StratifiedKFold

from casebook._validation.arrays import check_features_labels

__all__ = ["ResamplingLeak", "imbalance_strategies", "resampling_leak"]


class _QuantileBins(TransformerMixin, BaseEstimator):
    """Replace each feature by its bin at the training data's *unweighted* quantiles.

    The bins are exactly those HistGradientBoosting builds without sample
    weights (midpoints between distinct values when there are at most
    ``max_bins``, else the ``averaged_inverted_cdf`` percentiles), so a
    gradient-boosted model fitted on the codes grows the same trees as one
    fitted on the raw values with those bins. Given sample weights (e.g.
    ``class_weight``), scikit-learn >= 1.7 computes weighted percentiles one
    at a time, which on a few thousand rows costs several times the boosting
    itself; pre-binning keeps the unweighted bins. NaN stays NaN.
    """

    def __init__(self, max_bins: int = 255) -> None:
        self.max_bins = max_bins

    def fit(self, X: Any, y: Any = None) -> _QuantileBins:
        X = np.asarray(X, dtype=float)
        self.thresholds_ = []
        percentiles = np.linspace(0, 100, self.max_bins + 1)[1:-1]
        for col in X.T:
            distinct = np.unique(col[~np.isnan(col)])
            if len(distinct) <= self.max_bins:
                cuts = (distinct[:-1] + distinct[1:]) / 2
            else:
                cuts = np.unique(
                    np.percentile(col[~np.isnan(col)], percentiles, method="averaged_inverted_cdf")
                )
            self.thresholds_.append(cuts)
        return self

    def transform(self, X: Any) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        codes = np.column_stack(
            [np.searchsorted(cuts, X[:, j], side="left") for j, cuts in enumerate(self.thresholds_)]
        ).astype(float)
        codes[np.isnan(X)] = np.nan
        return codes


def imbalance_strategies(
    estimator: Any,
    *,
    preprocessor: Any = None,
    seed: int,
    n_estimators: int = 50,
    n_ensemble: int = 10,
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
    n_ensemble : int, default=10
        Balanced boosted models averaged by EasyEnsemble.

    Returns
    -------
    dict
        ``none``, ``class_weight``, ``random_under``, ``smote``, ``adasyn``,
        ``balanced_rf`` and ``easy_ensemble``, each an unfitted estimator.

    Notes
    -----
    For a :class:`~sklearn.ensemble.HistGradientBoostingClassifier` (numeric
    features), ``class_weight`` first maps every feature to the bins the
    unweighted model uses: the same trees as binning inside the model, but
    without scikit-learn's slow weighted-percentile binning, and with bins
    identical to those of ``"none"``.

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

    weighted = [clone(estimator).set_params(class_weight="balanced")]
    if isinstance(estimator, HistGradientBoostingClassifier) and estimator.categorical_features in (
        None,
        "from_dtype",
    ):
        weighted.insert(0, _QuantileBins(max_bins=estimator.max_bins))
    return {
        "none": pipe(clone(estimator)),
        "class_weight": pipe(*weighted),
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
        "easy_ensemble": pipe(EasyEnsembleClassifier(n_estimators=n_ensemble, random_state=seed)),
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
