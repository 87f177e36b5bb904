"""Synthetic minority examples and train-on-synthetic, test-on-real."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from casebook.modeling.minority_synthesis import synthesize_minority, train_synthetic_test_real


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    n = 4000
    y = (rng.random(n) < 0.02).astype(int)
    X = rng.normal(size=(n, 4))
    X[y == 1, 0] += 2.0
    X[y == 1, 1] -= 1.5
    return X, y


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
    # the reference trains on the real positives, each once: no random over-sampling
    assert scores["real"].n_positives_trained == int(y[tr].sum()) != 200
    assert scores["smote"].n_positives_trained == 200
    for s in scores.values():
        assert s.scores.shape == (2000,)
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


# ---- bad input: every error names the parameter ------------------------------------

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
def test_synthesize_minority_bad_input_names_the_parameter(kwargs, error, match):
    args = {"X": _XS, "y": _YS} | kwargs
    with pytest.raises(error, match=match):
        synthesize_minority(**args, method="gaussian_mixture", n_samples=5, seed=0)


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
