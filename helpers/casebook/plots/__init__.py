"""Plotting helpers: each ``plot_x(..., *, ax=None) -> Axes``; no rcParams changes on import.

Lives here: one module per toolkit area, mirroring its names (``plots.costs`` draws ``decisions.costs``).
May import: the toolkit; the toolkit never imports plots (the one exception: tracking logs figures, so it sits above plots), the course may.

Import the plot functions from their submodules, e.g.
``from casebook.plots.confusion import plot_confusion``. Importing this
package changes nothing; call :func:`use_theme` to opt in to the casebook's
look for the rest of the session.
"""

from __future__ import annotations

__all__ = ["use_theme"]


def use_theme(*, font_scale: float = 1.0) -> None:
    """Opt in to the casebook's plotting style (seaborn ``whitegrid``, readable sizes).

    This changes matplotlib's global rcParams for the rest of the session,
    which is why it is never done on import.

    Parameters
    ----------
    font_scale : float, default=1.0
        Multiplier for every font size.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> with mpl.rc_context():
    ...     use_theme(font_scale=1.2)
    ...     mpl.rcParams["axes.spines.top"]
    False
    """
    if isinstance(font_scale, bool) or not isinstance(font_scale, (int, float)) or font_scale <= 0:
        raise ValueError(f"font_scale must be a positive number, got {font_scale!r}")
    import seaborn as sns

    sns.set_theme(
        context="notebook",
        style="whitegrid",
        palette="colorblind",
        font_scale=font_scale,
        rc={
            "axes.spines.top": False,
            "axes.spines.right": False,
            "figure.dpi": 100,
            "axes.titleweight": "bold",
        },
    )
