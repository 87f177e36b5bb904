"""Tests for casebook.modeling.segmentation."""

import numpy as np
import pytest

from casebook.modeling.segmentation import choose_k, fit_segments


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


def test_fit_segments_rejects_non_numeric_input():
    with pytest.raises(TypeError, match="X must be numeric"):
        fit_segments(np.array([["a", "b"]] * 5), k=2)
