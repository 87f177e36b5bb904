"""Plot of the segmentation-method comparison: titled, labeled, one bar group per method."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from casebook.modeling.segment_choice import compare_segmenters
from casebook.plots.segment_choice import plot_segmenter_comparison

RNG = np.random.default_rng(0)
X = np.vstack([RNG.normal(c, 0.5, (50, 2)) for c in [(0, 0), (5, 0), (0, 5)]])
TRUTH = np.repeat([0, 1, 2], 50)


@pytest.fixture(scope="module")
def comparison():
    return compare_segmenters(X, k=3, methods=["kmeans", "gmm"], n_resamples=3)


def test_bars_title_labels(comparison):
    ax = plot_segmenter_comparison(comparison, truth=TRUTH)
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert len(ax.patches) == 2 * 3  # two methods, three measures
    assert [t.get_text() for t in ax.get_xticklabels()] == ["kmeans", "gmm"]
    ax2 = plot_segmenter_comparison(comparison)
    assert len(ax2.patches) == 2 * 2
    plt.close("all")


def test_bad_input(comparison):
    with pytest.raises(TypeError, match="comparison must be a SegmenterComparison"):
        plot_segmenter_comparison(comparison.table)
    with pytest.raises(ValueError, match="truth must have one label per customer"):
        plot_segmenter_comparison(comparison, truth=TRUTH[:5])
    with pytest.raises(ValueError, match="truth must not contain missing values"):
        plot_segmenter_comparison(comparison, truth=np.where(TRUTH == 0, np.nan, TRUTH))
