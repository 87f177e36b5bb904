"""Tests for casebook.segmentation."""

import numpy as np
import pandas as pd
import pytest

from casebook.segmentation import (
    choose_k,
    describe_segments,
    fit_segments,
    segment_profiles,
    segment_rates,
)


@pytest.fixture
def blobs():
    rng = np.random.default_rng(3)
    centers = [(0, 0), (5, 0), (0, 5)]
    sizes = [120, 80, 50]
    X = np.vstack([rng.normal(c, 0.6, (n, 2)) for c, n in zip(centers, sizes, strict=True)])
    truth = np.repeat([0, 1, 2], sizes)
    return X, truth


@pytest.mark.parametrize("method", ["kmeans", "gmm"])
def test_fit_segments_recovers_planted_groups_ordered_by_size(blobs, method):
    X, truth = blobs
    labels = fit_segments(X, k=3, method=method, seed=1)
    assert np.bincount(labels).tolist() == [120, 80, 50]
    np.testing.assert_array_equal(labels, truth)


@pytest.mark.parametrize("method", ["kmeans", "gmm"])
def test_choose_k_prefers_the_planted_k(blobs, method):
    X, _ = blobs
    sel = choose_k(X, k_values=[2, 3, 4, 5], method=method, n_bootstrap=4, seed=0)
    assert sel.best_k_silhouette == 3
    assert sel.table.loc[3, "stability"] > 0.95
    assert sel.recommended(min_stability=0.9) == 3
    assert list(sel.table.columns) == ["silhouette", "stability", "stability_low", "smallest_share"]


def test_stability_is_low_without_structure():
    X = np.random.default_rng(0).uniform(size=(300, 2))
    sel = choose_k(X, k_values=[6], n_bootstrap=5)
    assert sel.table.loc[6, "stability"] < 0.9


def test_recommended_falls_back_to_most_stable():
    X = np.random.default_rng(0).uniform(size=(200, 2))
    sel = choose_k(X, k_values=[3, 6], n_bootstrap=3)
    assert sel.recommended(min_stability=1.0) in (sel.best_k_stability, 3, 6)
    with pytest.raises(ValueError, match="min_stability must be in"):
        sel.recommended(min_stability=2)


def test_profiles_and_descriptions_name_the_distinctive_traits():
    df = pd.DataFrame(
        {
            "tenure": [1.0, 2.0, 3.0, 50.0, 60.0, 70.0],
            "contract": ["monthly"] * 3 + ["two-year"] * 3,
        }
    )
    labels = [0, 0, 0, 1, 1, 1]
    prof = segment_profiles(df, labels)
    assert list(prof.index) == [0, 1, "all"]
    assert prof.loc[0, "tenure"] == pytest.approx(2.0)
    assert prof.loc[1, "contract"] == "two-year"
    assert prof.loc["all", "share"] == 1.0
    text = describe_segments(df, labels, top=2, units={"tenure": " months"})
    assert "tenure low (2 months vs 31 months overall)" in text[0]
    assert "contract mostly two-year (100% vs 50% overall)" in text[1]
    assert text[0].startswith("Segment 0 (50% of customers)")


def test_segment_rates_wilson_interval_and_lift():
    y = np.array([1] * 10 + [0] * 90 + [1] * 50 + [0] * 50)
    labels = np.array([0] * 100 + [1] * 100)
    r = segment_rates(y, labels)
    assert r.loc[0, "rate"] == pytest.approx(0.1)
    assert r.loc[1, "rate"] == pytest.approx(0.5)
    # Wilson 95% interval for 10/100 is about [0.055, 0.174]
    assert r.loc[0, "low"] == pytest.approx(0.0552, abs=1e-3)
    assert r.loc[0, "high"] == pytest.approx(0.1744, abs=1e-3)
    assert r.loc["all", "lift"] == 1.0
    assert r.loc[1, "lift"] == pytest.approx(0.5 / 0.3)


def test_segment_rates_string_positive_and_zero_events():
    r = segment_rates(["No", "No", "Yes", "Yes"], ["a", "a", "b", "b"], positive="Yes")
    assert r.loc["a", "rate"] == 0.0
    assert r.loc["a", "low"] == 0.0
    assert r.loc["b", "rate"] == 1.0
    assert r.loc["b", "high"] == 1.0


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda X: fit_segments(X, k=1), "k must be an integer"),
        (lambda X: fit_segments(X, k=2, method="dbscan"), "method must be 'kmeans' or 'gmm'"),
        (lambda X: fit_segments(np.array([[np.nan, 1.0]] * 5), k=2), "X must be finite"),
        (lambda X: fit_segments(X[:2], k=2), "X must be a 2-D array with at least 3 rows"),
        (lambda X: choose_k(X, k_values=[1, 2]), "k_values must be integers"),
        (lambda X: choose_k(X, n_bootstrap=1), "n_bootstrap must be an integer >= 2"),
        (lambda X: choose_k(X, method="dbscan"), "method must be 'kmeans' or 'gmm'"),
    ],
)
def test_segmentation_rejects_bad_input(blobs, call, match):
    X, _ = blobs
    with pytest.raises(ValueError, match=match):
        call(X)


def test_profile_and_rates_reject_bad_input():
    df = pd.DataFrame({"a": [1.0, 2.0]})
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame"):
        segment_profiles(df.to_numpy(), [0, 1])
    with pytest.raises(ValueError, match="labels must have one entry per row"):
        segment_profiles(df, [0])
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame"):
        describe_segments(df.to_numpy(), [0, 1])
    with pytest.raises(ValueError, match="labels must have one entry per row"):
        describe_segments(df, [0, 1, 1])
    with pytest.raises(ValueError, match="top must be a positive integer"):
        describe_segments(df, [0, 1], top=0)
    with pytest.raises(ValueError, match="min_share must be in"):
        describe_segments(df, [0, 1], min_share=0)
    with pytest.raises(ValueError, match="y and labels must be 1-D"):
        segment_rates([1, 0], [0])
    with pytest.raises(ValueError, match="confidence must be in"):
        segment_rates([1, 0], [0, 0], confidence=1)


def test_new_bad_input_paths():
    df = pd.DataFrame({"a": [1.0, 2.0, 3.0]})
    with pytest.raises(TypeError, match="X must be numeric"):
        fit_segments(np.array([["a", "b"]] * 5), k=2)
    with pytest.raises(ValueError, match="labels must not contain NaN"):
        segment_profiles(df, [0.0, np.nan, 1.0])
    with pytest.raises(ValueError, match="labels must not contain NaN"):
        describe_segments(df, [0.0, np.nan, 1.0])
    with pytest.raises(ValueError, match="labels must not contain NaN"):
        segment_rates([1, 0, 1], [0.0, np.nan, 1.0])
    with pytest.raises(ValueError, match="frame and labels must have at least one row"):
        segment_profiles(df.iloc[:0], [])
