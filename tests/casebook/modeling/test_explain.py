"""Tests for casebook.modeling.explain: additivity, exactness, agreement, bad input."""

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, PolynomialFeatures, StandardScaler

from casebook.modeling.explain import (
    baseline_shapley,
    explanation_text,
    linear_contributions,
    source_features,
)
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
    logit = 2 * X["a"] - X["b"] + np.where(X["c"] == "x", 1.0, 0.0) + 1.5 * (X["a"] > 0) * X["b"]
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return X, y


def test_linear_contributions_are_exact_and_additive(data):
    X, y = data
    pipe = make_model_pipeline(LogisticRegression()).fit(X, y)
    expl = linear_contributions(pipe, X.head(50), baseline=X)
    assert list(expl.values.columns) == ["a", "b", "noise", "c"]
    np.testing.assert_allclose(expl.prediction, pipe.decision_function(X.head(50)))
    assert expl.additivity_error() < 1e-10
    # against the training population, contributions average to zero
    full = linear_contributions(pipe, X, baseline=X)
    np.testing.assert_allclose(full.values.mean().to_numpy(), 0, atol=1e-10)
    # a numeric feature's contribution is coef * scaled distance from the mean
    scale = pipe[0].named_transformers_["num"].named_steps["scale"]
    coef_a = pipe[-1].coef_[0][0]
    expected = coef_a * (X["a"].head(5) - scale.mean_[0]) / scale.scale_[0]
    np.testing.assert_allclose(expl.values["a"].head(5), expected)
    assert expl.seconds >= 0


def test_baseline_shapley_matches_linear_contributions_for_a_linear_model(data):
    X, y = data
    pipe = make_model_pipeline(LogisticRegression()).fit(X, y)
    base = X.iloc[[7]]
    shap = baseline_shapley(pipe.decision_function, X.head(5), base)
    lin = linear_contributions(pipe, X.head(5), baseline=base)
    np.testing.assert_allclose(shap.values.to_numpy(), lin.values.to_numpy(), atol=1e-9)
    assert shap.base_value == pytest.approx(lin.base_value)


def test_baseline_shapley_is_additive_for_gradient_boosting(data):
    X, y = data
    model = HistGradientBoostingClassifier(max_iter=30, categorical_features="from_dtype").fit(X, y)
    base = X.head(3)  # a small background: averaged over its rows
    expl = baseline_shapley(model.decision_function, X.iloc[10:14], base)
    assert expl.additivity_error() < 1e-9
    np.testing.assert_allclose(expl.prediction, model.decision_function(X.iloc[10:14]))
    assert expl.base_value == pytest.approx(model.decision_function(base).mean())


def test_baseline_shapley_symmetry_and_dummy_axioms():
    def f(df):
        return (df["a"] * df["b"] + 0 * df["z"]).to_numpy(dtype=float)

    X = pd.DataFrame({"a": [2.0], "b": [2.0], "z": [5.0]})
    base = pd.DataFrame({"a": [0.0], "b": [0.0], "z": [0.0]})
    vals = baseline_shapley(f, X, base).values.iloc[0]
    assert vals["a"] == pytest.approx(2.0) and vals["b"] == pytest.approx(2.0)
    assert vals["z"] == 0.0


def test_source_features_maps_onehot_and_passthrough():
    frame = pd.DataFrame({"n": [1.0, 2.0, 3.0], "c": ["p", "q", "r"], "k": [0, 1, 0]})
    ct = ColumnTransformer(
        [("num", StandardScaler(), ["n"]), ("cat", OneHotEncoder(drop="first"), ["c"])],
        remainder="passthrough",
    ).fit(frame)
    assert source_features(ct) == ["n", "c", "c", "k"]


def test_source_features_rejects_many_to_many_transformers():
    frame = pd.DataFrame({"n": [1.0, 2.0, 3.0], "m": [0.0, 1.0, 5.0]})
    ct = ColumnTransformer([("poly", PolynomialFeatures(2), ["n", "m"])]).fit(frame)
    with pytest.raises(ValueError, match="only one-to-one transformers and one-hot"):
        source_features(ct)
    with pytest.raises(TypeError, match="preprocessor must be a fitted ColumnTransformer"):
        source_features(StandardScaler())
    ct = ColumnTransformer([("c", OneHotEncoder(min_frequency=2), ["n"])]).fit(frame)
    with pytest.raises(ValueError, match="infrequent categories are not supported"):
        source_features(ct)


