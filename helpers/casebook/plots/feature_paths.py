"""Plots for :mod:`casebook.modeling.feature_paths`: what a drift monitor sees of each skew.

Every function draws on ``ax`` (a new one when None), titles and labels it, and returns it.
"""

from __future__ import annotations

import math
from numbers import Real

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

__all__ = ["plot_skew_psi"]

# Okabe-Ito, safe for the common colour-vision deficiencies
_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
_HATCHES = ("", "//", "..", "xx", "\\\\", "--")


def plot_skew_psi(psi: pd.DataFrame, *, threshold: float = 0.1, ax: Axes | None = None) -> Axes:
    """Grouped horizontal bars: PSI of each feature (rows) under each serving path (columns).

    Parameters
    ----------
    psi : pandas.DataFrame
        Index: feature names; columns: serving paths (e.g. skew variants); values: PSI of
        the served feature against the training feature, finite and >= 0.
    threshold : float, default=0.1
        The monitor's PSI alert threshold, drawn as a dashed line.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> t = pd.DataFrame({"none": [0.01, 0.02], "missing_as_zero": [0.01, 0.4]},
    ...                  index=["a", "b"])
    >>> ax = plot_skew_psi(t)
    >>> ax.get_title()
    'What the drift monitor sees of each serving path'
    >>> plt.close("all")
    """
    if not isinstance(psi, pd.DataFrame):
        raise TypeError(f"psi must be a pandas DataFrame, got {type(psi).__name__}")
    if psi.empty:
        raise ValueError(f"psi must have at least one row and one column, got shape {psi.shape}")
    try:
        values = psi.to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError):
        raise ValueError("psi must hold finite values >= 0, got non-numeric values") from None
    if not np.isfinite(values).all() or (values < 0).any():
        raise ValueError("psi must hold finite values >= 0")
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, Real)
        or not (0 < threshold < math.inf)
    ):
        raise ValueError(f"threshold must be a positive finite number, got {threshold!r}")
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.6 + 0.5 * len(psi) * max(1, psi.shape[1] / 2)))
    n_rows, n_cols = psi.shape
    height = 0.8 / n_cols
    y = np.arange(n_rows)
    for j, col in enumerate(psi.columns):
        ax.barh(y + (j - (n_cols - 1) / 2) * height, values[:, j], height=height,
                color=_COLORS[j % len(_COLORS)], hatch=_HATCHES[j % len(_HATCHES)],
                edgecolor="white", label=str(col))  # fmt: skip
    ax.axvline(threshold, color="black", ls="--", lw=1, label=f"alert threshold {threshold:g}")
    ax.set_yticks(y, [str(i) for i in psi.index])
    ax.invert_yaxis()
    ax.set(
        title="What the drift monitor sees of each serving path",
        xlabel="PSI, served features against training features",
        ylabel="feature",
    )
    ax.legend(title="serving path", fontsize=8, title_fontsize=8, loc="upper right")
    return ax
