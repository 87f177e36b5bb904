"""Tests for casebook.decisions.calibration."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.metrics import brier_score_loss
from sklearn.naive_bayes import GaussianNB

from casebook.decisions.calibration import (
    brier_decomposition,
    expected_calibration_error,
    recalibrate,
    reliability_table,
)


def calibrated_sample(n=20_000, seed=0):
    rng = np.random.default_rng(seed)
    p = rng.random(n)
    y = (rng.random(n) < p).astype(int)
    return y, p


def test_calibrated_probabilities_have_small_ece_and_gaps():
    y, p = calibrated_sample()
    table = reliability_table(y, p, n_bins=10)
    assert table["count"].sum() == y.size
    assert table["gap"].abs().max() < 0.03
    assert expected_calibration_error(y, p) < 0.015


def test_overconfident_probabilities_have_large_ece():
    y, p = calibrated_sample()
    overconfident = np.clip(0.5 + 1.8 * (p - 0.5), 0, 1)
    assert expected_calibration_error(y, overconfident) > 0.1


def test_reliability_table_by_hand_and_empty_bins():
    t = reliability_table([0, 1, 1, 0], [0.05, 0.15, 0.95, 1.0], n_bins=4)
    assert t["count"].tolist() == [2, 0, 0, 2]
    assert t.loc[0, "observed_rate"] == 0.5
    assert np.isnan(t.loc[1, "mean_predicted"])  # empty bin kept with NaN
    assert t.loc[3, "mean_predicted"] == pytest.approx(0.975)  # 1.0 lands in the last bin
    # ECE ignores empty bins
    assert expected_calibration_error([0, 1, 1, 0], [0.05, 0.15, 0.95, 1.0], n_bins=4) == (
        pytest.approx(0.5 * abs(0.5 - 0.1) + 0.5 * abs(0.5 - 0.975))
    )


def test_quantile_bins_hold_equal_counts_and_merge_ties():
    y, p = calibrated_sample(1000)
    t = reliability_table(y, p, n_bins=5, strategy="quantile")
    assert t["count"].tolist() == [200] * 5
    tied = reliability_table([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5], n_bins=4, strategy="quantile")
    assert len(tied) == 1 and tied.loc[0, "count"] == 4


def test_brier_decomposition_matches_sklearn_and_adds_up():
    y, p = calibrated_sample(5000, seed=3)
    d = brier_decomposition(y, p, n_bins=10)
    assert d.brier == pytest.approx(brier_score_loss(y, p))
    assert d.brier == pytest.approx(d.reliability - d.resolution + d.uncertainty + d.residual)
    assert d.uncertainty == pytest.approx(y.mean() * (1 - y.mean()))
    # with one distinct probability per bin the decomposition is exact
    q = np.round(p, 1)
    exact = brier_decomposition(y, q, n_bins=11, strategy="uniform")
    assert abs(exact.residual) < 0.01
    assert d.reliability < 0.002


def test_recalibrate_improves_a_miscalibrated_model():
    X, y = make_classification(n_samples=3000, n_informative=4, n_redundant=8, random_state=0)
    model = GaussianNB().fit(
        X[:1000], y[:1000]
    )  # naive Bayes: overconfident on correlated features
    before = expected_calibration_error(y[2000:], model.predict_proba(X[2000:])[:, 1])
    for method in ("sigmoid", "isotonic"):
        cal = recalibrate(model, X[1000:2000], y[1000:2000], method=method)
        after = expected_calibration_error(y[2000:], cal.predict_proba(X[2000:])[:, 1])
        assert after < before


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"y_prob": [0.2, 1.3]}, r"y_prob must be probabilities in \[0, 1\].*max=1.3"),
        ({"y_prob": [0.2, np.nan]}, r"y_prob must be finite.*nan"),
        ({"y_prob": [0.2, 0.3, 0.4]}, r"same length.*y_true has 2.*y_prob has 3"),
        ({"y_true": [0, 3]}, r"y_true contains values not in labels.*3"),
        ({"n_bins": 0}, r"n_bins must be a positive integer, got 0"),
        ({"strategy": "kmeans"}, r"strategy must be 'uniform' or 'quantile', got 'kmeans'"),
    ],
)
@pytest.mark.parametrize("fn", [reliability_table, expected_calibration_error, brier_decomposition])
def test_bad_input(fn, kwargs, match):
    args = {"y_true": [0, 1], "y_prob": [0.2, 0.8], **kwargs}
    with pytest.raises(ValueError, match=match):
        fn(args.pop("y_true"), args.pop("y_prob"), **args)


def test_recalibrate_bad_input():
    X, y = make_classification(n_samples=100, random_state=0)
    model = GaussianNB().fit(X, y)
    with pytest.raises(ValueError, match=r"method must be 'sigmoid' or 'isotonic', got 'beta'"):
        recalibrate(model, X, y, method="beta")
    with pytest.raises(ValueError, match=r"estimator must be fitted.*GaussianNB"):
        recalibrate(GaussianNB(), X, y)
    with pytest.raises(ValueError, match=r"y_calib must contain both classes, got only \[1\]"):
        recalibrate(model, X[y == 1], y[y == 1])


def test_recalibrate_bad_features_and_labels():
    X, y = make_classification(n_samples=100, random_state=0)
    model = GaussianNB().fit(X, y)
    with pytest.raises(
        ValueError, match=r"X_calib and y_calib must have the same number of rows, got 100 and 99"
    ):
        recalibrate(model, X, y[:-1])
    with pytest.raises(ValueError, match=r"y_calib must not be empty"):
        recalibrate(model, X[:0], y[:0])
    with pytest.raises(ValueError, match=r"y_calib must not contain NaN or infinity"):
        recalibrate(model, X, np.where(np.arange(100) == 0, np.nan, y))
    X_inf = X.copy()
    X_inf[0, 0] = np.inf
    with pytest.raises(ValueError, match=r"X_calib must not contain infinity, got \[inf\]"):
        recalibrate(model, X_inf, y)
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match=r"X_calib was rejected by the estimator: .*NaN"):
        recalibrate(model, X_nan, y)
    with pytest.raises(ValueError, match=r"X_calib was rejected by the estimator"):
        recalibrate(model, X.astype(str).astype(object) + "x", y)


def test_recalibrate_rejects_infinite_frame_column():
    import pandas as pd

    X, y = make_classification(
        n_samples=100, n_features=3, n_informative=2, n_redundant=0, random_state=0
    )
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    model = GaussianNB().fit(frame, y)
    frame.loc[0, "b"] = -np.inf
    with pytest.raises(ValueError, match=r"X_calib column 'b' must not contain infinity"):
        recalibrate(model, frame, y)
