"""Customer segmentation: choose k, fit segments, and describe them in plain words.

Segments are only useful if they are (1) separated, (2) *stable* - refit on a
slightly different sample, the same customers land together again - and (3)
readable by the people who will act on them. :func:`choose_k` scores each
candidate k by the silhouette and by stability (mean adjusted Rand index
between fits on bootstrap resamples, all evaluated on the same rows);
:func:`segment_profiles` and :func:`describe_segments` turn labels into a table
and sentences a marketer can read; :func:`segment_rates` gives an outcome rate
(e.g. churn) per segment with a Wilson interval.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, silhouette_score
from sklearn.mixture import GaussianMixture

__all__ = [
    "KSelection",
    "choose_k",
    "describe_segments",
    "fit_segments",
    "segment_profiles",
    "segment_rates",
]

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
    if not isinstance(n_bootstrap, int) or n_bootstrap < 2:
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


def _check_labels(labels: Any, n: int) -> np.ndarray:
    lab = np.asarray(labels)
    if lab.shape != (n,):
        raise ValueError(
            f"labels must have one entry per row of frame ({n}), got shape {lab.shape}"
        )
    if n == 0:
        raise ValueError("frame and labels must have at least one row, got none")
    if pd.isna(lab).any():
        raise ValueError(
            "labels must not contain NaN or missing values (every row needs a segment)"
        )
    return lab


def segment_profiles(frame: pd.DataFrame, labels: Any) -> pd.DataFrame:
    """Per-segment profile: size, numeric means and categorical modes vs overall.

    Parameters
    ----------
    frame : pandas.DataFrame
        The customers in *original* units (not scaled), one row per label.
    labels : array-like of int
        Segment of each row.

    Returns
    -------
    pandas.DataFrame
        One row per segment plus a final ``"all"`` row. Columns ``n`` and
        ``share``; for each numeric column its mean; for each other column
        ``<col>`` (the most common value) and ``<col>_share`` (how common it
        is within the segment).

    Examples
    --------
    >>> df = pd.DataFrame({"tenure": [1, 2, 30, 40, 50], "plan": ["m", "m", "y", "y", "m"]})
    >>> segment_profiles(df, [0, 0, 1, 1, 1])[["n", "tenure", "plan", "plan_share"]].round(2)
         n  tenure plan  plan_share
    0    2     1.5    m        1.00
    1    3    40.0    y        0.67
    all  5    24.6    m        0.60
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    lab = _check_labels(labels, len(frame))
    groups: list[tuple[Any, pd.DataFrame]] = [
        (seg, frame[lab == seg]) for seg in np.unique(lab)
    ] + [("all", frame)]
    numeric = frame.select_dtypes("number").columns
    rows = {}
    for seg, part in groups:
        row: dict[str, Any] = {"n": len(part), "share": len(part) / len(frame)}
        for col in frame.columns:
            if col in numeric:
                row[col] = float(part[col].mean())
            else:
                counts = part[col].value_counts(dropna=False)
                row[col] = counts.index[0]
                row[f"{col}_share"] = float(counts.iloc[0] / len(part))
        rows[seg] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index = [str(i) if i == "all" else int(i) for i in out.index]
    return out


