"""Tests for casebook.modeling.pipelines: leakage-safe pipelines and model comparison."""

import numpy as np
import pandas as pd
import pytest
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression

from casebook.modeling.pipelines import compare_models, make_model_pipeline, make_preprocessor


@pytest.fixture
def frame():
    rng = np.random.default_rng(0)
    n = 400
    x = rng.normal(size=n)
    c = rng.choice(["a", "b", "c"], size=n)
    logit = 1.5 * x + np.where(c == "a", 1.0, -0.5)
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    X = pd.DataFrame({"x": x, "z": rng.normal(size=n), "c": pd.Categorical(c)})
    X.loc[::17, "x"] = np.nan
    return X, y


def test_preprocessor_selects_by_dtype_and_imputes(frame):
    X, _ = frame
    Z = make_preprocessor().fit_transform(X)
    assert Z.shape == (len(X), 2 + 3)
    assert not np.isnan(Z).any()


def test_preprocessor_ordinal_encodes_unknown_as_minus_one(frame):
    X, _ = frame
    pre = make_preprocessor(encoding="ordinal", scale=False).fit(X)
    new = X.head(1).copy()
    new["c"] = pd.Categorical(["never-seen"])
    assert pre.transform(new)[0, -1] == -1


def test_onehot_unknown_category_is_all_zeros(frame):
    X, y = frame
    pipe = make_model_pipeline(LogisticRegression()).fit(X, y)
    new = X.head(1).copy()
    new["c"] = pd.Categorical(["never-seen"])
    assert pipe[0].transform(new)[0, 2:].sum() == 0
    assert 0 <= pipe.predict_proba(new)[0, 1] <= 1


def test_pipeline_refits_scaler_on_training_rows_only(frame):
    X, y = frame
    pipe = make_model_pipeline(LogisticRegression()).fit(X.iloc[:100], y[:100])
    scaler = pipe.named_steps["preprocess"].named_transformers_["num"].named_steps["scale"]
    expected = X.iloc[:100][["x", "z"]].fillna(X.iloc[:100][["x", "z"]].median()).mean()
    np.testing.assert_allclose(scaler.mean_, expected.to_numpy())


def test_compare_models_shapes_and_oof(frame):
    X, y = frame
    models = {
        "logreg": make_model_pipeline(LogisticRegression()),
        "dummy": make_model_pipeline(DummyClassifier(strategy="prior")),
    }
    cmp = compare_models(models, X, y, n_splits=4, seed=1)
    assert len(cmp.per_fold) == 8
    assert list(cmp.oof_proba.columns) == ["logreg", "dummy"]
    assert cmp.oof_proba.notna().all().all()
    s = cmp.summary
    assert s.loc["logreg", "roc_auc_mean"] > 0.75
    assert s.loc["dummy", "roc_auc_mean"] == pytest.approx(0.5)
    for m in ("roc_auc", "pr_auc", "brier"):
        assert s.loc["logreg", f"{m}_low"] <= s.loc["logreg", f"{m}_mean"]
        assert s.loc["logreg", f"{m}_mean"] <= s.loc["logreg", f"{m}_high"]
    mean, low, high = cmp.difference("roc_auc", "logreg", "dummy")
    assert low > 0.2 and low <= mean <= high


def test_compare_models_string_labels_and_determinism(frame):
    X, y = frame
    labels = np.where(y == 1, "Yes", "No")
    models = {"logreg": make_model_pipeline(LogisticRegression())}
    a = compare_models(models, X, labels, positive="Yes", n_splits=3, seed=2)
    b = compare_models(models, X, labels, positive="Yes", n_splits=3, seed=2)
    np.testing.assert_array_equal(a.y, y)
    pd.testing.assert_frame_equal(a.oof_proba, b.oof_proba)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"models": {}}, "models must be a non-empty mapping"),
        ({"n_splits": 1}, "n_splits must be an integer >= 2"),
        ({"metrics": ("accuracy",)}, "metrics must be a non-empty subset"),
        ({"confidence": 1.5}, "confidence must be in"),
        ({"positive": 7}, "y must contain both the positive label"),
        ({"max_threads": 0}, "max_threads must be a positive integer"),
    ],
)
def test_compare_models_rejects_bad_arguments(frame, kwargs, match):
    X, y = frame
    args = {"models": {"m": make_model_pipeline(LogisticRegression())}, **kwargs}
    models = args.pop("models")
    with pytest.raises(ValueError, match=match):
        compare_models(models, X, y, **args)


def test_compare_models_rejects_bad_X_and_y(frame):
    X, y = frame
    models = {"m": make_model_pipeline(LogisticRegression())}
    with pytest.raises(TypeError, match="X must be a pandas DataFrame"):
        compare_models(models, X.to_numpy(), y)
    with pytest.raises(ValueError, match="y must have one label per row"):
        compare_models(models, X, y[:-1])


def test_difference_rejects_unknown_model_and_metric(frame):
    X, y = frame
    cmp = compare_models({"m": make_model_pipeline(LogisticRegression())}, X, y, n_splits=2)
    with pytest.raises(ValueError, match="model must be one of"):
        cmp.difference("roc_auc", "m", "other")
    with pytest.raises(ValueError, match="metric must be one of the compared"):
        cmp.difference("log_loss", "m", "m")


def test_builders_reject_bad_input():
    with pytest.raises(ValueError, match="encoding must be 'onehot' or 'ordinal'"):
        make_preprocessor(encoding="target")
    with pytest.raises(TypeError, match="estimator must be a scikit-learn estimator"):
        make_model_pipeline("logreg")


def test_compare_models_repeats_and_corrected_interval(frame):
    from casebook.decisions.auc import corrected_resampled_ttest

    X, y = frame
    models = {
        "logreg": make_model_pipeline(LogisticRegression()),
        "dummy": make_model_pipeline(DummyClassifier(strategy="prior")),
    }
    one = compare_models(models, X, y, n_splits=3, seed=1)
    rep = compare_models(models, X, y, n_splits=3, n_repeats=2, seed=1)
    assert len(rep.per_fold) == 2 * 3 * 2
    assert sorted(rep.per_fold["repeat"].unique()) == [0, 1]
    # the first repeat is the single-repeat run: same folds, same out-of-fold scores
    pd.testing.assert_frame_equal(rep.oof_proba, one.oof_proba)
    assert rep.test_train_ratio == pytest.approx(0.5)
    pf = rep.per_fold
    d = (
        pf.loc[pf["model"] == "logreg", "roc_auc"].to_numpy()
        - pf.loc[pf["model"] == "dummy", "roc_auc"].to_numpy()
    )
    expected = corrected_resampled_ttest(d, test_train_ratio=0.5)
    assert rep.difference("roc_auc", "logreg", "dummy") == pytest.approx(
        (expected.mean, expected.low, expected.high)
    )
    naive = corrected_resampled_ttest(d, test_train_ratio=0.0)
    assert expected.high - expected.low > naive.high - naive.low  # the correction widens
    with pytest.raises(ValueError, match="n_repeats must be an integer >= 1"):
        compare_models(models, X, y, n_repeats=0)
