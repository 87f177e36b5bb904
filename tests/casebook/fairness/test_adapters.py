import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from casebook.fairness.adapters import (
    aif360_classification_metric,
    aif360_disparities,
    aif360_group_metrics,
    fairlearn_disparities,
    fairlearn_group_metrics,
    fairlearn_metric_frame,
    to_binary_label_dataset,
)
from casebook.fairness.criteria import disparities
from casebook.fairness.metrics import group_metrics

RATES = ["selection_rate", "base_rate", "tpr", "fpr", "fnr", "tnr", "ppv", "npv", "accuracy"]


@pytest.fixture(scope="module")
def adult_predictions():
    from casebook.data import load_adult

    df = load_adult()
    X = df[["age", "education_num", "capital_gain", "capital_loss", "hours_per_week"]].to_numpy(
        dtype=float
    )
    y = (df["income"] == ">50K").to_numpy().astype(int)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500)).fit(X, y)
    y_pred = model.predict(X)
    age_band = pd.cut(df["age"], [0, 25, 45, 200], labels=["<=25", "26-45", ">45"])
    return y, y_pred, df["sex"].astype(str).to_numpy(), age_band.astype(str).to_numpy()


@pytest.fixture
def synthetic():
    rng = np.random.default_rng(11)
    n = 5000
    s = rng.choice(["g1", "g2"], n, p=[0.3, 0.7])
    y = (rng.random(n) < np.where(s == "g1", 0.2, 0.35)).astype(int)
    p = (rng.random(n) < 0.1 + 0.6 * y + 0.05 * (s == "g2")).astype(int)
    return y, p, s


def _assert_same(ours: pd.DataFrame, theirs: pd.DataFrame, columns):
    assert list(ours.index) == list(theirs.index)
    np.testing.assert_allclose(
        ours[columns].to_numpy(float), theirs[columns].to_numpy(float), rtol=0, atol=1e-9
    )


def test_adult_group_rates_equal_aif360_and_fairlearn(adult_predictions):
    y, p, sex, _ = adult_predictions
    ours = group_metrics(y, p, sensitive_features=sex)
    assert ours["n"].sum() == 48842
    assert ours.loc["Male", "base_rate"] > 2 * ours.loc["Female", "base_rate"]
    _assert_same(ours, aif360_group_metrics(y, p, sensitive_features=sex), RATES)
    _assert_same(ours, fairlearn_group_metrics(y, p, sensitive_features=sex), RATES)


def test_adult_raw_aif360_classification_metric(adult_predictions):
    y, p, sex, _ = adult_predictions
    ours = group_metrics(y, p, sensitive_features=sex)
    m = aif360_classification_metric(y, p, sensitive_features=sex, privileged="Male")
    assert m.selection_rate(privileged=False) == pytest.approx(
        ours.loc["Female", "selection_rate"], abs=1e-9
    )
    assert m.true_positive_rate(privileged=True) == pytest.approx(ours.loc["Male", "tpr"], abs=1e-9)
    assert m.false_positive_rate(privileged=False) == pytest.approx(
        ours.loc["Female", "fpr"], abs=1e-9
    )
    assert m.positive_predictive_value(privileged=True) == pytest.approx(
        ours.loc["Male", "ppv"], abs=1e-9
    )
    assert m.disparate_impact() == pytest.approx(
        ours.loc["Female", "selection_rate"] / ours.loc["Male", "selection_rate"], abs=1e-9
    )


def test_adult_disparities_equal_aif360_and_fairlearn(adult_predictions):
    y, p, sex, _ = adult_predictions
    ours = disparities(y, p, sensitive_features=sex)
    assert ours.loc["demographic_parity", "ratio"] < 0.8  # fails the four-fifths rule
    _assert_same(
        ours,
        aif360_disparities(y, p, sensitive_features=sex, privileged="Male"),
        ["difference", "ratio"],
    )
    _assert_same(ours, fairlearn_disparities(y, p, sensitive_features=sex), ["difference", "ratio"])


