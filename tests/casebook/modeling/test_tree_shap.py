"""Tests for casebook.modeling.tree_shap: agreement with shap and with brute force, bad input.

Tolerances: the wrapper must return shap's own numbers (1e-12); interventional
TreeSHAP must equal brute-force baseline Shapley values where no value sits on
a split threshold (1e-6 log-odds: shap accumulates in float64 but its tree
values pass through float32 for some models); additivity is checked against the
model's own log-odds (1e-6).
"""

import warnings

import lightgbm
import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

from casebook.modeling.explain import baseline_shapley
from casebook.modeling.pipelines import make_model_pipeline
from casebook.modeling.tree_shap import (
    TreeShapExplainer,
    lightgbm_contributions,
    tree_shap,
    tree_shap_explainer,
)
from casebook.modeling.tree_shap_ties import float32_threshold_copy, threshold_ties

with warnings.catch_warnings():
    warnings.simplefilter("ignore", PendingDeprecationWarning)
    import shap


@pytest.fixture(scope="module")
def data():
    # integer-valued features with fewer than 255 distinct values: the boosted trees put their
    # thresholds at midpoints (x.5), so no value sits exactly on a threshold
    rng = np.random.default_rng(0)
    n = 1500
    X = pd.DataFrame(
        {
            "a": rng.integers(0, 40, n).astype(float),
            "b": rng.integers(0, 40, n).astype(float),
            "c": rng.integers(0, 3, n).astype(float),
            "noise": rng.integers(0, 40, n).astype(float),
        }
    )
    logit = 0.1 * (X["a"] - 20) - 0.08 * (X["b"] - 20) + (X["c"] == 2) * (X["a"] > 25) * 1.5
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return X, y


@pytest.fixture(scope="module")
def hgb(data):
    X, y = data
    return HistGradientBoostingClassifier(max_iter=40, max_leaf_nodes=8, random_state=0).fit(
        X.to_numpy(), y
    )


@pytest.fixture(scope="module")
def lgbm(data):
    X, y = data
    model = lightgbm.LGBMClassifier(n_estimators=40, num_leaves=8, verbose=-1, random_state=0)
    return model.fit(X.to_numpy(), y)


def _exact(model, rows, background):
    if isinstance(model, lightgbm.LGBMClassifier):
        return baseline_shapley(
            lambda df: model.booster_.predict(df.to_numpy(), raw_score=True), rows, background
        )
    return baseline_shapley(lambda df: model.decision_function(df.to_numpy()), rows, background)


@pytest.mark.parametrize("which", ["hgb", "lgbm"])
def test_interventional_tree_shap_equals_brute_force_and_shap(request, data, which):
    X, _ = data
    model = request.getfixturevalue(which)
    background, rows = X.iloc[:6], X.iloc[100:160]
    expl = tree_shap_explainer(model, background=background)
    assert isinstance(expl, TreeShapExplainer)
    assert expl.feature_perturbation == "interventional"
    got = tree_shap(expl, rows)
    assert not threshold_ties(expl, rows).to_numpy().any()
    exact = _exact(model, rows, background)
    np.testing.assert_allclose(got.values.to_numpy(), exact.values.to_numpy(), atol=1e-6)
    assert got.base_value == pytest.approx(exact.base_value, abs=1e-6)
    assert got.additivity_error() < 1e-6
    assert list(got.values.columns) == list(X.columns)
    assert got.values.index.equals(rows.index)
    # the wrapper returns shap's own numbers
    direct = shap.TreeExplainer(
        model, data=background.to_numpy(), feature_perturbation="interventional"
    ).shap_values(rows.to_numpy(), check_additivity=False)
    np.testing.assert_allclose(got.values.to_numpy(), np.asarray(direct), atol=1e-12)


def test_path_dependent_is_additive_but_a_different_game(data, hgb):
    X, _ = data
    rows, background = X.iloc[200:240], X.iloc[:6]
    path = tree_shap(tree_shap_explainer(hgb), rows)
    assert path.additivity_error() < 1e-9
    np.testing.assert_allclose(path.prediction, hgb.decision_function(rows.to_numpy()))
    interventional = tree_shap(tree_shap_explainer(hgb, background=background), rows)
    assert np.abs(path.values.to_numpy() - interventional.values.to_numpy()).max() > 1e-3
    assert path.base_value != pytest.approx(interventional.base_value)


def test_lightgbm_contributions_equal_shap_path_dependent(data, lgbm):
    X, _ = data
    rows = X.iloc[300:350]
    builtin = lightgbm_contributions(lgbm, rows)
    via_shap = tree_shap(tree_shap_explainer(lgbm), rows)
    np.testing.assert_allclose(builtin.values.to_numpy(), via_shap.values.to_numpy(), atol=1e-9)
    assert builtin.base_value == pytest.approx(via_shap.base_value, abs=1e-9)
    assert builtin.additivity_error() < 1e-9
    np.testing.assert_allclose(
        builtin.prediction, lgbm.booster_.predict(rows.to_numpy(), raw_score=True), atol=1e-9
    )
    booster = lightgbm_contributions(lgbm.booster_, rows)
    np.testing.assert_allclose(booster.values.to_numpy(), builtin.values.to_numpy())


