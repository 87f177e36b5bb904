"""Comparing segmentation methods, picking one, and naming segments after personas."""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from casebook.modeling.segment_choice import (
    SegmenterComparison,
    compare_segmenters,
    fit_segmenter,
    name_segments,
)

RNG = np.random.default_rng(0)
CENTERS = [(0, 0), (5, 0), (0, 5)]
X3 = np.vstack([RNG.normal(c, 0.5, (70, 2)) for c in CENTERS])
TRUTH = np.repeat([0, 1, 2], 70)


@pytest.fixture(scope="module")
def comparison():
    return compare_segmenters(X3, k=3, n_resamples=3, seed=1)


def test_every_method_recovers_well_separated_blobs(comparison):
    t = comparison.table
    assert list(t.index) == ["kmeans", "gmm", "hdbscan"]
    for m, lab in comparison.labels.items():
        assert adjusted_rand_score(TRUTH, lab) > 0.9, m
    assert (t["stability"] > 0.9).all() and (t["silhouette"] > 0.6).all()
    assert t.loc["kmeans", "n_segments"] == 3 and t.loc["kmeans", "noise_share"] == 0
    assert comparison.resample_labels["kmeans"].shape == (3, len(X3))
    assert ((comparison.resample_labels["kmeans"] == -2).sum(axis=1) == 42).all()  # 20% left out
    assert len(comparison.pair_aris["gmm"]) == 3  # all pairs of 3 fits


def test_stability_drops_when_k_is_wrong():
    bad = compare_segmenters(X3, k=5, methods=["kmeans"], n_resamples=4, seed=0)
    good = compare_segmenters(X3, k=3, methods=["kmeans"], n_resamples=4, seed=0)
    assert bad.table.loc["kmeans", "stability"] < good.table.loc["kmeans", "stability"]


def test_hdbscan_leaves_scattered_points_as_noise():
    X = np.vstack([X3, RNG.uniform(-20, 25, (30, 2))])
    lab = fit_segmenter(X, method="hdbscan", min_cluster_size=20)
    assert (lab[-30:] == -1).mean() > 0.5 and (lab[:-30] >= 0).mean() > 0.9


def test_recommended_rules():
    table = pd.DataFrame(
        {
            "n_segments": [5, 5, 6],
            "noise_share": [0.0, 0.0, 0.3],
            "silhouette": [0.40, 0.45, 0.60],
            "stability": [0.95, 0.80, 0.97],
            "stability_low": [0.9, 0.7, 0.9],
        },
        index=pd.Index(["kmeans", "gmm", "hdbscan"], name="method"),
    )
    cmp = SegmenterComparison(table, {}, {}, {})
    assert cmp.recommended() == "kmeans"  # gmm unstable, hdbscan leaves 30% out
    assert cmp.recommended(min_stability=0.7) == "gmm"
    assert cmp.recommended(max_noise=0.5) == "hdbscan"
    # none stable enough: the most stable among those assigning almost everyone
    assert cmp.recommended(min_stability=0.99) == "kmeans"
    assert cmp.recommended(min_stability=0.99, max_noise=0.0) == "kmeans"
    everyone_noisy = SegmenterComparison(table.assign(noise_share=0.5), {}, {}, {})
    assert everyone_noisy.recommended() == "hdbscan"  # nothing within max_noise: most stable
    with pytest.raises(ValueError, match="min_stability must be in"):
        cmp.recommended(min_stability=2)
    with pytest.raises(ValueError, match="max_noise must be in"):
        cmp.recommended(max_noise=-0.1)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"X": X3[:2]}, ValueError, "at least 3 rows"),
        ({"X": np.where(X3 > 4, np.nan, X3)}, ValueError, "finite"),
        ({"method": "dbscan"}, ValueError, "method must be one of"),
        ({"method": "hdbscan", "min_cluster_size": 1}, ValueError, "min_cluster_size"),
        ({"method": "hdbscan", "min_cluster_size": 2.5}, ValueError, "min_cluster_size"),
        ({"k": 1}, ValueError, "k must be an integer"),
    ],
)
def test_fit_segmenter_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        fit_segmenter(**{"X": X3, "k": 3, **kwargs})


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"methods": []}, "methods must be"),
        ({"methods": ["kmeans", "spectral"]}, "methods must be"),
        ({"n_resamples": 1}, "n_resamples"),
        ({"n_resamples": True}, "n_resamples"),
        ({"fraction": 1.0}, "fraction"),
        ({"fraction": 0.001}, "fraction"),
    ],
)
def test_compare_segmenters_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        compare_segmenters(X3, **{"k": 3, **kwargs})


PROFILE = pd.DataFrame(
    {"monetary": [130.0, 25.0, 60.0, 70.0], "days_since_visit": [5.0, 6.0, 4.0, 110.0]},
    index=[0, 1, 2, 3],
)
RULES = {
    "loyal": {"monetary": 1},
    "bargain": {"monetary": -1},
    "lapsed": {"days_since_visit": 1},
}


def test_name_segments_one_to_one_then_best_fit():
    names = name_segments(PROFILE, rules=RULES)
    assert names[0] == "loyal" and names[1] == "bargain" and names[3] == "lapsed"
    assert names[2] == "bargain"  # the fourth segment takes its best-scoring persona
    # the names follow the profile, not the label numbers
    shuffled = PROFILE.iloc[[3, 1, 0, 2]].set_axis([7, 8, 9, 10])
    assert name_segments(shuffled, rules=RULES) == {
        7: "lapsed",
        8: "bargain",
        9: "loyal",
        10: "bargain",
    }


@pytest.mark.parametrize(
    ("profile", "rules", "error", "match"),
    [
        (PROFILE.to_numpy(), RULES, TypeError, "profile must be a pandas DataFrame"),
        (PROFILE.iloc[:1], RULES, ValueError, "at least 2 segments"),
        (PROFILE, {}, ValueError, "rules must be a non-empty mapping"),
        (PROFILE, {"x": {"tenure": 1}}, ValueError, "missing from profile: \\['tenure'\\]"),
        (PROFILE.assign(monetary=np.nan), RULES, ValueError, "finite"),
        (PROFILE.assign(monetary="high"), RULES, TypeError, "non-numeric \\['monetary'\\]"),
    ],
)
def test_name_segments_bad_input(profile, rules, error, match):
    with pytest.raises(error, match=match):
        name_segments(profile, rules=rules)