def test_adult_intersections_equal_fairlearn(adult_predictions):
    y, p, sex, age = adult_predictions
    sf = pd.DataFrame({"sex": sex, "age_band": age})
    ours = group_metrics(y, p, sensitive_features=sf)
    assert len(ours) == 6
    _assert_same(ours, fairlearn_group_metrics(y, p, sensitive_features=sf), RATES)
    _assert_same(
        disparities(y, p, sensitive_features=sf),
        fairlearn_disparities(y, p, sensitive_features=sf),
        ["difference", "ratio"],
    )


def test_synthetic_agreement_without_data(synthetic):
    y, p, s = synthetic
    ours = group_metrics(y, p, sensitive_features=s)
    _assert_same(ours, aif360_group_metrics(y, p, sensitive_features=s), RATES)
    _assert_same(ours, fairlearn_group_metrics(y, p, sensitive_features=s), RATES)
    d = disparities(y, p, sensitive_features=s)
    _assert_same(
        d, aif360_disparities(y, p, sensitive_features=s, privileged="g2"), ["difference", "ratio"]
    )
    _assert_same(d, fairlearn_disparities(y, p, sensitive_features=s), ["difference", "ratio"])
    mf = fairlearn_metric_frame(y, p, sensitive_features=s)
    assert list(mf.by_group.columns) == ["selection_rate", "tpr", "fpr", "ppv"]


def test_binary_label_dataset_roundtrip_with_weights():
    df = pd.DataFrame(
        {
            "sex": [0, 1, 1, 0],
            "x": [0.5, 1.0, 2.0, 3.0],
            "y": [1, 0, 1, 0],
            "w": [1.0, 2.0, 1.0, 0.5],
        }
    )
    ds = to_binary_label_dataset(df, label="y", protected=["sex"], instance_weights="w")
    assert ds.instance_weights.tolist() == [1.0, 2.0, 1.0, 0.5]
    assert ds.feature_names == ["sex", "x"]


def test_binary_label_dataset_errors():
    good = pd.DataFrame({"sex": [0, 1], "y": [1, 0]})
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame, got dict"):
        to_binary_label_dataset({"sex": [0]}, label="y", protected="sex")
    with pytest.raises(ValueError, match=r"frame has no column\(s\) \['race'\]"):
        to_binary_label_dataset(good, label="y", protected="race")
    with pytest.raises(TypeError, match=r"must be all numeric for aif360.*\['sex'\]"):
        to_binary_label_dataset(
            pd.DataFrame({"sex": ["f", "m"], "y": [1, 0]}), label="y", protected="sex"
        )
    with pytest.raises(TypeError, match=r"must be all numeric.*\['flag'\]"):
        to_binary_label_dataset(good.assign(flag=[True, False]), label="y", protected="sex")
    with pytest.raises(ValueError, match=r"no missing values, got NaN in \['x'\]"):
        to_binary_label_dataset(good.assign(x=[1.0, np.nan]), label="y", protected="sex")
    with pytest.raises(ValueError, match=r"label column 'y' must hold only 1.0 and 0.0, got \[2\]"):
        to_binary_label_dataset(good.assign(y=[1, 2]), label="y", protected="sex")


def test_adapter_argument_errors(synthetic):
    y, p, s = synthetic
    with pytest.raises(ValueError, match=r"privileged must be one of the groups \['g1', 'g2'\]"):
        aif360_classification_metric(y, p, sensitive_features=s, privileged="male")
    three = np.where(np.arange(len(s)) % 3 == 0, "g3", s)
    with pytest.raises(ValueError, match="exactly two groups .* got 3"):
        aif360_disparities(y, p, sensitive_features=three, privileged="g1")
    with pytest.raises(ValueError, match=r"metrics must be in .* got \['recall'\]"):
        fairlearn_metric_frame(y, p, sensitive_features=s, metrics=("recall",))
    with pytest.raises(ValueError, match="y_pred contains values not in labels"):
        fairlearn_metric_frame(y, p + 1, sensitive_features=s)
