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