def describe_segments(
    frame: pd.DataFrame,
    labels: Any,
    *,
    top: int = 3,
    min_share: float = 0.5,
    units: dict[str, str] | None = None,
) -> dict[int, str]:
    """One plain-words sentence per segment: its size and most distinctive traits.

    Traits are ranked on one scale, the standardized difference from the
    overall population: for a numeric column ``(segment mean - overall
    mean) / overall std``; for a categorical value that at least ``min_share``
    of the segment has, ``(segment share - overall share) / sqrt(p (1 - p))``
    with ``p`` the overall share (the same statistic for a 0/1 indicator).

    Parameters
    ----------
    frame : pandas.DataFrame
        Customers in original units, one row per label.
    labels : array-like of int
        Segment of each row.
    top : int, default=3
        Traits per sentence.
    min_share : float, default=0.5
        A categorical value is described only if at least this share of the
        segment has it ("mostly ...").
    units : dict, optional
        Unit suffix per numeric column, e.g. ``{"tenure": " months"}``.

    Returns
    -------
    dict
        Segment label to sentence.

    Examples
    --------
    >>> df = pd.DataFrame({"tenure": [1, 2, 30, 40], "plan": ["m", "m", "y", "y"]})
    >>> describe_segments(df, [0, 0, 1, 1], top=2)[0]
    'Segment 0 (50% of customers): plan mostly m (100% vs 50% overall); tenure low (1.5 vs 18.2 overall).'
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    lab = _check_labels(labels, len(frame))
    if not isinstance(top, int) or top < 1:
        raise ValueError(f"top must be a positive integer, got {top!r}")
    if not 0 < min_share <= 1:
        raise ValueError(f"min_share must be in (0, 1], got {min_share!r}")
    units = units or {}
    numeric = set(frame.select_dtypes("number").columns)
    out = {}
    for seg in np.unique(lab):
        part = frame[lab == seg]
        traits: list[tuple[float, str]] = []
        for col in frame.columns:
            if col in numeric:
                sd = float(frame[col].std(ddof=0))
                m_seg, m_all = float(part[col].mean()), float(frame[col].mean())
                if sd == 0 or np.isnan(m_seg):
                    continue
                d = (m_seg - m_all) / sd
                u = units.get(col, "")
                word = "high" if d > 0 else "low"
                traits.append((abs(d), f"{col} {word} ({m_seg:.3g}{u} vs {m_all:.3g}{u} overall)"))
            else:
                seg_share = part[col].value_counts(normalize=True, dropna=False)
                all_share = frame[col].value_counts(normalize=True, dropna=False)
                for value, s in seg_share.items():
                    p = float(all_share[value])
                    if s < min_share or p >= 1:
                        continue
                    d = (float(s) - p) / np.sqrt(p * (1 - p))
                    traits.append((d, f"{col} mostly {value} ({s:.0%} vs {p:.0%} overall)"))
        traits.sort(key=lambda t: -t[0])
        text = "; ".join(t for _, t in traits[:top])
        out[int(seg)] = f"Segment {seg} ({len(part) / len(frame):.0%} of customers): {text}."
    return out


def segment_rates(
    y: Any, labels: Any, *, positive: Any = 1, confidence: float = 0.95
) -> pd.DataFrame:
    """Outcome rate per segment with a Wilson score interval.

    Parameters
    ----------
    y : array-like
        Outcomes; ``positive`` marks the event (e.g. churn = "Yes").
    labels : array-like
        Segment of each row.
    positive : object, default=1
    confidence : float, default=0.95

    Returns
    -------
    pandas.DataFrame
        Indexed by segment (plus ``"all"``): ``n``, ``events``, ``rate``,
        ``low``, ``high``, ``lift`` (rate / overall rate).

    Examples
    --------
    >>> segment_rates([1, 0, 0, 0, 1, 1], [0, 0, 0, 1, 1, 1])[["n", "rate", "lift"]].round(2)
         n  rate  lift
    0    3  0.33  0.67
    1    3  0.67  1.33
    all  6  0.50  1.00
    """
    yy = np.asarray(y)
    lab = np.asarray(labels)
    if yy.shape != lab.shape or yy.ndim != 1 or len(yy) == 0:
        raise ValueError(
            f"y and labels must be 1-D with the same non-zero length, got {yy.shape} and {lab.shape}"
        )
    _check_labels(lab, len(lab))
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence!r}")
    event = (yy == positive).astype(int)
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    rows = {}
    for seg in [*np.unique(lab), "all"]:
        e = event if seg == "all" else event[lab == seg]
        n, k = len(e), int(e.sum())
        p = k / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
        rows[seg if isinstance(seg, str) and seg == "all" else seg.item()] = {
            "n": n,
            "events": k,
            "rate": p,
            "low": min(p, max(0.0, centre - half)),
            "high": max(p, min(1.0, centre + half)),
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out["lift"] = out["rate"] / out.loc["all", "rate"]
    return out
