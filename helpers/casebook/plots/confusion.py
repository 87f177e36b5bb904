"""Plots for error analysis: confusion heatmaps, error taxonomies, error slices.

Every function draws on ``ax`` (a new figure when ``None``), sets a title and
axis labels, and returns the Axes. Nothing here changes global settings.
"""

from __future__ import annotations

from typing import Literal

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from casebook._validation.arrays import plain_frame
from casebook.decisions.confusion import ConfusionTable

__all__ = ["plot_confusion", "plot_error_slices", "plot_taxonomy"]


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def plot_confusion(
    table: ConfusionTable | pd.DataFrame,
    *,
    normalize: Literal["none", "true"] = "none",
    title: str | None = None,
    cmap: str = "Blues",
    colorbar: bool = True,
    ax: Axes | None = None,
) -> Axes:
    """Heatmap of a confusion matrix in counts or in row-normalised rates.

    Parameters
    ----------
    table : ConfusionTable or pandas.DataFrame
        From :func:`casebook.decisions.confusion.confusion_table`, or a square counts
        frame (rows true, columns predicted).
    normalize : {"none", "true"}, default="none"
        ``"none"`` shows counts; ``"true"`` shows each row as shares of the
        true class (the diagonal is then the recall), annotated with the count.
    title : str, optional
        Defaults to "Confusion matrix (counts)" or "(rates by true class)".
    cmap : str, default="Blues"
        Colour map.
    colorbar : bool, default=True
        Draw a colour bar.
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from casebook.decisions.confusion import confusion_table
    >>> t = confusion_table(["a", "b", "b"], ["a", "a", "b"], labels=["a", "b"])
    >>> ax = plot_confusion(t, normalize="true")
    >>> ax.get_xlabel(), ax.get_title()
    ('predicted class', 'Confusion matrix (rates by true class)')
    >>> plt.close("all")
    """
    if normalize not in ("none", "true"):
        raise ValueError(f"normalize must be 'none' or 'true', got {normalize!r}")
    if isinstance(table, ConfusionTable):
        counts = table.counts
    elif isinstance(table, pd.DataFrame) and table.shape[0] == table.shape[1] > 0:
        counts = table
    else:
        raise TypeError(
            "table must be a ConfusionTable or a square counts DataFrame, "
            f"got {type(table).__name__}"
        )
    values = counts.to_numpy(dtype=float)
    row = values.sum(axis=1, keepdims=True)
    if normalize == "true":
        with np.errstate(invalid="ignore", divide="ignore"):
            shown = np.where(row > 0, values / np.where(row > 0, row, 1), np.nan)
        vmax = 1.0
    else:
        shown, vmax = values, max(values.max(), 1.0)
    k = len(counts)
    ax = _axes(ax, (1.1 * k + 2.5, 0.9 * k + 1.8))
    image = ax.imshow(shown, cmap=cmap, vmin=0, vmax=vmax, aspect="auto")
    for i in range(k):
        for j in range(k):
            if normalize == "true":
                text = (
                    "n/a" if np.isnan(shown[i, j]) else f"{shown[i, j]:.0%}\n({int(values[i, j])})"
                )
            else:
                text = f"{int(values[i, j]):,}"
            level = 0.0 if np.isnan(shown[i, j]) else shown[i, j] / vmax
            ax.text(
                j,
                i,
                text,
                ha="center",
                va="center",
                fontsize=9,
                color="white" if level > 0.55 else "black",
            )
    labels = [str(x) for x in counts.columns]
    ax.set_xticks(range(k), labels, rotation=30 if k > 3 else 0, ha="right" if k > 3 else "center")
    ax.set_yticks(range(k), [str(x) for x in counts.index])
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.grid(False)
    if title is None:
        title = (
            "Confusion matrix ("
            + ("counts" if normalize == "none" else "rates by true class")
            + ")"
        )
    ax.set_title(title)
    if colorbar:
        ax.figure.colorbar(
            image,
            ax=ax,
            fraction=0.046,
            pad=0.04,
            label="count" if normalize == "none" else "share of true class",
        )
    return ax


