import dataclasses

import numpy as np
import pandas as pd
import pytest
from scipy import stats as st

from casebook.monitoring.drift.stats import (
    DriftResult,
    chi_square,
    jensen_shannon,
    ks,
    mmd,
    psi,
    quantile_edges,
    wasserstein,
)

RNG = np.random.default_rng(42)
REF = RNG.normal(size=3000)
CUR = RNG.normal(0.2, 1.1, size=2500)


def test_result_is_frozen():
    r = psi(REF, CUR)
    assert isinstance(r, DriftResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.statistic = 0.0  # type: ignore[misc]


@pytest.mark.parametrize(
    ("ref", "cur"),
    [
        (REF, CUR),
        (REF, REF[:100]),
        (np.arange(30.0), np.arange(10.0, 45.0)),
        (np.round(REF), np.round(CUR)),  # many ties
    ],
)
def test_ks_equals_scipy_small(ref, cur):
    r = ks(ref, cur)
    expected = st.ks_2samp(ref, cur)
    assert r.statistic == pytest.approx(expected.statistic, abs=1e-15)
    assert r.p_value == pytest.approx(expected.pvalue, rel=1e-12, abs=1e-300)
    assert r.drifted == (expected.pvalue < 0.05)


@pytest.mark.parametrize("shift", [0.0, 0.01, 0.05])
def test_ks_equals_scipy_large_fast_path(shift):
    rng = np.random.default_rng(1)
    ref = np.round(rng.normal(size=30_000), 2)  # ties on purpose
    cur = np.round(rng.normal(shift, 1, size=12_001), 2)
    r = ks(ref, cur)
    expected = st.ks_2samp(ref, cur)
    assert r.statistic == pytest.approx(expected.statistic, abs=1e-15)
    assert r.p_value == pytest.approx(expected.pvalue, rel=1e-9, abs=1e-300)


def test_ks_drops_nan_and_reads_series():
    ref = pd.Series([1.0, 2.0, np.nan, 3.0, 4.0])
    r = ks(ref, pd.Series([2.0, 3.0, 4.0, 5.0]))
    assert r.statistic == pytest.approx(st.ks_2samp([1, 2, 3, 4], [2, 3, 4, 5]).statistic)


def test_psi_hand_computed():
    # edges from the reference's median 2.5: reference 50% / 50%, current 25% / 75%
    r = psi([1, 2, 3, 4], [1, 3, 4, 4], bins=2)
    hand = (0.25 - 0.5) * np.log(0.25 / 0.5) + (0.75 - 0.5) * np.log(0.75 / 0.5)
    assert r.statistic == pytest.approx(hand, rel=1e-12)
    assert r.p_value is None
    assert r.drifted  # 0.2747 >= 0.1


def test_psi_empty_bin_uses_eps():
    r = psi([1, 2, 3, 4], [3, 4, 4, 4], bins=2, eps=1e-4)
    hand = (1e-4 - 0.5) * np.log(1e-4 / 0.5) + (1.0 - 0.5) * np.log(1.0 / 0.5)
    assert r.statistic == pytest.approx(hand, rel=1e-12)
    assert np.isfinite(psi([1, 2, 3, 4], [3, 4, 4, 4], bins=2, eps=1e-6).statistic)


def test_psi_identical_is_zero_and_no_drift():
    r = psi(REF, REF)
    assert r.statistic == 0.0
    assert not r.drifted


def test_psi_out_of_range_values_are_counted_not_dropped():
    # all current values above the reference's max land in the last open bin
    r = psi(np.arange(100.0), np.full(50, 1e6), bins=4)
    assert r.statistic > 5


def test_psi_fixed_edges_match_numpy_histogram():
    edges = np.histogram_bin_edges(np.concatenate([REF, CUR]), bins="sturges")
    ref_p = np.histogram(REF, edges)[0] / REF.size
    cur_p = np.histogram(CUR, edges)[0] / CUR.size
    ref_p = np.where(ref_p == 0, 1e-4, ref_p)
    cur_p = np.where(cur_p == 0, 1e-4, cur_p)
    expected = np.sum((ref_p - cur_p) * np.log(ref_p / cur_p))
    assert psi(REF, CUR, bins=edges).statistic == pytest.approx(expected, rel=1e-12)


def test_quantile_edges_are_reference_quantiles():
    e = quantile_edges(REF, bins=10)
    assert e[0] == -np.inf
    assert e[-1] == np.inf
    np.testing.assert_allclose(e[1:-1], np.quantile(REF, np.arange(1, 10) / 10))


def test_chi_square_equals_scipy():
    ref = ["a"] * 40 + ["b"] * 35 + ["c"] * 25
    cur = ["a"] * 20 + ["b"] * 50 + ["c"] * 30
    r = chi_square(ref, cur)
    expected = st.chi2_contingency([[40, 35, 25], [20, 50, 30]])
    assert r.statistic == pytest.approx(expected.statistic, rel=1e-12)
    assert r.p_value == pytest.approx(expected.pvalue, rel=1e-12)


def test_chi_square_two_categories_uses_scipy_yates_default():
    r = chi_square(["y"] * 30 + ["n"] * 70, ["y"] * 45 + ["n"] * 55)
    expected = st.chi2_contingency([[70, 30], [55, 45]])
    assert r.statistic == pytest.approx(expected.statistic, rel=1e-12)
    assert r.p_value == pytest.approx(expected.pvalue, rel=1e-12)


def test_chi_square_unseen_category_included_and_named():
    r = chi_square(["a", "b"] * 50, ["a", "b"] * 45 + ["new"] * 10)
    expected = st.chi2_contingency([[50, 50, 0], [45, 45, 10]])
    assert r.statistic == pytest.approx(expected.statistic, rel=1e-12)
    assert "unseen in reference: ['new']" in r.detail
    assert r.drifted


def test_chi_square_unseen_error():
    with pytest.raises(ValueError, match="categories unseen in the reference"):
        chi_square(["a", "b"], ["a", "z"], unseen="error")
    with pytest.raises(ValueError, match="unseen must be 'include' or 'error'"):
        chi_square(["a"], ["a"], unseen="drop")


def test_chi_square_categorical_dtype_and_numbers():
    ref = pd.Series(pd.Categorical(["x", "y"] * 20, categories=["x", "y", "z"]))
    cur = pd.Series(pd.Categorical(["x", "y"] * 20, categories=["x", "y", "z"]))
    r = chi_square(ref, cur)
    assert r.statistic == 0.0
    assert not r.drifted
    assert chi_square(np.array([0, 1] * 20), pd.Series([0, 1] * 20)).statistic == 0.0


def test_jensen_shannon_bounds_and_matches_scipy():
    from scipy.spatial.distance import jensenshannon

    assert jensen_shannon(["a", "b"], ["a", "b"]).statistic == 0.0
    assert jensen_shannon(["a"], ["b"]).statistic == pytest.approx(1.0)
    e = quantile_edges(REF, bins=10)
    p = np.histogram(REF, e)[0]
    q = np.histogram(CUR, e)[0]
    expected = jensenshannon(p / p.sum(), q / q.sum(), base=2)
    assert jensen_shannon(REF, CUR).statistic == pytest.approx(expected, rel=1e-12)


def test_wasserstein_normed_by_reference_std():
    r = wasserstein(REF, REF + 0.5)
    assert r.statistic == pytest.approx(0.5 / np.std(REF), rel=1e-9)
    assert r.drifted
    const = wasserstein([1.0, 1.0, 1.0], [1.0, 2.0])
    assert const.statistic == pytest.approx(0.5)
    assert "constant" in const.detail


def test_mmd_detects_joint_shift_only_marginals_unchanged():
    rng = np.random.default_rng(3)
    ref = rng.multivariate_normal([0, 0], [[1, 0.9], [0.9, 1]], size=400)
    cur = rng.multivariate_normal([0, 0], [[1, -0.9], [-0.9, 1]], size=400)
    assert not ks(ref[:, 0], cur[:, 0]).drifted
    r = mmd(ref, cur, n_permutations=99, seed=0)
    assert r.drifted
    assert r.p_value == pytest.approx(0.01)


def test_mmd_seeded_and_calm_under_null():
    rng = np.random.default_rng(4)
    a, b = rng.normal(size=(300, 3)), rng.normal(size=(300, 3))
    r1 = mmd(a, b, n_permutations=99, seed=7)
    r2 = mmd(a, b, n_permutations=99, seed=7)
    assert r1 == r2
    assert not r1.drifted
    df = pd.DataFrame(a, columns=["x", "y", "z"])
    assert mmd(df, b, n_permutations=19).p_value is not None


@pytest.mark.parametrize(
    ("func", "kwargs", "error", "match"),
    [
        (psi, {"threshold": -1}, ValueError, "threshold must be a positive distance"),
        (psi, {"threshold": "x"}, TypeError, "threshold must be a number"),
        (ks, {"threshold": 1.5}, ValueError, r"threshold must be a significance level"),
        (psi, {"bins": 1}, ValueError, "bins must be an integer >= 2"),
        (psi, {"bins": [3, 2, 1]}, ValueError, "strictly increasing"),
        (psi, {"eps": 0}, ValueError, r"eps must be a number in \(0, 1\)"),
        (mmd, {"n_permutations": 0}, ValueError, "n_permutations must be an integer >= 1"),
        (mmd, {"max_samples": 1}, ValueError, "max_samples must be an integer >= 2"),
    ],
)
def test_bad_parameters(func, kwargs, error, match):
    with pytest.raises(error, match=match):
        func(REF[:50], CUR[:50], **kwargs)


def test_bad_data():
    with pytest.raises(TypeError, match="reference must be numeric"):
        psi(["a", "b"], [1.0])
    with pytest.raises(TypeError, match="current must be numeric, got dtype"):
        ks(pd.Series([1.0, 2.0]), pd.Series(["a", "b"]))
    with pytest.raises(ValueError, match="current must hold at least one non-missing value"):
        ks([1.0, 2.0], [np.nan, np.nan])
    with pytest.raises(ValueError, match="reference must hold at least one non-missing"):
        chi_square([None, None], ["a"])
    with pytest.raises(ValueError, match="must be 1-dimensional"):
        psi(np.ones((3, 2)), np.ones(3))
    with pytest.raises(ValueError, match="current must have the reference's 2 columns"):
        mmd(np.ones((5, 2)), np.ones((5, 3)))
    with pytest.raises(ValueError, match="must hold at least 2 complete rows"):
        mmd(np.ones((5, 2)), np.array([[1.0, np.nan], [2.0, 2.0]]))
    with pytest.raises(TypeError, match="reference must have numeric columns only"):
        mmd(pd.DataFrame({"a": ["x", "y"]}), np.ones((2, 1)))
    with pytest.raises(TypeError, match="reference must be numeric"):
        mmd(np.array([["a"], ["b"]]), np.ones((2, 1)))
    with pytest.raises(ValueError, match="must be 1- or 2-dimensional"):
        mmd(np.ones((2, 2, 2)), np.ones((2, 1)))


@pytest.mark.parametrize("func", [wasserstein, mmd])
def test_distances_reject_infinite_values(func):
    with pytest.raises(ValueError, match=r"reference must be finite, got 1 infinite value\(s\)"):
        func(np.r_[REF[:50], np.inf], CUR[:50])
    with pytest.raises(ValueError, match=r"current must be finite, got 2 infinite value\(s\)"):
        func(REF[:50], np.r_[CUR[:50], np.inf, -np.inf])


def test_ks_and_psi_still_accept_infinite_values():
    assert np.isfinite(ks(np.r_[REF[:50], np.inf], CUR[:50]).statistic)
    assert np.isfinite(psi(REF[:50], np.r_[CUR[:50], np.inf]).statistic)
