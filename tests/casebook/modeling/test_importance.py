"""Tests for casebook.modeling.importance: ranking, equality with scikit-learn's direct path, bad input."""

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

from casebook.modeling.importance import _pretransformed, permutation_importance_table
from casebook.modeling.pipelines import make_model_pipeline


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    n = 600
    X = pd.DataFrame(
        {
            "a": rng.normal(size=n),
            "b": rng.normal(size=n),
            "noise": rng.normal(size=n),
            "c": pd.Categorical(rng.choice(["x", "y", "z"], size=n)),
        }
    )
    X.loc[X.index[:20], "b"] = np.nan  # the imputer has work to do
    logit = 2 * X["a"] - X["b"].fillna(0) + np.where(X["c"] == "x", 1.0, 0.0)
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return X, y


def test_permutation_importance_ranks_signal_over_noise(data):
    X, y = data
    pipe = make_model_pipeline(LogisticRegression()).fit(X, y)
    table = permutation_importance_table(pipe, X, y, n_repeats=3, seed=1)
    assert table.index[0] == "a"
    assert table.loc["a", "importance"] > 5 * abs(table.loc["noise", "importance"])
    assert list(table.columns) == ["importance", "std", "low", "high"]


@pytest.mark.parametrize("scoring", ["roc_auc", "accuracy", "neg_log_loss"])
@pytest.mark.parametrize("kind", ["onehot", "ordinal"])
def test_fast_path_equals_scikit_learn_on_the_pipeline(data, scoring, kind):
    X, y = data
    model = (
        LogisticRegression() if kind == "onehot" else HistGradientBoostingClassifier(max_iter=20)
    )
    pipe = make_model_pipeline(model, encoding=kind, scale=kind == "onehot").fit(X, y)
    assert _pretransformed(pipe, X) is not None  # the shortcut applies
    table = permutation_importance_table(pipe, X, y, scoring=scoring, n_repeats=3, seed=2)
    direct = permutation_importance(pipe, X, y, scoring=scoring, n_repeats=3, random_state=2)
    expected = pd.Series(direct.importances_mean, index=X.columns)
    np.testing.assert_allclose(table["importance"], expected[table.index], rtol=0, atol=1e-12)
    expected_std = pd.Series(direct.importances_std, index=X.columns)
    np.testing.assert_allclose(table["std"], expected_std[table.index], rtol=0, atol=1e-12)


def test_other_models_take_the_direct_path(data):
    X, y = data
    num = X[["a", "b", "noise"]].fillna(0)
    mixing = Pipeline(
        [
            ("pre", ColumnTransformer([("poly", PolynomialFeatures(2), ["a", "b"])])),
            ("model", LogisticRegression()),
        ]
    ).fit(num, y)
    plain = LogisticRegression().fit(num, y)
    three_steps = make_pipeline(StandardScaler(), StandardScaler(), LogisticRegression()).fit(
        num, y
    )
    for model in (mixing, plain, three_steps):
        assert _pretransformed(model, num) is None
        table = permutation_importance_table(model, num, y, n_repeats=2, seed=0)
        direct = permutation_importance(
            model, num, y, scoring="roc_auc", n_repeats=2, random_state=0
        )
        expected = pd.Series(direct.importances_mean, index=num.columns)
        np.testing.assert_allclose(table["importance"], expected[table.index], atol=1e-12)


def test_bad_input(data):
    X, y = data
    pipe = make_model_pipeline(LogisticRegression()).fit(X, y)
    with pytest.raises(ValueError, match="n_repeats must be an integer >= 2"):
        permutation_importance_table(pipe, X, y, n_repeats=1)
    with pytest.raises(TypeError, match="X must be a pandas DataFrame"):
        permutation_importance_table(pipe, X.to_numpy(), y)
    with pytest.raises(ValueError, match="y must have one label per row of X"):
        permutation_importance_table(pipe, X, y[:-1])
    with pytest.raises(ValueError, match="y must only contain the model's classes"):
        permutation_importance_table(pipe, X, np.where(y == 1, 7, 0))
    with pytest.raises(ValueError, match="y must contain at least two classes"):
        permutation_importance_table(pipe, X, np.zeros(len(X), dtype=int))
