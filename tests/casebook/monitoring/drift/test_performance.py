import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from casebook.monitoring.drift.performance import (
    Performance,
    expected_accuracy,
    expected_roc_auc,
    labels_arrived,
    performance_table,
    prediction_drift,
    realized_performance,
)


def _calibrated(seed, n=200_000):
    rng = np.random.default_rng(seed)
    p = rng.beta(1.5, 4, n)
    y = (rng.uniform(size=n) < p).astype(int)
    return p, y


@pytest.mark.parametrize("seed", [0, 1])
def test_estimates_match_realized_when_calibrated(seed):
    p, y = _calibrated(seed)
    assert expected_accuracy(p) == pytest.approx(np.mean((p >= 0.5) == y), abs=0.005)
    assert expected_roc_auc(p) == pytest.approx(roc_auc_score(y, p), abs=0.005)


def test_estimate_is_wrong_when_not_calibrated():
    p, y = _calibrated(2)
    overconfident = np.clip(p * 2.5, 0, 1)
    real = np.mean((overconfident >= 0.5) == y)
    assert expected_accuracy(overconfident) - real > 0.05


def test_expected_accuracy_hand_example():
    # predicted positive rows right with p, negative rows right with 1 - p
    assert expected_accuracy([0.9, 0.2, 0.6]) == pytest.approx((0.9 + 0.8 + 0.6) / 3)
    assert expected_accuracy([0.3, 0.7], threshold=0.25) == pytest.approx(0.5)


def test_expected_roc_auc_ties_and_edges():
    assert expected_roc_auc([0.5, 0.5, 0.5]) == pytest.approx(0.5)
    assert expected_roc_auc([1.0, 0.0]) == 1.0
    assert np.isnan(expected_roc_auc([1.0, 1.0]))
    assert np.isnan(expected_roc_auc([0.0, 0.0]))


def test_realized_performance_and_one_class():
    perf = realized_performance([0, 1, 1, 0], [0.1, 0.8, 0.4, 0.3])
    assert perf == Performance(4, 0.75, 1.0, 0.5, "")
    one = realized_performance([1, 1], [0.2, 0.7])
    assert np.isnan(one.roc_auc)
    assert one.note == "one class only: ROC AUC undefined"
    assert one.accuracy == 0.5


def test_prediction_drift_detects_and_stays_quiet():
    rng = np.random.default_rng(0)
    ref = rng.beta(2, 5, 3000)
    quiet = prediction_drift(ref, rng.beta(2, 5, 600))
    assert not quiet.drifted
    loud = prediction_drift(ref, np.clip(ref[:600] + 0.2, 0, 1))
    assert loud.drifted
    assert loud.mean_shift == pytest.approx(0.2, abs=0.02)
    assert loud.psi.statistic >= 0.1
    assert loud.ks.p_value < 0.01


def test_labels_arrived():
    assert labels_arrived(1, as_of_week=5, delay=4)
    assert not labels_arrived(2, as_of_week=5, delay=4)
    assert labels_arrived(5, as_of_week=5, delay=0)
    with pytest.raises(ValueError, match="delay must be an integer >= 0"):
        labels_arrived(1, as_of_week=2, delay=-1)


def test_performance_table_pending_and_arrived():
    p = {1: [0.9, 0.1, 0.8], 2: [0.7, 0.2, 0.4], 3: [0.6, 0.6, 0.6]}
    y = {1: [1, 0, 0], 2: [1, 1, 1], 3: [0, 1, 1]}
    t = performance_table(p, y, as_of_week=3, delay=1)
    assert t["labels"].tolist() == ["arrived", "arrived", "pending"]
    assert t["accuracy"].iloc[0] == pytest.approx(2 / 3)
    assert np.isnan(t["roc_auc"].iloc[1])  # one class in week 2
    assert t["note"].iloc[1] == "one class only: ROC AUC undefined"
    assert np.isnan(t["accuracy"].iloc[2])
    assert t["expected_accuracy"].iloc[2] == pytest.approx(0.6)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: expected_accuracy([0.2, 1.2]), ValueError, r"y_proba must be in \[0, 1\]"),
        (lambda: expected_accuracy([0.2, np.nan]), ValueError, "without NaN"),
        (lambda: expected_accuracy(["a"]), TypeError, "y_proba must be numeric"),
        (lambda: expected_accuracy([]), ValueError, "non-empty 1-d array"),
        (
            lambda: expected_accuracy([0.2], threshold=1),
            ValueError,
            r"threshold must be in \(0, 1\)",
        ),
        (lambda: realized_performance([0, 2], [0.1, 0.2]), ValueError, "y_true must be 0/1"),
        (lambda: realized_performance([0], [0.1, 0.2]), ValueError, "same length"),
        (lambda: prediction_drift([0.1, 2.0], [0.1]), ValueError, "reference_proba must be in"),
    ],
)
def test_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: labels_arrived("3", as_of_week=6, delay=1), TypeError, "week must be an integer"),
        (lambda: labels_arrived(3, as_of_week=6.0, delay=1), TypeError, "as_of_week must be an"),
        (
            lambda: performance_table({1: [0.9, 0.1]}, {1: [1]}, as_of_week=2, delay=1),
            ValueError,
            r"y_true_by_week\[1\] must be 0/1 labels of the same length as y_proba_by_week\[1\]",
        ),
        (
            lambda: performance_table({1: [0.9, 0.1]}, {1: [1, 7]}, as_of_week=2, delay=1),
            ValueError,
            r"y_true_by_week\[1\] must be 0/1 labels",
        ),
        (
            lambda: performance_table({1: [0.9, np.nan]}, {}, as_of_week=2, delay=1),
            ValueError,
            r"y_proba_by_week\[1\] must be in \[0, 1\] without NaN",
        ),
        (
            lambda: performance_table([[0.9]], {}, as_of_week=2, delay=1),
            TypeError,
            "y_proba_by_week must be a Mapping, got list",
        ),
        (
            lambda: performance_table({1: [0.9]}, [[1]], as_of_week=2, delay=1),
            TypeError,
            "y_true_by_week must be a Mapping, got list",
        ),
    ],
)
def test_week_errors_name_the_parameter(call, error, match):
    with pytest.raises(error, match=match):
        call()
