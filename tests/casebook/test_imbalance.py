"""Imbalanced evaluation, the resampling leak and train-on-synthetic test-on-real."""

import numpy as np
import pytest
from imblearn.over_sampling import RandomOverSampler
from imblearn.under_sampling import RandomUnderSampler
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier

from casebook.imbalance import (
    imbalance_strategies,
    net_savings,
    ranking_scores,
    recall_at_precision,
    resampling_leak,
    synthesize_minority,
    train_synthetic_test_real,
)


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    n = 4000
    y = (rng.random(n) < 0.02).astype(int)
    X = rng.normal(size=(n, 4))
    X[y == 1, 0] += 2.0
    X[y == 1, 1] -= 1.5
    return X, y


def test_recall_at_precision_brute_force():
    rng = np.random.default_rng(1)
    y = (rng.random(300) < 0.2).astype(int)
    s = rng.random(300) + y * 0.5
    op = recall_at_precision(y, s, min_precision=0.8)
    best = 0.0
    for t in np.unique(s):
        flag = s >= t
        if y[flag].mean() >= 0.8:
            best = max(best, y[flag].sum() / y.sum())
    assert op.recall == pytest.approx(best)
    assert op.precision >= 0.8
    assert ((s >= op.threshold) & (y == 1)).sum() / y.sum() == pytest.approx(op.recall)


def test_sample_weight_restores_prevalence():
    y = np.array([0, 0, 1, 1])
    s = np.array([0.9, 0.1, 0.8, 0.7])
    plain = recall_at_precision(y, s, min_precision=0.6)
    assert plain.recall == 1.0  # 2 of 3 flagged are frauds
    weighted = recall_at_precision(y, s, min_precision=0.6, sample_weight=[10, 10, 1, 1])
    assert weighted.recall == 0.0 and np.isnan(weighted.precision)
    assert weighted.threshold == np.inf
    rs = ranking_scores(y, s, sample_weight=[10, 10, 1, 1])
    assert rs.prevalence == pytest.approx(2 / 22)
    assert rs.roc_auc == pytest.approx(0.5)


def test_ranking_scores_random_baseline():
    rng = np.random.default_rng(2)
    y = (rng.random(20_000) < 0.01).astype(int)
    rs = ranking_scores(y, rng.random(20_000))
    assert abs(rs.roc_auc - 0.5) < 0.05
    assert rs.pr_auc < 3 * rs.prevalence


def test_metric_bad_input():
    with pytest.raises(ValueError, match="at least one positive"):
        recall_at_precision([0, 0], [0.1, 0.2], min_precision=0.5)
    with pytest.raises(ValueError, match="at least one negative"):
        ranking_scores([1, 1], [0.1, 0.2])
    with pytest.raises(ValueError, match="only 0 and 1"):
        ranking_scores([0, 2], [0.1, 0.2])
    with pytest.raises(ValueError, match="same length"):
        ranking_scores([0, 1], [0.1])
    with pytest.raises(ValueError, match="finite"):
        ranking_scores([0, 1], [0.1, np.nan])
    with pytest.raises(ValueError, match="sample_weight must be non-negative"):
        ranking_scores([0, 1], [0.1, 0.2], sample_weight=[1, -1])
    with pytest.raises(ValueError, match="min_precision must be in"):
        recall_at_precision([0, 1], [0.1, 0.2], min_precision=0)


def test_net_savings_by_hand_and_weights():
    y = [0, 1, 1, 0]
    s = [0.9, 0.8, 0.1, 0.2]
    m = net_savings(
        y, s, amount=[5, 100, 40, 7], threshold=0.5, review_cost=3, sample_weight=[10, 1, 1, 10]
    )
    assert m.alerts == 11 and m.caught_amount == 100 and m.missed_amount == 40
    assert m.net_savings == pytest.approx(100 - 33)
    none = net_savings(y, s, amount=[5, 100, 40, 7], threshold=np.inf, review_cost=3)
    assert none.alerts == 0 and none.net_savings == 0 and none.missed_amount == 140
    with pytest.raises(ValueError, match="amount must be finite"):
        net_savings(y, s, amount=[1, 2], threshold=0.5, review_cost=1)
    with pytest.raises(ValueError, match="review_cost must be non-negative"):
        net_savings(y, s, amount=[1, 2, 3, 4], threshold=0.5, review_cost=-1)


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


@pytest.mark.parametrize("method", ["smote", "borderline_smote", "adasyn", "gaussian_mixture"])
def test_synthesize_minority_looks_like_the_minority(data, method):
    X, y = data
    synth = synthesize_minority(X, y, method=method, n_samples=300, seed=0)
    assert abs(len(synth) - 300) <= 30
    pos_mean = X[y == 1].mean(axis=0)
    assert np.abs(synth.mean(axis=0) - pos_mean)[:2].max() < 0.5
    # nowhere near the majority's centre on the planted feature
    assert synth[:, 0].mean() > 1.0


def test_synthesize_minority_bad_input(data):
    X, y = data
    with pytest.raises(ValueError, match="method must be one of"):
        synthesize_minority(X, y, method="gan", n_samples=10, seed=0)
    with pytest.raises(ValueError, match="n_samples must be at least 1"):
        synthesize_minority(X, y, method="smote", n_samples=0, seed=0)
    with pytest.raises(ValueError, match="at least 6 positives"):
        synthesize_minority(
            X[:10], np.r_[np.ones(2), np.zeros(8)], method="smote", n_samples=5, seed=0
        )