def test_pipeline_maps_one_hot_columns_back_to_features(data):
    X, y = data
    frame = X.assign(c=X["c"].map({0.0: "x", 1.0: "y", 2.0: "z"}))
    hgb = HistGradientBoostingClassifier(max_iter=20, max_leaf_nodes=8, random_state=0)
    pipe = make_model_pipeline(hgb, scale=False).fit(frame, y)  # one-hot encoded "c"
    rows = frame.iloc[10:30]
    got = tree_shap(tree_shap_explainer(pipe), rows)
    assert list(got.values.columns) == ["a", "b", "noise", "c"]
    assert got.additivity_error() < 1e-9
    np.testing.assert_allclose(got.prediction, pipe.decision_function(rows))
    # interventional through the pipeline equals brute force on the original columns
    background = frame.iloc[:4]
    inter = tree_shap(tree_shap_explainer(pipe, background=background), rows)
    exact = baseline_shapley(pipe.decision_function, rows, background)
    np.testing.assert_allclose(
        inter.values[exact.values.columns].to_numpy(), exact.values.to_numpy(), atol=1e-6
    )


def test_threshold_ties_marks_values_on_a_split(data, hgb):
    X, _ = data
    expl = tree_shap_explainer(hgb)
    tree = expl.explainer.model.trees[0]
    f, t = int(tree.features[0]), float(tree.thresholds[0])  # the first tree's root split
    rows = X.iloc[:3].copy()
    rows.iloc[0, f] = t
    ties = threshold_ties(expl, rows)
    assert ties.shape == rows.shape and ties.index.equals(rows.index)
    assert ties.iloc[0, f]
    assert not ties.iloc[1:].to_numpy().any()


def test_interventional_tree_shap_explains_the_float32_threshold_copy():
    # rounded values with many distinct levels: the thresholds sit on observed values
    rng = np.random.default_rng(1)
    n = 3000
    X = pd.DataFrame({"a": rng.integers(0, 100_000, n) / 1000, "b": rng.integers(0, 9000, n) / 100})
    y = (rng.random(n) < 1 / (1 + np.exp(-(X["a"] - 50) / 20 + (X["b"] - 45) / 30))).astype(int)
    model = HistGradientBoostingClassifier(max_iter=30, max_leaf_nodes=8, random_state=0)
    model.fit(X.to_numpy(), y)
    background = X.iloc[:5]
    expl = tree_shap_explainer(model, background=background)
    # requests placed exactly on thresholds whose float32 rounding lies below them
    rows = []
    for tree in expl.explainer.model.trees:
        split = tree.children_left >= 0
        for f, t in zip(tree.features[split], tree.thresholds[split], strict=True):
            if np.float32(t) < t and len(rows) < 40:
                row = X.iloc[len(rows) + 10].copy()
                row.iloc[int(f)] = t
                rows.append(row)
    rows = pd.DataFrame(rows).reset_index(drop=True)
    assert threshold_ties(expl, rows).any(axis=1).all()
    got = tree_shap(expl, rows)
    vs_model = baseline_shapley(lambda df: model.decision_function(df.to_numpy()), rows, background)
    rounded = float32_threshold_copy(model)
    vs_copy = baseline_shapley(
        lambda df: rounded.decision_function(df.to_numpy()), rows, background
    )
    assert np.abs(got.values.to_numpy() - vs_model.values.to_numpy()).max() > 1e-3
    np.testing.assert_allclose(got.values.to_numpy(), vs_copy.values.to_numpy(), atol=1e-6)
    # the copy is a copy: the original model still routes ties left
    orig = model._predictors[0][0].nodes["num_threshold"]
    assert not np.array_equal(orig, rounded._predictors[0][0].nodes["num_threshold"])


def test_float32_threshold_copy_bad_models(data, lgbm):
    X, y = data
    with pytest.raises(TypeError, match="model must be a fitted HistGradientBoostingClassifier"):
        float32_threshold_copy(lgbm)
    with pytest.raises(TypeError, match="model must be a fitted HistGradientBoostingClassifier"):
        float32_threshold_copy(HistGradientBoostingClassifier())
    frame = X.assign(c=pd.Categorical(X["c"].astype(int).astype(str)))
    categorical = HistGradientBoostingClassifier(max_iter=3, categorical_features="from_dtype")
    with pytest.raises(ValueError, match="model must have no categorical features"):
        float32_threshold_copy(categorical.fit(frame, y))


