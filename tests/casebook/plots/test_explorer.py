"""Tests for casebook.plots.explorer: the pure update function, the widget wiring and the static view."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from casebook.decisions.costs import cost_optimal_threshold, expected_cost
from casebook.plots.explorer import ExplorerState, cost_explorer, explorer_state


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 300)
    s = np.clip(0.3 * y + rng.random(300) * 0.7, 0, 1)
    return y, s


def test_explorer_state_matches_direct_computation(data):
    y, s = data
    state = explorer_state(y, s, threshold=0.5, fp_cost=2, fn_cost=7,
                           class_names=("benign", "malignant"))  # fmt: skip
    pred = (s >= 0.5).astype(int)
    assert state.cost == expected_cost(y, pred, fp_cost=2, fn_cost=7)
    assert state.confusion.loc["malignant", "malignant"] == np.sum((y == 1) & (pred == 1))
    assert state.confusion.loc["benign", "malignant"] == np.sum((y == 0) & (pred == 1))
    assert state.confusion.to_numpy().sum() == y.size
    best = cost_optimal_threshold(y, s, fp_cost=2, fn_cost=7)
    assert state.optimal == best
    assert state.regret == pytest.approx(state.cost - best.cost)
    assert state.regret >= 0
    at_best = explorer_state(y, s, threshold=best.threshold, fp_cost=2, fn_cost=7)
    assert at_best.regret == pytest.approx(0.0)
    assert "caught" in state.summary(unit="USD") and "USD" in state.summary(unit="USD")


def test_explorer_state_per_example_costs(data):
    y, s = data
    amounts = np.linspace(1, 100, y.size)
    state = explorer_state(y, s, threshold=0.3, fp_cost=5, fn_cost=amounts)
    pred = (s >= 0.3).astype(int)
    assert state.cost == pytest.approx(expected_cost(y, pred, fp_cost=5, fn_cost=amounts))


def test_static_mode_returns_a_figure(data):
    y, s = data
    fig = cost_explorer(y, s, fp_cost=1, fn_cost=5, threshold=0.4, unit="USD")
    assert len(fig.axes) == 2
    assert fig.axes[0].get_title().startswith("Confusion matrix at threshold 0.400")
    assert "USD" in fig.axes[1].get_ylabel()
    plt.close(fig)


def test_interactive_mode_updates_live(data):
    y, s = data
    box = cost_explorer(y, s, fp_cost=1, fn_cost=5, threshold=0.5, interactive=True)
    assert set(box.sliders) == {"threshold", "fp_cost", "fn_cost"}
    text, image = box.children[-2], box.children[-1]
    assert box.figure.axes[0].get_title() == "Confusion matrix at threshold 0.500"
    before_text, before_png = text.value, bytes(image.value)
    assert before_png.startswith(b"\x89PNG")
    new = min(box.sliders["threshold"].options, key=lambda kv: abs(kv[1] - 0.2))[1]
    box.sliders["threshold"].value = new
    expected = explorer_state(y, s, threshold=new, fp_cost=1, fn_cost=5)
    assert text.value != before_text and bytes(image.value) != before_png
    assert f"{expected.cost:,.2f}" in text.value
    assert box.figure.axes[0].get_title() == f"Confusion matrix at threshold {new:.3f}"
    tp = int(expected.confusion.iloc[1, 1])
    assert f"TP\n{tp:,}" in [t.get_text() for t in box.figure.axes[0].texts]
    box.sliders["fn_cost"].value = 20.0
    at_20 = explorer_state(y, s, threshold=new, fp_cost=1, fn_cost=20.0)
    assert f"{at_20.cost:,.2f}" in text.value
    assert f"{at_20.cost:,.0f}" in box.figure.axes[1].get_title()


def test_interactive_mode_is_the_static_figure_with_usable_sliders(data):
    y, s = data
    box = cost_explorer(y, s, fp_cost=1, fn_cost=5, threshold=0.5, interactive=True)
    static = cost_explorer(y, s, fp_cost=1, fn_cost=5, threshold=0.5)
    assert [a.get_title() for a in box.figure.axes] == [a.get_title() for a in static.axes]
    assert [a.get_xlabel() for a in box.figure.axes] == [a.get_xlabel() for a in static.axes]
    plt.close(static)
    html = [c.value for c in box.children if isinstance(c.value, str)]
    assert html and not any("<table" in v for v in html)  # no raw pandas table any more
    for slider in box.sliders.values():
        assert slider.layout.width == "600px"


def test_threshold_slider_starts_at_the_threshold_and_reaches_crowded_scores():
    rng = np.random.default_rng(1)
    y = rng.random(5000) < 0.02
    s = np.where(y, rng.beta(2, 5, y.size), rng.beta(0.3, 30, y.size))  # most scores near 0
    box = cost_explorer(y, s, fp_cost=1, fn_cost=50, threshold=0.5, interactive=True)
    slider = box.sliders["threshold"]
    values = [v for _, v in slider.options]
    assert slider.value == 0.5 and values == sorted(values)
    assert values[0] <= s.min() and values[-1] >= s.max()
    assert 0 < values.index(0.5) < len(values) - 1 or s.max() <= 0.5
    # at least a quarter of the steps sit below the 10th percentile of the range 0..max
    assert np.mean(np.array(values) < 0.1 * s.max()) > 0.25
    labels = [label for label, _ in slider.options]
    assert len(set(labels)) == len(labels)
    best = box.update().optimal.threshold
    assert min(values) <= best <= max(values)
    outside = cost_explorer(y, s, fp_cost=1, fn_cost=50, threshold=2.0, interactive=True)
    assert outside.sliders["threshold"].value == 2.0


def test_interactive_mode_keeps_per_example_costs_fixed(data):
    y, s = data
    box = cost_explorer(y, s, fp_cost=1, fn_cost=np.full(y.size, 3.0), interactive=True)
    assert set(box.sliders) == {"threshold", "fp_cost"}
    assert isinstance(box.update(), ExplorerState)


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"threshold": "high"}, ValueError, r"threshold must be a number, got 'high'"),
        ({"threshold": float("nan")}, ValueError, r"threshold must not be NaN"),
        ({"class_names": ("a",)}, ValueError, r"class_names must name the two classes"),
        ({"fp_cost": -1}, ValueError, r"fp_cost must be finite and non-negative, got -1"),
    ],
)
def test_explorer_state_bad_input(data, kwargs, exc, match):
    y, s = data
    args = {"threshold": 0.5, "fp_cost": 1, "fn_cost": 2, **kwargs}
    with pytest.raises(exc, match=match):
        explorer_state(y, s, **args)


def test_cost_explorer_bad_input(data):
    y, s = data
    with pytest.raises(TypeError, match=r"interactive must be a bool, got str"):
        cost_explorer(y, s, fp_cost=1, fn_cost=2, interactive="yes")
    with pytest.raises(ValueError, match=r"y_true must contain both classes"):
        cost_explorer(np.zeros(5), s[:5], fp_cost=1, fn_cost=2)


def test_plot_explorer_state_bad_input(data):
    from casebook.decisions.costs import cost_curve
    from casebook.plots.explorer import plot_explorer_state

    y, s = data
    state = explorer_state(y, s, threshold=0.5, fp_cost=1, fn_cost=2)
    curve = cost_curve(y, s, fp_cost=1, fn_cost=2)
    before = len(plt.get_fignums())
    with pytest.raises(TypeError, match=r"state must be an ExplorerState, got dict"):
        plot_explorer_state({"threshold": 0.5}, curve)
    with pytest.raises(ValueError, match=r"curve must have at least one row"):
        plot_explorer_state(state, curve.iloc[:0])
    with pytest.raises(
        ValueError, match=r"curve must be a cost_curve DataFrame .*missing \['cost'\]"
    ):
        plot_explorer_state(state, curve.drop(columns="cost"))
    assert len(plt.get_fignums()) == before  # nothing drawn before the checks


def test_live_and_static_figures_mark_the_points_alike(data):
    """The notebooks' prose names the markers ("blue dot", "orange square"): both modes draw them."""
    from matplotlib.colors import to_hex

    y, s = data

    def markers(ax):
        return [
            (line.get_marker(), to_hex(line.get_color()), line.get_label().split(":")[0])
            for line in ax.get_lines()
            if line.get_marker() not in (None, "None", "")
        ]

    box = cost_explorer(y, s, fp_cost=1, fn_cost=5, threshold=0.3, interactive=True)
    static = cost_explorer(y, s, fp_cost=1, fn_cost=5, threshold=0.3)
    expected = [("o", "#1f77b4", "your threshold"), ("s", "#ff7f0e", "cost-optimal")]
    assert markers(static.axes[1]) == expected
    assert markers(box.figure.axes[1]) == expected
    plt.close(static)
    box.sliders["threshold"].value = box.sliders["threshold"].options[-1][1]
    assert markers(box.figure.axes[1]) == expected  # still after a redraw