def test_explanation_text_orders_by_size_and_states_direction():
    c = pd.Series({"position": -0.8, "relevance": 1.2, "hour": 0.05})
    r = pd.Series({"position": 7, "relevance": 0.93, "hour": 14})
    text = explanation_text(c, r, top=3)
    assert text.startswith("relevance = 0.93 raises the score (+1.20 log-odds)")
    assert text.index("position") < text.index("hour")
    with pytest.raises(ValueError, match="top must be a positive integer"):
        explanation_text(c, r, top=0)
    with pytest.raises(TypeError, match="contributions and row must be pandas Series"):
        explanation_text(c.to_dict(), r)


def test_linear_contributions_rejects_bad_input(data):
    X, y = data
    pipe = make_model_pipeline(LogisticRegression()).fit(X, y)
    with pytest.raises(TypeError, match="pipeline must be a fitted Pipeline"):
        linear_contributions(pipe[-1], X, baseline=X)
    tree = make_model_pipeline(HistGradientBoostingClassifier(max_iter=5)).fit(X, y)
    with pytest.raises(ValueError, match="binary linear classifier with coef_"):
        linear_contributions(tree, X, baseline=X)
    with pytest.raises(TypeError, match="X must be a pandas DataFrame"):
        linear_contributions(pipe, X.to_numpy(), baseline=X)
    with pytest.raises(ValueError, match="baseline must be a non-empty DataFrame"):
        linear_contributions(pipe, X, baseline=X.iloc[:0])
    plain = Pipeline(
        [
            ("pre", ColumnTransformer([("s", StandardScaler(), ["a"])])),
            ("poly", PolynomialFeatures(2)),
            ("m", LogisticRegression()),
        ]
    ).fit(X, y)
    with pytest.raises(ValueError, match="preprocessing produced 1 columns but the model has 3"):
        linear_contributions(plain, X, baseline=X)


def test_baseline_shapley_rejects_bad_input(data):
    X, y = data
    f = (
        make_pipeline(StandardScaler(), LogisticRegression())
        .fit(X[["a", "b"]], y)
        .decision_function
    )
    with pytest.raises(TypeError, match="predict must be callable"):
        baseline_shapley("f", X, X)
    with pytest.raises(TypeError, match="X must be a pandas DataFrame"):
        baseline_shapley(f, X.to_numpy(), X)
    with pytest.raises(ValueError, match="baseline must be non-empty with the columns of X"):
        baseline_shapley(f, X[["a", "b"]], X[["b", "a"]])
    wide = pd.DataFrame(np.zeros((1, 13)))
    with pytest.raises(ValueError, match="at most max_features=12 columns"):
        baseline_shapley(f, wide, wide)


def test_linear_contributions_for_a_plain_scaler_pipeline_fitted_on_arrays(data):
    X, y = data
    Xn = X[["a", "b", "noise"]]
    pipe = make_pipeline(StandardScaler(), LogisticRegression()).fit(Xn.to_numpy(), y)
    base = Xn.mean().to_frame().T
    expl = linear_contributions(pipe, Xn.head(4), baseline=base)
    assert list(expl.values.columns) == ["a", "b", "noise"]
    np.testing.assert_allclose(expl.prediction, pipe.decision_function(Xn.head(4).to_numpy()))
    assert expl.additivity_error() < 1e-10
    shap = baseline_shapley(lambda df: pipe.decision_function(df.to_numpy()), Xn.head(4), base)
    np.testing.assert_allclose(shap.values.to_numpy(), expl.values.to_numpy(), atol=1e-9)


def test_new_bad_input_paths(data):
    X, y = data
    pipe = make_model_pipeline(LogisticRegression()).fit(X, y)
    with pytest.raises(ValueError, match="X must have at least one row"):
        linear_contributions(pipe, X.iloc[:0], baseline=X)
    c = pd.Series({"a": 0.5, "b": -1.0})
    r = pd.Series({"a": 1.0, "b": 2.0})
    with pytest.raises(ValueError, match="contributions must be a non-empty numeric Series"):
        explanation_text(pd.Series({"a": "x"}), r)
    with pytest.raises(ValueError, match="contributions must be finite"):
        explanation_text(c.replace(0.5, np.nan), r)
    with pytest.raises(ValueError, match="row must have a value for every feature"):
        explanation_text(c, r.drop("b"))