def test_train_synthetic_test_real(data):
    X, y = data
    tr, te = slice(0, 2000), slice(2000, None)
    scores = {
        m: train_synthetic_test_real(
            X[tr],
            y[tr],
            X[te],
            y[te],
            method=m,
            n_samples=200,
            estimator=LogisticRegression(),
            min_precision=0.5,
            seed=0,
        )
        for m in ["real", "smote", "gaussian_mixture"]
    }
    assert scores["real"].n_positives_trained == 200
    for s in scores.values():
        assert s.roc_auc > 0.85
        assert s.pr_auc > 5 * y[te].mean()
    with pytest.raises(ValueError, match="y_train must contain both classes 0 and 1"):
        train_synthetic_test_real(
            X[tr],
            np.zeros(2000),
            X[te],
            y[te],
            method="real",
            n_samples=10,
            estimator=LogisticRegression(),
            min_precision=0.5,
            seed=0,
        )


def test_subsample_majority_keeps_positives_and_restores_prevalence():
    from casebook.imbalance import subsample_majority

    y = (np.random.default_rng(0).random(50_000) < 0.01).astype(int)
    idx, w = subsample_majority(y, keep=0.1, seed=1)
    assert y[idx].sum() == y.sum()
    assert abs(len(idx) - (y.sum() + 0.1 * (y == 0).sum())) < 300
    assert w[y[idx] == 1].sum() / w.sum() == pytest.approx(y.mean(), rel=0.05)
    assert (np.diff(idx) > 0).all()
    with pytest.raises(ValueError, match="keep must be in"):
        subsample_majority(y, keep=0, seed=0)
    with pytest.raises(ValueError, match="only 0 and 1"):
        subsample_majority([0, 2], keep=0.5, seed=0)


# ---- bad input: every error names the parameter ------------------------------------

_Y = np.array([0, 1] * 10)
_S = np.linspace(0.05, 0.95, 20)
_XS = np.vstack([np.random.default_rng(0).normal(0, 1, (30, 2)), np.full((10, 2), 2.0)])
_XS[30:] += np.random.default_rng(1).normal(0, 1, (10, 2))
_YS = np.r_[np.zeros(30, int), np.ones(10, int)]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"y_score": _S.astype(str)}, ValueError, "y_score must be numeric"),
        ({"y_score": _S[:-1]}, ValueError, "y_true has 20, y_score has 19"),
        ({"y_score": np.r_[np.inf, _S[1:]]}, ValueError, "y_score must be finite"),
        ({"y_true": np.r_[7, _Y[1:]]}, ValueError, "y_true must contain only 0 and 1"),
        ({"y_true": [], "y_score": []}, ValueError, "y_true must not be empty"),
        ({"sample_weight": ["a"] * 20}, TypeError, "sample_weight must be numeric"),
        ({"sample_weight": np.r_[np.nan, np.ones(19)]}, ValueError, "sample_weight must be non"),
    ],
)
def test_scores_bad_input_names_the_parameter(kwargs, error, match):
    args = {"y_true": _Y, "y_score": _S} | kwargs
    for func, extra in [(ranking_scores, {}), (recall_at_precision, {"min_precision": 0.5})]:
        with pytest.raises(error, match=match):
            func(**args, **extra)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"review_cost": np.inf}, ValueError, "review_cost must be a finite number, got inf"),
        ({"review_cost": "3"}, TypeError, "review_cost must be a number, got str"),
        ({"threshold": np.nan}, ValueError, "threshold must be a finite number, got nan"),
        ({"y_score": _S.astype(str)}, ValueError, "y_score must be numeric"),
    ],
)
def test_net_savings_bad_input_names_the_parameter(kwargs, error, match):
    args = {"amount": np.arange(1.0, 21), "threshold": 0.5, "review_cost": 3.0} | kwargs
    y_score = args.pop("y_score", _S)
    with pytest.raises(error, match=match):
        net_savings(_Y, y_score, **args)


def test_net_savings_infinite_threshold_flags_nothing():
    m = net_savings(_Y, _S, amount=np.ones(20), threshold=np.inf, review_cost=1.0)
    assert (m.alerts, m.caught_amount, m.net_savings) == (0.0, 0.0, 0.0)


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
def test_synthesize_minority_and_leak_bad_input_name_the_parameter(kwargs, error, match):
    args = {"X": _XS, "y": _YS} | kwargs
    with pytest.raises(error, match=match):
        synthesize_minority(**args, method="gaussian_mixture", n_samples=5, seed=0)
    with pytest.raises(error, match=match):
        resampling_leak(
            **args,
            sampler=RandomOverSampler(),
            estimator=LogisticRegression(),
            n_splits=2,
            seed=0,
        )


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    _bad_xy("X_train", "y_train")
    + _bad_xy("X_test", "y_test")
    + [
        ({"X_test": _XS[:, :1]}, ValueError, "X_test must have the 2 columns of X_train, got 1"),
        ({"min_precision": np.nan}, ValueError, "min_precision must be in"),
    ],
)
def test_train_synthetic_test_real_bad_input_names_the_parameter(kwargs, error, match):
    args = {"X_train": _XS, "y_train": _YS, "X_test": _XS, "y_test": _YS, "min_precision": 0.5}
    args |= kwargs
    with pytest.raises(error, match=match):
        train_synthetic_test_real(
            **args,
            method="real",
            estimator=LogisticRegression(),
            n_samples=10,
            seed=0,
        )
