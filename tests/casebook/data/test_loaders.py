"""Loader tests on the real files: they need the mirror (CI and dev checkouts have it)."""

import os

import pandas as pd
import pytest

from casebook.data import (
    load_adult,
    load_breast_cancer,
    load_creditcard_fraud,
    load_german_credit,
    load_sms_spam,
    load_telco_churn,
)
from casebook.data.registry import DATASETS

needs_mirror = pytest.mark.skipif(
    "CASEBOOK_DATA_MIRROR" not in os.environ, reason="CASEBOOK_DATA_MIRROR is not set"
)


@needs_mirror
def test_adult():
    df = load_adult()
    assert df.shape == DATASETS["adult"].shape
    assert (df["split"] == "train").sum() == 32561 and (df["split"] == "test").sum() == 16281
    assert list(df["income"].cat.categories) == ["<=50K", ">50K"]
    assert df["age"].dtype == "int64" and df["sex"].dtype == "category"
    assert df["workclass"].isna().sum() > 0 and not (df["workclass"] == "?").any()
    assert len(load_adult(split="test")) == 16281
    with pytest.raises(ValueError, match="split must be 'train', 'test' or 'all', got 'dev'"):
        load_adult(split="dev")


@needs_mirror
def test_german_credit():
    df = load_german_credit()
    assert df.shape == DATASETS["german_credit"].shape
    assert df["credit_risk"].value_counts().to_dict() == {"good": 700, "bad": 300}
    assert df["sex"].value_counts().to_dict() == {"male": 690, "female": 310}
    assert df["age"].between(19, 75).all()
    assert not df.isna().any().any()
    assert "no checking account" in set(df["checking_status"])


@needs_mirror
def test_sms_spam():
    df = load_sms_spam()
    assert df.shape == DATASETS["sms_spam"].shape
    assert (df["label"] == "spam").sum() == 747
    assert df["text"].str.len().min() > 0


@needs_mirror
def test_telco_churn():
    df = load_telco_churn()
    assert df.shape == DATASETS["telco_churn"].shape
    assert df["total_charges"].isna().sum() == 11
    assert (df.loc[df["total_charges"].isna(), "tenure"] == 0).all()
    assert list(df["churn"].cat.categories) == ["No", "Yes"]
    assert df["customer_id"].is_unique


@needs_mirror
def test_creditcard_fraud():
    df = load_creditcard_fraud()
    assert df.shape == DATASETS["creditcard_fraud"].shape
    assert int(df["is_fraud"].sum()) == 492
    assert df["time"].is_monotonic_increasing
    assert {"v1", "v28", "amount"} <= set(df.columns)


@needs_mirror
def test_creditcard_fraud_parquet_copy_gives_the_parsed_csv(tmp_path):
    """Miss (parse, write the copy), hit (read it), damaged copy (parse again): one frame."""
    from casebook.data._frame_cache import cache_path
    from casebook.data.fetch import fetch_file
    from casebook.data.loaders import _parse_creditcard

    home = tmp_path / "home"
    miss = load_creditcard_fraud(data_home=home, download=False)
    csv = fetch_file("creditcard_fraud", "creditcard.csv", data_home=home, download=False)
    copy = cache_path(csv, DATASETS["creditcard_fraud"].file("creditcard.csv").sha256)
    assert copy.is_file()
    expected = _parse_creditcard(csv)
    pd.testing.assert_frame_equal(miss, expected)
    stamp = copy.stat().st_mtime_ns
    pd.testing.assert_frame_equal(load_creditcard_fraud(data_home=home, download=False), expected)
    assert copy.stat().st_mtime_ns == stamp  # a hit: read, not rewritten
    copy.write_bytes(copy.read_bytes()[:1000])  # damaged: ignored and rewritten
    pd.testing.assert_frame_equal(load_creditcard_fraud(data_home=home, download=False), expected)
    assert copy.stat().st_size > 1000


def test_breast_cancer_offline():
    df = load_breast_cancer()
    assert df.shape == (569, 31) and int(df["malignant"].sum()) == 212
    assert pd.api.types.is_float_dtype(df["mean_radius"])


def test_loader_error_when_nothing_is_available(isolated_data_env):
    from casebook.data import DataUnavailableError

    with pytest.raises(DataUnavailableError, match="dataset 'german_credit', file 'german.data'"):
        load_german_credit()
