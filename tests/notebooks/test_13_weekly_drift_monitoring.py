"""Checks on the recorded results of notebooks/13_weekly_drift_monitoring.ipynb."""

import pytest

pytestmark = pytest.mark.notebooks

NB = "13_weekly_drift_monitoring"
INJECTIONS = [
    "gradual_tenure_shift",
    "fiber_promotion",
    "charges_in_cents",
    "upstream_schema_change",
    "tenure_default_fill",
]


@pytest.fixture
def run(lesson_results):
    return lesson_results(NB)


@pytest.fixture
def res(run):
    return run["results"]


def value(res, key):
    return res[key]["value"]


def test_model_is_good_and_calibrated(res):
    assert 0.80 <= value(res, "reference_roc_auc") <= 0.90
    assert value(res, "reference_ece") <= 0.05


def test_every_injection_detected_at_start(res):
    for name in INJECTIONS:
        assert value(res, f"detection_delay_{name}") == 0, name
    assert value(res, "label_only_detection_delay") == 4


def test_control_weeks_quiet_and_correction_matters(res):
    assert value(res, "n_control_weeks") == 8
    assert value(res, "false_alerts_control_weeks") <= 1
    assert value(res, "naive_false_alert_weeks") >= 1
    assert value(res, "naive_false_flags") >= value(res, "naive_false_alert_weeks")
    assert value(res, "max_prediction_psi_control") < 0.1


def test_quality_step_finds_the_pipeline_weeks(res):
    assert value(res, "quality_issue_weeks") == [11, 13, 15]


def test_mmd_and_performance_estimate(res):
    assert value(res, "mmd_injected_hits") >= 6  # 7 injected weeks keep every numeric column
    assert 0 < value(res, "mmd_min_control_p_value") <= 1
    assert (value(res, "mmd_min_control_p_value") < 0.01) == (value(res, "mmd_control_flags") > 0)
    assert value(res, "cbpe_mean_abs_error_population_weeks") <= 0.05
    assert value(res, "cbpe_abs_error_unit_change") >= 0.15
    assert value(res, "cbpe_abs_error_unit_change") >= 4 * value(
        res, "cbpe_mean_abs_error_population_weeks"
    )
    assert 0.0 <= value(res, "accuracy_unit_change_week") <= 0.85


def test_report_and_figures(run):
    assert value(run["results"], "report_file") == "weekly_drift_report.html"
    assert run["key_figure"] == "figures/drift_heatmap.png"
    assert len(run["figures"]) >= 3
