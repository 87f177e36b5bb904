"""The KS test re-implements one branch of scipy's two-sample p-value; these tests catch a scipy change.

``_kstwo_sf`` takes scipy's ``2 * smirnov`` branch with a vectorised sum instead of scipy's
scalar loop. Over a grid of effective sample sizes and statistics that covers the branch and
its borders, and over many sample shapes (sizes, shifts, ties), it must agree with
``scipy.stats.kstwo.sf`` and ``scipy.stats.ks_2samp``.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as st

from casebook.monitoring.drift._core import _kstwo_sf
from casebook.monitoring.drift.stats import ks

N_GRID = [2, 10, 139, 140, 141, 500, 3_000, 20_000, 120_000]
D_GRID = [1e-4, 0.002, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.49, 0.5, 0.51, 0.8, 0.999]


@pytest.mark.parametrize("n", N_GRID)
def test_kstwo_sf_equals_scipy_on_a_grid(n):
    for d in D_GRID:
        expected = st.kstwo.sf(d, n)
        got = _kstwo_sf(d, float(n))
        assert got == pytest.approx(expected, rel=1e-8, abs=1e-300), (n, d)


SHAPES = [
    (m, n, shift, decimals)
    for m in (5, 60, 400, 5_000, 40_000)
    for n in (7, 300, 9_000)
    for shift in (0.0, 0.03, 0.3)
    for decimals in (None, 1)
]


@pytest.mark.parametrize(("m", "n", "shift", "decimals"), SHAPES)
def test_ks_equals_ks_2samp_on_many_shapes(m, n, shift, decimals):
    rng = np.random.default_rng(m * 7 + n)
    ref, cur = rng.normal(size=m), rng.normal(shift, 1.0, size=n)
    if decimals is not None:  # ties inside and across the samples
        ref, cur = np.round(ref, decimals), np.round(cur, decimals)
    ours, theirs = ks(ref, cur), st.ks_2samp(ref, cur)
    assert ours.statistic == pytest.approx(theirs.statistic, abs=1e-15)
    assert ours.p_value == pytest.approx(theirs.pvalue, rel=1e-8, abs=1e-300)
