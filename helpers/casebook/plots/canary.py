"""Plot a canary release's sequential test (mirrors :mod:`casebook.monitoring.canary`).

* :func:`plot_canary` -- the log-likelihood ratio of one or more canaries
  against the SPRT's roll-back and promote boundaries, each stop marked.

Okabe-Ito colours (colour-blind safe), and each path has its own line style.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

from casebook.monitoring.canary import CanaryResult

__all__ = ["plot_canary"]

_COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
_STYLES = ("-", "--", "-.", ":")


def plot_canary(
    results: CanaryResult | Sequence[CanaryResult],
    *,
    labels: Sequence[str] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Draw each canary's log-likelihood ratio up to its decision, with the boundaries.

    Parameters
    ----------
    results : CanaryResult or sequence of CanaryResult
        From :func:`casebook.monitoring.canary.canary_test`, all with the same
        rule and boundaries.
    labels : sequence of str, optional
        One legend label per result (default ``"canary 1"``, ...).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import numpy as np
    >>> from casebook.monitoring.canary import canary_test
    >>> r = canary_test(np.random.default_rng(0).random(2000) < 0.15, baseline=0.1, worse=0.13)
    >>> plot_canary(r).get_title()
    'Canary release: sequential test on the challenger'
    """
    if isinstance(results, CanaryResult):
        results = [results]
    if isinstance(results, (str, bytes)) or not isinstance(results, Sequence) or not results:
        raise TypeError(
            f"results must be a CanaryResult or a non-empty sequence of them, got {results!r}"
        )
    bad = [type(r).__name__ for r in results if not isinstance(r, CanaryResult)]
    if bad:
        raise TypeError(f"results must hold CanaryResult objects, got {bad}")
    if len({(r.rule, r.upper, r.lower) for r in results}) > 1:
        raise ValueError("results must share one rule and its boundaries, got a mix")
    if labels is None:
        labels = [f"canary {i + 1}" for i in range(len(results))]
    if isinstance(labels, str) or len(labels) != len(results):
        raise ValueError(f"labels must hold one label per result ({len(results)}), got {labels!r}")
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.8))
    first = results[0]
    for i, (r, label) in enumerate(zip(results, labels, strict=True)):
        color, style = _COLORS[i % len(_COLORS)], _STYLES[i % len(_STYLES)]
        n = r.n_requests
        ax.plot(range(1, n + 1), r.llr[:n], color=color, ls=style, lw=1.4,
                label=f"{label}: {r.decision} after {n:,}")  # fmt: skip
        ax.plot([n], [r.llr[n - 1]], marker="o", color=color, ms=6)
    if first.rule == "sprt":
        ax.axhline(first.upper, color="black", lw=1)
        ax.axhline(first.lower, color="black", lw=1, ls="--")
        for level, text in ((first.upper, "roll back"), (first.lower, "promote")):
            ax.annotate(text, (1.01, level), xycoords=("axes fraction", "data"),
                        ha="left", va="center", fontsize=8)  # fmt: skip
    else:
        ax.axvline(first.horizon, color="black", lw=1, ls="--", label="fixed horizon")
    ax.axhline(0, color="0.6", lw=0.6)
    ax.set(
        xlabel="challenger requests with a known outcome",
        ylabel="log-likelihood ratio (worse vs baseline)",
        title="Canary release: sequential test on the challenger",
    )
    ax.legend(fontsize=8, loc="best")
    return ax
