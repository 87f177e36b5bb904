import math

import numpy as np
import pandas as pd
import pytest

from casebook.decisions.bootstrap import bootstrap_ci
from casebook.fairness import criteria as M
from casebook.fairness.intervals import (
    bootstrap_counts,
    bootstrap_disparities,
    bootstrap_group_metrics,
    detectable_difference,
    disparity_ci,
    required_group_size,
)
from casebook.fairness.metrics import UndefinedMetricWarning


@pytest.fixture
def data():
    rng = np.random.default_rng(3)
    n = 1500
    g = rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2])
    y_true = (rng.random(n) < np.where(g == "a", 0.4, 0.25)).astype(int)
    y_pred = (rng.random(n) < 0.15 + 0.55 * y_true + 0.1 * (g == "a")).astype(int)
    return y_true, y_pred, g


def _close(a, b, width):
    assert abs(a - b) <= 0.12 * width + 1e-9, (a, b, width)


@pytest.mark.parametrize(
    ("criterion", "method", "fn"),
    [
        ("demographic_parity", "difference", M.demographic_parity_difference),
        ("equal_opportunity", "ratio", M.equal_opportunity_ratio),
        ("equalized_odds", "difference", M.equalized_odds_difference),
        ("predictive_parity", "difference", M.predictive_parity_difference),
    ],
)
def test_vectorized_bootstrap_matches_generic_bootstrap_ci(data, criterion, method, fn):
    y_true, y_pred, g = data
    fast = bootstrap_disparities(
        y_true,
        y_pred,
        sensitive_features=g,
        criteria=(criterion,),
        methods=(method,),
        n_resamples=2000,
        seed=1,
    ).iloc[0]
    slow = bootstrap_ci(
        lambda t, p, s: fn(t, p, sensitive_features=s),
        y_true,
        y_pred,
        g,
        n_resamples=2000,
        seed=2,
        stratify=g,
    )
    assert fast.estimate == pytest.approx(slow.estimate, abs=1e-12)
    width = slow.high - slow.low
    _close(fast.low, slow.low, width)
    _close(fast.high, slow.high, width)


def test_unstratified_resampling_matches_bootstrap_ci(data):
    y_true, y_pred, g = data
    fast = disparity_ci(y_true, y_pred, sensitive_features=g, n_resamples=2000, seed=1)
    boot = bootstrap_counts(np.array([[1, 1, 1, 1], [2, 2, 2, 2]]), n_resamples=50, stratify="none")
    assert set(boot.sum(axis=(1, 2)).tolist()) == {12}
    assert len(set(boot[:, 0].sum(axis=1).tolist())) > 1  # group sizes vary
    table = bootstrap_disparities(
        y_true,
        y_pred,
        sensitive_features=g,
        criteria=("demographic_parity",),
        methods=("difference",),
        n_resamples=2000,
        seed=1,
        stratify="none",
    ).iloc[0]
    slow = bootstrap_ci(
        lambda t, p, s: M.demographic_parity_difference(t, p, sensitive_features=s),
        y_true,
        y_pred,
        g,
        n_resamples=2000,
        seed=5,
    )
    width = slow.high - slow.low
    _close(table.low, slow.low, width)
    _close(table.high, slow.high, width)
    assert fast.low <= fast.estimate <= fast.high


def test_group_metric_intervals_match_bootstrap_ci(data):
    y_true, y_pred, g = data
    table = bootstrap_group_metrics(
        y_true, y_pred, sensitive_features=g, rates=("tpr",), n_resamples=2000, seed=0
    )
    row = table.set_index("group").loc["c"]
    m = (g == "c") & (y_true == 1)
    slow = bootstrap_ci(np.mean, y_pred[m], n_resamples=2000, seed=9)
    assert row.estimate == pytest.approx(slow.estimate)
    assert row.denominator == m.sum()
    _close(row.low, slow.low, slow.high - slow.low)
    _close(row.high, slow.high, slow.high - slow.low)


