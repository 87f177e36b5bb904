"""Customer segmentation: choose k and fit segments.

Segments are only useful if they are (1) separated, (2) *stable* - refit on a
slightly different sample, the same customers land together again - and (3)
readable by the people who will act on them. :func:`choose_k` scores each
candidate k by the silhouette and by stability (mean adjusted Rand index
between fits on bootstrap resamples, all evaluated on the same rows);
:func:`fit_segments` fits the chosen k. Reading the segments (profiles,
plain-words descriptions, outcome rates) is in :mod:`casebook.modeling.segment_description`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.mixture import GaussianMixture

__all__ = ["KSelection", "choose_k", "fit_segments"]

Method = Literal["kmeans", "gmm"]


def _check_matrix(X: Any) -> np.ndarray:
    raw = np.asarray(X)
    if raw.dtype.kind not in "biuf":
        raise TypeError(f"X must be numeric (scaled features), got dtype {raw.dtype}")
    arr = raw.astype(float)
    if arr.ndim != 2 or len(arr) < 3:
        raise ValueError(f"X must be a 2-D array with at least 3 rows, got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError("X must be finite (impute and scale before segmenting), got NaN or inf")
    return arr


def _model(method: str, k: int, seed: int) -> KMeans | GaussianMixture:
    if method == "kmeans":
        return KMeans(n_clusters=k, n_init=4, random_state=seed)
    if method == "gmm":
        return GaussianMixture(
            n_components=k, covariance_type="full", n_init=1, reg_covar=1e-4, random_state=seed
        )
    raise ValueError(f"method must be 'kmeans' or 'gmm', got {method!r}")


def fit_segments(X: Any, *, k: int, method: Method = "kmeans", seed: int = 0) -> np.ndarray:
    """Fit k-means or a Gaussian mixture and return segment labels ``0..k-1``.

    Labels are renumbered by decreasing segment size, so segment 0 is always
    the largest (labels from different seeds become comparable by eye).

    Parameters
    ----------
    X : array-like of shape (n, d)
        Scaled numeric features (no NaN).
    k : int
        Number of segments, 2 <= k < n.
    method : {"kmeans", "gmm"}, default="kmeans"
        K-means (spherical, hard assignment) or a full-covariance Gaussian
        mixture (elliptical, labels = most probable component).
    seed : int, default=0

    Returns
    -------
    numpy.ndarray of int

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 0.3, (60, 2)), rng.normal(3, 0.3, (40, 2))])
    >>> np.bincount(fit_segments(X, k=2)).tolist()
    [60, 40]
    """
    arr = _check_matrix(X)
    if not isinstance(k, (int, np.integer)) or not 2 <= k < len(arr):
        raise ValueError(f"k must be an integer in [2, n_rows), got {k!r}")
    raw = _model(method, int(k), seed).fit(arr).predict(arr)
    order = np.argsort(-np.bincount(raw, minlength=k), kind="stable")
    relabel = np.empty(k, dtype=int)
    relabel[order] = np.arange(k)
    return relabel[raw]


@dataclass(frozen=True)
class KSelection:
    """What :func:`choose_k` measured.

    Attributes
    ----------
    table : pandas.DataFrame
        Indexed by k: ``silhouette``, ``stability`` (mean pairwise adjusted
        Rand index between bootstrap fits), ``stability_low`` (its 10th
        percentile) and ``smallest_share`` (share of the smallest segment).
    best_k_silhouette : int
        The k with the highest silhouette.
    best_k_stability : int
        The k with the highest stability.
    method : str
    """

    table: pd.DataFrame
    best_k_silhouette: int
    best_k_stability: int
    method: str

    def recommended(self, *, min_stability: float = 0.9) -> int:
        """The best-separated k among the stable ones.

        Returns the k with the highest silhouette among those whose stability
        is at least ``min_stability``; if none is that stable, the most stable
        k. Segments that reshuffle when the sample changes cannot be the basis
        of a campaign, however well separated they look once.
        """
        if not 0 <= min_stability <= 1:
            raise ValueError(f"min_stability must be in [0, 1], got {min_stability!r}")
        stable = self.table[self.table["stability"] >= min_stability]
        if stable.empty:
            return self.best_k_stability
        return int(stable["silhouette"].idxmax())


def choose_k(
    X: Any,
    *,
    k_values: range | list[int] = range(2, 9),
    method: Method = "kmeans",
    n_bootstrap: int = 10,
    silhouette_sample: int | None = 2000,
    seed: int = 0,
) -> KSelection:
    """Score candidate numbers of segments by silhouette and bootstrap stability.

    For each k the model is fitted on the full data (silhouette, on at most
    ``silhouette_sample`` rows) and on ``n_bootstrap`` bootstrap resamples;
    each bootstrap fit labels *all* rows, and stability is the mean adjusted
    Rand index (ARI) over all pairs of bootstrap labelings. ARI is 1 when two
    fits group the customers identically (whatever the label numbers) and
    about 0 for unrelated groupings.

    Parameters
    ----------
    X : array-like of shape (n, d)
        Scaled numeric features.
    k_values : iterable of int, default=range(2, 9)
        Candidates, each >= 2.
    method : {"kmeans", "gmm"}, default="kmeans"
    n_bootstrap : int, default=10
        Bootstrap fits per k (at least 2).
    silhouette_sample : int or None, default=2000
        Rows used for the silhouette (it is quadratic in n); None = all.
    seed : int, default=0

    Returns
    -------
    KSelection

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> centers = [(0, 0), (4, 0), (0, 4)]
    >>> X = np.vstack([rng.normal(c, 0.5, (50, 2)) for c in centers])
    >>> sel = choose_k(X, k_values=[2, 3, 4], n_bootstrap=4)
    >>> sel.best_k_silhouette
    3
    >>> bool(sel.table.loc[3, "stability"] > 0.95)
    True
    """
    arr = _check_matrix(X)
    ks = [int(k) for k in k_values]
    if not ks or any(k < 2 or k >= len(arr) for k in ks):
        raise ValueError(f"k_values must be integers in [2, n_rows), got {ks}")
    if not isinstance(n_bootstrap, (int, np.integer)) or n_bootstrap < 2:
        raise ValueError(f"n_bootstrap must be an integer >= 2, got {n_bootstrap!r}")
    _model(method, 2, seed)  # validates method
    rng = np.random.default_rng(seed)
    n = len(arr)
    boots = [rng.integers(0, n, n) for _ in range(n_bootstrap)]
    sample = None if silhouette_sample is None or silhouette_sample >= n else silhouette_sample
    rows = {}
    for k in ks:
        labels = fit_segments(arr, k=k, method=method, seed=seed)
        sil = (
            float(silhouette_score(arr, labels, sample_size=sample, random_state=seed))
            if len(np.unique(labels)) > 1
            else float("nan")
        )
        fits = [
            _model(method, k, seed + 1 + b).fit(arr[idx]).predict(arr)
            for b, idx in enumerate(boots)
        ]
        aris = [adjusted_rand_score(a, b) for a, b in itertools.combinations(fits, 2)]
        rows[k] = {
            "silhouette": sil,
            "stability": float(np.mean(aris)),
            "stability_low": float(np.quantile(aris, 0.1)),
            "smallest_share": float(np.bincount(labels, minlength=k).min() / n),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "k"
    return KSelection(
        table=table,
        best_k_silhouette=int(table["silhouette"].idxmax()),
        best_k_stability=int(table["stability"].idxmax()),
        method=method,
    )
