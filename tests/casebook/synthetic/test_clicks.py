"""The click log plants exactly the structure its docstring documents."""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from casebook.synthetic.clicks import (
    CLICK_FEATURES,
    PLANTED_EFFECTS,
    click_logit,
    make_click_log,
)

N = 200_000


@pytest.fixture(scope="module")
def log():
    return make_click_log(N, seed=11, with_probability=True)


def test_same_seed_same_log_and_different_seed_differs():
    a = make_click_log(1_000, seed=3)
    pd.testing.assert_frame_equal(a, make_click_log(1_000, seed=3))
    assert not a.equals(make_click_log(1_000, seed=4))


def test_columns_types_and_ranges(log):
    assert list(log.columns) == [*CLICK_FEATURES, "clicked", "click_probability"]
    assert log["position"].between(1, 10).all()
    assert log["hour"].between(0, 23).all()
    assert set(log["is_mobile"].unique()) == {0, 1}
    assert (log["price"] > 0).all() and log["relevance"].between(0, 1).all()
    assert log["is_mobile"].mean() == pytest.approx(0.6, abs=0.01)
    assert log["price"].median() == pytest.approx(30, rel=0.03)


def test_click_rate_is_a_few_percent(log):
    assert 0.025 < log["clicked"].mean() < 0.045
    # the labels follow the planted probability
    assert log["clicked"].mean() == pytest.approx(log["click_probability"].mean(), abs=0.002)


def test_planted_probability_is_the_documented_logit(log):
    p = 1 / (1 + np.exp(-click_logit(log)))
    np.testing.assert_allclose(p, log["click_probability"])


def test_mobile_evening_interaction_shows_in_click_rates(log):
    evening = log["hour"].between(18, 23)
    rate = log.groupby([evening.rename("evening"), "is_mobile"])["clicked"].mean()
    lift_mobile = rate[(True, 1)] / rate[(False, 1)]
    lift_desktop = rate[(True, 0)] / rate[(False, 0)]
    assert lift_mobile > 3.0  # exp(2.0) ~ 7 before dilution by night hours
    assert (
        0.8 < lift_desktop < 1.6
    )  # no evening effect without a phone (night hours shift it a bit)


def test_logistic_regression_recovers_the_linear_effects(log):
    X = pd.DataFrame(
        {
            "slot": log["position"] - 1,
            "relevance": log["relevance"],
            "user_ctr_30d": log["user_ctr_30d"],
            "log_price": np.log(log["price"] / 30),
            "fresh": (log["item_age_days"] < 2).astype(int),
            "night": (log["hour"] <= 5).astype(int),
            "mobile_evening": (log["is_mobile"] & log["hour"].between(18, 23)).astype(int),
            "tenure": log["user_tenure_days"] / 1000,
        }
    )
    coef = dict(
        zip(
            X.columns,
            LogisticRegression(C=1e6, max_iter=2000).fit(X, log["clicked"]).coef_[0],
            strict=True,
        )
    )
    e = PLANTED_EFFECTS
    assert coef["slot"] == pytest.approx(e["position_per_slot"], abs=0.03)
    assert coef["relevance"] == pytest.approx(e["relevance"], abs=0.2)
    assert coef["user_ctr_30d"] == pytest.approx(e["user_ctr_30d"], abs=3.0)
    assert coef["log_price"] == pytest.approx(e["log_price_ratio"], abs=0.06)
    assert coef["fresh"] == pytest.approx(e["fresh_item"], abs=0.15)
    assert coef["night"] == pytest.approx(e["night"], abs=0.15)
    assert coef["mobile_evening"] == pytest.approx(e["mobile_evening"], abs=0.15)
    assert abs(coef["tenure"]) < 0.06  # the planted null feature


def test_bad_arguments():
    with pytest.raises(ValueError, match="n_rows must be an integer >= 100"):
        make_click_log(10, seed=0)
    with pytest.raises(TypeError, match="seed must be an integer"):
        make_click_log(1_000, seed="0")
    with pytest.raises(ValueError, match="frame must have the click features"):
        click_logit(pd.DataFrame({"position": [1]}))


def test_click_logit_rejects_missing_and_non_numeric_values():
    log = make_click_log(200, seed=0)
    with pytest.raises(ValueError, match="frame column 'price' must be finite"):
        click_logit(log.assign(price=np.nan))
    with pytest.raises(TypeError, match="frame column 'hour' must be numeric"):
        click_logit(log.assign(hour="evening"))
