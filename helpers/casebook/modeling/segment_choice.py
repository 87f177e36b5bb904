"""Choosing a segmentation method: k-means vs a Gaussian mixture vs density clustering.

:func:`compare_segmenters` fits each method once on all customers and on
repeated subsamples, and reports what a choice needs: how many segments each
finds, how many customers a density method leaves unassigned ("noise"), the
silhouette (separation), and the **stability**: the mean adjusted Rand index
(ARI) between fits on two different subsamples, computed on the customers the
two subsamples share. Subsamples are drawn *without* replacement (a share
``fraction`` of the rows): a bootstrap resample repeats rows, which creates
artificial dense spots that density methods latch on to, so the same scheme is
used for every method to keep the comparison fair. :func:`name_segments`
turns segment profiles into persona names by stated rules, one name per
segment (an assignment problem), so the names do not depend on the seed's
label numbers. Fitting k-means and mixtures is
:func:`casebook.modeling.segmentation.fit_segments`.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import HDBSCAN
from sklearn.metrics import adjusted_rand_score, silhouette_score

from casebook._validation.arrays import check_matrix
from casebook.modeling.segmentation import fit_segments

__all__ = ["SegmenterComparison", "compare_segmenters", "fit_segmenter", "name_segments"]

Method = Literal["kmeans", "gmm", "hdbscan"]
_METHODS = ("kmeans", "gmm", "hdbscan")


def fit_segmenter(
    X: Any,
    *,
    method: Method = "kmeans",
    k: int = 5,
    min_cluster_size: int | None = None,
    seed: int = 0,
) -> np.ndarray:
    """Segment labels from k-means, a Gaussian mixture or HDBSCAN.

    Parameters
    ----------
    X : array-like of shape (n, d)
        Scaled numeric features.
    method : {"kmeans", "gmm", "hdbscan"}, default="kmeans"
        ``"hdbscan"`` finds its own number of segments from the density and
        labels customers in no dense region ``-1`` (noise); ``k`` is ignored.
    k : int, default=5
        Number of segments for k-means and the mixture.
    min_cluster_size : int, optional
        HDBSCAN's smallest segment; default ``max(10, n // 50)``.
    seed : int, default=0

    Returns
    -------
    numpy.ndarray of int
        Segment labels; k-means and mixture labels are numbered by decreasing size.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 0.3, (60, 2)), rng.normal(3, 0.3, (40, 2))])
    >>> sorted(np.bincount(fit_segmenter(X, method="hdbscan") + 1).tolist())
    [0, 40, 60]
    """
    arr = check_matrix(X)
    if len(arr) < 3:
        raise ValueError(f"X must have at least 3 rows, got {len(arr)}")
    if method == "hdbscan":
        size = max(10, len(arr) // 50) if min_cluster_size is None else min_cluster_size
        if (
            isinstance(size, bool)
            or not isinstance(size, (int, np.integer))
            or not 2 <= size <= len(arr)
        ):
            raise ValueError(
                f"min_cluster_size must be an integer in [2, n_rows], got {min_cluster_size!r}"
            )
        return HDBSCAN(min_cluster_size=size, copy=True).fit_predict(arr)
    if method not in ("kmeans", "gmm"):
        raise ValueError(f"method must be one of {list(_METHODS)}, got {method!r}")
    return fit_segments(arr, k=k, method=method, seed=seed)


@dataclass(frozen=True)
class SegmenterComparison:
    """What :func:`compare_segmenters` measured.

    Attributes
    ----------
    table : pandas.DataFrame
        Indexed by method: ``n_segments``, ``noise_share``, ``silhouette``
        (on assigned customers), ``stability`` (mean pairwise ARI between
        subsample fits, on shared customers) and ``stability_low`` (its 10th
        percentile).
    labels : dict
        Method to its labels on all customers.
    pair_aris : dict
        Method to the list of pairwise ARIs behind ``stability`` (the spread).
    resample_labels : dict
        Method to an ``(n_resamples, n)`` array: each subsample fit's labels,
        ``-2`` for the customers left out of that subsample.
    """

    table: pd.DataFrame
    labels: dict[str, np.ndarray]
    pair_aris: dict[str, list[float]]
    resample_labels: dict[str, np.ndarray]

    def recommended(self, *, min_stability: float = 0.9, max_noise: float = 0.1) -> str:
        """The best-separated method among the stable ones that assign almost everyone.

        Returns the method with the highest silhouette among those with
        ``stability >= min_stability`` and ``noise_share <= max_noise`` (a
        campaign needs every customer in a segment, and segments that
        reshuffle on a new sample cannot carry one); if none is stable enough,
        the most stable among those within ``max_noise``; if none is within
        ``max_noise`` either, the most stable method.
        """
        for name, v in (("min_stability", min_stability), ("max_noise", max_noise)):
            if not 0 <= v <= 1:
                raise ValueError(f"{name} must be in [0, 1], got {v!r}")
        t = self.table
        assigning = t[t["noise_share"] <= max_noise]
        ok = assigning[assigning["stability"] >= min_stability]
        if not ok.empty:
            return str(ok["silhouette"].idxmax())
        return str((assigning if not assigning.empty else t)["stability"].idxmax())


def compare_segmenters(
    X: Any,
    *,
    k: int,
    methods: Sequence[str] = _METHODS,
    n_resamples: int = 6,
    fraction: float = 0.8,
    min_cluster_size: int | None = None,
    silhouette_sample: int | None = 2000,
    seed: int = 0,
) -> SegmenterComparison:
    """Compare segmentation methods by size, noise, silhouette and subsample stability.

    Parameters
    ----------
    X : array-like of shape (n, d)
        Scaled numeric features.
    k : int
        Segments for k-means and the mixture (HDBSCAN picks its own).
    methods : sequence of {"kmeans", "gmm", "hdbscan"}
    n_resamples : int, default=6
        Subsample fits per method (at least 2); stability averages all pairs.
    fraction : float, default=0.8
        Share of rows in each subsample, in (0, 1).
    min_cluster_size : int, optional
        Passed to HDBSCAN (see :func:`fit_segmenter`); scaled by ``fraction``
        on subsamples.
    silhouette_sample : int or None, default=2000
        Rows for the silhouette; None = all.
    seed : int, default=0

    Returns
    -------
    SegmenterComparison

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(c, 0.4, (80, 2)) for c in [(0, 0), (4, 0), (0, 4)]])
    >>> cmp = compare_segmenters(X, k=3, methods=["kmeans", "hdbscan"], n_resamples=3)
    >>> cmp.table[["n_segments", "stability"]].round(2)
             n_segments  stability
    method
    kmeans            3        1.0
    hdbscan           3        1.0
    """
    arr = check_matrix(X)
    if len(arr) < 3:
        raise ValueError(f"X must have at least 3 rows, got {len(arr)}")
    methods = list(methods)
    if not methods or any(m not in _METHODS for m in methods):
        raise ValueError(f"methods must be a non-empty list from {list(_METHODS)}, got {methods}")
    if (
        isinstance(n_resamples, bool)
        or not isinstance(n_resamples, (int, np.integer))
        or n_resamples < 2
    ):
        raise ValueError(f"n_resamples must be an integer >= 2, got {n_resamples!r}")
    if not 0 < fraction < 1:
        raise ValueError(f"fraction must be in (0, 1), got {fraction!r}")
    n = len(arr)
    m = int(round(fraction * n))
    if m < 3:
        raise ValueError(f"fraction * n_rows must be at least 3, got {m}")
    rng = np.random.default_rng(seed)
    subsets = [np.sort(rng.choice(n, m, replace=False)) for _ in range(n_resamples)]
    sample = None if silhouette_sample is None or silhouette_sample >= n else silhouette_sample
    rows, labels, pair_aris, resample_labels = {}, {}, {}, {}
    for method in methods:
        lab = fit_segmenter(arr, method=method, k=k, min_cluster_size=min_cluster_size, seed=seed)
        assigned = lab >= 0
        n_seg = len(np.unique(lab[assigned]))
        sil = float("nan")
        if 1 < n_seg < assigned.sum():
            size = None if sample is None or sample >= assigned.sum() else sample
            sil = float(
                silhouette_score(arr[assigned], lab[assigned], sample_size=size, random_state=seed)
            )
        sub_mcs = None
        if min_cluster_size is not None:
            sub_mcs = max(2, int(round(min_cluster_size * fraction)))
        fits = []
        for b, idx in enumerate(subsets):
            sub = fit_segmenter(
                arr[idx], method=method, k=k, min_cluster_size=sub_mcs, seed=seed + 1 + b
            )
            full = np.full(n, -2)
            full[idx] = sub
            fits.append(full)
        aris = []
        for a, b in itertools.combinations(fits, 2):
            both = (a > -2) & (b > -2)
            aris.append(float(adjusted_rand_score(a[both], b[both])))
        rows[method] = {
            "n_segments": n_seg,
            "noise_share": float(1 - assigned.mean()),
            "silhouette": sil,
            "stability": float(np.mean(aris)),
            "stability_low": float(np.quantile(aris, 0.1)),
        }
        labels[method], pair_aris[method] = lab, aris
        resample_labels[method] = np.vstack(fits)
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "method"
    return SegmenterComparison(
        table=table, labels=labels, pair_aris=pair_aris, resample_labels=resample_labels
    )


def name_segments(
    profile: pd.DataFrame, *, rules: Mapping[str, Mapping[str, float]]
) -> dict[Any, str]:
    """Name segments after personas by stated rules, one persona per segment.

    Each persona's rule is a set of weights on profile columns, e.g.
    ``{"monetary": 1, "frequency": 1}`` for high-value loyal customers. The
    profile columns are standardized across segments (z-scores of the segment
    means), each segment gets a score per persona (the weighted sum), and the
    names are the one-to-one assignment that maximizes the total score
    (Hungarian algorithm). With more segments than personas, each remaining
    segment takes its best-scoring persona (a persona split in two segments
    gets one name, and one campaign).

    Parameters
    ----------
    profile : pandas.DataFrame
        One row per segment (index = segment label), numeric columns (e.g.
        segment means in original units).
    rules : mapping
        Persona name to ``{column: weight}``.

    Returns
    -------
    dict
        Segment label to persona name.

    Examples
    --------
    >>> prof = pd.DataFrame({"monetary": [20.0, 130.0, 60.0], "visits": [9.0, 10.0, 1.0]},
    ...                     index=[0, 1, 2])
    >>> name_segments(prof, rules={"big spenders": {"monetary": 1},
    ...                            "bargain hunters": {"monetary": -1, "visits": 1},
    ...                            "gone quiet": {"visits": -1}})
    {0: 'bargain hunters', 1: 'big spenders', 2: 'gone quiet'}
    """
    if not isinstance(profile, pd.DataFrame):
        raise TypeError(f"profile must be a pandas DataFrame, got {type(profile).__name__}")
    if len(profile) < 2:
        raise ValueError(f"profile must have at least 2 segments (rows), got {len(profile)}")
    if not isinstance(rules, Mapping) or not rules:
        raise ValueError(f"rules must be a non-empty mapping of persona -> weights, got {rules!r}")
    used = sorted({c for w in rules.values() for c in w})
    missing = [c for c in used if c not in profile.columns]
    if missing:
        raise ValueError(f"rules use columns missing from profile: {missing}")
    bad = [c for c in used if not pd.api.types.is_numeric_dtype(profile[c])]
    if bad:
        raise TypeError(
            f"profile must be numeric in the columns the rules use, got non-numeric {bad}"
        )
    values = profile[used].to_numpy(dtype=float, na_value=np.nan)
    if not np.isfinite(values).all():
        raise ValueError("profile must be finite in the columns the rules use, got NaN or inf")
    sd = values.std(axis=0)
    z = (values - values.mean(axis=0)) / np.where(sd > 0, sd, 1.0)
    weights = np.array([[float(w.get(c, 0.0)) for c in used] for w in rules.values()])
    score = z @ weights.T  # segments x personas
    seg_idx, persona_idx = linear_sum_assignment(-score)
    personas = list(rules)
    best = score.argmax(axis=1)
    names = {label: personas[best[i]] for i, label in enumerate(profile.index)}
    for s, p in zip(seg_idx, persona_idx, strict=True):
        names[profile.index[s]] = personas[p]
    return names
