"""Calibration within groups: observed outcome rate per score bin, per group."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from casebook._validation.binary import check_same_length, check_scores, encode_binary
from casebook.fairness.groups import encode_groups

__all__ = ["calibration_by_group"]


def calibration_by_group(
    y_true: Any,
    y_prob: Any,
    *,
    sensitive_features: Any,
    n_bins: int = 10,
    strategy: Literal["uniform", "quantile"] = "uniform",
) -> pd.DataFrame:
    """Observed outcome rate per score bin, within each group.

    A model is calibrated within groups when, in every group, people with a
    score near ``s`` have outcome rate near ``s``. Bins are ``n_bins`` equal
    widths on [0, 1] (``"uniform"``) or pooled score quantiles
    (``"quantile"``), shared by all groups; empty (group, bin) cells are
    left out rather than reported as 0.

    Returns
    -------
    pandas.DataFrame
        Columns: the group column(s), ``bin``, ``n``, ``mean_score``,
        ``observed_rate``, and ``gap = observed_rate - mean_score``.

    Examples
    --------
    >>> cal = calibration_by_group([0, 1, 0, 1], [0.2, 0.8, 0.3, 0.7],
    ...                            sensitive_features=["a", "a", "b", "b"], n_bins=2)
    >>> cal[["group", "bin", "n", "observed_rate"]].to_dict("records")[:2]
    [{'group': 'a', 'bin': 0, 'n': 1, 'observed_rate': 0.0}, {'group': 'a', 'bin': 1, 'n': 1, 'observed_rate': 1.0}]
    """
    t = encode_binary(y_true, name="y_true")
    s = check_scores(y_prob, name="y_prob", probability=True)
    n = check_same_length(y_true=t, y_prob=s)
    if isinstance(n_bins, bool) or not isinstance(n_bins, (int, np.integer)) or n_bins < 1:
        raise ValueError(f"n_bins must be a positive int, got {n_bins!r}")
    if strategy == "uniform":
        edges = np.linspace(0.0, 1.0, n_bins + 1)
    elif strategy == "quantile":
        edges = np.unique(np.quantile(s, np.linspace(0, 1, n_bins + 1)))
    else:
        raise ValueError(f"strategy must be 'uniform' or 'quantile', got {strategy!r}")
    nb = len(edges) - 1
    bins = np.clip(np.searchsorted(edges, s, side="right") - 1, 0, nb - 1)
    codes, index = encode_groups(sensitive_features, n=n)
    cell = codes * nb + bins
    size = len(index) * nb
    count = np.bincount(cell, minlength=size)
    pos = np.bincount(cell, weights=t.astype(float), minlength=size)
    ssum = np.bincount(cell, weights=s, minlength=size)
    keep = count > 0
    g, b = np.divmod(np.flatnonzero(keep), nb)
    out = index[g].to_frame(index=False)
    out["bin"] = b
    out["n"] = count[keep]
    out["mean_score"] = ssum[keep] / count[keep]
    out["observed_rate"] = pos[keep] / count[keep]
    out["gap"] = out["observed_rate"] - out["mean_score"]
    return out
