import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from casebook.plots.drift import (
    plot_drift_heatmap,
    plot_performance_timeline,
    plot_statistic_timeline,
)

DRIFT = pd.DataFrame({
    "week": [1, 1, 2, 2, 3, 3],
    "feature": ["a", "b"] * 3,
    "effect_value": [0.02, 0.01, 0.5, 0.03, np.nan, 0.02],
    "effect_threshold": [0.1] * 6,
    "drifted": [False, False, True, False, np.nan, False],
    "status": ["tested"] * 4 + ["not tested: missing_column", "tested"],
})  # fmt: skip
SCHEDULE = pd.DataFrame({"week": [1, 2, 3], "kind": ["control", "sudden_shift", "schema_change"]})


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_heatmap_cells_markers_and_labels():
    fig, ax = plt.subplots()
    out = plot_drift_heatmap(DRIFT, ax=ax, cap=3)
    assert out is ax
    img = ax.images[0].get_array()
    assert img.shape == (2, 3)
    assert img[0, 1] == pytest.approx(3.0)  # 0.5 / 0.1 = 5, capped at 3
    assert img[0, 0] == pytest.approx(0.2)
    assert bool(np.ma.getmaskarray(img)[0, 2])  # untested cell masked (grey)
    assert [t.get_text() for t in ax.texts] == ["×"]
    assert len(ax.lines) == 1  # one drifted dot
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]
    assert ax.get_xlabel() == "week"
    assert ax.get_ylabel() == "feature"


def test_timeline_threshold_feature_and_shading():
    ax = plot_statistic_timeline(DRIFT, column="effect_value", feature="a", threshold=0.1,
                                 schedule=SCHEDULE, log=True)  # fmt: skip
    assert ax.get_title() == "effect_value of a by week"
    assert ax.get_yscale() == "log"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "threshold 0.1" in labels
    assert "sudden shift" in labels and "schema change" in labels
    assert len(ax.patches) == 2


def test_performance_timeline():
    perf = pd.DataFrame({"week": [1, 2], "expected_roc_auc": [0.8, 0.79],
                         "roc_auc": [0.81, np.nan]})  # fmt: skip
    ax = plot_performance_timeline(perf, metric="roc_auc")
    assert ax.get_title() == "ROC AUC: label-free estimate vs realized"
    assert ax.get_ylabel() == "ROC AUC"
    assert len(ax.lines) == 2


def test_errors():
    with pytest.raises(ValueError, match=r"drift must have columns \['status'\]"):
        plot_drift_heatmap(DRIFT.drop(columns=["status"]))
    with pytest.raises(TypeError, match="drift must be a pandas DataFrame"):
        plot_drift_heatmap([1])
    with pytest.raises(ValueError, match="cap must be a number > 1"):
        plot_drift_heatmap(DRIFT, cap=1)
    with pytest.raises(ValueError, match="feature 'zzz' is not in the table"):
        plot_statistic_timeline(DRIFT, column="effect_value", feature="zzz")
    with pytest.raises(ValueError, match=r"table must have columns \['psi'\]"):
        plot_statistic_timeline(DRIFT, column="psi")
    with pytest.raises(ValueError, match=r"schedule must have columns \['kind'\]"):
        plot_statistic_timeline(DRIFT, column="effect_value", feature="a",
                                schedule=SCHEDULE[["week"]])  # fmt: skip
    with pytest.raises(ValueError, match="metric must be 'accuracy' or 'roc_auc'"):
        plot_performance_timeline(pd.DataFrame(), metric="f1")


def test_empty_tables_non_numeric_columns_and_bad_threshold():
    with pytest.raises(ValueError, match="drift must have at least one row to plot, got 0"):
        plot_drift_heatmap(DRIFT.iloc[:0])
    words = DRIFT.assign(effect_value=[f"s{i}" for i in range(len(DRIFT))])
    with pytest.raises(TypeError, match="drift column 'effect_value' must be numeric"):
        plot_drift_heatmap(words)
    weeks = pd.DataFrame({"week": [1, 2, 3], "psi": [0.02, 0.03, 0.4]})
    with pytest.raises(ValueError, match="table must have at least one row to plot, got 0"):
        plot_statistic_timeline(weeks.iloc[:0], column="psi")
    with pytest.raises(TypeError, match=r"table column 'psi' must be numeric .* e\.g\. '0\.1'"):
        plot_statistic_timeline(weeks.assign(psi=["0.1", "0.2", "0.3"]), column="psi")
    for bad in (float("nan"), float("inf"), "0.1", True):
        with pytest.raises(ValueError, match="threshold must be a finite number or None"):
            plot_statistic_timeline(weeks, column="psi", threshold=bad)
    perf = pd.DataFrame({"week": [1, 2], "expected_accuracy": [0.8, 0.8], "accuracy": [0.79, 0.7]})
    with pytest.raises(ValueError, match="perf must have at least one row to plot, got 0"):
        plot_performance_timeline(perf.iloc[:0])
    with pytest.raises(TypeError, match="perf column 'accuracy' must be numeric"):
        plot_performance_timeline(perf.assign(accuracy=["s0", "s1"]))
    # missing realized values (labels not arrived yet) stay valid, also in an object column
    pending = perf.assign(accuracy=pd.Series([0.79, None], dtype=object))
    assert len(plot_performance_timeline(pending).lines) == 2


def test_timeline_label_and_every_scheduled_week_ticked():
    weeks = pd.DataFrame({"week": [1, 3], "prediction_psi": [0.02, 0.4]})  # week 2 not scored
    ax = plot_statistic_timeline(weeks, column="prediction_psi", label="PSI of the scores",
                                 schedule=SCHEDULE)  # fmt: skip
    assert ax.get_ylabel() == "PSI of the scores"
    assert "PSI of the scores" in [t.get_text() for t in ax.get_legend().get_texts()]
    assert list(ax.get_xticks()) == [1, 2, 3]
    perf = pd.DataFrame({"week": [1, 3], "expected_accuracy": [0.8, 0.7], "accuracy": [0.8, 0.6]})
    assert list(plot_performance_timeline(perf, schedule=SCHEDULE).get_xticks()) == [1, 2, 3]
    with pytest.raises(ValueError, match="label must be a non-empty string or None"):
        plot_statistic_timeline(weeks, column="prediction_psi", label="")


def test_heatmap_needs_a_verdict_only_for_tested_cells():
    plot_drift_heatmap(DRIFT)  # the untested cell's NaN verdict is accepted
    bad = DRIFT.assign(drifted=[False, np.nan, True, False, np.nan, False])
    with pytest.raises(
        ValueError, match=r"drift\['drifted'\] must not contain missing values, got 1"
    ):
        plot_drift_heatmap(bad)
