"""The error explorer: where a model's errors fall, slice by slice, for two views side by side.

:func:`plot_error_explorer_state` draws one
:class:`~casebook.error_analysis.error_explorer.ErrorExplorerState`: on the left
the chosen rate per slice for each view (bars with 95% Wilson intervals, the
rate over all rows as a dashed line, slice sizes under the slice names, slices
below ``min_support`` faded and hatched); on the right the confusion matrix of
the chosen slice for each view, with its cost in the title.
:func:`error_explorer` draws it statically (``interactive=False``, the
default, for headless runs and HTML reports) or puts the same figure under
ipywidgets controls (``interactive=True``, for JupyterLab): the column to slice
by, the rate shown, the slice whose confusion matrices are shown, a threshold
slider per view and an "Export PNG" button. The mode is an explicit parameter;
nothing here inspects the environment.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np

from casebook._validation.binary import check_scores
from casebook.error_analysis.error_explorer import (
    ALL,
    RATES,
    ErrorExplorerState,
    error_explorer_state,
)
from casebook.plots.explorer import _threshold_options

__all__ = ["error_explorer", "plot_error_explorer_state"]

VIEW_COLORS = ("#0072b2", "#e69f00")  # Okabe-Ito blue and orange: colour-blind-safe
RATE_NAMES = {
    "error_rate": "error rate",
    "fpr": "false positive rate",
    "fnr": "false negative rate",
    "tpr": "true positive rate",
    "precision": "precision",
    "selection_rate": "selection rate",
}
RATE_LABELS = {
    "error_rate": "error rate (FP + FN) / n",
    "fpr": "false positive rate FP / negatives",
    "fnr": "false negative rate FN / positives",
    "tpr": "true positive rate TP / positives",
    "precision": "precision TP / selected",
    "selection_rate": "selection rate (TP + FP) / n",
}


def _wrap(text: str, width: int = 14) -> str:
    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


def _figsize(state: ErrorExplorerState) -> tuple[float, float]:
    """Wide enough for every slice's bars and labels, plus one matrix panel per view."""
    return min(12.0, max(7.5, 0.95 * len(state.slices) + 2.5)) + 3.4 * len(state.names), 5.4


def _ratios(state: ErrorExplorerState) -> dict[str, list[float]]:
    width, _ = _figsize(state)
    bars = (width - 3.4 * len(state.names)) / 3.4
    return {"width_ratios": [bars] + [1.0] * len(state.names)}


def _check_rate(rate: Any) -> str:
    if rate not in RATES:
        raise ValueError(f"rate must be one of {list(RATES)}, got {rate!r}")
    return str(rate)


def _check_slice(state: ErrorExplorerState, slice_: Any) -> str:
    options = [ALL, *state.slices]
    if slice_ not in options:
        raise ValueError(f"slice_ must be one of {options}, got {slice_!r}")
    return str(slice_)