def test_interval_coverage_is_near_nominal():
    rng = np.random.default_rng(0)
    n, true_gap, hits = 400, 0.2, 0
    g = np.repeat(["a", "b"], n // 2)
    for rep in range(150):
        y_pred = (rng.random(n) < np.where(g == "a", 0.5, 0.3)).astype(int)
        y_true = rng.integers(0, 2, n)
        row = bootstrap_disparities(
            y_true,
            y_pred,
            sensitive_features=g,
            criteria=("selection_rate",),
            methods=("difference",),
            n_resamples=400,
            seed=rep,
        ).iloc[0]
        hits += row.low <= true_gap <= row.high
    assert 0.88 <= hits / 150 <= 0.99


def test_table_layout_and_group_size_columns(data):
    y_true, y_pred, g = data
    table = bootstrap_disparities(y_true, y_pred, sensitive_features=g, n_resamples=200)
    assert list(table.index.names) == ["criterion", "method"]
    assert len(table) == 8
    assert (table.low <= table.estimate).all() and (table.estimate <= table.high).all()
    assert table["min_group_n"].iloc[0] == pd.Series(g).value_counts().min()
    pos_c = int(((g == "c") & (y_true == 1)).sum())
    assert table.loc[("equal_opportunity", "difference"), "min_denominator"] == min(
        int(((g == k) & (y_true == 1)).sum()) for k in "abc"
    )
    assert pos_c >= table.loc[("equal_opportunity", "difference"), "min_denominator"]


def test_rare_positives_are_counted_as_undefined_resamples():
    y_true = np.array([1] + [0] * 29 + [1, 0] * 15)
    y_pred = np.array([1, 1] + [0] * 28 + [1, 0, 0, 1] * 7 + [1, 0])
    g = np.repeat(["a", "b"], 30)
    row = bootstrap_disparities(
        y_true,
        y_pred,
        sensitive_features=g,
        criteria=("tpr",),
        methods=("difference",),
        n_resamples=1000,
    ).iloc[0]
    assert 0.25 < row.undefined_fraction < 0.5  # P(no positive drawn) = (29/30)**30 ~ 0.36
    assert row.n_resamples == round(1000 * (1 - row.undefined_fraction))
    assert row.min_denominator == 1


def test_undefined_estimate_gives_nan_interval_with_warning():
    y_true = [0, 0, 0, 1, 0, 1]
    y_pred = [1, 0, 0, 1, 1, 0]
    g = list("aaabbb")
    with pytest.warns(UndefinedMetricWarning, match="tpr difference: undefined"):
        row = bootstrap_disparities(
            y_true,
            y_pred,
            sensitive_features=g,
            criteria=("tpr",),
            methods=("difference",),
            n_resamples=50,
        ).iloc[0]
    assert math.isnan(row.estimate) and math.isnan(row.low) and math.isnan(row.high)


def test_bad_resampling_arguments_raise(data):
    y_true, y_pred, g = data
    with pytest.raises(TypeError, match="n_resamples must be an int, got float"):
        bootstrap_disparities(y_true, y_pred, sensitive_features=g, n_resamples=10.0)
    with pytest.raises(ValueError, match="n_resamples must be >= 1, got 0"):
        bootstrap_group_metrics(y_true, y_pred, sensitive_features=g, n_resamples=0)
    with pytest.raises(ValueError, match="confidence must be strictly between 0 and 1, got 95"):
        disparity_ci(y_true, y_pred, sensitive_features=g, confidence=95)
    with pytest.raises(ValueError, match="stratify must be 'group' or 'none', got 'rows'"):
        bootstrap_counts(np.ones((2, 4)), stratify="rows")
    with pytest.raises(ValueError, match=r"counts must have shape \(n_groups, 4\), got \(2, 3\)"):
        bootstrap_counts(np.ones((2, 3)))
    with pytest.raises(ValueError, match="rates must be in"):
        bootstrap_group_metrics(y_true, y_pred, sensitive_features=g, rates=("recall",))


def test_required_group_size_and_detectable_difference():
    assert required_group_size(0.5, margin=0.05) == 385
    assert required_group_size(0.1, margin=0.05) < required_group_size(0.5, margin=0.05)
    small = detectable_difference(50, 50, rate=0.5)
    large = detectable_difference(5000, 5000, rate=0.5)
    assert small > 0.25 > 0.03 > large
    with pytest.raises(ValueError, match="rate must be strictly between 0 and 1, got 1.2"):
        required_group_size(1.2, margin=0.05)
    with pytest.raises(ValueError, match="margin must be strictly between 0 and 1, got 0"):
        required_group_size(0.5, margin=0)
    assert required_group_size(0.5, margin=0.05, other_size_ratio=4.0) == 481
    with pytest.raises(ValueError, match="other_size_ratio must be > 0, got 0"):
        required_group_size(0.5, margin=0.05, other_size_ratio=0)
    with pytest.raises(ValueError, match="n_a must be a positive int"):
        detectable_difference(0, 10, rate=0.5)
    with pytest.raises(ValueError, match="rate must be strictly between 0 and 1"):
        detectable_difference(10, 10, rate=0.0)
    with pytest.raises(ValueError, match="alpha and power must be in"):
        detectable_difference(10, 10, rate=0.5, power=1.0)


@pytest.mark.parametrize(
    ("counts", "exc", "match"),
    [
        (np.array([[-1, 1, 2, 2]]), ValueError, "counts must be non-negative"),
        (np.array([[1.0, np.nan, 2, 2]]), ValueError, "counts must be finite"),
        (np.array([["a", "b", "c", "d"]]), TypeError, "counts must hold numeric counts"),
        (np.zeros((0, 4), int), ValueError, "counts must have at least one group"),
        (np.array([[1.5, 1, 2, 2]]), ValueError, "counts must hold whole numbers"),
    ],
)
def test_bootstrap_counts_rejects_bad_counts(counts, exc, match):
    with pytest.raises(exc, match=match):
        bootstrap_counts(counts, n_resamples=5)


def test_intervals_need_enough_resamples_for_their_level():
    y = np.array([0, 1] * 20)
    g = np.array(["a", "b"] * 20)
    for f in (bootstrap_disparities, bootstrap_group_metrics):
        with pytest.raises(ValueError, match="n_resamples must be at least 40 .* got 1$"):
            f(y, y, sensitive_features=g, n_resamples=1)
        with pytest.raises(ValueError, match="n_resamples must be at least 200 .* got 100$"):
            f(y, y, sensitive_features=g, n_resamples=100, confidence=0.99)
    # resampled counts alone have no level: a handful is a valid request
    assert bootstrap_counts(np.array([[1, 1, 1, 1]]), n_resamples=1).shape == (1, 1, 4)
