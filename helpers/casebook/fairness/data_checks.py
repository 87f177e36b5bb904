"""Data checks that come before any model: proxies and label bias.

* :func:`proxy_strength` -- how well each feature, alone, tells the protected
  groups apart (AUC: 0.5 = carries nothing, 1.0 = a perfect stand-in). Dropping
  the protected column ("fairness through unawareness") does nothing if a proxy
  stays in.
* :func:`conditional_rate_gap` -- the gap in outcome rates between two groups,
  raw and within strata of legitimate factors (a weighted within-stratum
  difference). A gap that survives among people who are alike on education,
  occupation and hours suggests the label itself carries the bias the model
  will learn.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from casebook._validation.binary import encode_binary

__all__ = ["conditional_rate_gap", "proxy_strength"]


def _binary_group(sensitive: Any, positive: Any, n: int) -> np.ndarray:
    s = np.asarray(sensitive, dtype=object)
    if len(s) != n:
        raise ValueError(f"sensitive must have one value per row ({n}), got {len(s)}")
    if pd.isna(s).any():
        raise ValueError(f"sensitive has {int(pd.isna(s).sum())} missing value(s)")
    if positive not in set(s):
        raise ValueError(
            f"positive must be a value of sensitive {sorted(set(map(str, s)))!r}, got {positive!r}"
        )
    out = s == positive
    if out.all():
        raise ValueError("sensitive must contain at least two groups, got one")
    return out


def proxy_strength(features: pd.DataFrame, sensitive: Any, *, positive: Any) -> pd.DataFrame:
    """AUC with which each feature alone separates ``positive`` from the other groups.

    Numeric features are used as scores directly; a categorical feature is
    scored by the share of ``positive`` within each of its categories (missing
    values form their own category). The AUC is folded to ``max(auc, 1 - auc)``
    so direction does not matter. In-sample, so slightly optimistic for
    features with many rare categories.

    Parameters
    ----------
    features : pandas.DataFrame
    sensitive : array-like
        Protected attribute, one value per row.
    positive : object
        The group to separate from the rest, e.g. ``"Female"``.

    Returns
    -------
    pandas.DataFrame
        Index: feature; columns ``auc`` and ``kind``; sorted by ``auc``, strongest first.

    Examples
    --------
    >>> X = pd.DataFrame({"role": ["wife", "wife", "husband", "husband"], "noise": [1, 2, 2, 1]})
    >>> proxy_strength(X, ["f", "f", "m", "m"], positive="f")["auc"].tolist()
    [1.0, 0.5]
    """
    if not isinstance(features, pd.DataFrame):
        raise TypeError(f"features must be a pandas DataFrame, got {type(features).__name__}")
    target = _binary_group(sensitive, positive, len(features))
    rows = []
    for col in features.columns:
        x = features[col]
        if pd.api.types.is_numeric_dtype(x) and not pd.api.types.is_bool_dtype(x):
            score = x.to_numpy(dtype=float)
            ok = np.isfinite(score)
            kind = "numeric"
        else:
            key = x.astype(object).where(x.notna(), "<missing>").astype(str)
            score = pd.Series(target.astype(float)).groupby(key.to_numpy()).transform("mean")
            score = score.to_numpy()
            ok = np.ones(len(score), dtype=bool)
            kind = "categorical"
        auc = roc_auc_score(target[ok], score[ok]) if len(set(target[ok])) == 2 else np.nan
        rows.append({"feature": col, "auc": max(auc, 1 - auc), "kind": kind})
    return pd.DataFrame(rows).set_index("feature").sort_values("auc", ascending=False)


def conditional_rate_gap(
    y_true: Any, sensitive: Any, *, positive: Any, strata: pd.DataFrame
) -> dict[str, float]:
    """Outcome-rate gap between the other groups and ``positive``: raw and within strata.

    The adjusted gap averages the within-stratum gaps ``rate(others) -
    rate(positive)``, weighting each stratum by its number of ``positive``
    members; strata missing either side are skipped and their share reported.

    Returns
    -------
    dict
        ``raw_gap``, ``adjusted_gap`` and ``share_compared`` (fraction of the
        ``positive`` group in strata where both sides are present).

    Examples
    --------
    >>> y = [1, 0, 1, 1, 0, 0, 1, 0]
    >>> g = ["m", "f", "m", "m", "f", "f", "m", "f"]
    >>> job = pd.DataFrame({"job": ["a", "a", "b", "b", "a", "b", "a", "b"]})
    >>> conditional_rate_gap(y, g, positive="f", strata=job)
    {'raw_gap': 1.0, 'adjusted_gap': 1.0, 'share_compared': 1.0}
    """
    t = encode_binary(y_true, name="y_true").astype(float)
    if not isinstance(strata, pd.DataFrame) or len(strata) != len(t):
        raise ValueError(f"strata must be a DataFrame with one row per label ({len(t)})")
    target = _binary_group(sensitive, positive, len(t))
    key = pd.MultiIndex.from_frame(strata.astype(str)).codes  # one code array per column
    frame = pd.DataFrame({f"k{i}": c for i, c in enumerate(key)})
    frame["pos"], frame["y"] = target, t
    cols = [c for c in frame.columns if c.startswith("k")]
    rates = frame.groupby([*cols, "pos"])["y"].agg(["mean", "size"]).unstack("pos")
    both = rates["size"].notna().all(axis=1)
    w = rates.loc[both, ("size", True)]
    gaps = rates.loc[both, ("mean", False)] - rates.loc[both, ("mean", True)]
    return {
        "raw_gap": float(t[~target].mean() - t[target].mean()),
        "adjusted_gap": float(np.average(gaps, weights=w)) if len(w) else float("nan"),
        "share_compared": float(w.sum() / target.sum()),
    }
