"""Tests for casebook.plots.error_explorer: the static figure, the widget wiring and the export."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from casebook.error_analysis.error_explorer import error_explorer_state
from casebook.plots.error_explorer import error_explorer, plot_error_explorer_state


@pytest.fixture
def data():
    rng = np.random.default_rng(1)
    n = 500
    y = rng.integers(0, 2, n)
    score = np.clip(0.35 * y + rng.random(n) * 0.65, 0, 1)
    X = pd.DataFrame(
        {"length": rng.integers(1, 160, n), "kind": rng.choice(["chat", "work", "shop"], n)}
    )
    return X, y, score


def views(score):
    return {"shipped 0.5": (score, 0.5), "stricter 0.7": (score, 0.7)}


def test_static_figure_has_titles_labels_and_the_counts(data):
    X, y, score = data
    fig = error_explorer(X, y, views(score), by="kind", fp_cost=3, slice_="work",
                         class_names=("ham", "spam"))  # fmt: skip
    bars, cm_a, cm_b = fig.axes
    assert bars.get_title() == "error rate by kind (bars: 95% Wilson intervals)"
    assert bars.get_xlabel() == "kind" and bars.get_ylabel().startswith("error rate")
    ticks = [t.get_text() for t in bars.get_xticklabels()]
    state = error_explorer_state(X, y, views(score), by="kind", fp_cost=3)
    n_work = int(state.tables["shipped 0.5"].loc["work", "n"])
    assert ticks == [
        f"{s}\nn={int(state.tables['shipped 0.5'].loc[s, 'n']):,}" for s in state.slices
    ]
    assert f"work\nn={n_work:,}" in ticks
    table = state.tables["stricter 0.7"]
    assert cm_b.get_title() == f"stricter 0.7\nkind = work\ncost {table.loc['work', 'cost']:,.1f}"
    assert f"FP\n{int(table.loc['work', 'fp']):,}" in [t.get_text() for t in cm_b.texts]
    assert cm_a.get_xlabel() == "decision" and cm_a.get_ylabel() == "truth"
    assert [t.get_text() for t in cm_a.get_xticklabels()] == ["ham", "spam"]
    # the overall rate of each view as a reference line
    refs = [line.get_ydata()[0] for line in bars.get_lines() if line.get_linestyle() == "--"]
    assert refs == pytest.approx([state.tables[v].loc["all", "error_rate"] for v in state.names])
    plt.close(fig)


def test_small_slices_are_faded(data):
    X, y, score = data
    state = error_explorer_state(X, y, views(score), by="kind", min_support=10_000)
    fig = plot_error_explorer_state(state, rate="fpr")
    faded = [p for p in fig.axes[0].patches if p.get_hatch() == "//"]
    assert len(faded) >= 2 * len(state.slices)  # every bar of both views (plus the legend patch)
    assert "n < 10000" in " ".join(t.get_text() for t in fig.axes[0].get_legend().get_texts())
    legend = fig.axes[0].get_legend()
    swatches = dict(
        zip([t.get_text() for t in legend.get_texts()], legend.legend_handles, strict=True)
    )
    for name in state.names:  # the views' swatches stay solid even when every bar is faded
        assert not swatches[name].get_hatch() and swatches[name].get_alpha() in (None, 1)
    plt.close(fig)


def test_static_export_writes_a_png(data, tmp_path):
    X, y, score = data
    path = tmp_path / "explorer.png"
    fig = error_explorer(X, y, views(score), by="length", export_path=path)
    assert path.read_bytes().startswith(b"\x89PNG") and path.stat().st_size > 10_000
    plt.close(fig)


def test_interactive_controls_update_the_state_and_the_figure(data, tmp_path):
    X, y, score = data
    box = error_explorer(X, y, views(score), by="kind", interactive=True,
                         export_path=tmp_path / "out" / "view.png")  # fmt: skip
    assert set(box.controls) == {"by", "rate", "slice", "threshold: shipped 0.5",
                                 "threshold: stricter 0.7"}  # fmt: skip
    image = box.children[-1]
    assert bytes(image.value).startswith(b"\x89PNG")
    assert list(box.controls["slice"].options) == ["all", "chat", "shop", "work"]

    # slicing column: new slices, new dropdown options, new tick labels
    before = bytes(image.value)
    box.controls["by"].value = "length"
    assert box.state.by == "length" and len(box.state.slices) == 4
    assert list(box.controls["slice"].options) == ["all", *box.state.slices]
    assert box.figure.axes[0].get_xlabel() == "length" and bytes(image.value) != before

    # a threshold slider changes the counts
    fp_before = int(box.update().tables["shipped 0.5"].loc["all", "fp"])
    slider = box.controls["threshold: shipped 0.5"]
    slider.value = min(slider.options, key=lambda kv: abs(kv[1] - 0.2))[1]
    fp_after = int(box.state.tables["shipped 0.5"].loc["all", "fp"])
    expected = int(np.sum((score >= slider.value) & (y == 0)))
    assert fp_after == expected and fp_after > fp_before
    assert f"{fp_after:,} false alarm(s)" in box.children[-2].value

    # the rate and the slice shown
    box.controls["rate"].value = "precision"
    assert box.figure.axes[0].get_title().startswith("precision by length")
    chosen = box.state.slices[1]
    box.controls["slice"].value = chosen
    assert f"length = {chosen}" in box.figure.axes[1].get_title()

    # export: button and method write the PNG of the current view
    box.button.click()
    written = tmp_path / "out" / "view.png"
    assert written.read_bytes().startswith(b"\x89PNG") and written.stat().st_size > 10_000
    other = box.export(tmp_path / "other.png")
    assert other.exists() and other.stat().st_size > 10_000


def test_interactive_figure_matches_the_static_one(data):
    X, y, score = data
    box = error_explorer(X, y, views(score), by="kind", interactive=True)
    static = error_explorer(X, y, views(score), by="kind")
    assert [a.get_title() for a in box.figure.axes] == [a.get_title() for a in static.axes]
    assert [a.get_xlabel() for a in box.figure.axes] == [a.get_xlabel() for a in static.axes]
    plt.close(static)
    assert box.button.disabled  # no export_path: nothing to write to
    with pytest.raises(ValueError, match=r"export needs a path"):
        box.export()


def test_per_row_threshold_views_get_no_slider(data):
    X, y, score = data
    per_group = np.where(X["kind"] == "chat", 0.4, 0.6)
    box = error_explorer(X, y, {"single": (score, 0.5), "per group": (score, per_group)},
                         by="kind", interactive=True)  # fmt: skip
    assert "threshold: per group" not in box.controls and "threshold: single" in box.controls
    assert box.update().thresholds["per group"] is None


def test_bad_input(data):
    X, y, score = data
    with pytest.raises(TypeError, match=r"interactive must be a bool, got str"):
        error_explorer(X, y, views(score), by="kind", interactive="yes")
    with pytest.raises(ValueError, match=r"columns must name columns of X, got \['nope'\]"):
        error_explorer(X, y, views(score), by="kind", columns=["nope"])
    with pytest.raises(ValueError, match=r"by must be one of the offered columns"):
        error_explorer(X, y, views(score), by="length", columns=["kind"])
    state = error_explorer_state(X, y, views(score), by="kind")
    before = len(plt.get_fignums())
    with pytest.raises(TypeError, match=r"state must be an ErrorExplorerState, got dict"):
        plot_error_explorer_state({"by": "kind"})
    with pytest.raises(ValueError, match=r"rate must be one of \["):
        plot_error_explorer_state(state, rate="accuracy")
    with pytest.raises(ValueError, match=r"slice_ must be one of \['all', 'chat'"):
        plot_error_explorer_state(state, slice_="nope")
    with pytest.raises(ValueError, match=r"class_names must name the two classes"):
        plot_error_explorer_state(state, class_names=("a",))
    with pytest.raises(ValueError, match=r"axes must hold 3 Axes"):
        plot_error_explorer_state(state, axes=[None])
    assert len(plt.get_fignums()) == before  # nothing drawn before the checks
