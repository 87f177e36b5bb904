"""The alert timeline figure shows what the timeline says."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from casebook.plots.alerts import plot_alert_timeline


@pytest.fixture
def timeline():
    return pd.DataFrame(
        {
            "batch": [1, 2, 3, 4, 5],
            "estimate": [0.95, 0.4, 0.7, 0.6, 0.55],
            "low": [0.85, 0.0, 0.6, 0.5, 0.45],
            "high": [1.0, 1.0, 0.78, 0.7, 0.65],
            "status": ["ok", "insufficient", "breach", "alert", "alert"],
        }
    )


def test_draws_points_band_tolerance_and_events(timeline):
    fig, ax = plt.subplots()
    out = plot_alert_timeline(timeline, tolerance=0.8, events={"drift injected": 3}, ax=ax)
    assert out is ax
    handles, labels = ax.get_legend_handles_labels()
    assert "ALERT" in labels and "tolerance 0.8" in labels
    assert "insufficient data (not judged)" in labels and "95% interval" in labels
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
    assert any(t.get_text() == "drift injected" for t in ax.texts)
    # the alert markers sit at the alert batches
    alert = handles[labels.index("ALERT")]
    assert sorted(alert.get_offsets()[:, 0].tolist()) == [4.0, 5.0]
    plt.close(fig)


def test_creates_axes_when_none(timeline):
    ax = plot_alert_timeline(timeline, tolerance=0.8)
    assert ax.figure is not None
    plt.close(ax.figure)


def test_bad_input(timeline):
    with pytest.raises(ValueError, match="timeline must have columns"):
        plot_alert_timeline(timeline.drop(columns="status"), tolerance=0.8)
    bad = timeline.assign(status=["ok", "weird", "ok", "ok", "ok"])
    with pytest.raises(ValueError, match="timeline status must be one of"):
        plot_alert_timeline(bad, tolerance=0.8)


def test_rejects_empty_timeline_and_non_finite_tolerance(timeline):
    with pytest.raises(ValueError, match="timeline must have at least one batch"):
        plot_alert_timeline(timeline.iloc[:0], tolerance=0.8)
    with pytest.raises(ValueError, match="tolerance must be a finite number"):
        plot_alert_timeline(timeline, tolerance=float("nan"))
    with pytest.raises(TypeError, match="tolerance must be a number"):
        plot_alert_timeline(timeline, tolerance="0.8")


def test_event_notes_sit_outside_the_plotting_area():
    # a quiet (insufficient) week right after the event, near the top, as week 13 in notebook 08:
    # its marker and dotted interval must stay clear of the event's note
    weeks = list(range(1, 21))
    est = [0.97 if w == 13 else (0.9 if w < 15 else 0.3) for w in weeks]
    status = ["insufficient" if w == 13 else ("alert" if w >= 16 else "ok") for w in weeks]
    t = pd.DataFrame(
        {
            "batch": weeks,
            "estimate": est,
            "low": [e - 0.4 for e in est],
            "high": [min(e + 0.05, 1.0) for e in est],
            "status": status,
        }
    )
    fig, ax = plt.subplots(figsize=(10, 4.5))
    plot_alert_timeline(t, tolerance=0.8, events={"income +8% (harmless)": 12, "drift": 15}, ax=ax)
    ax.set_ylim(0, 1.05)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    axes_box = ax.get_window_extent(renderer)
    title_box = ax.title.get_window_extent(renderer)
    notes = [x for x in ax.texts if x.get_text() in ("income +8% (harmless)", "drift")]
    assert len(notes) == 2
    for note in notes:
        box = note.get_window_extent(renderer)
        assert box.y0 >= axes_box.y1, f"note {note.get_text()!r} is inside the plotting area"
        assert not box.overlaps(title_box), f"note {note.get_text()!r} covers the title"
    plt.close(fig)
