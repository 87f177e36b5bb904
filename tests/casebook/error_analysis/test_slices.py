"""Tests for casebook.error_analysis.slices."""

import numpy as np
import pandas as pd
import pytest

from casebook.error_analysis.slices import bin_feature, find_error_slices, slice_error_rates


@pytest.fixture
def data():
    rng = np.random.default_rng(1)
    n = 2000
    frame = pd.DataFrame(
        {
            "length": rng.integers(1, 60, n),
            "brand": rng.choice(["Nova", "Acme", "Zed"], n),
            "noise": rng.normal(size=n),
        }
    )
    # planted: short Nova rows err 60% of the time, everything else 5%
    hot = (frame["brand"] == "Nova") & (frame["length"] <= 15)
    errors = rng.random(n) < np.where(hot, 0.6, 0.05)
    return frame, errors, hot


def test_bin_feature_quantile_gives_requested_bins():
    labels = bin_feature(pd.Series(np.arange(100.0)), bins=4)
    assert labels.nunique() == 4
    assert labels.value_counts().tolist() == [25, 25, 25, 25]


def test_bin_feature_labels_integer_bins_by_the_integers_they_hold():
    words = pd.Series([1, 2, 4, 5, 6, 9, 13, 21], name="n_words")
    labels = bin_feature(words, bins=4, strategy="uniform")
    # pandas would print (0.98, 6.0], (6.0, 11.0], ...: the learner reads whole words instead
    assert labels.tolist() == ["1-6", "1-6", "1-6", "1-6", "1-6", "7-11", "12-16", "17-21"]
    assert set(bin_feature(words, bins=2).tolist()) == {"1-5", "6-21"}
    nullable = bin_feature(pd.Series([1, 2, None, 8, 9], dtype="Int64"), bins=2, strategy="uniform")
    assert nullable.tolist() == ["1-5", "1-5", "missing", "6-9", "6-9"]


def test_bin_feature_uniform_and_missing():
    values = pd.Series([0.0, 1.0, 2.0, 9.0, 10.0, np.nan])
    labels = bin_feature(values, bins=2, strategy="uniform")
    assert labels.iloc[-1] == "missing"
    assert labels.iloc[0] == labels.iloc[1] == labels.iloc[2]
    assert labels.iloc[3] == labels.iloc[4] != labels.iloc[0]


def test_bin_feature_few_distinct_numeric_kept_and_ties_merged():
    assert bin_feature(pd.Series([0, 1, 0, 1]), bins=4).tolist() == ["0", "1", "0", "1"]
    tied = pd.Series([0] * 90 + list(range(1, 11)))
    assert bin_feature(tied, bins=4).nunique() < 4  # duplicate quantile edges merged


def test_bin_feature_bool_is_categorical():
    assert bin_feature(pd.Series([True, False])).tolist() == ["True", "False"]


def test_single_feature_rates_counts_and_lift(data):
    frame, errors, _ = data
    table = slice_error_rates(frame, errors, by="brand", min_support=1)
    assert set(table["slice"]) == {"Nova", "Acme", "Zed"}
    assert table["n"].sum() == len(frame)
    assert table["n_errors"].sum() == errors.sum()
    nova = table.set_index("slice").loc["Nova"]
    expected = errors[frame["brand"] == "Nova"].mean()
    assert nova["error_rate"] == pytest.approx(expected)
    assert nova["lift"] == pytest.approx(expected / errors.mean())
    assert table["share_of_errors"].sum() == pytest.approx(1.0)
    assert table.iloc[0]["slice"] == "Nova"  # sorted by lift
    assert table["lift"].is_monotonic_decreasing


def test_two_feature_slices_find_planted_interaction(data):
    frame, errors, _ = data
    table = slice_error_rates(frame, errors, by=["brand", "length"], bins=4)
    top = table.iloc[0]
    assert top["feature"] == "brand & length"
    assert top["slice"].startswith("Nova & ")
    assert top["lift"] > 3


def test_min_support_drops_small_slices(data):
    frame, errors, _ = data
    big = slice_error_rates(frame, errors, by=["brand", "length"], bins=4, min_support=10**6)
    assert big.empty
    some = slice_error_rates(frame, errors, by="brand", min_support=600)
    assert (some["n"] >= 600).all()


def test_find_error_slices_ranks_planted_slice_first(data):
    frame, errors, _ = data
    found = find_error_slices(frame, errors, features=["length", "brand", "noise"], top=5)
    assert len(found) == 5
    assert found.iloc[0]["feature"] in ("length & brand", "brand & length")
    assert "Nova" in found.iloc[0]["slice"]
    singles = find_error_slices(frame, errors, pairs=False, top=3)
    assert "&" not in " ".join(singles["feature"])


def test_no_errors_gives_nan_lift():
    frame = pd.DataFrame({"g": ["a", "b"] * 20})
    table = slice_error_rates(frame, np.zeros(40, dtype=bool), by="g")
    assert table["lift"].isna().all()
    assert (table["n_errors"] == 0).all()


def test_bad_input(data):
    frame, errors, _ = data
    with pytest.raises(ValueError, match="one value per row"):
        slice_error_rates(frame, errors[:-1], by="brand")
    with pytest.raises(ValueError, match="must be booleans"):
        slice_error_rates(frame, errors.astype(int), by="brand")
    with pytest.raises(ValueError, match="one or two distinct features"):
        slice_error_rates(frame, errors, by=["brand", "length", "noise"])
    with pytest.raises(ValueError, match="one or two distinct features"):
        slice_error_rates(frame, errors, by=["brand", "brand"])
    with pytest.raises(ValueError, match=r"not in frame: \['colour'\]"):
        slice_error_rates(frame, errors, by="colour")
    with pytest.raises(ValueError, match="min_support must be a positive integer"):
        slice_error_rates(frame, errors, by="brand", min_support=0)
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame"):
        slice_error_rates(frame.to_numpy(), errors, by="brand")
    with pytest.raises(ValueError, match="at least one row"):
        slice_error_rates(frame.iloc[:0], np.array([], dtype=bool), by="brand")
    with pytest.raises(ValueError, match="bins must be an integer >= 2"):
        bin_feature(frame["length"], bins=1)
    with pytest.raises(ValueError, match="strategy must be"):
        bin_feature(frame["length"], strategy="kmeans")
    with pytest.raises(TypeError, match="values must be a pandas Series"):
        bin_feature([1, 2, 3])
    with pytest.raises(ValueError, match="top must be a positive integer"):
        find_error_slices(frame, errors, top=0)
    with pytest.raises(ValueError, match="at least one feature"):
        find_error_slices(frame, errors, features=[])
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame"):
        find_error_slices(None, errors)


def test_bin_feature_rejects_infinite_values():
    values = pd.Series([1.0, np.inf, 3.0, 4.0, 5.0, -np.inf], name="amount")
    with pytest.raises(ValueError, match=r"values must be finite or missing \(feature 'amount'\)"):
        bin_feature(values, bins=2)
    with pytest.raises(ValueError, match="got 2 infinite value"):
        bin_feature(values, bins=2, strategy="uniform")
    frame = pd.DataFrame({"amount": values, "g": list("aabbcc")})
    with pytest.raises(ValueError, match="feature 'amount'"):
        slice_error_rates(frame, np.ones(6, dtype=bool), by="amount", min_support=1)
    # NaN is not infinite: it keeps its own "missing" slice
    assert (
        bin_feature(values.replace([np.inf, -np.inf], np.nan), bins=2).tolist().count("missing")
        == 2
    )
