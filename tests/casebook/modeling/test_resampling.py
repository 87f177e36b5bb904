"""Remedies for imbalance on equal terms, and the resampling leak."""

import numpy as np
import pytest
from imblearn.over_sampling import RandomOverSampler
from imblearn.under_sampling import RandomUnderSampler
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from casebook.modeling.imbalance import ranking_scores
from casebook.modeling.resampling import _QuantileBins, imbalance_strategies, resampling_leak


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    n = 4000
    y = (rng.random(n) < 0.02).astype(int)
    X = rng.normal(size=(n, 4))
    X[y == 1, 0] += 2.0
    X[y == 1, 1] -= 1.5
    return X, y


def test_strategies_fit_and_resample_only_in_fit(data):
    X, y = data
    strategies = imbalance_strategies(
        LogisticRegression(), preprocessor=StandardScaler(), seed=0, n_estimators=10
    )
    for name, model in strategies.items():
        model.fit(X, y)
        p = model.predict_proba(X)[:, 1]
        assert p.shape == (len(X),), name
        assert ranking_scores(y, p).roc_auc > 0.8, name
    # balancing moves the scores up: more alerts at 0.5 than the plain model
    plain = strategies["none"].predict_proba(X)[:, 1] >= 0.5
    under = strategies["random_under"].predict_proba(X)[:, 1] >= 0.5
    assert under.sum() > 3 * plain.sum()
    with pytest.raises(TypeError, match="class_weight parameter"):
        imbalance_strategies(StandardScaler(), seed=0)


def test_resampling_leak_inflates_pr_auc(data):
    X, y = data
    leak = resampling_leak(
        X,
        y,
        sampler=RandomOverSampler(),
        seed=0,
        n_splits=3,
        estimator=DecisionTreeClassifier(random_state=0),
    )
    assert leak.leaky_pr_auc > leak.honest_pr_auc + 0.3
    assert leak.leaky_original_pr_auc > leak.honest_pr_auc + 0.2
    with pytest.raises(TypeError, match="over-sampler"):
        resampling_leak(X, y, sampler=RandomUnderSampler(), estimator=LogisticRegression(), seed=0)


def test_quantile_bins_give_the_trees_of_unweighted_binning():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3000, 4))
    X[:, 1] = rng.integers(0, 7, 3000)  # few distinct values: midpoints
    X[::17, 2] = np.nan
    y = (X[:, 0] + rng.normal(size=3000) > 1.5).astype(int)
    hgb = HistGradientBoostingClassifier(max_iter=20, early_stopping=False, random_state=0)
    raw = hgb.fit(X, y)
    binned = make_pipeline(_QuantileBins(), HistGradientBoostingClassifier(**raw.get_params()))
    binned.fit(X, y)
    X_new = rng.normal(size=(500, 4))
    X_new[:, 1] = rng.integers(-1, 9, 500)
    X_new[::5, 2] = np.nan
    np.testing.assert_array_equal(raw.predict_proba(X_new), binned.predict_proba(X_new))
    codes = _QuantileBins().fit(X).transform(X_new)
    assert np.isnan(codes[::5, 2]).all()


def test_class_weight_strategy_prebins_only_boosting():
    hgb = HistGradientBoostingClassifier(max_iter=5)
    steps = imbalance_strategies(hgb, preprocessor=StandardScaler(), seed=0)["class_weight"].steps
    assert [type(step).__name__ for _, step in steps] == [
        "StandardScaler",
        "_QuantileBins",
        "HistGradientBoostingClassifier",
    ]
    assert steps[-1][1].class_weight == "balanced"
    logit = imbalance_strategies(LogisticRegression(), seed=0)["class_weight"]
    assert [type(step).__name__ for _, step in logit.steps] == ["LogisticRegression"]
    easy = imbalance_strategies(LogisticRegression(), seed=0, n_ensemble=3)["easy_ensemble"]
    assert easy.steps[-1][1].n_estimators == 3


_XS = np.vstack([np.random.default_rng(0).normal(0, 1, (30, 2)), np.full((10, 2), 2.0)])
_XS[30:] += np.random.default_rng(1).normal(0, 1, (10, 2))
_YS = np.r_[np.zeros(30, int), np.ones(10, int)]


def _bad_xy(name_x="X", name_y="y"):
    with_nan = _XS.copy()
    with_nan[0, 0] = np.nan
    with_inf = _XS.copy()
    with_inf[3, 1] = np.inf
    unknown = _YS.astype(object)
    unknown[0] = 7
    return [
        (
            {name_y: _YS[:-1]},
            ValueError,
            f"{name_x} and {name_y} must have the same number of rows",
        ),
        ({name_x: with_nan}, ValueError, f"{name_x} must be finite"),
        ({name_x: with_inf}, ValueError, f"{name_x} must be finite"),
        ({name_y: unknown}, ValueError, f"{name_y} must contain only 0 and 1, got .*'7'"),
        ({name_y: np.zeros(40, int)}, ValueError, f"{name_y} must contain both classes"),
        ({name_x: _XS.astype(str)}, TypeError, f"{name_x} must be numeric"),
        ({name_x: _XS[:, 0]}, ValueError, f"{name_x} must be 2-dimensional"),
        ({name_x: np.empty((0, 2)), name_y: []}, ValueError, f"{name_x} must have at least one"),
    ]


@pytest.mark.parametrize(("kwargs", "error", "match"), _bad_xy())
def test_resampling_leak_bad_input_names_the_parameter(kwargs, error, match):
    args = {"X": _XS, "y": _YS} | kwargs
    with pytest.raises(error, match=match):
        resampling_leak(
            **args,
            sampler=RandomOverSampler(),
            estimator=LogisticRegression(),
            n_splits=2,
            seed=0,
        )
