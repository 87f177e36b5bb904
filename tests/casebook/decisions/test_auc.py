import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from casebook.decisions.auc import roc_auc_difference_ci
from casebook.decisions.bootstrap import bootstrap_ci


def _data(n=600, seed=0):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.2).astype(int)
    a = np.round(y + rng.normal(0, 1.5, n), 1)  # rounded: many tied scores
    b = y + rng.normal(0, 0.7, n)
    return y, a, b


def test_matches_direct_bootstrap_with_roc_auc_score():
    y, a, b = _data()
    direct = bootstrap_ci(
        lambda t, s, u: roc_auc_score(t, u) - roc_auc_score(t, s),
        y,
        a,
        b,
        n_resamples=150,
        seed=3,
        stratify=y,
    )
    fast = roc_auc_difference_ci(y, a, b, n_resamples=150, seed=3)
    assert fast.estimate == pytest.approx(direct.estimate, abs=1e-12)
    assert fast.low == pytest.approx(direct.low, abs=1e-12)
    assert fast.high == pytest.approx(direct.high, abs=1e-12)
    assert fast.n_resamples == direct.n_resamples == 150


def test_estimate_is_the_auc_difference_and_sign_follows_the_order():
    y, a, b = _data(seed=1)
    ci = roc_auc_difference_ci(y, a, b, n_resamples=100, seed=0)
    assert ci.estimate == pytest.approx(roc_auc_score(y, b) - roc_auc_score(y, a), abs=1e-12)
    assert ci.low > 0
    swapped = roc_auc_difference_ci(y, b, a, n_resamples=100, seed=0)
    assert swapped.estimate == pytest.approx(-ci.estimate)
    assert swapped.high < 0


def test_same_model_gives_a_zero_interval():
    y, a, _ = _data(seed=2)
    ci = roc_auc_difference_ci(y, a, a, n_resamples=50, seed=0)
    assert ci.estimate == ci.low == ci.high == 0.0


def test_custom_labels():
    y, a, b = _data(seed=4)
    text = np.where(y == 1, "churn", "stay")
    ci = roc_auc_difference_ci(text, a, b, labels=("stay", "churn"), n_resamples=50, seed=0)
    ref = roc_auc_difference_ci(y, a, b, n_resamples=50, seed=0)
    assert ci.estimate == pytest.approx(ref.estimate)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"y_true": [0, 1, 1]}, "same length"),
        ({"y_true": [0, 0, 0, 0]}, "y_true must contain both classes"),
        ({"y_true": [0, 1, 2, 1]}, "y_true contains values not in labels"),
        ({"score_a": [0.1, np.nan, 0.3, 0.4]}, "score_a must be finite"),
        ({"score_b": ["a", "b", "c", "d"]}, "score_b must be numeric"),
        ({"y_true": [], "score_a": [], "score_b": []}, "y_true must not be empty"),
    ],
)
def test_bad_input(kwargs, match):
    args = {
        "y_true": [0, 1, 0, 1],
        "score_a": [0.1, 0.2, 0.3, 0.4],
        "score_b": [0.4, 0.3, 0.2, 0.1],
    }
    with pytest.raises(ValueError, match=match):
        roc_auc_difference_ci(**(args | kwargs), n_resamples=10)


def test_bad_resampling_settings():
    y, a, b = _data()
    with pytest.raises(ValueError, match="n_resamples must be >= 1"):
        roc_auc_difference_ci(y, a, b, n_resamples=0)
    with pytest.raises(ValueError, match="confidence must be strictly between 0 and 1"):
        roc_auc_difference_ci(y, a, b, confidence=1.5)


# --- corrected resampled t-test (Nadeau-Bengio) ---------------------------------------------


def test_corrected_ttest_uncorrected_case_matches_scipy():
    from scipy import stats

    from casebook.decisions.auc import corrected_resampled_ttest

    d = np.random.default_rng(3).normal(0.01, 0.02, 15)
    res = corrected_resampled_ttest(d, test_train_ratio=0.0, confidence=0.9)
    ref = stats.ttest_1samp(d, 0.0)
    assert res.statistic == pytest.approx(ref.statistic)
    assert res.p_value == pytest.approx(ref.pvalue)
    ci = ref.confidence_interval(0.9)
    assert (res.low, res.high) == pytest.approx((ci.low, ci.high))
    assert res.df == 14