def _draw_rates(ax: Any, state: ErrorExplorerState, rate: str, slice_: str) -> None:
    slices = state.slices
    x = np.arange(len(slices))
    width = 0.8 / len(state.names)
    first = state.tables[state.names[0]].loc[slices]
    small = (first["n"] < state.min_support).to_numpy()
    for i, name in enumerate(state.names):
        t = state.tables[name].loc[slices]
        color = VIEW_COLORS[i]
        values = t[rate].to_numpy(float)
        low, high = t[f"{rate}_low"].to_numpy(float), t[f"{rate}_high"].to_numpy(float)
        offset = x + (i - (len(state.names) - 1) / 2) * width
        bars = ax.bar(offset, np.nan_to_num(values), width, color=color)
        ax.bar([np.nan], [np.nan], color=color, label=name)  # legend swatch: never a faded bar
        for bar, tiny in zip(bars, small, strict=True):
            if tiny:
                bar.set_alpha(0.35)
                bar.set_hatch("//")
        yerr = np.vstack([np.nan_to_num(values - low), np.nan_to_num(high - values)])
        ax.errorbar(offset, np.nan_to_num(values), yerr=yerr, fmt="none", ecolor="black",
                    elinewidth=1, capsize=3)  # fmt: skip
        overall = float(state.tables[name].loc[ALL, rate])
        if np.isfinite(overall):
            ax.axhline(overall, color=color, ls="--", lw=1.2, label=f"all rows: {name}")
    ticks = [f"{_wrap(s)}\nn={int(n):,}" for s, n in zip(slices, first["n"], strict=True)]
    many = len(slices) > 8
    ax.set_xticks(x, ticks, rotation=30 if many else 0, ha="right" if many else "center",
                  fontsize="small")  # fmt: skip
    for tick, s in zip(ax.get_xticklabels(), slices, strict=True):
        if s == slice_:
            tick.set_fontweight("bold")
    if small.any():
        ax.bar([np.nan], [np.nan], color="grey", alpha=0.35, hatch="//",
               label=f"n < {state.min_support} (too few to read)")  # fmt: skip
    ax.set_xlabel(state.by)
    ax.set_ylabel(RATE_LABELS[rate])
    ax.set_title(f"{RATE_NAMES[rate]} by {state.by} (bars: 95% Wilson intervals)")
    top = np.nanmax([state.tables[n][f"{rate}_high"].loc[slices].max() for n in state.names])
    ax.set_ylim(0, min(1.05, 1.5 * top) if np.isfinite(top) and top > 0 else 1.0)
    ax.legend(fontsize="small", loc="upper left", ncol=2, frameon=False)


def _draw_confusion(ax: Any, table: Any, name: str, slice_: str, by: str,
                    class_names: Sequence[str], color: str) -> None:  # fmt: skip
    row = table.loc[slice_]
    counts = np.array([[row["tn"], row["fp"]], [row["fn"], row["tp"]]], dtype=np.int64)
    ax.imshow(np.log1p(counts), cmap="Blues", vmin=0, vmax=max(np.log1p(counts.max()), 1e-9))
    cells = (("TN", "FP"), ("FN", "TP"))
    for i in range(2):
        for j in range(2):
            dark = counts.max() > 0 and np.log1p(counts[i, j]) > 0.6 * np.log1p(counts.max())
            ax.text(j, i, f"{cells[i][j]}\n{counts[i, j]:,}", ha="center", va="center",
                    color="white" if dark else "black", fontsize=11)  # fmt: skip
    ax.set_xticks([0, 1], class_names)
    ax.set_yticks([0, 1], class_names)
    ax.set_xlabel("decision")
    ax.set_ylabel("truth")
    where = "all rows" if slice_ == ALL else _wrap(f"{by} = {slice_}", 34)
    ax.set_title(f"{_wrap(name, 34)}\n{where}\ncost {row['cost']:,.1f}", color=color,
                 fontsize="medium")  # fmt: skip


