"""The synthetic fraud generator plants what its docstring says."""

import numpy as np
import pandas as pd
import pytest

from casebook.synthetic.fraud import FRAUD_FEATURES, FRAUD_PATTERNS, make_fraud_transactions


@pytest.fixture(scope="module")
def df() -> pd.DataFrame:
    return make_fraud_transactions(300_000, seed=3)


def test_exact_rare_positive_rate(df):
    assert df["is_fraud"].sum() == 240
    assert df["is_fraud"].mean() < 0.001
    assert list(df.columns) == ["transaction_id", *FRAUD_FEATURES, "fraud_pattern", "is_fraud"]
    counts = df.loc[df["is_fraud"] == 1, "fraud_pattern"].value_counts()
    for pattern, share in FRAUD_PATTERNS.items():
        assert abs(counts[pattern] / 240 - share) < 0.01


def test_deterministic_and_seed_dependent():
    a = make_fraud_transactions(10_000, seed=1)
    pd.testing.assert_frame_equal(a, make_fraud_transactions(10_000, seed=1))
    assert not a.equals(make_fraud_transactions(10_000, seed=2))


def test_planted_patterns(df):
    g = df.groupby("fraud_pattern", observed=True)
    med = g["amount"].median()
    assert med["card_testing"] < 5 < 20 < med["legit"] < 60 < 150 < med["account_takeover"]
    assert g["tx_last_24h"].mean()["card_testing"] > 3 * g["tx_last_24h"].mean()["legit"]
    night = df["hour"] < 6
    assert night[df["fraud_pattern"] == "account_takeover"].mean() > 0.6
    assert night[df["fraud_pattern"] == "legit"].mean() < 0.1
    assert g["card_present"].mean()["legit"] > 0.6
    assert g["card_present"].mean()["account_takeover"] < 0.25


def test_mimic_frauds_look_legit_and_account_age_is_noise(df):
    from scipy.stats import ks_2samp

    legit = df[df["fraud_pattern"] == "legit"]
    mimic = df[df["fraud_pattern"] == "mimic"]
    assert ks_2samp(legit["amount"], mimic["amount"]).pvalue > 0.001
    fraud = df[df["is_fraud"] == 1]
    assert ks_2samp(legit["account_age_days"], fraud["account_age_days"]).pvalue > 0.001


def test_bad_input():
    with pytest.raises(ValueError, match="n_transactions must be at least 1000"):
        make_fraud_transactions(10, seed=0)
    with pytest.raises(TypeError, match="n_transactions must be an int"):
        make_fraud_transactions(1e5, seed=0)
    with pytest.raises(ValueError, match="fraud_rate must be a number in"):
        make_fraud_transactions(10_000, fraud_rate=0.7, seed=0)
    with pytest.raises(ValueError, match="at least 5 frauds"):
        make_fraud_transactions(2_000, fraud_rate=0.001, seed=0)
    assert np.isfinite(make_fraud_transactions(2_000, fraud_rate=0.01, seed=0)["amount"]).all()


def test_feature_matrix_logs_skewed_columns(df):
    from casebook.synthetic.fraud import fraud_feature_matrix

    X = fraud_feature_matrix(df.head(1000))
    assert X.shape == (1000, len(FRAUD_FEATURES))
    np.testing.assert_allclose(X[:, 0], np.log(df["amount"].head(1000)))
    np.testing.assert_allclose(X[:, 2], np.log1p(df["distance_km"].head(1000)))
    with pytest.raises(ValueError, match="missing \\['amount'\\]"):
        fraud_feature_matrix(df.drop(columns="amount"))


@pytest.mark.parametrize(
    ("column", "value", "error", "match"),
    [
        ("hour", np.nan, ValueError, r"df\['hour'\] must be finite"),
        ("amount", np.inf, ValueError, r"df\['amount'\] must be finite"),
        ("hour", "noon", TypeError, r"df\['hour'\] must be numeric"),
    ],
)
def test_feature_matrix_rejects_non_finite_or_non_numeric(df, column, value, error, match):
    from casebook.synthetic.fraud import fraud_feature_matrix

    bad = df.head(20).copy()
    bad[column] = bad[column].astype(object)
    bad.loc[bad.index[0], column] = value
    if isinstance(value, str):
        bad[column] = bad[column].astype(str)
    with pytest.raises(error, match=match):
        fraud_feature_matrix(bad)
    with pytest.raises(TypeError, match="df must be a pandas DataFrame, got ndarray"):
        fraud_feature_matrix(df.to_numpy())