def test_corrected_ttest_matches_hand_computation():
    from scipy import stats

    from casebook.decisions.auc import corrected_resampled_ttest

    d = np.array([0.02, -0.01, 0.015, 0.005, 0.0, 0.03])  # 3-fold CV repeated twice
    mean = d.sum() / 6
    var = ((d - mean) ** 2).sum() / 5
    se = np.sqrt(var * (1 / 6 + 1 / 2))  # n_test / n_train = 1 / (3 - 1)
    t = mean / se
    res = corrected_resampled_ttest(d, test_train_ratio=0.5)
    assert res.statistic == pytest.approx(t)
    assert res.p_value == pytest.approx(2 * stats.t.sf(abs(t), 5))
    half = stats.t.ppf(0.975, 5) * se
    assert (res.low, res.high) == pytest.approx((mean - half, mean + half))
    assert res.excludes_zero is False
    assert corrected_resampled_ttest(d + 0.1, test_train_ratio=0.5).excludes_zero is True


def test_corrected_ttest_constant_differences():
    from casebook.decisions.auc import corrected_resampled_ttest

    res = corrected_resampled_ttest([0.0, 0.0, 0.0], test_train_ratio=0.5)
    assert res.p_value == 1.0 and res.low == res.high == 0.0


@pytest.mark.parametrize(
    ("args", "kwargs", "exc", "match"),
    [
        ([0.1], {"test_train_ratio": 0.5}, ValueError, "differences must hold at least 2"),
        ([0.1, np.nan], {"test_train_ratio": 0.5}, ValueError, "differences must be finite"),
        (["a", "b"], {"test_train_ratio": 0.5}, TypeError, "differences must be an array"),
        ("ab", {"test_train_ratio": 0.5}, TypeError, "differences must be an array"),
        (0.3, {"test_train_ratio": 0.5}, TypeError, "differences must be an array"),
        ([0.1, 0.2], {"test_train_ratio": -1.0}, ValueError, "test_train_ratio must be"),
        ([0.1, 0.2], {"test_train_ratio": "x"}, ValueError, "test_train_ratio must be"),
        ([0.1, 0.2], {"test_train_ratio": 0.5, "confidence": 1.0}, ValueError, "confidence"),
    ],
)
def test_corrected_ttest_rejects_bad_input(args, kwargs, exc, match):
    from casebook.decisions.auc import corrected_resampled_ttest

    with pytest.raises(exc, match=match):
        corrected_resampled_ttest(args, **kwargs)


# --- paired PR-AUC (average precision) difference ---------------------------------------------


def _rare(n=1500, seed=1):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.04).astype(int)
    a = np.round(y + rng.normal(0, 1.5, n), 1)  # rounded: tied scores
    b = y + rng.normal(0, 0.3, n)
    w = np.where(y == 1, 1.0, 10.0)  # a subsampled majority, weighted back
    return y, a, b, w


def test_average_precision_difference_matches_direct_bootstrap():
    from sklearn.metrics import average_precision_score

    from casebook.decisions.auc import average_precision_difference_ci

    y, a, b, w = _rare()
    direct = bootstrap_ci(
        lambda t, s, u, v: (
            average_precision_score(t, u, sample_weight=v)
            - average_precision_score(t, s, sample_weight=v)
        ),
        y,
        a,
        b,
        w,
        n_resamples=60,
        seed=4,
        stratify=y,
    )
    fast = average_precision_difference_ci(y, a, b, sample_weight=w, n_resamples=60, seed=4)
    assert fast.estimate == pytest.approx(direct.estimate, abs=1e-12)
    assert (fast.low, fast.high) == pytest.approx((direct.low, direct.high), abs=1e-12)
    assert fast.low > 0  # b is the better ranker


def test_average_precision_difference_unweighted_and_string_labels():
    from sklearn.metrics import average_precision_score

    from casebook.decisions.auc import average_precision_difference_ci

    y, a, b, _ = _rare()
    ci = average_precision_difference_ci(
        np.where(y == 1, "fraud", "ok"), a, b, labels=("ok", "fraud"), n_resamples=40
    )
    expected = average_precision_score(y, b) - average_precision_score(y, a)
    assert ci.estimate == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"sample_weight": -np.ones(1500)}, "sample_weight must be non-negative"),
        ({"sample_weight": np.ones(3)}, "same length"),
        ({"score_b": np.full(1500, np.nan)}, "score_b"),
    ],
)
def test_average_precision_difference_rejects_bad_input(kwargs, match):
    from casebook.decisions.auc import average_precision_difference_ci

    y, a, b, _ = _rare()
    args = {"score_b": b, **kwargs}
    with pytest.raises(ValueError, match=match):
        average_precision_difference_ci(y, a, args.pop("score_b"), n_resamples=40, **args)
