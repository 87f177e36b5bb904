"""SHAP summary plot for additive per-row explanations (TreeSHAP or exact linear contributions).

Draws what :mod:`casebook.modeling.tree_shap` (and
:func:`casebook.modeling.explain.linear_contributions`) compute.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import Normalize

from casebook._validation.arrays import plain_frame

__all__ = ["plot_shap_summary"]

_CMAP = "cividis"  # sequential, readable with every common colour-vision deficiency
_CATEGORICAL = "#999999"


def plot_shap_summary(
    values: pd.DataFrame,
    X: pd.DataFrame,
    *,
    max_features: int = 10,
    title: str = "SHAP summary: contribution of each feature, one dot per row",
    unit: str = "log-odds",
    seed: int = 0,
    ax: Axes | None = None,
) -> Axes:
    """Beeswarm-style summary: one row per feature, one dot per explained row.

    Features are sorted by mean absolute contribution (largest on top, the
    global ranking); each dot is one row's contribution (its local reason).
    Numeric features are coloured by the row's value (rank within the
    feature, dark = low, light = high, ``cividis``); other features in grey.

    Parameters
    ----------
    values : pandas.DataFrame
        Contributions, one column per feature (``Contributions.values``).
    X : pandas.DataFrame
        The explained rows: same index, and a column for each feature.
    max_features : int, default=10
        Show the features with the largest mean absolute contribution.
    title, unit : str
        Axes title; unit of the contributions for the x label.
    seed : int, default=0
        Seed of the vertical jitter.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> values = pd.DataFrame({"a": [0.5, -0.2, 0.1], "c": [0.0, 0.3, -0.1]})
    >>> X = pd.DataFrame({"a": [3.0, 1.0, 2.0], "c": ["x", "y", "x"]})
    >>> ax = plot_shap_summary(values, X)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['c', 'a']
    """
    values, X = plain_frame(values), plain_frame(X)
    if not isinstance(values, pd.DataFrame) or values.empty:
        raise ValueError("values must be a non-empty DataFrame of contributions (rows x features)")
    if not isinstance(X, pd.DataFrame):
        raise TypeError(f"X must be a pandas DataFrame, got {type(X).__name__}")
    if not all(pd.api.types.is_numeric_dtype(t) for t in values.dtypes):
        raise ValueError("values must be numeric contributions, got a non-numeric column")
    if not np.isfinite(values.to_numpy(dtype=float)).all():
        raise ValueError("values must be finite, got NaN or inf")
    missing = [c for c in values.columns if c not in X.columns]
    if missing:
        raise ValueError(f"X must have a column for every feature in values; missing {missing}")
    if not X.index.equals(values.index):
        raise ValueError("X must have the same index as values (the explained rows)")
    if isinstance(max_features, bool) or not isinstance(max_features, (int, np.integer)):
        raise TypeError(f"max_features must be a positive integer, got {max_features!r}")
    if max_features < 1:
        raise ValueError(f"max_features must be a positive integer, got {max_features!r}")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.45 * min(max_features, values.shape[1]) + 1.5))
    order = values.abs().mean().sort_values(ascending=False).index[:max_features][::-1]
    rng = np.random.default_rng(seed)
    norm = Normalize(0.0, 1.0)
    for pos, feat in enumerate(order):
        contrib = values[feat].to_numpy(dtype=float)
        y = pos + rng.uniform(-0.3, 0.3, len(contrib))
        column: Any = X[feat]
        if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            colour = column.rank(pct=True).fillna(0.5).to_numpy()
            ax.scatter(contrib, y, c=colour, cmap=_CMAP, norm=norm, s=8, alpha=0.8, linewidths=0)
        else:
            ax.scatter(contrib, y, color=_CATEGORICAL, s=8, alpha=0.6, linewidths=0)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(range(len(order)), [str(f) for f in order])
    ax.set(
        xlabel=f"contribution to the prediction ({unit}; right raises, left lowers)",
        ylabel="feature (largest mean |contribution| on top)",
        title=title,
        ylim=(-0.6, len(order) - 0.4),
    )
    bar = ax.figure.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=_CMAP), ax=ax, pad=0.01)
    bar.set_ticks([0, 1], labels=["low", "high"])
    bar.set_label("numeric feature value (rank); grey: categorical")
    return ax
