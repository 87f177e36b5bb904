import numpy as np
import pytest
from scipy import stats as st

from casebook.monitoring.drift.multitest import benjamini_hochberg, bonferroni, correct


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_bh_adjusted_equals_scipy(seed):
    p = np.random.default_rng(seed).uniform(size=25) ** 3
    r = benjamini_hochberg(p, alpha=0.1)
    np.testing.assert_allclose(r.adjusted, st.false_discovery_control(p), rtol=1e-12)
    assert r.rejected.tolist() == (r.adjusted < 0.1).tolist()


def test_bh_step_up_rejects_hand_example():
    # sorted p: 0.001, 0.008, 0.039, 0.041, 0.042, 0.06; m=6, alpha=0.05:
    # thresholds k/6*0.05 = .0083, .0167, .025, .0333, .0417, .05 -> largest k with p_(k) <= thr
    # is k=2 (0.008 <= 0.0167); 0.042 > 0.0417 so k=5 fails
    p = {"a": 0.041, "b": 0.001, "c": 0.06, "d": 0.008, "e": 0.039, "f": 0.042}
    r = benjamini_hochberg(p, alpha=0.05)
    assert r.flagged() == ["b", "d"]
    assert r.names == ("a", "b", "c", "d", "e", "f")


def test_bonferroni():
    r = bonferroni([0.01, 0.02, 0.3], alpha=0.05)
    np.testing.assert_allclose(r.adjusted, [0.03, 0.06, 0.9])
    assert r.rejected.tolist() == [True, False, False]
    assert bonferroni([0.9, 0.8]).adjusted.tolist() == [1.0, 1.0]


def test_bh_at_least_as_many_as_bonferroni():
    p = np.random.default_rng(5).uniform(size=40) ** 4
    assert benjamini_hochberg(p).rejected.sum() >= bonferroni(p).rejected.sum()


def test_correct_dispatch():
    p = [0.01, 0.02, 0.3]
    assert correct(p, method="bonferroni").method == "bonferroni"
    assert correct(p).method == "benjamini-hochberg"
    assert correct(p, method="none").rejected.tolist() == [True, True, False]
    with pytest.raises(ValueError, match="method must be 'benjamini-hochberg'"):
        correct(p, method="holm")


@pytest.mark.parametrize(
    ("p", "alpha", "match"),
    [
        ([0.1, 1.2], 0.05, r"p_values must be in \[0, 1\]"),
        ([0.1, np.nan], 0.05, "without NaN"),
        ([], 0.05, "at least one p-value"),
        ([[0.1]], 0.05, "must be 1-dimensional"),
        ([0.1], 0.0, r"alpha must be in \(0, 1\)"),
        ([0.1], True, r"alpha must be in \(0, 1\)"),
    ],
)
def test_bad_input(p, alpha, match):
    with pytest.raises(ValueError, match=match):
        benjamini_hochberg(p, alpha=alpha)


@pytest.mark.parametrize("func", [bonferroni, benjamini_hochberg, correct])
def test_non_numeric_p_values_named(func):
    with pytest.raises(TypeError, match="p_values must be numeric, got list"):
        func(["s0", "s1"])
    with pytest.raises(TypeError, match="p_values must be numeric, got list"):
        func({"a": "s0"})  # a mapping's values are checked too
