"""The synthetic loan data plants its signals, its leak and its drift where documented."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from casebook.modeling.pointintime import window_features
from casebook.synthetic.loans import BNPL_LAUNCH_TAU, POST_WINDOW_DAYS, make_loan_data


@pytest.fixture(scope="module")
def data():
    return make_loan_data(4000, seed=5)


@pytest.fixture(scope="module")
def features(data):
    return window_features(data.applications, data.transactions, windows=[90, 365])


def test_tables_and_rates(data):
    apps, tx = data.applications, data.transactions
    assert apps["application_id"].is_unique and apps["customer_id"].is_unique
    assert apps["application_date"].is_monotonic_increasing
    assert 0.035 < apps["defaulted"].mean() < 0.065  # default_rate=0.05
    assert list(tx.columns) == ["customer_id", "timestamp", "amount", "category"]
    assert (tx["amount"] > 0).all()
    assert tx["timestamp"].max() <= data.extracted_at
    assert set(tx["customer_id"]) <= set(apps["customer_id"])


def test_deterministic(data):
    a = make_loan_data(300, seed=1)
    b = make_loan_data(300, seed=1)
    pd.testing.assert_frame_equal(a.transactions, b.transactions)
    pd.testing.assert_frame_equal(a.applications, b.applications)
    assert not a.applications.equals(make_loan_data(300, seed=2).applications)


def test_thin_files_and_short_histories(features):
    no_history = features["history_days"].isna().mean()
    assert 0.015 < no_history < 0.05  # 3% have no transaction before applying
    assert (features["full_history_365d"] == 0).mean() > 0.3  # histories of 60-900 days


def test_pre_application_signals(data, features):
    y = data.applications["defaulted"]
    assert roc_auc_score(y, features["count_gambling_365d"]) > 0.55
    assert roc_auc_score(y, features["count_cash_withdrawal_90d"]) > 0.55
    assert roc_auc_score(y, -features["sum_salary_90d"].fillna(0)) > 0.55
    assert abs(roc_auc_score(y, features["count_groceries_365d"]) - 0.5) < 0.05  # noise


def test_leakage_trap_after_the_application(data):
    apps, tx = data.applications, data.transactions
    late = tx[tx["category"] == "late_fee"].merge(apps, on="customer_id")
    assert (late["timestamp"] >= late["application_date"]).all()  # only after applying
    assert (
        late["timestamp"] < late["application_date"] + pd.Timedelta(days=POST_WINDOW_DAYS)
    ).all()
    at_label_time = apps["application_date"] + pd.Timedelta(days=POST_WINDOW_DAYS)
    leaky = window_features(apps.assign(application_date=at_label_time), tx, windows=[365])
    y = apps["defaulted"]
    assert roc_auc_score(y, leaky["count_late_fee_365d"]) > 0.9


def test_drift_gambling_fades_and_bnpl_appears(data, features):
    apps = data.applications
    y = apps["defaulted"].to_numpy()
    tau = (
        (apps["application_date"] - apps["application_date"].min())
        / (apps["application_date"].max() - apps["application_date"].min())
    ).to_numpy()
    early, late = tau < 0.4, tau > 0.8
    g = features["count_gambling_365d"].to_numpy()
    assert roc_auc_score(y[early], g[early]) > roc_auc_score(y[late], g[late]) + 0.05
    b = features["count_bnpl_90d"].to_numpy()
    assert (b[tau < BNPL_LAUNCH_TAU - 0.01] == 0).all()
    assert roc_auc_score(y[late], b[late]) > 0.6
    bnpl = data.transactions[data.transactions["category"] == "bnpl"]
    assert bnpl["timestamp"].min() >= data.bnpl_launch


def test_bad_input():
    with pytest.raises(ValueError, match="n_customers must be at least 200"):
        make_loan_data(10, seed=0)
    with pytest.raises(TypeError, match="n_customers must be an int"):
        make_loan_data(1000.0, seed=0)
    with pytest.raises(ValueError, match="default_rate must be in"):
        make_loan_data(1000, default_rate=0.0, seed=0)
    with pytest.raises(ValueError, match="end must be after start"):
        make_loan_data(1000, start="2024-01-01", end="2023-01-01", seed=0)
    assert np.isfinite(make_loan_data(200, seed=0).transactions["amount"]).all()
