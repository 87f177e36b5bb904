"""Drift statistics, one small function per statistic, all with the same signature.

Every function reads ``f(reference, current, *, threshold=..., ...) -> DriftResult``
(Evidently style). A statistic with a p-value flags drift when
``p_value < threshold``; a distance without one flags drift when
``statistic >= threshold``. Missing values (NaN / None) are dropped before the
computation; reporting them is the job of :mod:`casebook.monitoring.drift.quality`.

Binning (PSI and the binned Jensen-Shannon distance)
----------------------------------------------------
``bins=10`` (an int) builds *quantile bins from the reference*: the interior
edges are the reference's quantiles at 1/bins, 2/bins, ...; repeated quantiles
(a discrete column) collapse into one edge, so there may be fewer bins. The
outer bins are open-ended, ``(-inf, e1)`` and ``[e_last, +inf)``, so a current
value outside the reference's range is counted, never dropped. Bins are
half-open ``[e_i, e_{i+1})``. Passing an array of edges fixes them instead; its
first and last edges are treated as -inf and +inf for the same reason (which
reproduces :func:`numpy.histogram` when the edges span the data).

Empty bins
----------
A bin with no observation in one sample has proportion 0 and ``log(0)`` is
undefined. PSI replaces every zero proportion by ``eps`` (default ``1e-4``,
Evidently's default value), without renormalising. The Jensen-Shannon
distance needs no epsilon (``0 * log 0 = 0``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats as _st
from scipy.spatial.distance import jensenshannon as _js

from casebook.monitoring.drift._core import (
    _KS_EXACT_MAX_N,
    DriftResult,
    _bin_counts,
    _categories,
    _category_counts,
    _check_eps,
    _check_finite,
    _check_threshold,
    _chi_square_from_counts,
    _edges,
    _is_numeric,
    _kstwo_sf,
    _matrix,
    _numeric,
    _psi_from_counts,
    _result,
    category_key,
    quantile_edges,
)

__all__ = [
    "DriftResult",
    "category_key",
    "chi_square",
    "jensen_shannon",
    "ks",
    "mmd",
    "psi",
    "quantile_edges",
    "wasserstein",
]


def psi(
    reference: ArrayLike,
    current: ArrayLike,
    *,
    threshold: float = 0.1,
    bins: int | ArrayLike = 10,
    eps: float = 1e-4,
) -> DriftResult:
    """Population Stability Index on quantile bins of the reference.

    ``PSI = sum_k (c_k - r_k) * ln(c_k / r_k)`` over bins, with ``r_k`` and
    ``c_k`` the reference and current proportions. Binning and the empty-bin
    rule are described in the module docstring. Rules of thumb: < 0.1 stable,
    0.1-0.25 moderate shift, > 0.25 large shift.

    Parameters
    ----------
    reference, current : array-like of float
        The two samples (NaN dropped).
    threshold : float, default=0.1
        Drift when ``PSI >= threshold``.
    bins : int or array-like, default=10
        Number of reference-quantile bins, or fixed edges.
    eps : float, default=1e-4
        Proportion used in place of an empty bin's 0.

    Returns
    -------
    DriftResult
        ``p_value`` is None.

    Examples
    --------
    >>> r = psi([1, 2, 3, 4], [1, 3, 4, 4], bins=2)  # 50/50 becomes 25/75
    >>> round(r.statistic, 4), r.drifted
    (0.2747, True)
    """
    _check_threshold(threshold, test=False)
    _check_eps(eps)
    ref = _numeric(reference, name="reference")
    cur = _numeric(current, name="current")
    edges = _edges(ref, bins)
    value = _psi_from_counts(_bin_counts(ref, edges), _bin_counts(cur, edges), eps=eps)
    return _result("psi", value, None, threshold, f"{edges.size - 1} bins")


def ks(reference: ArrayLike, current: ArrayLike, *, threshold: float = 0.05) -> DriftResult:
    """Two-sample Kolmogorov-Smirnov test, equal to :func:`scipy.stats.ks_2samp`.

    Small samples (both <= 10,000) call scipy directly (exact p-value). Larger
    ones compute the same statistic from the two sorted samples and scipy's
    asymptotic p-value ``kstwo.sf(D, round(n*m/(n+m)))``, which is what
    ``ks_2samp(method="auto")`` does at that size; where scipy evaluates it as
    ``2 * smirnov(n, D)`` with a slow scalar loop, the same Birnbaum-Tingey
    sum is computed vectorised (equal to ~1e-9 relative, 15x faster).

    Parameters
    ----------
    reference, current : array-like of float
        The two samples (NaN dropped).
    threshold : float, default=0.05
        Drift when ``p_value < threshold``.

    Returns
    -------
    DriftResult

    Examples
    --------
    >>> r = ks([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])
    >>> r.statistic, round(r.p_value, 4), r.drifted
    (1.0, 0.0079, True)
    """
    _check_threshold(threshold, test=True)
    ref = _numeric(reference, name="reference")
    cur = _numeric(current, name="current")
    n1, n2 = ref.size, cur.size
    if max(n1, n2) <= _KS_EXACT_MAX_N:
        res = _st.ks_2samp(ref, cur)
        return _result("ks", res.statistic, res.pvalue, threshold)
    a, b = np.sort(ref), np.sort(cur)
    both = np.concatenate([a, b])
    diff = np.searchsorted(a, both, side="right") / n1 - np.searchsorted(b, both, side="right") / n2
    d = max(float(np.clip(-diff.min(), 0, 1)), float(diff.max()))
    m, n = sorted([float(n1), float(n2)], reverse=True)
    p = float(np.clip(_kstwo_sf(d, float(np.round(m * n / (m + n)))), 0, 1))
    return _result("ks", d, p, threshold)


def chi_square(
    reference: ArrayLike, current: ArrayLike, *, threshold: float = 0.05, unseen: str = "include"
) -> DriftResult:
    """Chi-square test of a categorical feature, equal to :func:`scipy.stats.chi2_contingency`.

    The 2 x K contingency table has one row per sample and one column per
    category seen in either sample (missing values dropped). scipy's default
    Yates correction applies when the table has one degree of freedom.

    Parameters
    ----------
    reference, current : array-like
        The two samples of category labels.
    threshold : float, default=0.05
        Drift when ``p_value < threshold``.
    unseen : {"include", "error"}, default="include"
        A category present in ``current`` but never seen in the reference is
        kept as an extra column (and named in ``detail``) or raises ValueError.

    Returns
    -------
    DriftResult

    Examples
    --------
    >>> r = chi_square(["a"] * 50 + ["b"] * 50, ["a"] * 80 + ["b"] * 15 + ["c"] * 5)
    >>> r.drifted, r.detail
    (True, "3 categories; unseen in reference: ['c']")
    """
    _check_threshold(threshold, test=True)
    if unseen not in ("include", "error"):
        raise ValueError(f"unseen must be 'include' or 'error', got {unseen!r}")
    cats, rc, cc = _category_counts(
        _categories(reference, name="reference"), _categories(current, name="current")
    )
    return _chi_square_from_counts(cats, rc, cc, threshold=threshold, unseen=unseen)


def jensen_shannon(
    reference: ArrayLike, current: ArrayLike, *, threshold: float = 0.1, bins: int | ArrayLike = 10
) -> DriftResult:
    """Jensen-Shannon distance (base 2, so in [0, 1]) between the two distributions.

    Numeric samples are binned on reference quantiles (module docstring);
    anything else is compared category by category over the union of
    categories. Empty bins need no epsilon.

    Parameters
    ----------
    reference, current : array-like
        The two samples.
    threshold : float, default=0.1
        Drift when the distance is ``>= threshold``.
    bins : int or array-like, default=10
        Binning of numeric samples.

    Returns
    -------
    DriftResult
        ``p_value`` is None.

    Examples
    --------
    >>> jensen_shannon(["a", "b"], ["a", "b"]).statistic
    0.0
    >>> jensen_shannon(["a", "a"], ["b", "b"]).statistic
    1.0
    """
    _check_threshold(threshold, test=False)
    if _is_numeric(reference) and _is_numeric(current):
        ref, cur = _numeric(reference, name="reference"), _numeric(current, name="current")
        edges = _edges(ref, bins)
        p, q = _bin_counts(ref, edges), _bin_counts(cur, edges)
    else:
        _, p, q = _category_counts(
            _categories(reference, name="reference"), _categories(current, name="current")
        )
    value = float(_js(p / p.sum(), q / q.sum(), base=2))
    return _result("jensen_shannon", max(value, 0.0), None, threshold)


def wasserstein(reference: ArrayLike, current: ArrayLike, *, threshold: float = 0.1) -> DriftResult:
    """Wasserstein-1 distance in units of the reference's standard deviation.

    ``scipy.stats.wasserstein_distance(reference, current) / std(reference)``
    (population std), so 0.1 means "the mass moved a tenth of a standard
    deviation on average", as in Evidently's normed Wasserstein test. A
    constant reference has no scale: the raw distance is returned and
    ``detail`` says so.

    Parameters
    ----------
    reference, current : array-like of float
        The two samples (NaN dropped; an infinite value raises ValueError,
        since it makes the distance infinite or undefined).
    threshold : float, default=0.1
        Drift when the normed distance is ``>= threshold``.

    Returns
    -------
    DriftResult
        ``p_value`` is None.

    Examples
    --------
    >>> r = wasserstein([0.0, 1.0, 2.0, 3.0], [1.0, 2.0, 3.0, 4.0])
    >>> round(r.statistic, 3), r.drifted
    (0.894, True)
    """
    _check_threshold(threshold, test=False)
    ref, cur = _numeric(reference, name="reference"), _numeric(current, name="current")
    _check_finite(ref, name="reference")
    _check_finite(cur, name="current")
    dist = float(_st.wasserstein_distance(ref, cur))
    scale = float(np.std(ref))
    if scale == 0:
        return _result(
            "wasserstein", dist, None, threshold, "reference is constant: raw distance, not normed"
        )
    return _result("wasserstein", dist / scale, None, threshold)


def mmd(
    reference: ArrayLike,
    current: ArrayLike,
    *,
    threshold: float = 0.05,
    n_permutations: int = 200,
    max_samples: int = 500,
    seed: int = 0,
) -> DriftResult:
    """Maximum mean discrepancy of the joint distribution, with a permutation test.

    Rows with a missing value are dropped; columns are standardised with the
    reference's mean and standard deviation (a constant column keeps scale 1);
    each sample is subsampled (seeded) to at most ``max_samples`` rows. The
    kernel is Gaussian with the median pairwise distance of the pooled sample
    as bandwidth. The statistic is the biased (V-statistic) MMD^2; the p-value
    is ``(1 + #{permuted >= observed}) / (1 + n_permutations)`` over random
    relabellings of the pooled rows.

    Parameters
    ----------
    reference, current : array-like or DataFrame, shape (n, d)
        Numeric samples with the same columns (an infinite value raises
        ValueError: it breaks the standardisation and the kernel).
    threshold : float, default=0.05
        Drift when ``p_value < threshold``.
    n_permutations : int, default=200
        Number of permutations (the smallest p-value is ``1/(1+n)``).
    max_samples : int, default=500
        Row cap per sample, to bound the ``O(n^2)`` kernel.
    seed : int, default=0
        Seed of the subsampling and the permutations.

    Returns
    -------
    DriftResult

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> a, b = rng.normal(size=(200, 3)), rng.normal(0.5, 1, size=(200, 3))
    >>> mmd(a, b, n_permutations=99).drifted, mmd(a, a[::-1], n_permutations=99).drifted
    (True, False)
    """
    _check_threshold(threshold, test=True)
    for pname, value, low in (
        ("n_permutations", n_permutations, 1),
        ("max_samples", max_samples, 2),
    ):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
            raise ValueError(f"{pname} must be an integer >= {low}, got {value!r}")
    ref, cur = _matrix(reference, name="reference"), _matrix(current, name="current")
    _check_finite(ref, name="reference")
    _check_finite(cur, name="current")
    if ref.shape[1] != cur.shape[1]:
        raise ValueError(
            f"current must have the reference's {ref.shape[1]} columns, got {cur.shape[1]}"
        )
    rng = np.random.default_rng(seed)
    if ref.shape[0] > max_samples:
        ref = ref[rng.choice(ref.shape[0], max_samples, replace=False)]
    if cur.shape[0] > max_samples:
        cur = cur[rng.choice(cur.shape[0], max_samples, replace=False)]
    mean, std = ref.mean(axis=0), ref.std(axis=0)
    std = np.where(std == 0, 1.0, std)
    pooled = (np.vstack([ref, cur]) - mean) / std
    sq = np.sum(pooled**2, axis=1)
    d2 = np.maximum(sq[:, None] + sq[None, :] - 2 * pooled @ pooled.T, 0.0)
    k = np.arange(d2.shape[0])
    off = d2[(k[:, None] < k[None, :]) & (d2 > 0)]  # positive distances above the diagonal
    med = float(np.median(off)) if off.size else 1.0
    kernel = np.exp(-d2 / med)  # exp(-d^2 / (2 sigma^2)) with sigma^2 = median(d^2) / 2
    m, n = ref.shape[0], cur.shape[0]
    labels = np.concatenate([np.full(m, 1.0 / m), np.full(n, -1.0 / n)])
    weights = np.empty((m + n, n_permutations + 1))
    weights[:, 0] = labels
    for j in range(1, n_permutations + 1):
        weights[:, j] = rng.permutation(labels)
    stats_ = np.einsum("ij,ij->j", weights, kernel @ weights)
    observed = float(stats_[0])
    p = (1 + int(np.sum(stats_[1:] >= observed - 1e-12))) / (1 + n_permutations)
    return _result(
        "mmd",
        max(observed, 0.0),
        p,
        threshold,
        f"{m} reference and {n} current rows, {ref.shape[1]} columns",
    )
