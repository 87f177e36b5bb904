"""Tests for casebook.plots.fairness: each plot draws what it says and validates its input."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from casebook.fairness.audit import audit_sheet
from casebook.fairness.group_calibration import calibration_by_group
from casebook.fairness.intervals import bootstrap_group_metrics
from casebook.plots.fairness import (
    STATUS_COLORS,
    plot_audit_sheet,
    plot_calibration_by_group,
    plot_group_metrics,
    plot_pareto_front,
)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    n = 2000
    g = rng.choice(["f", "m"], n)
    y = (rng.random(n) < np.where(g == "m", 0.3, 0.15)).astype(int)
    s = np.clip(0.5 * y + 0.5 * rng.random(n), 0, 1)
    return y, s, (s > 0.45).astype(int), g


def test_plot_group_metrics_draws_one_series_per_group(data):
    y, _, p, g = data
    table = bootstrap_group_metrics(y, p, sensitive_features=g, n_resamples=100)
    ax = plot_group_metrics(table, rates=["selection_rate", "tpr"])
    assert ax.get_title() and ax.get_ylabel() == "rate"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["selection rate", "TPR (recall)"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0].startswith("f (n=") and len(legend) == 2
    with pytest.raises(ValueError, match=r"rates \['auc'\] are not in table"):
        plot_group_metrics(table, rates=["auc"])
    with pytest.raises(ValueError, match="table must be a DataFrame from bootstrap_group_metrics"):
        plot_group_metrics(table.drop(columns="low"))


def test_plot_audit_sheet_colours_rows_by_verdict(data):
    y, _, p, g = data
    sheet = audit_sheet(
        y,
        p,
        sensitive_features=g,
        n_resamples=100,
        criteria=("demographic_parity", "equal_opportunity"),
    )
    _, ax = plt.subplots()
    out = plot_audit_sheet(sheet, ax=ax)
    assert out is ax and len(ax.get_yticklabels()) == len(sheet)
    texts = [t for t in ax.texts]
    assert len(texts) == len(sheet)
    for t, status in zip(texts, sheet["status"], strict=True):
        assert t.get_text().startswith(status.upper())
        assert matplotlib.colors.same_color(t.get_color(), STATUS_COLORS[status])
    with pytest.raises(ValueError, match="status must be pass, fail or inconclusive"):
        plot_audit_sheet(sheet.assign(status="ok"))
    with pytest.raises(ValueError, match="sheet must be a DataFrame from audit_sheet"):
        plot_audit_sheet(sheet[["criterion"]])


def test_plot_calibration_by_group(data):
    y, s, _, g = data
    ax = plot_calibration_by_group(calibration_by_group(y, s, sensitive_features=g))
    assert len(ax.get_lines()) == 3  # diagonal + two groups
    assert ax.get_xlabel() and ax.get_ylabel()
    with pytest.raises(ValueError, match="calibration must be a DataFrame"):
        plot_calibration_by_group(pd.DataFrame({"x": [1]}))


def test_plot_pareto_front_marks_front_and_choice():
    ax = plot_pareto_front(
        [0.2, 0.1, 0.05, 0.12], [0.85, 0.84, 0.82, 0.80], labels=["a", "b", "c", "d"], chosen="c"
    )
    front = ax.get_lines()[0]
    np.testing.assert_allclose(front.get_xdata(), [0.05, 0.1, 0.2])
    star = ax.get_lines()[1]
    assert star.get_xdata()[0] == 0.05
    assert ax.collections[0].get_offsets().tolist() == [[0.12, 0.80]]  # dominated
    with pytest.raises(ValueError, match="same non-zero length"):
        plot_pareto_front([0.1], [0.8, 0.9])
    with pytest.raises(ValueError, match="labels must have one name per point"):
        plot_pareto_front([0.1, 0.2], [0.8, 0.9], labels=["a"])
    with pytest.raises(ValueError, match="chosen must be one of labels"):
        plot_pareto_front([0.1, 0.2], [0.8, 0.9], labels=["a", "b"], chosen="z")
    with pytest.raises(ValueError, match=r"chosen must be an index in \[0, 2\)"):
        plot_pareto_front([0.1, 0.2], [0.8, 0.9], chosen=5)


def test_plots_reject_empty_tables(data):
    y, prob, p, g = data
    table = bootstrap_group_metrics(y, p, sensitive_features=g, n_resamples=40)
    with pytest.raises(ValueError, match="table must have at least one row"):
        plot_group_metrics(table.iloc[:0])
    sheet = audit_sheet(y, p, sensitive_features=g, min_group_size=2, n_resamples=40)
    with pytest.raises(ValueError, match="sheet must have at least one row"):
        plot_audit_sheet(sheet.iloc[:0])
    cal = calibration_by_group(y, prob, sensitive_features=g, n_bins=2)
    with pytest.raises(ValueError, match="calibration must have at least one row"):
        plot_calibration_by_group(cal.iloc[:0])


def test_plot_audit_sheet_rejects_nan_tolerance(data):
    y, _, p, g = data
    sheet = audit_sheet(y, p, sensitive_features=g, min_group_size=2, n_resamples=40)
    sheet.loc[sheet.index[0], "tolerance"] = np.nan
    with pytest.raises(ValueError, match=r"sheet\['tolerance'\] must be finite"):
        plot_audit_sheet(sheet)


def test_plot_pareto_front_rejects_non_finite_and_strings():
    with pytest.raises(ValueError, match="disparity must be finite"):
        plot_pareto_front([0.1, np.nan], [0.8, 0.9])
    with pytest.raises(ValueError, match="performance must be finite"):
        plot_pareto_front([0.1, 0.2], [0.8, np.inf])
    with pytest.raises(TypeError, match="performance must be numeric"):
        plot_pareto_front([0.1, 0.2], ["a", "b"])


def test_plot_pareto_front_labels_do_not_touch():
    # seven candidates crowded within a few thousandths, as in notebook 07
    d = [0.150, 0.031, 0.029, 0.030, 0.012, 0.010, 0.011]
    a = [0.800, 0.790, 0.789, 0.791, 0.780, 0.781, 0.779]
    names = [
        "baseline",
        "reweighing x1",
        "reweighing x2",
        "exp. gradient",
        "thresholds",
        "thresholds tol=0.02",
        "thresholds tol=0.05",
    ]
    ax = plot_pareto_front(d, a, labels=names, chosen="exp. gradient")
    renderer = ax.figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    assert sorted(t.get_text() for t in ax.texts) == sorted(names)
    for i, b in enumerate(boxes):
        for c in boxes[i + 1 :]:
            assert not b.overlaps(c), "two labels overlap"
    plt.close(ax.figure)


def test_plot_pareto_front_keeps_excluded_points_off_the_front():
    ax = plot_pareto_front(
        [0.2, 0.01, 0.05], [0.85, 0.86, 0.82], labels=["a", "b", "c"], excluded=[False, True, False]
    )
    front = ax.get_lines()[0]
    np.testing.assert_allclose(front.get_xdata(), [0.05, 0.2])  # b would dominate a, but is out
    assert ax.collections[1].get_offsets().tolist() == [[0.01, 0.86]]  # drawn as excluded
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="excluded must be a boolean mask"):
        plot_pareto_front([0.1, 0.2], [0.8, 0.9], excluded=[1, 0])
