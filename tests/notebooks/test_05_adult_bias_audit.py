"""Checks on the recorded results of notebook 05 (UCI Adult bias audit)."""

import pytest

pytestmark = pytest.mark.notebooks


@pytest.fixture
def res(lesson_results):
    return lesson_results("05_adult_bias_audit")["results"]


def _v(res, key):
    return res[key]["value"]


def test_data_checks(res):
    assert 0.3 < _v(res, "share_women") < 0.36
    assert _v(res, "base_rate_men") > 2 * _v(res, "base_rate_women")
    assert _v(res, "proxy_auc_relationship") > 0.8
    assert _v(res, "proxy_auc_all_features") > 0.85
    assert (
        0.5 * _v(res, "label_gap_raw") < _v(res, "label_gap_adjusted") <= _v(res, "label_gap_raw")
    )


def test_model_and_metric_suite(res):
    assert 0.85 < _v(res, "model_auc") < 0.95
    assert 0.8 < _v(res, "model_accuracy") < 0.9
    assert _v(res, "sex_demographic_parity_ratio") < 0.5
    low, high = _v(res, "sex_dp_ratio_ci")
    assert low < _v(res, "sex_demographic_parity_ratio") < high < 0.8
    assert _v(res, "sex_predictive_parity_ratio") > 0.85
    for crit in ("demographic_parity", "equal_opportunity", "equalized_odds", "predictive_parity"):
        assert 0 <= _v(res, f"sex_{crit}_difference") <= 1
        assert 0 <= _v(res, f"sex_{crit}_ratio") <= 1
    assert _v(res, "audit_statuses")["demographic_parity ratio"] == "fail"
    assert max(_v(res, "calibration_error_women"), _v(res, "calibration_error_men")) < 0.05


def test_agreement_with_aif360_and_fairlearn(res):
    assert _v(res, "max_abs_difference_vs_aif360_fairlearn") < 1e-9


def test_intersections_and_conflict(res):
    assert _v(res, "intersection_lowest_group") == "Female / 17-29"
    assert _v(res, "intersection_dp_ratio") < _v(res, "sex_demographic_parity_ratio")
    assert _v(res, "implied_fpr_women") < 0.5 * _v(res, "fpr_men")
    table = {row["policy"]: row for row in _v(res, "policy_table")}
    assert table["equal selection rates"]["selection-rate ratio"] > 0.95
    assert table["equal selection rates"]["PPV gap"] > 0.15
    assert table["equal TPR"]["TPR gap"] < 0.03