def plot_taxonomy(
    taxonomy: pd.DataFrame,
    *,
    title: str = "Error taxonomy",
    xlabel: str = "number of errors",
    ax: Axes | None = None,
) -> Axes:
    """Horizontal bars of an error taxonomy, largest category on top, shares annotated.

    Parameters
    ----------
    taxonomy : pandas.DataFrame
        From :func:`casebook.error_analysis.taxonomy.error_taxonomy` (columns ``count`` and ``share``).
    title, xlabel : str
        Labels.
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Raises
    ------
    ValueError
        If ``taxonomy`` is not a frame with ``count`` and ``share`` columns,
        has a missing count, or has no rows.

    Examples
    --------
    >>> tax = pd.DataFrame({"count": [3, 1], "share": [0.75, 0.25]}, index=["a", "other"])
    >>> ax = plot_taxonomy(tax)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['other', 'a']
    >>> plt.close("all")
    """
    taxonomy = plain_frame(taxonomy)  # nullable / Arrow columns: pd.NA behaves like NaN
    if not isinstance(taxonomy, pd.DataFrame) or not {"count", "share"} <= set(taxonomy.columns):
        raise ValueError("taxonomy must be a DataFrame with 'count' and 'share' columns")
    if taxonomy.empty:
        raise ValueError(
            "taxonomy must have at least one category row, got 0 rows "
            "(error_taxonomy always lists the 'other' bucket)"
        )
    if taxonomy["count"].isna().any():
        raise ValueError("taxonomy['count'] must have no missing values, got missing counts")
    data = taxonomy.sort_values("count", ascending=True, kind="stable")
    counts = data["count"].to_numpy(dtype=float)
    shares = data["share"].to_numpy(dtype=float, na_value=np.nan)  # NaN share: no percentage
    ax = _axes(ax, (7, 0.45 * len(data) + 1.5))
    y = np.arange(len(data))
    colors = ["0.6" if str(i) == "other" else "C0" for i in data.index]
    ax.barh(y, counts, color=colors)
    for yi, (count, share) in enumerate(zip(counts, shares, strict=True)):
        label = f" {int(count)}" + ("" if np.isnan(share) else f" ({share:.0%})")
        ax.text(count, yi, label, va="center", fontsize=9)
    ax.set_yticks(y, [str(i) for i in data.index])
    ax.set_xlim(0, max(float(counts.max()), 1.0) * 1.25)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("category")
    ax.set_title(title)
    return ax


def plot_error_slices(
    slices: pd.DataFrame,
    *,
    overall: float | None = None,
    top: int = 10,
    title: str = "Where errors concentrate",
    ax: Axes | None = None,
) -> Axes:
    """Horizontal bars of slice error rates, highest lift on top, sizes annotated.

    Parameters
    ----------
    slices : pandas.DataFrame
        From :func:`casebook.error_analysis.slices.slice_error_rates` or ``find_error_slices``.
    overall : float, optional
        Overall error rate, drawn as a dashed reference line.
    top : int, default=10
        Number of slices shown.
    title : str
        Title.
    ax : matplotlib.axes.Axes, optional
        Where to draw.

    Raises
    ------
    ValueError
        If ``slices`` lacks a needed column, has missing values in one or no
        rows, or ``top`` is not a positive integer.

    Examples
    --------
    >>> s = pd.DataFrame({"feature": ["g", "g"], "slice": ["a", "b"], "n": [50, 50],
    ...                   "error_rate": [0.4, 0.1], "lift": [1.6, 0.4]})
    >>> ax = plot_error_slices(s, overall=0.25)
    >>> ax.get_xlabel()
    'error rate in slice'
    >>> plt.close("all")
    """
    slices = plain_frame(slices)  # nullable / Arrow columns: pd.NA behaves like NaN
    needed = {"feature", "slice", "n", "error_rate", "lift"}
    if not isinstance(slices, pd.DataFrame) or not needed <= set(slices.columns):
        raise ValueError(f"slices must be a DataFrame with columns {sorted(needed)}")
    if slices.empty:
        raise ValueError(
            "slices must have at least one slice row, got 0 rows "
            "(no slice reached min_support? lower it or use more data)"
        )
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1:
        raise ValueError(f"top must be a positive integer, got {top!r}")
    gaps = sorted(c for c in needed if slices[c].isna().any())
    if gaps:
        raise ValueError(f"slices must have no missing values, got missing values in {gaps}")
    data = slices.head(top).iloc[::-1]
    ax = _axes(ax, (8, 0.45 * len(data) + 1.5))
    y = np.arange(len(data))
    ax.barh(y, data["error_rate"], color="C3")
    for yi, (rate, n, lift) in enumerate(
        zip(data["error_rate"], data["n"], data["lift"], strict=True)
    ):
        extra = "" if pd.isna(lift) else f", lift {lift:.1f}x"
        ax.text(rate, yi, f" n={int(n)}{extra}", va="center", fontsize=9)
    names = [
        " & ".join(
            f"{name} = {value}" for name, value in zip(f.split(" & "), s.split(" & "), strict=False)
        )
        for f, s in zip(data["feature"].astype(str), data["slice"].astype(str), strict=True)
    ]
    ax.set_yticks(y, names)
    if overall is not None:
        ax.axvline(overall, color="0.3", linestyle="--", label=f"overall {overall:.1%}")
        ax.legend(loc="lower right")
    xmax = float(data["error_rate"].max()) if len(data) else 1.0
    ax.set_xlim(0, max(xmax, overall or 0.0) * 1.35 or 1.0)
    ax.set_xlabel("error rate in slice")
    ax.set_ylabel("slice")
    ax.set_title(title)
    return ax