def test_model_fitted_with_feature_names(data):
    X, y = data
    model = HistGradientBoostingClassifier(max_iter=10, random_state=0).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "X does not have valid feature names"
        got = tree_shap(tree_shap_explainer(model, background=X.iloc[:3]), X.iloc[5:8])
    np.testing.assert_allclose(got.prediction, model.decision_function(X.iloc[5:8]))


def test_bad_models(data, hgb):
    X, y = data
    with pytest.raises(TypeError, match="model must be a tree ensemble"):
        tree_shap_explainer(LogisticRegression().fit(X, y))
    with pytest.raises(TypeError, match="model must be a fitted tree model"):
        tree_shap_explainer(HistGradientBoostingClassifier())
    three = np.arange(len(y)) % 3
    multi = HistGradientBoostingClassifier(max_iter=3).fit(X.to_numpy(), three)
    with pytest.raises(ValueError, match="model must be a binary classifier, got 3"):
        tree_shap_explainer(multi)
    from sklearn.pipeline import Pipeline

    with pytest.raises(TypeError, match="model must be a tree model or a Pipeline"):
        tree_shap_explainer(Pipeline([("m", hgb)]))


def test_bad_background(data, hgb):
    X, _ = data
    with pytest.raises(ValueError, match="background must be a non-empty DataFrame"):
        tree_shap_explainer(hgb, background=X.iloc[:0])
    with pytest.raises(ValueError, match="background must be a non-empty DataFrame"):
        tree_shap_explainer(hgb, background=X.to_numpy())
    with pytest.raises(ValueError, match="background must have at most 1000 rows"):
        tree_shap_explainer(hgb, background=pd.concat([X] * 2))
    with pytest.raises(ValueError, match="background must be finite"):
        tree_shap_explainer(hgb, background=X.iloc[:3].assign(a=np.nan))
    with pytest.raises(ValueError, match="background must have the model's 4 columns, got 3"):
        tree_shap_explainer(hgb, background=X.iloc[:3, :3])
    pipe = make_model_pipeline(HistGradientBoostingClassifier(max_iter=3), scale=False)
    pipe.fit(X, data[1])
    with pytest.raises(ValueError, match="background must hold the model's input columns"):
        tree_shap_explainer(pipe, background=X.iloc[:3, :3])
    with pytest.raises(ValueError, match="X must hold the columns the model was fitted on"):
        tree_shap(tree_shap_explainer(pipe), X.iloc[:3, :3])


def test_bad_rows(data, hgb):
    X, _ = data
    expl = tree_shap_explainer(hgb)
    with pytest.raises(TypeError, match="explainer must be a TreeShapExplainer"):
        tree_shap(hgb, X.iloc[:2])
    with pytest.raises(TypeError, match="X must be a pandas DataFrame"):
        tree_shap(expl, X.iloc[:2].to_numpy())
    with pytest.raises(ValueError, match="X must have at least one row"):
        tree_shap(expl, X.iloc[:0])
    with pytest.raises(ValueError, match="X must have the model's 4 columns, got 3"):
        tree_shap(expl, X.iloc[:2, :3])
    with pytest.raises(ValueError, match=r"X must have numeric columns .* got \['a'\]"):
        tree_shap(expl, X.iloc[:2].assign(a="x"))
    with pytest.raises(TypeError, match="explainer must be a TreeShapExplainer"):
        threshold_ties("nope", X.iloc[:2])
    with pytest.raises(ValueError, match="X must have the model's 4 columns"):
        threshold_ties(expl, X.iloc[:2, :2])


def test_threshold_ties_refuses_a_pipeline(data):
    X, y = data
    pipe = make_model_pipeline(HistGradientBoostingClassifier(max_iter=3), scale=False).fit(X, y)
    with pytest.raises(ValueError, match="explainer must wrap a bare model"):
        threshold_ties(tree_shap_explainer(pipe), X.iloc[:2])


def test_bad_lightgbm_input(data, hgb, lgbm):
    X, y = data
    with pytest.raises(TypeError, match="model must be a LightGBM"):
        lightgbm_contributions(hgb, X.iloc[:2])
    with pytest.raises(TypeError, match="model must be a fitted LightGBM model"):
        lightgbm_contributions(lightgbm.LGBMClassifier(), X.iloc[:2])
    multi = lightgbm.LGBMClassifier(n_estimators=3, verbose=-1).fit(
        X.to_numpy(), np.arange(len(y)) % 3
    )
    with pytest.raises(ValueError, match="model must be a binary classifier, got 3"):
        lightgbm_contributions(multi, X.iloc[:2])
    with pytest.raises(ValueError, match="X must have the model's 4 columns"):
        lightgbm_contributions(lgbm, X.iloc[:2, :3])
    with pytest.raises(ValueError, match="X must have at least one row"):
        lightgbm_contributions(lgbm, X.iloc[:0])
