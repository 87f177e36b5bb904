"""A stakeholder explorer: move the threshold or the costs, see the confusion matrix and the cost.

:func:`explorer_state` is the pure function behind it (tested like any other):
given scores, a threshold and the costs it returns the confusion matrix, the
total cost and what the cost-optimal threshold would give. :func:`cost_explorer`
draws it as a static figure (``interactive=False``, the default, for headless
runs and HTML reports) or puts that same figure under ipywidgets sliders and
redraws it on every change (``interactive=True``, for JupyterLab). The mode is an explicit
parameter; nothing here inspects the environment.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from casebook._validation.binary import check_scores, encode_binary
from casebook.decisions.costs import (
    ThresholdChoice,
    cost_curve,
    cost_optimal_threshold,
    expected_cost,
)

__all__ = ["ExplorerState", "cost_explorer", "explorer_state", "plot_explorer_state"]


@dataclass(frozen=True, eq=False)
class ExplorerState:
    """What the explorer shows for one setting of the sliders.

    Attributes
    ----------
    threshold : float
        Flag cases with ``score >= threshold``.
    confusion : pandas.DataFrame
        2x2 counts, rows = truth, columns = decision, named by ``class_names``.
    cost : float
        Total cost at ``threshold``.
    optimal : ThresholdChoice
        The cost-optimal operating point for the same costs.
    regret : float
        ``cost - optimal.cost``: what this threshold costs above the best one.
    """

    threshold: float
    confusion: pd.DataFrame
    cost: float
    optimal: ThresholdChoice
    regret: float

    def summary(self, *, unit: str = "") -> str:
        """One plain-language line for a stakeholder."""
        u = f" {unit}" if unit else ""
        tn, fp = self.confusion.iloc[0]
        fn, tp = self.confusion.iloc[1]
        return (
            f"At threshold {self.threshold:.3f}: {tp} caught, {fn} missed, {fp} false alarms; "
            f"total cost {self.cost:,.2f}{u}. Best threshold {self.optimal.threshold:.3f} "
            f"costs {self.optimal.cost:,.2f}{u} (you pay {self.regret:,.2f}{u} more)."
        )


def explorer_state(
    y_true: Any,
    y_score: Any,
    *,
    threshold: float,
    fp_cost: Any,
    fn_cost: Any,
    labels: Sequence[Hashable] = (0, 1),
    class_names: Sequence[str] | None = None,
) -> ExplorerState:
    """Confusion matrix, total cost and regret at ``threshold`` (pure, no plotting).

    Examples
    --------
    >>> s = explorer_state([0, 0, 1, 1], [0.2, 0.6, 0.4, 0.9], threshold=0.5, fp_cost=1, fn_cost=10)
    >>> s.confusion
    predicted  negative  positive
    true
    negative          1         1
    positive          1         1
    >>> s.cost, s.optimal.threshold, s.regret
    (11.0, 0.4, 10.0)
    """
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float, np.number)):
        raise ValueError(f"threshold must be a number, got {threshold!r}")
    if np.isnan(threshold):
        raise ValueError(f"threshold must not be NaN, got {threshold!r}")
    names = ("negative", "positive") if class_names is None else tuple(class_names)
    if len(names) != 2:
        raise ValueError(f"class_names must name the two classes, got {class_names!r}")
    y = encode_binary(y_true, labels=labels, name="y_true", require_both=True)
    score = check_scores(y_score, name="y_score")
    optimal = cost_optimal_threshold(
        y, score, fp_cost=fp_cost, fn_cost=fn_cost, labels=(False, True)
    )
    pred = score >= threshold
    cost = expected_cost(y, pred, fp_cost=fp_cost, fn_cost=fn_cost, labels=(False, True))
    counts = np.array(
        [[np.sum(~y & ~pred), np.sum(~y & pred)], [np.sum(y & ~pred), np.sum(y & pred)]]
    )
    confusion = pd.DataFrame(
        counts, index=pd.Index(names, name="true"), columns=pd.Index(names, name="predicted")
    )
    return ExplorerState(float(threshold), confusion, cost, optimal, cost - optimal.cost)


def plot_explorer_state(
    state: ExplorerState,
    curve: pd.DataFrame,
    *,
    unit: str = "",
    axes: Sequence[Any] | None = None,
) -> Any:
    """Static view of one explorer state: confusion matrix and cost curve side by side."""
    import matplotlib.pyplot as plt

    from casebook.plots.costs import _check_frame, plot_cost_curve

    if not isinstance(state, ExplorerState):
        raise TypeError(f"state must be an ExplorerState, got {type(state).__name__}")
    _check_frame(
        curve,
        name="curve",
        required={"threshold", "cost", "tp", "fp", "tn", "fn"},
        producer="cost_curve",
    )
    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), gridspec_kw={"width_ratios": [1, 1.6]})
    else:
        fig = axes[0].figure
    ax_cm, ax_cost = axes
    counts = state.confusion.to_numpy()
    ax_cm.imshow(np.log1p(counts), cmap="Blues")
    cells = (("TN", "FP"), ("FN", "TP"))
    for i in range(2):
        for j in range(2):
            dark = np.log1p(counts[i, j]) > 0.6 * np.log1p(counts.max())
            ax_cm.text(j, i, f"{cells[i][j]}\n{counts[i, j]:,}", ha="center", va="center",
                       color="white" if dark else "black", fontsize=12)  # fmt: skip
    ax_cm.set_xticks([0, 1], state.confusion.columns)
    ax_cm.set_yticks([0, 1], state.confusion.index)
    ax_cm.set_xlabel("decision")
    ax_cm.set_ylabel("truth")
    ax_cm.set_title(f"Confusion matrix at threshold {state.threshold:.3f}")
    current = ThresholdChoice(
        state.threshold, state.cost, int(counts[1, 1]), int(counts[0, 1]),
        int(counts[0, 0]), int(counts[1, 0]),
    )  # fmt: skip
    label = f"total cost ({unit})" if unit else "total cost"
    suffix = f" {unit}" if unit else ""
    plot_cost_curve(curve, points={"your threshold": current, "cost-optimal": state.optimal},
                    cost_label=label, ax=ax_cost,
                    title=f"Total cost at {state.threshold:.3f}: {state.cost:,.0f}{suffix} "
                          f"(lowest: {state.optimal.cost:,.0f} at {state.optimal.threshold:.3f})")  # fmt: skip
    fig.tight_layout()
    return fig


def _slider_thresholds(score: np.ndarray, threshold: float, *, n: int = 400) -> list[float]:
    """Candidate thresholds evenly spaced in rank: ``n`` score quantiles plus ``threshold``.

    Quantiles put as many slider steps where the scores crowd (near 0 for a
    rare class) as where they are sparse, so every region is within reach, and
    the initial ``threshold`` is one of the steps, wherever it lies.
    """
    levels = np.quantile(score, np.linspace(0.0, 1.0, n + 1))
    return sorted({float(t) for t in levels} | {float(threshold)})


def _threshold_options(score: np.ndarray, threshold: float) -> list[tuple[str, float]]:
    """(label, value) pairs for a SelectionSlider, labels distinct, ``threshold`` kept exactly."""
    options: dict[str, float] = {}
    for t in _slider_thresholds(score, threshold):
        label = f"{t:.4g}"
        if label not in options or t == float(threshold):
            options[label] = t
    return sorted(options.items(), key=lambda kv: kv[1])


def cost_explorer(
    y_true: Any,
    y_score: Any,
    *,
    fp_cost: Any,
    fn_cost: Any,
    threshold: float = 0.5,
    labels: Sequence[Hashable] = (0, 1),
    class_names: Sequence[str] | None = None,
    unit: str = "",
    max_cost: float | None = None,
    interactive: bool = False,
) -> Any:
    """Explorer of threshold and costs: ipywidgets sliders or a static figure.

    Parameters
    ----------
    y_true, y_score : array-like of shape (n,)
        Labels (values in ``labels``) and scores.
    fp_cost, fn_cost : float or array-like of shape (n,)
        Costs; a scalar cost gets a slider, a per-example cost stays fixed.
    threshold : float, default=0.5
        Initial threshold.
    unit : str
        Money unit shown in the labels, e.g. ``"USD"``.
    max_cost : float, optional
        Upper end of the cost sliders (default: 5x the larger scalar cost).
    interactive : bool, default=False
        True: return an ``ipywidgets.VBox`` of sliders, a one-line summary and
        the static figure (confusion heatmap and cost curve) redrawn on every
        change. The threshold slider steps through score quantiles (even in
        rank, so crowded scores near 0 are reachable) and starts at
        ``threshold``. False: return the matplotlib Figure for the initial values.

    Returns
    -------
    matplotlib.figure.Figure or ipywidgets.VBox
        The interactive box has ``sliders`` (dict by name), ``update()`` (redraw,
        returns the :class:`ExplorerState`) and ``figure`` (the last drawing).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = cost_explorer([0, 0, 1, 1], [0.2, 0.6, 0.4, 0.9], fp_cost=1, fn_cost=10)
    >>> [ax.get_title()[:31] for ax in fig.axes]
    ['Confusion matrix at threshold 0', 'Total cost at 0.500: 11 (lowest']
    >>> plt.close(fig)
    """
    if not isinstance(interactive, bool):
        raise TypeError(f"interactive must be a bool, got {type(interactive).__name__}")
    state = explorer_state(y_true, y_score, threshold=threshold, fp_cost=fp_cost,
                           fn_cost=fn_cost, labels=labels, class_names=class_names)  # fmt: skip
    if not interactive:
        curve = cost_curve(y_true, y_score, fp_cost=fp_cost, fn_cost=fn_cost, labels=labels)
        return plot_explorer_state(state, curve, unit=unit)
    return _interactive_explorer(y_true, y_score, fp_cost=fp_cost, fn_cost=fn_cost,
                                 threshold=float(threshold), labels=labels,
                                 class_names=class_names, unit=unit, max_cost=max_cost)  # fmt: skip


def _interactive_explorer(
    y_true: Any,
    y_score: Any,
    *,
    fp_cost: Any,
    fn_cost: Any,
    threshold: float,
    labels: Sequence[Hashable],
    class_names: Sequence[str] | None,
    unit: str,
    max_cost: float | None,
) -> Any:
    """The widget box of :func:`cost_explorer`; inputs are already validated."""
    import io

    import ipywidgets as widgets
    from matplotlib.figure import Figure

    score = check_scores(y_score, name="y_score")
    scalars = [float(c) for c in (fp_cost, fn_cost) if np.ndim(c) == 0]
    top = max_cost if max_cost is not None else 5 * max(scalars + [1.0])
    wide = {"layout": widgets.Layout(width="600px"), "style": {"description_width": "70px"}}
    sliders: dict[str, Any] = {
        "threshold": widgets.SelectionSlider(
            options=_threshold_options(score, threshold),
            value=threshold,
            description="threshold",
            continuous_update=False,
            **wide,
        )
    }
    for name, cost in (("fp_cost", fp_cost), ("fn_cost", fn_cost)):
        if np.ndim(cost) == 0:
            sliders[name] = widgets.FloatSlider(value=float(cost), min=0.0, max=float(top),
                                                step=float(top) / 200, description=name,
                                                continuous_update=False, **wide)  # fmt: skip
    text = widgets.HTML()
    image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
    curves: dict[tuple[float, ...], pd.DataFrame] = {}  # the last costs' curve

    def costs() -> tuple[Any, Any]:
        return (
            sliders["fp_cost"].value if "fp_cost" in sliders else fp_cost,
            sliders["fn_cost"].value if "fn_cost" in sliders else fn_cost,
        )

    def update(_change: Any = None) -> ExplorerState:
        fp, fn = costs()
        s = explorer_state(y_true, score, threshold=sliders["threshold"].value, fp_cost=fp,
                           fn_cost=fn, labels=labels, class_names=class_names)  # fmt: skip
        key = tuple(sliders[n].value for n in ("fp_cost", "fn_cost") if n in sliders)
        if key not in curves:
            curves.clear()
            curves[key] = cost_curve(y_true, score, fp_cost=fp, fn_cost=fn, labels=labels)
        # a Figure outside pyplot: nothing for the inline backend to draw a second time
        fig = Figure(figsize=(11, 4.2))
        axes = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.6]})
        plot_explorer_state(s, curves[key], unit=unit, axes=axes)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=80)
        image.value = buffer.getvalue()
        text.value = f"<p>{s.summary(unit=unit)}</p>"
        box.figure = fig
        return s

    box = widgets.VBox([*sliders.values(), text, image])
    for slider in sliders.values():
        slider.observe(update, names="value")
    update()
    box.sliders, box.update = sliders, update  # handles for tests and advanced users
    return box