def plot_error_explorer_state(
    state: ErrorExplorerState,
    *,
    rate: Literal["error_rate", "fpr", "fnr", "tpr", "precision", "selection_rate"] = "error_rate",
    slice_: str = ALL,
    class_names: Sequence[str] = ("negative", "positive"),
    axes: Sequence[Any] | None = None,
) -> Any:
    """Static view of one explorer state: rates per slice, and the chosen slice's confusion matrices.

    Parameters
    ----------
    state : ErrorExplorerState
        From :func:`~casebook.error_analysis.error_explorer.error_explorer_state`.
    rate : str, default="error_rate"
        The rate drawn per slice (one of ``RATES``).
    slice_ : str, default="all"
        The slice whose confusion matrices are drawn (``"all"`` = every row).
    class_names : pair of str
        Names of the negative and positive class on the matrices.
    axes : sequence of Axes, optional
        One for the rates plus one per view; default a new figure.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    if not isinstance(state, ErrorExplorerState):
        raise TypeError(f"state must be an ErrorExplorerState, got {type(state).__name__}")
    rate = _check_rate(rate)
    slice_ = _check_slice(state, slice_)
    names = tuple(class_names)
    if len(names) != 2:
        raise ValueError(f"class_names must name the two classes, got {class_names!r}")
    k = len(state.names)
    if axes is None:
        fig, axes = plt.subplots(1, 1 + k, figsize=_figsize(state), gridspec_kw=_ratios(state))
    else:
        if len(axes) != 1 + k:
            raise ValueError(f"axes must hold {1 + k} Axes (rates + one per view), got {len(axes)}")
        fig = axes[0].figure
    _draw_rates(axes[0], state, rate, slice_)
    for i, name in enumerate(state.names):
        _draw_confusion(axes[1 + i], state.tables[name], name, slice_, state.by, names,
                        VIEW_COLORS[i])  # fmt: skip
    fig.tight_layout()
    return fig


def error_explorer(
    X: Any,
    y_true: Any,
    views: Mapping[str, tuple[Any, Any]],
    *,
    by: str,
    fp_cost: Any = 1.0,
    fn_cost: Any = 1.0,
    rate: Literal["error_rate", "fpr", "fnr", "tpr", "precision", "selection_rate"] = "error_rate",
    slice_: str = ALL,
    columns: Sequence[str] | None = None,
    bins: int = 4,
    labels: Sequence[Hashable] = (0, 1),
    class_names: Sequence[str] = ("negative", "positive"),
    min_support: int = 30,
    interactive: bool = False,
    export_path: str | Path | None = None,
) -> Any:
    """Explorer of errors by slice for two views: ipywidgets controls or a static figure.

    Parameters
    ----------
    X : pandas.DataFrame
        Columns to slice by, one row per example.
    y_true : array-like of shape (n,)
        True labels, values in ``labels``.
    views : mapping of str to (scores, threshold)
        One or two views, e.g. ``{"shipped": (s, 0.5), "cost-optimal": (s, 0.9)}``
        or two models' scores; a threshold may be one number per row (then it
        gets no slider).
    by : str
        Initial column to slice by.
    fp_cost, fn_cost : float or array-like, default=1.0
        Costs of the two errors.
    rate, slice_
        Initial rate drawn per slice, and slice whose confusion matrices are shown.
    columns : sequence of str, optional
        Columns offered in the "slice by" dropdown (default: all of ``X``).
    bins, labels, class_names, min_support
        See :func:`~casebook.error_analysis.error_explorer.error_explorer_state`
        and :func:`plot_error_explorer_state`.
    interactive : bool, default=False
        True: return an ``ipywidgets.VBox`` of controls, a summary and the
        figure, redrawn on every change. False: return the matplotlib Figure.
    export_path : str or Path, optional
        Where the figure is written as PNG: at once (static mode) or by the
        "Export PNG" button and ``export()`` (interactive mode).

    Returns
    -------
    matplotlib.figure.Figure or ipywidgets.VBox
        The box has ``controls`` (dict by name), ``update()`` (redraw, returns
        the state), ``export(path=None)`` (write the PNG, return its path) and
        ``figure`` (the last drawing).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> X = pd.DataFrame({"kind": ["a", "a", "b", "b", "b", "a"]})
    >>> s = [0.9, 0.2, 0.8, 0.3, 0.6, 0.7]
    >>> fig = error_explorer(X, [0, 0, 1, 1, 0, 1], {"0.5": (s, 0.5), "0.75": (s, 0.75)},
    ...                      by="kind", min_support=1)
    >>> [ax.get_title().split(chr(10))[0] for ax in fig.axes]
    ['error rate by kind (bars: 95% Wilson intervals)', '0.5', '0.75']
    >>> plt.close(fig)
    """
    if not isinstance(interactive, bool):
        raise TypeError(f"interactive must be a bool, got {type(interactive).__name__}")
    cols = list(X.columns) if columns is None and hasattr(X, "columns") else list(columns or [])
    if columns is not None and (not cols or any(c not in getattr(X, "columns", []) for c in cols)):
        raise ValueError(f"columns must name columns of X, got {columns!r}")
    if by not in cols and hasattr(X, "columns"):
        raise ValueError(f"by must be one of the offered columns {cols[:10]}, got {by!r}")
    options = {"fp_cost": fp_cost, "fn_cost": fn_cost, "bins": bins, "labels": labels,
               "min_support": min_support}  # fmt: skip
    state = error_explorer_state(X, y_true, views, by=by, **options)
    if not interactive:
        fig = plot_error_explorer_state(state, rate=rate, slice_=slice_, class_names=class_names)
        if export_path is not None:
            fig.savefig(Path(export_path), dpi=100)
        return fig
    return _explorer_box(X, y_true, views, state=state, options=options, columns=cols, rate=rate,
                        slice_=slice_, class_names=class_names, export_path=export_path)  # fmt: skip


def _figure(
    state: ErrorExplorerState, *, rate: str, slice_: str, class_names: Sequence[str]
) -> Any:
    from matplotlib.figure import Figure

    k = len(state.names)
    fig = Figure(figsize=_figsize(state))
    axes = fig.subplots(1, 1 + k, gridspec_kw=_ratios(state))
    plot_error_explorer_state(state, rate=rate, slice_=slice_, class_names=class_names, axes=axes)
    return fig


def _png(fig: Any, *, dpi: int = 80) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def _explorer_box(
    X: Any,
    y_true: Any,
    views: Mapping[str, tuple[Any, Any]],
    *,
    state: ErrorExplorerState,
    options: Mapping[str, Any],
    columns: Sequence[str],
    rate: str,
    slice_: str,
    class_names: Sequence[str],
    export_path: str | Path | None,
) -> Any:
    """The widget box: a Figure outside pyplot shown through a ``widgets.Image`` (nothing draws
    twice, as in :func:`casebook.plots.explorer.cost_explorer`); inputs already validated."""
    import ipywidgets as widgets

    wide = {"layout": widgets.Layout(width="600px"), "style": {"description_width": "120px"}}
    controls: dict[str, Any] = {
        "by": widgets.Dropdown(
            options=list(columns), value=state.by, description="slice by", **wide
        ),
        "rate": widgets.Dropdown(options=list(RATES), value=rate, description="rate", **wide),
        "slice": widgets.Dropdown(
            options=[ALL, *state.slices], value=slice_, description="confusion of", **wide
        ),  # fmt: skip
    }
    for name, (scores, threshold) in views.items():
        if np.ndim(threshold) == 0:  # per-row thresholds stay fixed, like per-row costs
            score = check_scores(scores, name=f"views[{name!r}] scores")
            controls[f"threshold: {name}"] = widgets.SelectionSlider(
                options=_threshold_options(score, float(threshold)), value=float(threshold),
                description=f"threshold {name}"[:40], continuous_update=False, **wide,
            )  # fmt: skip
    text = widgets.HTML()
    image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
    status = widgets.HTML()
    button = widgets.Button(description="Export PNG", disabled=export_path is None,
                            tooltip=str(export_path or "no export_path given"))  # fmt: skip
    busy = {"flag": False}  # set while the slice options are rebuilt: one redraw, not three

    def current_views() -> dict[str, tuple[Any, Any]]:
        out = {}
        for name, (scores, threshold) in views.items():
            slider = controls.get(f"threshold: {name}")
            out[name] = (scores, slider.value if slider is not None else threshold)
        return out

    def update(change: Any = None) -> ErrorExplorerState:
        by = controls["by"].value
        s = error_explorer_state(X, y_true, current_views(), by=by, **options)
        if [ALL, *s.slices] != list(controls["slice"].options):
            busy["flag"] = True
            try:
                controls["slice"].options = [ALL, *s.slices]
                controls["slice"].value = ALL
            finally:
                busy["flag"] = False
        fig = _figure(s, rate=controls["rate"].value, slice_=controls["slice"].value,
                      class_names=class_names)  # fmt: skip
        image.value = _png(fig)
        text.value = "".join(f"<p>{line}</p>" for line in s.summary().splitlines())
        box.figure, box.state = fig, s
        return s

    def on_change(change: Any) -> None:
        if not busy["flag"]:
            update(change)

    def export(path: str | Path | None = None) -> Path:
        target = Path(path) if path is not None else export_path
        if target is None:
            raise ValueError("export needs a path: pass path= or export_path= to error_explorer")
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        box.figure.savefig(target, dpi=100)
        status.value = f"<p>saved {target}</p>"
        return target

    box = widgets.VBox([*controls.values(), button, status, text, image])
    for control in controls.values():
        control.observe(on_change, names="value")
    button.on_click(lambda _button: export())
    update()
    box.controls, box.update, box.export, box.button = controls, update, export, button
    return box
