import numpy as np
import pytest

from casebook.fairness import criteria as C
from casebook.fairness.criteria import disparities
from casebook.fairness.metrics import CRITERIA, group_metrics


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    n = 3000
    sex = rng.choice(["female", "male"], n, p=[0.35, 0.65])
    age = rng.choice(["<=25", "26-45", ">45"], n)
    y_true = (rng.random(n) < np.where(sex == "male", 0.3, 0.12)).astype(int)
    y_pred = (rng.random(n) < 0.2 + 0.5 * y_true).astype(int)
    return y_true, y_pred, sex, age


def test_disparities_difference_and_ratio_forms(data):
    y_true, y_pred, sex, _ = data
    t = group_metrics(y_true, y_pred, sensitive_features=sex)
    sr = t["selection_rate"]
    assert C.demographic_parity_difference(y_true, y_pred, sensitive_features=sex) == pytest.approx(
        sr.max() - sr.min()
    )
    assert C.demographic_parity_ratio(y_true, y_pred, sensitive_features=sex) == pytest.approx(
        sr.min() / sr.max()
    )
    eo = max(t.tpr.max() - t.tpr.min(), t.fpr.max() - t.fpr.min())
    assert C.equalized_odds_difference(y_true, y_pred, sensitive_features=sex) == pytest.approx(eo)
    assert C.equalized_odds_ratio(y_true, y_pred, sensitive_features=sex) == pytest.approx(
        min(t.tpr.min() / t.tpr.max(), t.fpr.min() / t.fpr.max())
    )
    assert C.equal_opportunity_ratio(y_true, y_pred, sensitive_features=sex) == pytest.approx(
        t.tpr.min() / t.tpr.max()
    )
    assert C.predictive_parity_difference(y_true, y_pred, sensitive_features=sex) == pytest.approx(
        t.ppv.max() - t.ppv.min()
    )
    d = disparities(y_true, y_pred, sensitive_features=sex)
    assert list(d.index) == list(CRITERIA)
    assert ((d["ratio"] >= 0) & (d["ratio"] <= 1)).all()
    assert (d["difference"] >= 0).all()
    assert d.loc["predictive_parity", "ratio"] == pytest.approx(
        C.predictive_parity_ratio(y_true, y_pred, sensitive_features=sex)
    )
